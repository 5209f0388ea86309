"""The promise tracker's pages and a report page's promise sections: data in, HTML out.

The tracker (``commitments.md``) shows every promise of every plan, in words or a number, on one scale:
a bar of statuses per issuer and per plan, then each promise with its latest word; each issuer has a page
of its own promises (``commitments/issuer/<id>.md``). A filter (status, issuer, year, topic) is an anchor of
the list that the page's CSS answers (``#annals-f-status-kept:target`` hides the rest), so filters work
without JavaScript and no promise is written twice; with it (assets/annals-promises.js) they combine. A
promise's timeline is on its plan's report page, under 这份计划的承诺后来怎样; a later report lists what
it answers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import quote as url_quote

from annals.data.outline import section_lines
from annals.data.plaintext import escape_md
from annals.data.routes import PLAN_SRC, PROMISES_SCRIPT, bureau_src, indicator_src, issuer_src
from annals.data.schema import Refs, Report
from annals.judge.promises import STATUSES, Part, Step, Tracked
from annals.pages.labels import PROMISE_STATUS
from annals.pages.layout import Canvas
from annals.pages.render import targets_section

DIMENSIONS = {"status": "完成情况", "issuer": "发布机关", "year": "承诺年份", "topic": "领域"}
_LANDING_CHARS = 40  # of a quote in a link that lands on it (?hl=): enough to be found once, short enough to share


def values_of(item: Tracked) -> dict[str, str]:
    """What an item is filtered by, as the filters name it."""
    return {"status": item.status, "issuer": item.bureau, "year": str(item.period.year), "topic": item.topic}


def issuer_pages(items: list[Tracked]) -> dict[str, str]:
    """Source path → marker of the page of each issuer that has promises."""
    return {issuer_src(b): f"<!-- annals:promises {b} -->\n" for b in dict.fromkeys(i.bureau for i in items)}


def landing(report: Report, quote: str) -> str:
    """What follows a report page's address to land on a quote: the words to mark, and the section they are in."""
    found = report.find_quote(quote)
    anchor = section_lines(report.src, report.body)[found[0]] if found else ""
    return f"?hl={url_quote(quote[:_LANDING_CHARS])}" + (f"#{anchor}" if anchor else "")


def sentence_href(report: Report, quote: str, canvas: Canvas) -> str:
    """A link to a quote's sentence in its report's page: its section, marked by the landing script."""
    return canvas.href(report.src) + landing(report, quote)


def _step(step: Step, refs: Refs, canvas: Canvas, parts: tuple[Part, ...] = ()) -> dict[str, object]:
    report = refs.reports[step.report]
    return {"date": report.date, "title": report.title, "href": canvas.href(report.src), "quote": step.quote,
            "quote_href": sentence_href(report, step.quote, canvas), "status": step.status,
            "status_label": PROMISE_STATUS[step.status], "note": step.note,
            "part": parts[step.part - 1].label if step.part else ""}


def _item(item: Tracked, refs: Refs, canvas: Canvas) -> dict[str, object]:
    plan = refs.reports[item.report]
    # A promise in words has its timeline on its plan's page; a target, on its indicator's page with the other years'.
    timeline = canvas.href(plan.src, item.anchor) if item.target is None else \
        canvas.href(indicator_src(item.target.target.indicator), f"plan-{item.bureau}")
    return {
        "anchor": item.anchor, "href": canvas.href(plan.src, item.anchor), "timeline": timeline,
        "words": item.target is None, "status": item.status, "status_label": PROMISE_STATUS[item.status], "label": item.label,
        "period": item.period.label, "quote": item.quote, "quote_href": sentence_href(plan, item.quote, canvas),
        "reason": item.reason, "topic": item.topic, "filters": values_of(item),
        "issuer": refs.bureaus[item.bureau].short_name,
        "plan": {"title": plan.title, "date": plan.date, "href": canvas.href(plan.src)},
        "steps": [_step(s, refs, canvas, item.parts) for s in item.steps],
        "parts": [{"label": p.label, "status": p.status, "status_label": PROMISE_STATUS[p.status], "reason": p.reason} for p in item.parts],
    }


def _bar(name: str, href: str, items: list[Tracked]) -> dict[str, object]:
    counts = {status: sum(i.status == status for i in items) for status in STATUSES}
    return {"name": name, "href": href, "total": len(items), "segments": [
        {"status": s, "label": PROMISE_STATUS[s], "n": n, "share": f"{100 * n / len(items):.2f}"} for s, n in counts.items() if n]}


def _section_of(items: list[Tracked]) -> str:
    """Where a plan's page shows its promises: with its promises in words, else with its targets."""
    return "annals-promises" if any(i.target is None for i in items) else "annals-plan"


