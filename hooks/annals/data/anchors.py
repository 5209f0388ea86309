"""Where each figure's number stands in its report's text, and the anchor (``#fig-gdp_growth-2016``) that
the figure links, tables and the open data point at."""

from __future__ import annotations

from collections.abc import Sequence

from annals.data.plaintext import find_in_lines
from annals.data.schema import Figure, Report


def number_positions(lines: Sequence[str], figures: list[Figure]) -> dict[Figure, tuple[int, int, int]]:
    """Where each figure's number is in a report's plain lines: (line, start, end)."""
    found: dict[Figure, tuple[int, int, int]] = {}
    for fig in figures:
        where = find_in_lines(lines, fig.quote)
        if where is not None:
            found[fig] = (where[0], where[1] + fig.span[0], where[1] + fig.span[1])
    return found


def figure_anchors(report: Report, figures: list[Figure]) -> dict[Figure, str]:
    """A stable, unique anchor per figure of one report.

    Two figures on the same number (two indicators read from one phrase) share
    the first one's anchor, since the number can carry only one link.
    """
    anchors: dict[Figure, str] = {}
    used: set[str] = set()
    placed: list[tuple[tuple[int, int, int], Figure]] = []
    positions = number_positions(report.lines, figures)
    for fig in figures:
        pos = positions.get(fig)
        clash = next((f for p, f in placed if pos and p[0] == pos[0] and pos[1] < p[2] and p[1] < pos[2]), None)
        if clash is not None:
            anchors[fig] = anchors[clash]
            continue
        base = f"fig-{fig.indicator}-{fig.period.key.lower()}" + ("-target" if fig.type == "target" else "")
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        anchors[fig] = anchor
        if pos:
            placed.append((pos, fig))
    return anchors
