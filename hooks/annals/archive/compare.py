"""Cross-year comparison: each result beside the same period a year earlier."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from annals.archive.model import Archive
from annals.data.schema import Figure, Indicator
from annals.data.vocab import Period, is_percent


@dataclass(frozen=True)
class Change:
    """A result compared with the same period a year earlier."""

    figure: Figure
    earlier: Figure | None  # None: no earlier figure in the archive

    # Worked out once: a change is shown on its report, its year, its indicator and the home page.
    @cached_property
    def status(self) -> str:
        """``ok``, ``no-earlier`` or ``not-disclosed``."""
        if self.earlier is None:
            return "no-earlier"
        if self.figure.number is None or self.earlier.number is None:
            return "not-disclosed"
        return "ok"

    @cached_property
    def delta(self) -> float | None:
        if self.status != "ok":
            return None
        assert self.figure.number is not None and self.earlier and self.earlier.number is not None
        return self.figure.number - self.earlier.number

    @cached_property
    def percent(self) -> float | None:
        """Relative change in %; None for % units (their change is in points) or a zero base."""
        if self.delta is None or self.earlier is None or self.earlier.number in (None, 0):
            return None
        if is_percent(self.figure.unit):
            return None
        assert self.earlier.number is not None
        return self.delta / abs(self.earlier.number) * 100


@dataclass(frozen=True)
class SeriesRow:
    period: Period
    results: tuple[Figure, ...]  # one normally; more when several reports state it
    targets: tuple[Figure, ...]
    change: Change | None

    @property
    def result(self) -> Figure | None:
        """The period's result on the indicator's own definition (not on another basis)."""
        return next((r for r in self.results if not r.basis), None)


def change_of(figure: Figure, bureau: str, archive: Archive) -> Change:
    earlier = archive.results_index.get((bureau, figure.indicator, figure.period.year_earlier().key, figure.basis))
    return Change(figure, earlier)


def series(archive: Archive, indicator: str, bureau: str) -> list[SeriesRow]:
    """Every period with a result or target for one indicator and bureau, oldest first."""
    by_period: dict[Period, tuple[list[Figure], list[Figure]]] = {}
    for fig in archive.figures_for(indicator, bureau):
        results, targets = by_period.setdefault(fig.period, ([], []))
        (results if fig.type == "result" else targets).append(fig)
    rows = []
    for period in sorted(by_period, key=lambda p: p.sort_key):
        results, targets = by_period[period]
        results.sort(key=lambda r: bool(r.basis))  # the indicator's own definition first
        change = change_of(results[0], bureau, archive) if results else None
        rows.append(SeriesRow(period, tuple(results), tuple(targets), change))
    return rows


def latest_results(archive: Archive, indicators: list[Indicator]) -> list[tuple[Indicator, str, SeriesRow]]:
    """For each indicator and each issuer that states a result for it: (indicator, issuer, its latest row with a result)."""
    latest = []
    for ind in indicators:
        for bureau in archive.bureaus_stating(ind.id):
            rows = [r for r in series(archive, ind.id, bureau) if r.result]
            if rows:
                latest.append((ind, bureau, rows[-1]))
    return latest
