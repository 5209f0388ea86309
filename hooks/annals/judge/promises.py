"""Promises in words: what a plan commits to, and what later reports say of it.

A report's figures file lists its ``commitments`` (each a verbatim quote of the plan, a short label, the
period it is for) and its ``evidence``: passages of this report that answer a commitment of an earlier
report, each verbatim and with the status it supports. A commitment's status is its latest evidence's;
with none it is 未再提及 when the issuer has published since, 尚无后续报告 when not. Numeric targets
(:mod:`annals.judge.plan`) take their place on the same scale, so the tracker shows every promise of a plan.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from annals.data.checks import quote_not_in
from annals.data.errors import Collector
from annals.data.routes import report_of_ref
from annals.data.schema import COMMITMENT, EVIDENCE, Bureau, Evidence, Figure, Indicator, Promise, Report, read_entry
from annals.data.vocab import EVIDENCE_STATUS, Period, Timing, parse_period
from annals.data.yamlio import Node
from annals.judge.plan import Commitment, PlanIndex

# The scale, in the order the tracker shows it, as codes (URLs, CSS, open data); what readers read is in
# annals.pages.labels, what editors write in evidence files in annals.data.vocab.EVIDENCE_STATUS.
# undecidable: a numeric target whose result is not disclosed or not comparable.
STATUSES = ("kept", "partly", "underway", "missed", "unmentioned", "awaiting", "undecidable")
# A numeric target's verdict (plan.STATUSES) on this scale; not-reported is unmentioned or awaiting, as for words.
FROM_TARGET = {"met": "kept", "about-met": "kept", "missed": "missed", "not-disclosed": "undecidable", "not-comparable": "undecidable"}

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A topic is a filter of the tracker (an anchor, and a value in its style): words only, no punctuation or space.
_TOPIC = re.compile(r"^[\w\u3400-\u9fff]{1,12}$")


def is_topic(text: str) -> bool:
    """Whether a text can be a topic: a filter of the tracker."""
    return bool(_TOPIC.match(text))


def plan_period(report: Report) -> Period:
    """The period a plan's commitments are for unless they say, as for its targets: a 政府工作报告 or 工作计划
    plans its own year, a first half's summary the second half, a year's summary the next year."""
    return Timing(report.period, report.kind, report.date).plan


# ------------------------------------------------------------------ reading


def read_commitment(entry: Node, shown: str, report: Report, indicators: dict[str, Indicator], seen: dict[str, int],
                    out: Collector) -> Promise | None:
    """One entry of ``commitments:``, checked; None (and its problems in ``out``) when it is wrong."""
    before = len(out.problems)
    values = read_entry(entry, COMMITMENT, shown, out)
    pid = values.get("id")
    if pid is not None and not _ID.match(pid):
        out.add(shown, entry.line_of("id"), f"id “{pid}” 只能用小写字母、数字、- 和 _，如 c3（bad id）")
    elif pid is not None and pid in seen:
        out.add(shown, entry.line_of("id"), f"id “{pid}” 与第 {seen[pid]} 行的承诺重复；每项承诺的 id 在文件内须唯一（duplicate id）")
    label, quote = values.get("label"), values.get("quote")
    period = plan_period(report)
    if "period" in values:
        parsed = parse_period(values["period"])
        if parsed is None:
            out.add(shown, entry.line_of("period"), f"period “{values['period']}” 无效；写作 2022、2021-H2 或 2021年下半年（invalid period）")
        elif parsed.year < report.year:
            out.add(shown, entry.line_of("period"), f"承诺的时期 {parsed.label} 早于报告的 {report.year} 年；请核对 period（a promise for a past period）")
        else:
            period = parsed
    topic = values.get("topic", "")
    if topic and not is_topic(topic):
        out.add(shown, entry.line_of("topic"), f"topic “{topic}” 应为 12 个字以内的词语，不含标点和空格，如 教育公平（bad topic）")
    indicator = values.get("indicator", "")
    if indicator and indicator not in indicators:
        out.add(shown, entry.line_of("indicator"), f"未知指标 “{indicator}”，请先在 data/indicators.yml 中定义，或删去这一行（unknown indicator）")
    if label is not None and not label:
        out.add(shown, entry.line_of("label"), "label 不能为空：请用几个字概括这项承诺，如 解决城镇学校大班额问题（empty label）")
    if quote is not None and (missing := quote_not_in(report, quote)):
        out.add(shown, entry.line_of("quote"), missing)
    if len(out.problems) > before or not (pid and label and quote):
        return None
    seen[pid] = entry.line
    return Promise(shown, entry.line, report.src, pid, label, quote, period, topic, indicator, values.get("note", ""))


def read_evidence(entry: Node, shown: str, report: Report, out: Collector) -> Evidence | None:
    """One entry of ``evidence:``, checked against its own report; what it answers is checked by ``check_evidence``."""
    before = len(out.problems)
    values = read_entry(entry, EVIDENCE, shown, out)
    ref, quote, status = values.get("commitment"), values.get("quote"), values.get("status")
    if status is not None and status not in EVIDENCE_STATUS:
        out.add(shown, entry.line_of("status"), f"status 应为 {'、'.join(EVIDENCE_STATUS)} 之一，而不是 “{status}”；未再提及和尚无后续报告由构建判断，不用写（bad status）")
    if quote is not None and (missing := quote_not_in(report, quote)):
        out.add(shown, entry.line_of("quote"), missing)
    if len(out.problems) > before or not (ref and quote and status):
        return None
    return Evidence(shown, entry.line, report.src, ref, quote, EVIDENCE_STATUS[status], values.get("note", ""))


def check_evidence(promises: list[Promise], evidence: list[Evidence], reports: dict[str, Report], unread: set[str],
                   out: Collector) -> list[Evidence]:
    """The evidence that answers a commitment of an earlier report; every other entry is a problem, but for
    evidence on a report that could not be read (``unread``: its own problems are told)."""
    by_ref = {p.ref: p for p in promises}
    kept: list[Evidence] = []
    seen: dict[tuple[str, str], int] = {}
    for e in evidence:
        promise = by_ref.get(e.commitment)
        if promise is None and report_of_ref(e.commitment) in unread:
            continue
        if promise is None:
            near = [ref for ref in by_ref if ref.split("#")[0] == e.commitment.split("#")[0]][:5]
            hint = f"这份报告的承诺有：{'、'.join(near)}" if near else "写作 年份/文件名#id，如 2014/state-council-government-work-report#c3"
            out.add(e.path, e.line, f"没有这项承诺：“{e.commitment}”；{hint}（unknown commitment）")
            continue
        plan, answer = reports[promise.report], reports[e.report]
        if answer.date <= plan.date:
            out.add(e.path, e.line, f"回应须来自承诺之后的报告：承诺出自 {plan.date} 的 docs/{plan.src}，这份报告日期为 {answer.date}（evidence older than its promise）")
            continue
        key = (e.commitment, e.report)
        if key in seen:
            out.add(e.path, e.line, f"与第 {seen[key]} 行回应同一项承诺；一份报告对一项承诺只记一条回应，请合并（duplicate evidence）")
            continue
        seen[key] = e.line
        kept.append(e)
    return kept


# ------------------------------------------------------------------ the tracker


@dataclass(frozen=True)
class Step:
    """One later word on a promise: its report, the passage, the status it supports."""

    report: str
    quote: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class Tracked:
    """A promise on the tracker's one scale: in words, or a numeric target."""

    anchor: str  # on its plan's report page
    report: str  # the plan's Report.src
    bureau: str
    period: Period
    label: str
    quote: str
    status: str  # one of STATUSES
    reason: str
    topic: str = ""
    steps: tuple[Step, ...] = ()  # later words, oldest first
    ref: str = ""  # a promise in words: Promise.ref; a target: ""
    target: Commitment | None = None


