"""Promises in words: what a plan commits to, and what later reports say of it.

A report's figures file lists its ``commitments`` (each a verbatim quote of the plan, a short label, the
period it is for) and its ``evidence``: passages of this report that answer a commitment of an earlier
report, each verbatim and with the status it supports. A commitment's status is its latest evidence's;
with none it is 未再提及 once every later report that reviews its period was searched for it and an editor
decided what was found, 尚未核对 while one was not, 尚无后续报告 while none has come. Numeric targets
(:mod:`annals.judge.plan`) take their place on the same scale, so the tracker shows every promise of a plan.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from annals.data.checks import quote_not_in
from annals.data.errors import Collector
from annals.data.routes import report_of_ref
from annals.data.schema import (
    COMMITMENT,
    EVIDENCE,
    SEARCHED,
    Bureau,
    Evidence,
    Figure,
    Indicator,
    Promise,
    Report,
    Searched,
    read_entry,
)
from annals.data.vocab import EVIDENCE_STATUS, Period, Timing, parse_period
from annals.data.yamlio import Node
from annals.judge.plan import Commitment, PlanIndex

# The scale, in the order the tracker shows it, as codes (URLs, CSS, open data); what readers read is in
# annals.pages.labels, what editors write in evidence files in annals.data.vocab.EVIDENCE_STATUS.
# nearly, undisclosed and incomparable: a numeric target's result within its 左右, not disclosed, on another basis.
# unchecked: a later report that reviews the promise's period has not been searched for it, or its answers not decided.
# unreported: a numeric target whose result the reports that review its period do not give.
STATUSES = ("kept", "nearly", "partly", "underway", "missed", "unmentioned", "unreported", "unchecked", "awaiting",
            "undisclosed", "incomparable")
SETTLED = ("kept", "nearly", "missed")
FORWARD_ONLY = ("plan",)  # kinds of report that review no period (annals.data.vocab.KINDS)

TARGET_STATUSES = tuple(s for s in STATUSES if s not in ("partly", "underway", "unmentioned"))  # what a number can say
# A numeric target's verdict (plan.STATUSES) on this scale; not-reported is unmentioned, unchecked or awaiting, as for words.
FROM_TARGET = {"met": "kept", "about-met": "nearly", "missed": "missed", "not-disclosed": "undisclosed", "not-comparable": "incomparable"}

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
        out.add(shown, entry.line_of("id"), f"id “{pid}” 只能用小写字母、数字、- 和 _，如 c3")
    elif pid is not None and pid in seen:
        out.add(shown, entry.line_of("id"), f"id “{pid}” 与第 {seen[pid]} 行的承诺重复；每项承诺的 id 在文件内须唯一")
    label, quote = values.get("label"), values.get("quote")
    period = plan_period(report)
    if "period" in values:
        parsed = parse_period(values["period"])
        if parsed is None:
            out.add(shown, entry.line_of("period"), f"period “{values['period']}” 无效；写作 2022、2021-H2 或 2021年下半年")
        elif parsed.year < report.year:
            out.add(shown, entry.line_of("period"), f"承诺的时期 {parsed.label} 早于报告的 {report.year} 年；请核对 period")
        else:
            period = parsed
    topic = values.get("topic", "")
    if topic and not is_topic(topic):
        out.add(shown, entry.line_of("topic"), f"topic “{topic}” 应为 12 个字以内的词语，不含标点和空格，如 教育公平")
    indicator = values.get("indicator", "")
    if indicator and indicator not in indicators:
        out.add(shown, entry.line_of("indicator"), f"未知指标 “{indicator}”，请先在 data/indicators.yml 中定义，或删去这一行")
    if label is not None and not label:
        out.add(shown, entry.line_of("label"), "label 不能为空：请用几个字概括这项承诺，如 解决城镇学校大班额问题")
    if quote is not None and (missing := quote_not_in(report, quote)):
        out.add(shown, entry.line_of("quote"), missing)
    if len(out.problems) > before or not (pid and label and quote):
        return None
    seen[pid] = entry.line
    return Promise(shown, entry.line, report.src, pid, label, quote, period, topic, indicator, values.get("note", ""),
                   values.get("parts", ()))


def read_evidence(entry: Node, shown: str, report: Report, out: Collector) -> Evidence | None:
    """One entry of ``evidence:``, checked against its own report; what it answers is checked by ``check_evidence``."""
    before = len(out.problems)
    values = read_entry(entry, EVIDENCE, shown, out)
    ref, quote, status = values.get("commitment"), values.get("quote"), values.get("status")
    if status is not None and status not in EVIDENCE_STATUS:
        out.add(shown, entry.line_of("status"), f"status 应为 {'、'.join(EVIDENCE_STATUS)} 之一，而不是 “{status}”；未再提及和尚无后续报告由构建判断，不用写")
    if quote is not None and (missing := quote_not_in(report, quote)):
        out.add(shown, entry.line_of("quote"), missing)
    part = values.get("part", 0)
    if isinstance(part, bool) or not isinstance(part, int) or part < 0:
        out.add(shown, entry.line_of("part"), f"part 应为承诺的第几部分，如 1（第一部分），而不是 “{part}”")
    if len(out.problems) > before or not (ref and quote and status):
        return None
    return Evidence(shown, entry.line, report.src, ref, quote, EVIDENCE_STATUS[status], values.get("note", ""), part)


def read_searched(entry: Node, shown: str, report: Report, out: Collector) -> Searched | None:
    """One entry of ``searched:`` (what it names is checked by ``check_searched``)."""
    ref = read_entry(entry, SEARCHED, shown, out).get("commitment")
    return Searched(shown, entry.line, report.src, ref) if ref else None


@dataclass(frozen=True)
class Looks:
    """Which later reports were searched for which promises. A promise (by ref) was looked for in a report when an
    editor decided what was found there: an answer kept, or a ``searched`` entry without its review mark."""

    done: frozenset[tuple[str, str]] = frozenset()  # (report src, promise ref)
    pending: frozenset[tuple[str, str]] = frozenset()  # candidates still to review
    numbers_pending: frozenset[str] = frozenset()  # reports whose figure candidates are still to review

    @classmethod
    def of(cls, evidence: list[Evidence], searched: list[Searched], searching: dict[str, set[str]],
           numbers_pending: set[str]) -> Looks:
        pending = {(src, ref) for src, refs in searching.items() for ref in refs}
        done = {(e.report, e.commitment) for e in evidence} | {(s.report, s.commitment) for s in searched}
        return cls(frozenset(done - pending), frozenset(pending), frozenset(numbers_pending))

    def looked(self, ref: str, report: Report) -> bool:
        return (report.src, ref) in self.done

    def asked(self, ref: str, report: Report) -> bool:
        """Whether the report was searched for the promise at all (decided or not)."""
        return (report.src, ref) in self.done or (report.src, ref) in self.pending

    def numbers_looked(self, report: Report) -> bool:
        """A numeric target's result is looked for in a report's figures: looked at once none is left to review."""
        return report.src not in self.numbers_pending


def check_searched(promises: list[Promise], searched: list[Searched], reports: dict[str, Report], unread: set[str],
                   out: Collector) -> list[Searched]:
    """The ``searched`` entries that name an earlier promise; every other one is a problem."""
    by_ref = {p.ref: p for p in promises}
    kept = []
    for s in searched:
        promise = by_ref.get(s.commitment)
        if promise is None:
            if report_of_ref(s.commitment) not in unread:
                out.add(s.path, s.line, f"没有这项承诺：“{s.commitment}”；承诺已删除或改了 id 时，请删去这一条")
        elif reports[promise.report].date >= reports[s.report].date:
            out.add(s.path, s.line, f"只能在承诺之后的报告中查找它的回应：{s.commitment} 出自 {reports[promise.report].date} 的报告；请删去这一条")
        else:
            kept.append(s)
    return kept


def check_evidence(promises: list[Promise], evidence: list[Evidence], reports: dict[str, Report], unread: set[str],
                   out: Collector) -> list[Evidence]:
    """The evidence that answers a commitment of an earlier report; every other entry is a problem, but for
    evidence on a report that could not be read (``unread``: its own problems are told)."""
    by_ref = {p.ref: p for p in promises}
    kept: list[Evidence] = []
    seen: dict[tuple[str, str, str], int] = {}
    for e in evidence:
        promise = by_ref.get(e.commitment)
        if promise is None and report_of_ref(e.commitment) in unread:
            continue
        if promise is None:
            near = [ref for ref in by_ref if ref.split("#")[0] == e.commitment.split("#")[0]][:5]
            hint = f"这份报告的承诺有：{'、'.join(near)}" if near else "写作 年份/文件名#id，如 2014/state-council-government-work-report#c3"
            out.add(e.path, e.line, f"没有这项承诺：“{e.commitment}”；{hint}")
            continue
        plan, answer = reports[promise.report], reports[e.report]
        if answer.date <= plan.date:
            out.add(e.path, e.line, f"回应须来自承诺之后的报告：承诺出自 {plan.date} 的 docs/{plan.src}，这份报告日期为 {answer.date}")
            continue
        if e.part > len(promise.parts):
            have = f"它有 {len(promise.parts)} 部分：" + "、".join(f"{n} {label}" for n, label in enumerate(promise.parts, 1)) if promise.parts else "它不分部分，请删去 part"
            out.add(e.path, e.line, f"承诺 {e.commitment} 没有第 {e.part} 部分；{have}")
            continue
        key = (e.commitment, e.report, str(e.part))
        if key in seen:
            out.add(e.path, e.line, f"与第 {seen[key]} 行回应同一项承诺（的同一部分）；一份报告对一项承诺只记一条回应，请合并")
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
    part: int = 0  # the part of the promise it speaks of, from 1; 0 all


@dataclass(frozen=True)
class Part:
    """One of the things a promise with parts commits to, judged on its own."""

    label: str
    status: str  # one of STATUSES
    reason: str
    steps: tuple[Step, ...] = ()


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
    parts: tuple[Part, ...] = ()  # a promise of several things: each judged on its own; its status sums them


@dataclass(frozen=True)
class Tracker:
    all: list[Tracked] = field(default_factory=list)  # plans by date, each plan's promises in file order
    set_by: dict[str, list[Tracked]] = field(default_factory=dict)  # plan src → its promises
    answered_by: dict[str, list[tuple[Tracked, Step]]] = field(default_factory=dict)  # report src → what it answers
    of_target: dict[Figure, Tracked] = field(default_factory=dict)  # a numeric target → its place on the tracker


def answering(plan: Report, period: Period, later: Sequence[Report]) -> tuple[list[Report], bool]:
    """The reports of ``later`` (the issuer's, by date) that review a promise's period: each after the plan whose
    review reaches into the period, up to the first that reviews its end; and whether that one has come. These
    are the reports a promise is searched in: one that says nothing of it says so only once all are searched."""
    found = []
    for r in later[bisect_right(later, plan.date, key=lambda x: x.date):]:
        if r.kind in FORWARD_ONLY:
            continue  # a work plan looks ahead: it reviews nothing, so its silence says nothing
        reviewed = Timing(r.period, r.kind, r.date).review
        if reviewed.end < period.start:
            continue
        found.append(r)
        if reviewed.end >= period.end:
            return found, True
    return found, False


def _unanswered(window: list[Report], complete: bool, looked: Callable[[Report], bool], issuer: str,
                period: Period, number: bool = False) -> tuple[str, str]:
    """A promise no answer speaks of: 未再提及 only when every report that reviews its period was searched for
    it and an editor decided what was found. A numeric target is 未给出结果 instead: a report whose figures were
    reviewed may still speak of it in words (居民消费价格保持较低水平)."""
    unchecked = [r for r in window if not looked(r)]
    if unchecked:
        return "unchecked", f"{'、'.join(r.title for r in unchecked[:2])}{'等' if len(unchecked) > 2 else ''}中对它的回应尚未核对"
    if not complete:
        before = f"；此前的 {len(window)} 份报告没有提到" if window else ""
        return "awaiting", f"还没有{issuer}回顾{period.label}的报告{before}；有了这样的报告并核对之后，才能判断"
    status, said = ("unreported", f"没有给出{period.label}的结果") if number else ("unmentioned", "没有提到")
    if len(window) == 1:
        return status, f"{issuer}回顾{period.label}的{window[0].title}{said}"
    return status, f"{issuer}回顾{period.label}的 {len(window)} 份报告都{said}"


def _steps(evidence: list[Evidence], reports: Mapping[str, Report]) -> dict[str, tuple[Step, ...]]:
    """Promise ref → the later words on it, oldest first."""
    dated: dict[str, list[tuple[str, Step]]] = defaultdict(list)
    for e in evidence:
        dated[e.commitment].append((reports[e.report].date, Step(e.report, e.quote, e.status, e.note, e.part)))
    return {ref: tuple(s for _, s in sorted(said, key=lambda ds: (ds[0], ds[1].report))) for ref, said in dated.items()}


def _by_issuer(reports: Iterable[Report]) -> dict[str, list[Report]]:
    """Issuer → its reports by date (as ``answering`` takes them)."""
    found: dict[str, list[Report]] = defaultdict(list)
    for r in sorted(reports, key=lambda r: (r.date, r.src)):
        found[r.bureau].append(r)
    return found


def _judged(said: tuple[Step, ...], absent: tuple[str, str], reports: Mapping[str, Report]) -> tuple[str, str]:
    """A promise's (or a part's) status and reason: from its later words, else what their absence may say."""
    if not said:
        return absent
    step = standing(said)
    return step.status, step.note or f"据{reports[step.report].title}（{reports[step.report].date}）"




def _summed(parts: tuple[Part, ...]) -> tuple[str, str]:
    """A promise with parts: all alike, their status; all done, 已完成; some done, 部分完成; else 推进中 or 未完成."""
    statuses = [p.status for p in parts]
    reason = f"共 {len(parts)} 部分，各自的判断见每一部分"
    if len(set(statuses)) == 1:
        return statuses[0], parts[0].reason if len(parts) == 1 else reason
    if set(statuses) <= {"kept", "nearly"}:
        return "kept", reason
    if any(s in ("kept", "nearly", "partly") for s in statuses):
        return "partly", reason
    return ("underway" if "underway" in statuses else "missed" if "missed" in statuses else statuses[0]), reason


def standing(steps: Sequence[Step]) -> Step:
    """The step a promise's status comes from: the latest, except that a later 推进中 says less than an earlier
    已完成 or 未完成 and does not overturn it."""
    current = steps[0]
    for step in steps[1:]:
        if not (step.status == "underway" and current.status in SETTLED):
            current = step
    return current


def tracker(promises: list[Promise], evidence: list[Evidence], targets: PlanIndex, reports: dict[str, Report],
            bureaus: dict[str, Bureau], indicators: dict[str, Indicator], anchors: dict[Figure, str],
            looks: Looks) -> Tracker:
    """Every promise (in words, and the numeric ``targets``) with its status and the later words behind it;
    ``looks``: which later reports were searched for which promises."""
    steps = _steps(evidence, reports)
    by_issuer = _by_issuer(reports.values())

    by_report: dict[str, list[Tracked]] = defaultdict(list)
    for p in promises:
        report = reports[p.report]
        issuer = bureaus[report.bureau].short_name
        said = steps.get(p.ref, ())
        window, complete = answering(report, p.period, by_issuer[report.bureau])
        absent = _unanswered(window, complete, partial(looks.looked, p.ref), issuer, p.period)
        parts = tuple(Part(label, *_judged(tuple(s for s in said if s.part in (0, n)), absent, reports),
                           tuple(s for s in said if s.part in (0, n)))
                      for n, label in enumerate(p.parts, 1))
        status, reason = _summed(parts) if parts else _judged(said, absent, reports)
        by_report[p.report].append(Tracked(f"promise-{p.id}", p.report, report.bureau, p.period, p.label, p.quote, status, reason,
                                           p.topic, said, p.ref, None, parts))
    for c in targets.all:
        report = reports[c.target.report]
        if c.status == "not-reported":
            window, complete = answering(report, c.target.period, by_issuer[report.bureau])
            status, reason = _unanswered(window, complete, looks.numbers_looked, bureaus[report.bureau].short_name,
                                         c.target.period, number=True)
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
            if item.target:
                found.of_target[item.target.target] = item
    return found


def to_search(promises: list[Promise], evidence: list[Evidence], reports: Sequence[Report], looks: Looks
              ) -> dict[str, list[Promise]]:
    """Report src → the earlier promises still to search it for: each promise not yet settled (已完成, 未完成),
    in every report that reviews its period and was never searched for it. ``reports``: the archive's, and a
    report being imported, so that it is searched for whatever it may answer whichever arrives first."""
    by_src = {r.src: r for r in reports}
    steps = _steps(evidence, by_src)
    by_issuer = _by_issuer(reports)
    found: dict[str, list[Promise]] = defaultdict(list)
    for p in promises:
        said = steps.get(p.ref, ())
        if said and standing(said).status in SETTLED:
            continue
        plan = by_src[p.report]
        for r in answering(plan, p.period, by_issuer[plan.bureau])[0]:
            if not looks.asked(p.ref, r):
                found[r.src].append(p)
    return found
