"""The checks a value must pass against the rest of the archive: a quote in its report's text, a value in
its quote and in its indicator's range, a period against its report's date, two reports' results alike.

Plain functions beside the declared keys (``annals.data.schema``), in two calling conventions:

- a check of one value, called where the value is read: ``(…) -> str``, what is wrong in the editor's
  words, or ``""`` (the caller knows the line to tell it at);
- a check of the whole archive's figures, run after every file is read: ``(figures, reports, indicators) ->
  Findings``, its errors (the build stops) and warnings (``annals check --strict`` fails), each with its
  line. ``ARCHIVE_CHECKS`` lists them; the loader runs them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from annals.data.errors import Problem
from annals.data.numbers import Value
from annals.data.schema import Figure, Indicator, Report
from annals.data.vocab import KINDS


def quote_not_in(report: Report, quote: str) -> str:
    """What to say of a quote that is not in its report's text, or ''."""
    if report.find_quote(quote) is not None:
        return ""
    return f"引文不在报告 docs/{report.src} 的正文中：“{quote}”；请从报告中逐字复制（quote not in report）"


def last_day(date: str) -> str:
    """The latest ISO date a report date as written (2021, 2021-07, 2021-07-19) can mean."""
    return date + "-12-31"[len(date) - 4:] if len(date) < 10 else date


def out_of_range(value: Value, unit: str, scale: float, indicator: Indicator) -> str:
    """What to say of a value (in ``unit``, ``scale`` times the indicator's) that the indicator cannot take, or ''."""
    low, high = indicator.bounds
    for v in value if isinstance(value, tuple) else (value,) if isinstance(value, float) else ():
        if (low is not None and v * scale < low) or (high is not None and v * scale > high):
            return (f"value {v:g}{unit} 超出指标 {indicator.id}（{indicator.name}）可能的范围（{_bounds_text(indicator)}）；"
                    "请核对原文和数据，或 data/indicators.yml 中的 range（value out of range）")
    return ""


def _bounds_text(indicator: Indicator) -> str:
    low, high = indicator.bounds
    unit = indicator.unit
    if low is not None and high is not None:
        return f"{low:g}{unit}–{high:g}{unit}"
    if high is None:
        return "不能为负" if low == 0 else f"不小于 {low:g}{unit}"
    return f"不大于 {high:g}{unit}"


REVIEWS_PREVIOUS = {"government-work-report"}  # kinds given early in a year, about the year before
_SPAN_WORDS = re.compile(r"年均|年平均|过去五年|五年来|近五年|五年间|五年累计|五年共")
# Days: a result for a period that ends more than this after the report's date is a misfiled period. A
# quarter: a year-end summary written in November or early December states its year (the sample
# generator's are dated 12-04); a 政府工作报告 of March cannot.
_WELL_BEFORE = 92


@dataclass
class Findings:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check_time(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> Findings:
    """Periods a report cannot state: errors, and warnings where a real report might."""
    found = Findings()
    for fig in figures:
        if fig.type != "result":
            continue
        report = reports[fig.report]
        if not fig.basis and (words := _SPAN_WORDS.search(fig.quote)):
            found.errors.append(Problem(fig.path, fig.line, f"引文有“{words.group(0)}”，是多年的合计或平均，不是{fig.period.label}一年的数字；请写明 basis（如 basis: 2013—2017年年均），或删去这一条（a span of years filed as one year）"))
        elif len(report.date) == 10 and _days_before(report.date, fig.period.end) > _WELL_BEFORE:
            found.errors.append(Problem(fig.path, fig.line, f"报告日期为 {report.date}，早于{fig.period.label}结束（{fig.period.end}），不可能已有{fig.period.label}的结果；请把 period 改为报告回顾的时期（如上一年），或改为 type: target（a result before its period ended）"))
        elif report.kind in REVIEWS_PREVIOUS and fig.period == report.period and not fig.basis:
            found.warnings.append(Problem(fig.path, fig.line, f"警告：{KINDS[report.kind]}回顾的是上一年，这条结果却记为报告当年（{fig.period.label}）；请核对 period（a result for the year the report plans）"))
    return found


def _days_before(date: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(date)).days


def check_agreement(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> Findings:
    """Two reports may state the same result; they must state the same number."""
    found = Findings()
    first: dict[tuple[str, str, str, str], Figure] = {}
    for fig in figures:
        if fig.type != "result":
            continue
        key = (reports[fig.report].bureau, *fig.measures)
        other = first.setdefault(key, fig)
        if other is not fig and other.number != fig.number:
            found.errors.append(Problem(fig.path, fig.line, f"{fig.period.label}的结果为 “{fig.stated}”，但 {other.path}:{other.line} 为 “{other.stated}”，请核对（two results disagree）"))
    return found


def check_gaps(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> Findings:
    """Warnings: a result with no figure a year earlier although earlier years have one
    (a figure someone may have missed), once per series and year."""
    years: dict[tuple[str, str, str], set[int]] = {}
    for fig in figures:
        if fig.type == "result" and not fig.basis:
            years.setdefault((reports[fig.report].bureau, fig.indicator, fig.period.part), set()).add(fig.period.year)
    warned = set()
    found = Findings()
    for fig in sorted(figures, key=lambda f: (f.path, f.line)):
        key = (reports[fig.report].bureau, fig.indicator, fig.period.part)
        have = years.get(key, set()) if fig.type == "result" and not fig.basis else set()
        earlier = fig.period.year_earlier()
        if have and earlier.year not in have and min(have) < earlier.year and (key, fig.period) not in warned:
            warned.add((key, fig.period))
            found.warnings.append(Problem(fig.path, fig.line, f"警告：{indicators[fig.indicator].name}{fig.period.label}的结果没有上一年（{earlier.label}）的数字可比，而更早的年份有；如有报告写了{earlier.label}的数字，请补上（no figure for the year before）"))
    return found


ArchiveCheck = Callable[[list[Figure], dict[str, Report], dict[str, Indicator]], Findings]
ARCHIVE_CHECKS: tuple[ArchiveCheck, ...] = (check_agreement, check_time, check_gaps)
