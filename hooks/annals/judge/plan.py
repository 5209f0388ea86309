"""Plan versus outcome: every target beside the result later reported for its period.

A target is judged from the figures data alone. Its qualifier says what kind of
promise it is (at least, at most, about, a range, zero, or a plain number); the
indicator says which way is better. A result is matched when it is for the same
indicator, issuer, period and basis (口径).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from annals.data.numbers import fmt
from annals.data.schema import Figure, Indicator, Report
from annals.data.vocab import QUALIFIERS, is_percent

# 左右 and 约 allow this much on the wrong side of the target (documented in README):
ABOUT_POINTS = 0.3  # for a percentage, in percentage points
ABOUT_SHARE = 0.03  # for a quantity, as a share of the target

STRICT = {"超过", "突破"}  # "more than": the bound itself does not meet it

# A target's verdicts, in the order tables count them; what readers read is in annals.pages.labels.
STATUSES = ("met", "about-met", "missed", "not-reported", "not-disclosed", "not-comparable")

_ROUND = 6  # values are compared after rounding: 1.35万亿元 is 13500亿元, not 13500.000000000002


@dataclass(frozen=True)
class Commitment:
    target: Figure
    result: Figure | None
    status: str  # one of STATUSES
    reason: str  # why, in the reader's words
    restated_by: Figure | None = None  # a later target for the same period that says otherwise


def promise(target: Figure) -> str:
    """What a target promises: at_least, at_most, about, range, zero or exact."""
    if isinstance(target.value, tuple):
        return "range"
    kind = QUALIFIERS.get(target.qualifier or "")
    if kind:
        return kind
    return "zero" if target.value == 0 else "exact"


def tolerance(target: Figure) -> float:
    """How far a result may fall on the wrong side of a 左右 target and still be about met."""
    assert target.number is not None
    return ABOUT_POINTS if is_percent(target.unit) else round(abs(target.number) * ABOUT_SHARE, _ROUND)


def _gap(x: float, unit: str) -> str:
    return f"{fmt(round(abs(x), 4))}个百分点" if is_percent(unit) else f"{fmt(round(abs(x), 4))}{unit}"


def judge_number(target: Figure, x: float, indicator: Indicator) -> tuple[str, str]:
    """(status, reason) of a target given the result's number, in the indicator's unit."""
    assert target.number is not None
    t, x = round(target.number, _ROUND), round(x, _ROUND)
    better = indicator.higher_is_better
    unit = indicator.unit
    kind = promise(target)
    if kind == "range":
        assert isinstance(target.value, tuple)
        low, high = (round(v * target.scale, _ROUND) for v in target.value)
        if low <= x <= high:
            return "met", "在目标区间内"
        if (x > high and better is True) or (x < low and better is False):
            return "met", "好于目标区间"
        return "missed", ("低于" if x < low else "高于") + "目标区间"
    if kind == "at_least":
        strict = target.qualifier in STRICT
        if x > t or (x == t and not strict):
            return "met", "达到目标" if x == t else "高于目标"
        return "missed", "等于目标而未超过" if x == t else f"低于目标{_gap(t - x, unit)}"
    if kind == "at_most":
        if x <= t:
            return "met", "未超过上限"
        return "missed", f"超过上限{_gap(x - t, unit)}"
    if kind == "zero":
        return ("met", "实现为零") if x == 0 else ("missed", "不为零")
    if x == t:
        return "met", "与目标相同"
    if (x > t and better is True) or (x < t and better is False):
        return "met", ("高于" if x > t else "低于") + "目标"
    side = "高于" if x > t else "低于"
    if kind == "about":
        allowed = tolerance(target)
        within = round(abs(x - t), _ROUND) <= allowed
        word = "在" if within else "超出"
        reason = f"{side}目标{_gap(x - t, unit)}，{word}“{target.qualifier}”的允许范围（±{_gap(allowed, unit)}）"
        return ("about-met" if within else "missed"), reason
    return "missed", f"{side}目标{_gap(x - t, unit)}"


def _bounds(result: Figure) -> tuple[float, float]:
    """The values a result allows: a number is itself; 以上 and 以内 leave one side open."""
    assert result.number is not None
    if isinstance(result.value, tuple):
        return result.value[0] * result.scale, result.value[1] * result.scale
    kind = QUALIFIERS.get(result.qualifier or "")
    if kind == "at_least":
        return result.number, math.inf
    if kind == "at_most":
        return -math.inf, result.number
    return result.number, result.number


def _breakpoints(target: Figure) -> list[float]:
    """Where a target's status can change as the result moves."""
    if isinstance(target.value, tuple):
        return [v * target.scale for v in target.value]
    assert target.number is not None
    if promise(target) == "about":
        allowed = tolerance(target)
        return [target.number - allowed, target.number, target.number + allowed]
    return [target.number]