@dataclass(frozen=True)
class Tracker:
    all: list[Tracked] = field(default_factory=list)  # plans by date, each plan's promises in file order
    set_by: dict[str, list[Tracked]] = field(default_factory=dict)  # plan src → its promises
    answered_by: dict[str, list[tuple[Tracked, Step]]] = field(default_factory=dict)  # report src → what it answers


def _unanswered(later: int, unreviewed: int, issuer: str) -> tuple[str, str]:
    """A promise no answer speaks of: 未再提及 only by reports whose answers an editor has reviewed."""
    if later:
        return "unmentioned", f"{issuer}此后的 {later} 份报告都没有提到" + (f"；另有 {unreviewed} 份报告中的回应还在核对" if unreviewed else "")
    return "awaiting", f"{issuer}此后的 {unreviewed} 份报告中的回应还在核对" if unreviewed else f"还没有{issuer}此后的报告"


def tracker(promises: list[Promise], evidence: list[Evidence], targets: PlanIndex, reports: dict[str, Report],
            bureaus: dict[str, Bureau], indicators: dict[str, Indicator], anchors: dict[Figure, str],
            unreviewed: set[str]) -> Tracker:
    """Every promise (in words, and the numeric ``targets``) with its status and the later words behind it;
    ``unreviewed``: the reports whose answers to earlier promises are still to review."""
    steps: dict[str, list[tuple[str, Step]]] = defaultdict(list)
    for e in evidence:
        steps[e.commitment].append((reports[e.report].date, Step(e.report, e.quote, e.status, e.note)))
    # Per issuer: its report dates in order, and how many of the reports up to each are still to review (a target
    # or a promise asks how many came after its plan: ~40,000 of them at 10,000 reports, a scan each was quadratic).
    dates: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for r in reports.values():
        dates[r.bureau].append((r.date, r.src in unreviewed))
    ordered = {b: [d for d, _ in sorted(ds)] for b, ds in dates.items()}
    pending_upto = {b: list(accumulate((p for _, p in sorted(ds)), initial=0)) for b, ds in dates.items()}

    def later_reports(report: Report) -> tuple[int, int]:
        """How many later reports of the issuer there are whose answers are reviewed, and still to review."""
        first = bisect_right(ordered[report.bureau], report.date)
        counts = pending_upto[report.bureau]
        unreviewed = counts[-1] - counts[first]
        return len(ordered[report.bureau]) - first - unreviewed, unreviewed

    by_report: dict[str, list[Tracked]] = defaultdict(list)
    for p in promises:
        report = reports[p.report]
        issuer = bureaus[report.bureau].short_name
        said = tuple(s for _, s in sorted(steps.get(p.ref, []), key=lambda ds: (ds[0], ds[1].report)))
        if said:
            status = said[-1].status
            last = reports[said[-1].report]
            reason = said[-1].note or f"据{last.title}（{last.date}）"
        else:
            status, reason = _unanswered(*later_reports(report), issuer)
        by_report[p.report].append(Tracked(f"promise-{p.id}", p.report, report.bureau, p.period, p.label, p.quote, status, reason,
                                           p.topic, said, p.ref))
    for c in targets.all:
        report = reports[c.target.report]
        if c.status == "not-reported":
            status, reason = _unanswered(*later_reports(report), bureaus[report.bureau].short_name)
        else:
            status, reason = FROM_TARGET[c.status], c.reason
        said = (Step(c.result.report, c.result.quote, status),) if c.result else ()
        indicator = indicators[c.target.indicator]
        topic = indicator.group if is_topic(indicator.group) else ""  # a target's topic is its indicator's group, if it can be one
        by_report[report.src].append(Tracked(anchors[c.target], report.src, report.bureau, c.target.period,
                                             indicator.name, c.target.quote, status, reason, topic, said, "", c))
    found = Tracker()
    for src in sorted(by_report, key=lambda s: (reports[s].date, s)):
        found.set_by[src] = by_report[src]
        found.all.extend(by_report[src])
        for item in by_report[src]:
            for step in item.steps:
                found.answered_by.setdefault(step.report, []).append((item, step))
    return found