def _groups(items: list[Tracked], refs: Refs, canvas: Canvas, listed: bool) -> list[dict[str, Any]]:
    """Items by issuer (catalogue order), then plan (newest first); without the items unless ``listed``."""
    by: dict[str, dict[str, list[Tracked]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        by[item.bureau][item.report].append(item)
    groups: list[dict[str, Any]] = []
    reports = refs.reports
    for bureau in refs.bureaus.values():
        plans = by.get(bureau.id)
        if not plans:
            continue
        order = sorted(plans, key=lambda s: (reports[s].date, s), reverse=True)
        groups.append({
            "id": f"issuer-{bureau.id}", "name": bureau.name, "href": canvas.href(bureau_src(bureau.id)),
            "page": canvas.href(issuer_src(bureau.id)),
            "bar": _bar("", "", [i for s in order for i in plans[s]]),
            "plans": [{"title": reports[s].title, "href": canvas.href(s, _section_of(plans[s])), "bar": _bar("", "", plans[s]),
                       "date": reports[s].date, "items": [_item(i, refs, canvas) for i in plans[s]] if listed else []}
                      for s in order],
        })
    return groups


def _filters(items: list[Tracked], refs: Refs, canvas: Canvas, listed: bool, issuer: str | None) -> list[dict[str, Any]]:
    """Every value of each dimension among ``items``, with how many it has and where choosing it goes: an anchor
    of the list (``listed``: CSS shows what it names, without JavaScript), else an issuer's page."""
    counts: dict[str, dict[str, int]] = {d: defaultdict(int) for d in DIMENSIONS if not (issuer and d == "issuer")}
    for item in items:
        for dimension, value in values_of(item).items():
            if value and dimension in counts:
                counts[dimension][value] += 1

    def name(dimension: str, value: str) -> str:
        if dimension == "status":
            return PROMISE_STATUS[value]
        if dimension == "issuer":
            return refs.bureaus[value].short_name
        return f"{value}年" if dimension == "year" else value

    order = {"status": list(STATUSES), "issuer": list(refs.bureaus)}
    out: list[dict[str, Any]] = []
    for dimension, values in counts.items():
        ranked = sorted(values, key=order[dimension].index) if dimension in order else sorted(values, reverse=dimension == "year")
        out.append({"dimension": dimension, "label": DIMENSIONS[dimension], "values": [
            {"value": v, "name": name(dimension, v), "n": values[v], "target": f"annals-f-{dimension}-{v}",
             "href": f"#annals-f-{dimension}-{v}" if listed else canvas.href(issuer_src(v))} for v in ranked]})
    return out if listed else [d for d in out if d["dimension"] == "issuer"]


def tracker_page(items: list[Tracked], targets: list[Tracked], list_most: int, refs: Refs, canvas: Canvas,
                 issuer: str | None = None) -> str:
    """The tracker of ``items`` (every promise; listed on the page up to ``list_most``) with the detail of the
    numeric ``targets``, or (``issuer``) the page of one issuer's promises."""
    listed = issuer is not None or len(items) <= list_most
    title = "承诺追踪" if issuer is None else f"承诺追踪：{escape_md(refs.bureaus[issuer].name)}"
    return f"# {title}\n\n" + canvas.render(
        "promise-tracker", all_href=canvas.href(PLAN_SRC), issuer=bool(issuer), listed=listed, most=list_most,
        total=len(items), overall=_bar("", "", items) if items else None, filters=_filters(items, refs, canvas, listed, issuer),
        groups=_groups(items, refs, canvas, listed), script=canvas.file(PROMISES_SCRIPT),
    ) + "\n\n" + ("" if issuer else targets_section(targets, refs, canvas))


def summary(items: list[Tracked], canvas: Canvas) -> str:
    """The archive's promises as one bar, linked to the tracker (the home page's ``<!-- annals:promises-summary -->``)."""
    return canvas.render("promise-bar", bar=_bar("全部承诺", canvas.href(PLAN_SRC), items)) if items else ""


def report_sections(set_here: list[Tracked], answered: list[tuple[Tracked, Step]], refs: Refs, canvas: Canvas) -> list[str]:
    """A report page's 这份计划的承诺后来怎样 (the promises in words it sets, each with its timeline) and
    本报告回应了哪些承诺 (the earlier promises in words it answers)."""
    parts = []
    words = [i for i in set_here if i.target is None]
    if words:
        parts.append("## 这份计划的承诺后来怎样 {: #annals-promises }\n\n" + canvas.render(
            "promise-timelines", bar=_bar("", "", words), items=[_item(i, refs, canvas) for i in words],
            tracker=canvas.href(PLAN_SRC)))
    answered = [(i, s) for i, s in answered if i.target is None]
    if answered:
        rows = [{"promise": _item(item, refs, canvas), "step": _step(step, refs, canvas, item.parts)} for item, step in answered]
        parts.append("## 本报告回应了哪些承诺 {: #annals-responses }\n\n" + canvas.render("promise-answers", rows=rows))
    return parts