def _basis(fig: Figure) -> str:
    return f"为{fig.basis}" if fig.basis else "按指标定义"


def judge(target: Figure, result: Figure, indicator: Indicator) -> tuple[str, str]:
    """(status, reason) of a target given the result reported for its period."""
    if target.basis != result.basis:
        return "not-comparable", f"口径不同：目标{_basis(target)}，结果{_basis(result)}"
    if target.number is None:
        return "not-disclosed", "目标数值未公开"
    if result.number is None:
        return "not-disclosed", "结果数值未公开"
    low, high = _bounds(result)
    if low == high:
        return judge_number(target, low, indicator)
    # A result that is a bound or a range decides only if every value it allows gives the same status:
    # the status is constant between breakpoints, so try each end, each breakpoint inside, and between.
    marks = sorted({low, high, *(b for b in _breakpoints(target) if low < b < high)})
    finite = [m for m in marks if math.isfinite(m)]
    marks = [min(finite) - 1 if m == -math.inf else max(finite) + 1 if m == math.inf else m for m in marks]
    samples = marks + [(a + b) / 2 for a, b in pairwise(marks)]
    if len({judge_number(target, x, indicator)[0] for x in samples}) == 1:
        return judge_number(target, low if math.isfinite(low) else high, indicator)
    return "not-comparable", "结果只给出范围，不能判断是否达到目标"


@dataclass(frozen=True)
class PlanIndex:
    all: list[Commitment]  # in the order of the figures files
    set_by: dict[str, list[Commitment]]  # report src → the targets it sets
    answered_by: dict[str, list[Commitment]]  # report src → the targets its results answer
    of_indicator: dict[tuple[str, str], list[Commitment]]  # (indicator, bureau) → its targets


def plan_index(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> PlanIndex:
    """Every target of ``figures`` with its status, indexed by the report that sets it, the reports that answer
    it, and its indicator and issuer."""
    answers = _results_by_period(figures, reports)
    found = _commitments(figures, reports, indicators, answers)
    index = PlanIndex(found, defaultdict(list), defaultdict(list), defaultdict(list))
    for c in found:
        bureau = reports[c.target.report].bureau
        index.set_by[c.target.report].append(c)
        index.of_indicator[(c.target.indicator, bureau)].append(c)
        for report in dict.fromkeys(r.report for r in answers.get((bureau, c.target.indicator, c.target.period.key), [])):
            index.answered_by[report].append(c)
    return index


def _results_by_period(figures: list[Figure], reports: dict[str, Report]) -> dict[tuple[str, str, str], list[Figure]]:
    """(bureau, indicator, period key) → every result stated for it, on any basis."""
    results: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for fig in figures:
        if fig.type == "result":
            results[(reports[fig.report].bureau, fig.indicator, fig.period.key)].append(fig)
    return results


def _commitments(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator],
                 results: dict[tuple[str, str, str], list[Figure]]) -> list[Commitment]:
    """Every target in the archive with its status, in the order of the figures files."""
    targets: dict[tuple[str, ...], list[Figure]] = defaultdict(list)
    for fig in figures:
        if fig.type == "target":
            targets[(reports[fig.report].bureau, *fig.measures)].append(fig)
    restated: dict[Figure, Figure] = {}
    for group in targets.values():
        group.sort(key=lambda f: (reports[f.report].date, f.report))
        for earlier, later in pairwise(group):
            if earlier.report != later.report and (earlier.value, earlier.qualifier) != (later.value, later.qualifier):
                restated[earlier] = later

    latest: dict[str, str] = {}
    for report in reports.values():
        latest[report.bureau] = max(latest.get(report.bureau, ""), report.date)
    out = []
    for fig in figures:
        if fig.type != "target":
            continue
        bureau = reports[fig.report].bureau
        found = results.get((bureau, fig.indicator, fig.period.key), [])
        result = next((r for r in found if r.basis == fig.basis), found[0] if found else None)
        if result is None:
            status, reason = "not-reported", _why_not_reported(fig, latest[bureau])
        else:
            status, reason = judge(fig, result, indicators[fig.indicator])
        out.append(Commitment(fig, result, status, reason, restated.get(fig)))
    return out


def _why_not_reported(target: Figure, latest: str) -> str:
    """Whether the issuer has published since the target's period ended (``latest``: its newest report's date)."""
    return "此后的报告没有给出这一时期的结果" if latest > target.period.end else "还没有这一时期结束后的报告"
