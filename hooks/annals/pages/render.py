"""Data in, Markdown/HTML out: every block the hooks put on a page.

Each function is pure: it receives what it shows (reports, figures, rows
picked from the archive by ``annals.pages.site``), ``Refs`` to name what those refer
to, and the ``Canvas`` of the page it is drawn on (its links and templates),
and returns text; none receives the archive. Strings from data files
and front matter are always escaped. Generated blocks carry ``annals-*`` class
names, documented in README, so a bureau can style them.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown.extensions.toc import nest_toc_tokens

from annals.archive.compare import Change, SeriesRow
from annals.data.anchors import number_positions
from annals.data.numbers import fmt
from annals.data.outline import outline_ids
from annals.data.plaintext import escape_md, heading_text, plain_line, plain_map
from annals.data.routes import (
    REPORTS_INDEX_SRC,
    SAID_SCRIPT,
    SAID_SRC,
    SEARCH_SCRIPT,
    SEARCH_SRC,
    bureau_src,
    download,
    indicator_data,
    indicator_src,
    year_src,
)
from annals.data.schema import Bureau, Figure, Indicator, Refs, Report
from annals.data.vocab import FIGURE_TYPES, KINDS, is_percent
from annals.judge.plan import ABOUT_POINTS, ABOUT_SHARE
from annals.judge.promises import TARGET_STATUSES, Tracked
from annals.pages.labels import LABELS, PROMISE_STATUS
from annals.pages.layout import Canvas, Layout

NOT_DISCLOSED = LABELS["not_disclosed"]
NO_EARLIER = LABELS["no_earlier"]
DASH = LABELS["none"]


# -------------------------------------------------------------------- links


def download_links(name: str, canvas: Canvas) -> dict[str, str]:
    """The addresses of a download of the open data, from a page (``name``: its path without suffix)."""
    return {kind: canvas.file(download(name, kind)) for kind in ("csv", "json")}


# ------------------------------------------------------------------ numbers


def value_text(fig: Figure) -> str:
    """The figure as stated, with its qualifier and basis: ``1000万人以上``, ``6.5%－7%``, ``1.9%（2013—2017年年均）``."""
    text = fig.stated
    if fig.qualifier and fig.qualifier not in ("区间", "控制在") and fig.qualifier not in fig.stated:
        text = fig.qualifier + text if fig.qualifier == "约" else text + fig.qualifier
    return f"{text}（{fig.basis}）" if fig.basis else text


def change_text(change: Change, unit: str) -> tuple[str, str]:
    """(change, change in percent) as shown in tables."""
    if change.status == "no-earlier":
        return NO_EARLIER, DASH
    if change.status == "not-disclosed":
        return NOT_DISCLOSED, DASH
    delta = change.delta
    assert delta is not None
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if is_percent(unit):
        return f"{sign}{fmt(abs(delta))}个百分点", DASH
    pct = change.percent
    pct_text = DASH if pct is None else f"{'+' if pct > 0 else ('−' if pct < 0 else '±')}{fmt(abs(round(pct, 1)))}%"
    return f"{sign}{fmt(abs(delta))}{unit}", pct_text


# ------------------------------------------------------------ report pages


def link_figures(body: str, figures: list[Figure], refs: Refs, canvas: Canvas) -> str:
    """Make each figure's number in the text a link to its indicator page, with its anchor.

    The link is HTML, not a Markdown link with attributes: those, ~20 a report,
    were a fifth of converting a report page; ``site.stash_blocks`` keeps it
    out of Markdown's way (Markdown still reads the number's own text).
    """
    lines = body.split("\n")
    owners: dict[int, list[tuple[int, int, Figure]]] = defaultdict(list)
    done: set[str] = set()
    plain = [plain_line(line) for line in lines]
    for fig, (line_no, start, end) in number_positions(plain, figures).items():
        if refs.anchors[fig] not in done:
            done.add(refs.anchors[fig])
            owners[line_no].append((start, end, fig))
    for line_no, items in owners.items():
        _plain, index = plain_map(lines[line_no])
        line = lines[line_no]
        for start, end, fig in sorted(items, key=lambda s: s[0], reverse=True):
            md_start, md_end = index[start], index[end - 1] + 1
            target = canvas.href(indicator_src(fig.indicator))
            title = escape(refs.indicators[fig.indicator].name)
            link = f'<a class="annals-fig" href="{target}" id="{refs.anchors[fig]}" title="{title}">{line[md_start:md_end]}</a>'
            line = line[:md_start] + link + line[md_end:]
        lines[line_no] = line
    return "\n".join(lines)


def report_header(report: Report, n_figures: int, refs: Refs, canvas: Canvas) -> str:
    """The facts above a report's text (template ``annals/report-header.html``)."""
    bureau, src = refs.bureaus[report.bureau], report.source

    def item(label: str, text: str, href: str | None = None, external: bool = False) -> dict[str, object]:
        return {"label": LABELS[label], "text": text, "href": href, "external": external}

    items = [
        item("bureau", bureau.name, canvas.href(bureau_src(bureau.id))),
        item("kind", KINDS[report.kind], canvas.href(year_src(report.year), "kind-" + report.kind)),
        item("period", report.period.label, canvas.href(year_src(report.year))),
        item("date", report.date),
    ]
    if src.get("number"):
        items.append(item("number", src["number"]))
    if src.get("url"):
        items.append(item("url", src["url"], src["url"], external=True))
    if n_figures:
        items.append(item("figures", LABELS["figures_count"].format(n=n_figures), "#annals-figures"))
    return canvas.render("report-header", items=items, note=src.get("note", ""))


def _cite(fig: Figure, refs: Refs, canvas: Canvas, *, source: bool = False, mark_undisclosed: bool = True) -> dict[str, object]:
    """A figure's value, linked to its sentence, as the templates show one: with its report's title if ``source``,
    with （未公开） after an undisclosed value if ``mark_undisclosed``."""
    return {"href": figure_href(fig, refs, canvas), "text": value_text(fig), "disclosed": fig.disclosed or not mark_undisclosed,
            "source": refs.report_of(fig).title if source else ""}


def figures_panel(figures: list[Figure], changes: Mapping[Figure, Change], refs: Refs, canvas: Canvas) -> str:
    """The table of a report's figures, each result beside the same period a year earlier (``changes``)."""
    rows = []
    for fig in figures:
        ind = refs.indicators[fig.indicator]
        row: dict[str, object] = {
            "css": "annals-target", "type": FIGURE_TYPES[fig.type], "period": fig.period.label, "earlier": None,
            "indicator": {"name": ind.name, "href": canvas.href(indicator_src(ind.id))},
            "value": {"href": f"#{refs.anchors[fig]}", "text": value_text(fig), "disclosed": fig.disclosed, "source": ""},
        }
        if fig.type == "result":
            change = changes[fig]
            row["css"] = f"annals-result annals-{change.status}"
            row["earlier"] = "" if change.earlier is None else {
                "href": canvas.href(change.earlier.report),
                "text": value_text(change.earlier), "disclosed": True, "source": ""}
            row["delta"], row["rate"] = change_text(change, ind.unit)
        rows.append(row)
    return f"## {LABELS['figures_heading']} {{: #annals-figures }}\n\n" + canvas.render("figures-panel", rows=rows)


@dataclass(frozen=True)
class ReportShown:
    """What a report's page shows besides its text, picked from the archive (annals.pages.site)."""

    figures: list[Figure]
    changes: Mapping[Figure, Change]  # each result's change from the same period a year earlier
    targets_set: list[Tracked]  # the targets it sets, with their outcomes
    targets_answered: list[Tracked]  # earlier targets its results answer
    neighbours: tuple[Report | None, Report | None]  # the issuer's report of the same kind before and after it
    promises: list[str]  # its promise sections (annals.pages.promise_pages.report_sections)


def report_page(body: str, report: Report, shown: ReportShown, refs: Refs, canvas: Canvas) -> str:
    """The whole Markdown of a report page: title, facts, linked text, figures panel, targets, promises, neighbours."""
    linked = link_figures(body, shown.figures, refs, canvas)
    parts = [report_header(report, len(shown.figures), refs, canvas), outline_ids(linked).strip()]
    if shown.figures:
        parts.append(figures_panel(shown.figures, shown.changes, refs, canvas))
    if shown.targets_set:
        parts.append("## 这些目标完成得怎样 {: #annals-plan }\n\n" + plan_table(shown.targets_set, refs, canvas))
    if shown.targets_answered:
        parts.append("## 本报告的结果对应的目标 {: #annals-answers }\n\n" + plan_table(shown.targets_answered, refs, canvas))
    parts.extend(shown.promises)
    if neighbours := report_neighbours(report, *shown.neighbours, refs, canvas):
        parts.append(neighbours)
    page = "\n\n".join(parts)
    items = outline(page, canvas.layout)  # under the title, before the facts
    return "\n\n".join([f"# {escape_md(report.title)}", *([items] if items else []), page]) + "\n"


def report_neighbours(report: Report, before: Report | None, after: Report | None, refs: Refs, canvas: Canvas) -> str:
    """上一份 / 下一份: the same issuer's reports of the same kind on either side ("" when it is the only one)."""
    if before is None and after is None:
        return ""

    def link(other: Report | None) -> dict[str, str] | None:
        return {"href": canvas.href(other.src), "title": other.title} if other else None

    series = f"{refs.bureaus[report.bureau].short_name}的{KINDS[report.kind]}"
    return canvas.render("report-neighbours", series=series, before=link(before), after=link(after))


def figure_href(fig: Figure, refs: Refs, canvas: Canvas) -> str:
    """Link to the number of a figure in its report's text."""
    return canvas.href(fig.report, refs.anchors[fig])


# ------------------------------------------------------ plan versus outcome



def plan_table(items: list[Tracked], refs: Refs, canvas: Canvas, *, indicator: bool = True) -> str:
    """Targets, each with the result later reported and whether it was met (class ``annals-plan``): the status and
    reason the tracker gives it."""
    rows = []
    for item in items:
        c = item.target
        assert c is not None, "a numeric target"
        ind = refs.indicators[c.target.indicator]
        rows.append({
            "status": item.status, "status_label": PROMISE_STATUS[item.status], "reason": item.reason, "period": c.target.period.label,
            "indicator": {"name": ind.name, "href": canvas.href(indicator_src(ind.id))},
            "target": _cite(c.target, refs, canvas, source=True),
            "restated": c.restated_by and {"date": refs.report_of(c.restated_by).date,
                                           "cite": _cite(c.restated_by, refs, canvas, mark_undisclosed=False)},
            "result": c.result and _cite(c.result, refs, canvas, source=True),
        })
    return canvas.render("plan-table", rows=rows, show_indicator=indicator)


def _status_counts(items: list[Tracked], canvas: Canvas) -> str:
    counts = [{"label": PROMISE_STATUS[status], "n": n} for status in TARGET_STATUSES if (n := sum(i.status == status for i in items))]
    return canvas.render("status-counts", total=len(items), counts=counts)


def targets_section(targets: list[Tracked], refs: Refs, canvas: Canvas) -> str:
    """Every numeric target with its result, by issuer, newest period first: the detail under the promise tracker."""
    out = ["## 数字目标的明细 {: #targets }"]
    by_bureau: dict[str, list[Tracked]] = defaultdict(list)
    for item in targets:
        by_bureau[item.bureau].append(item)
    order = {iid: n for n, iid in enumerate(refs.indicators)}
    for bureau in refs.bureaus.values():
        items = by_bureau.get(bureau.id)
        if not items:
            continue
        items = sorted(items, key=lambda i: (tuple(-k for k in i.period.sort_key), order[i.target.target.indicator if i.target else ""]))
        out.append(f"### {escape_md(bureau.name)} {{: #bureau-{bureau.id} }}")
        out.append(_status_counts(items, canvas) + "\n\n" + plan_table(items, refs, canvas))
    out.append(canvas.render("plan-hint", empty=not by_bureau, points=f"{ABOUT_POINTS:g}", share=f"{ABOUT_SHARE * 100:g}"))
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------- indicator pages


def _axis_ticks(values: list[float]) -> list[float]:
    """Three to six round ticks (1, 2, 2.5 or 5 times a power of ten) that span the values with room around
    them: the axis shows the changes, not from zero, and reads 6 / 7 / 8, not 5.58 / 6.85 / 8.12."""
    low, high = min(values), max(values)
    pad = (high - low) * 0.2 or abs(high) * 0.1 or 1.0
    low, high = (max(low - pad, 0.0) if low >= 0 else low - pad), high + pad
    magnitude = 10 ** math.floor(math.log10((high - low) / 4))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if (high - low) / (m * magnitude) <= 5)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [round(first + i * step, 10) for i in range(count + 1)]


# The drawing is narrow (CHART_WIDTH) and its text large (CHART_FONT, in its own units): scaled to a phone's
# 358 px column the labels stay at 11 px or more; on a wide screen the figure stops at 32rem.
CHART_WIDTH, CHART_FONT = 420, 14


def _svg_chart(indicator: Indicator, bureau_name: str, rows: list[SeriesRow], chart_id: str, canvas: Canvas) -> str:
    """A static line chart of results, targets beside them; readable without JavaScript (annals/chart.html).
    A series with one value is shown as that value, not as a chart with a meaningless axis."""
    points: list[tuple[int, float, str]] = []  # (column, value, kind)
    ranges: list[tuple[int, float, float]] = []
    for col, row in enumerate(rows):
        if row.result is not None and row.result.number is not None:
            points.append((col, row.result.number, "result"))
        for fig in row.targets[:1]:
            if isinstance(fig.value, tuple):
                ranges.append((col, fig.value[0] * fig.scale, fig.value[1] * fig.scale))
            elif fig.number is not None:
                points.append((col, fig.number, "target"))
    values = [v for _, v, _ in points] + [v for _, lo, hi in ranges for v in (lo, hi)]
    if not values:
        return ""
    desc = []
    for row in rows:
        bits = []
        if row.results:
            bits.append("结果 " + value_text(row.results[0]) + ("（未公开）" if not row.results[0].disclosed else ""))
        if row.targets:
            bits.append("目标 " + value_text(row.targets[0]))
        desc.append(f"{row.period.label}：" + "，".join(bits))
    title = f"{indicator.name}（{indicator.unit}）：{bureau_name}"
    if len(points) + len(ranges) == 1:
        return canvas.render("chart-single", title=title, text="；".join(d for d in desc if "：" in d and d[-1] != "："))
    ticks = _axis_ticks(values)
    lo, hi = ticks[0], ticks[-1]
    width, height, left, right, top, bottom = CHART_WIDTH, 250, 48, 10, 30, 34
    step = (width - left - right) / max(len(rows), 1)
    every = max(1, math.ceil(44 / step))  # a label needs ~44 units: with many years, every other one

    def x(col: int) -> str:
        return f"{left + step * (col + 0.5):.1f}"

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - lo) / (hi - lo))

    results = [(c, v) for c, v, k in points if k == "result"]
    marks: dict[int, list[tuple[float, float]]] = defaultdict(list)  # column → the vertical extents of its target marks
    for col, value, kind in points:
        if kind == "target":
            marks[col].append((y(value) - 6, y(value) + 6))
    for col, low, high in ranges:
        marks[col].append((y(high), y(low)))

    def label_at(col: int, value: float) -> dict[str, str]:
        """Where a result's value goes: above its point, else below, else beside it, wherever no target mark
        of its column is (7.4 under a 7.5左右 marker; 6.7 inside a 6.5%－7% band)."""
        def clear(top: float, bottom: float) -> bool:
            return all(b < top or t > bottom for t, b in marks[col])

        point = y(value)
        if clear(point - 11 - CHART_FONT, point - 5):
            return {"x": x(col), "y": f"{point - 11:.1f}", "anchor": "middle"}
        if clear(point + 5, point + CHART_FONT + 7):
            return {"x": x(col), "y": f"{point + CHART_FONT + 7:.1f}", "anchor": "middle"}
        return {"x": f"{float(x(col)) + 10:.1f}", "y": f"{point + 5:.1f}", "anchor": "start"}

    return canvas.render(
        "chart", id=chart_id, width=width, height=height, font=CHART_FONT, title=title, desc="；".join(desc) + "。",
        unit={"x": 4, "y": 16, "text": f"单位：{indicator.unit}"},
        axis={"x1": left, "x2": width - right, "y": f"{y(lo):.1f}"},
        ticks=[{"x": left - 6, "y": f"{y(t) + 5:.1f}", "text": fmt(t)} for t in ticks],
        labels_x=[{"x": x(col), "y": height - 10, "text": str(row.period.year) if row.period.part == "Y" else row.period.label}
                  for col, row in enumerate(rows) if col % every == 0 or col == len(rows) - 1],
        ranges=[{"x": f"{float(x(col)) - 7:.1f}", "y": f"{y(high):.1f}", "height": f"{max(y(low) - y(high), 2):.1f}"} for col, low, high in ranges],
        line=" ".join(f"{x(c)},{y(v):.1f}" for c, v in results) if len(results) > 1 else "",
        points=[{"css": "annals-point" if kind == "result" else "annals-target-point", "x": x(col), "y": f"{y(value):.1f}",
                 "value": fmt(round(value, 2)) if kind == "result" else "", "label": label_at(col, value)}
                for col, value, kind in sorted(points, key=lambda p: p[2] == "result")],  # results drawn last, on top
    )


@dataclass(frozen=True)
class IssuerSeries:
    """One issuer's figures for an indicator: every period with its results and targets, and its targets' outcomes."""

    bureau: Bureau
    rows: list[SeriesRow]  # oldest first
    targets: list[Tracked]


def indicator_page(indicator: Indicator, issuers: list[IssuerSeries], refs: Refs, canvas: Canvas) -> str:
    """An indicator's page: what it measures, then for each issuer that states it a chart, the year-on-year
    table, its targets' outcomes and every sentence quoted."""
    direction = {True: "数值越高越好", False: "数值越低越好", None: "高低无好坏之分"}[indicator.higher_is_better]
    out = [f"# {escape_md(indicator.name)}", canvas.render(
        "indicator-meta", unit=indicator.unit, group=indicator.group, direction=direction, id=indicator.id,
        definition=indicator.definition, downloads=download_links(indicator_data(indicator.id), canvas) if issuers else None)]
    for issuer in issuers:
        bureau = issuer.bureau
        out.append(f"## {escape_md(bureau.name)} {{: #bureau-{bureau.id} }}")
        chart = _svg_chart(indicator, bureau.name, issuer.rows, f"chart-{indicator.id}-{bureau.id}", canvas)
        if chart:
            out.append(chart)
        out.append(_compare_table(indicator, issuer.rows, refs, canvas))
        if issuer.targets:
            newest_first = sorted(issuer.targets, key=lambda i: i.period.sort_key, reverse=True)
            out.append(f"### 目标完成情况 {{: #plan-{bureau.id} }}\n\n" + plan_table(newest_first, refs, canvas, indicator=False))
        out.append(_quotes(issuer.rows, refs, canvas))
    return "\n\n".join(out) + "\n"


def _compare_table(indicator: Indicator, rows: list[SeriesRow], refs: Refs, canvas: Canvas) -> str:
    view = []
    for row in rows:
        delta, rate = change_text(row.change, indicator.unit) if row.change else (DASH, DASH)
        view.append({"period": row.period.label, "delta": delta, "rate": rate,
                     "targets": [_cite(t, refs, canvas, mark_undisclosed=False) for t in row.targets],
                     "results": [_cite(r, refs, canvas) for r in row.results]})
    return canvas.render("compare-table", rows=view)


def _quotes(rows: list[SeriesRow], refs: Refs, canvas: Canvas) -> str:
    items = []
    for row in rows:
        for fig in row.targets + row.results:
            report = refs.report_of(fig)
            items.append({"period": row.period.label, "type": FIGURE_TYPES[fig.type], "href": figure_href(fig, refs, canvas), "quote": fig.quote,
                          "report": {"href": canvas.href(report.src), "title": report.title}})
    return canvas.render("quotes", items=items)


# ------------------------------------------------------------- index pages


def _report_list(reports: list[Report], refs: Refs, canvas: Canvas, css: str = "") -> str:
    return canvas.render("report-list", items=_report_items(reports, refs, canvas), css=css)


def _report_items(reports: list[Report], refs: Refs, canvas: Canvas) -> list[dict[str, object]]:
    """What a list of reports shows of each: its title, linked, and issuer, kind, period and date."""
    items: list[dict[str, object]] = []
    for report in reports:
        facts = [refs.bureaus[report.bureau].short_name, KINDS[report.kind], report.period.label]
        if len(report.date) > 4:  # a bare year says nothing the period does not
            facts.append(report.date)
        items.append({"href": canvas.href(report.src), "title": report.title, "facts": facts})
    return items


def _by_date(reports: Iterable[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.date, r.src), reverse=True)


def year_page(year: int, reports: list[Report], results: Mapping[Figure, Change], refs: Refs, canvas: Canvas) -> str:
    """A year's page: its reports by kind, then the results stated for its periods (``results``, each with its change)."""
    out = [f"# {year}年", canvas.render("page-intro", note="", count=f"{year}年共 {len(reports)} 份报告。")]
    for kind, label in KINDS.items():
        of_kind = [r for r in reports if r.kind == kind]
        if of_kind:
            out.append(f"## {label} {{: #kind-{kind} }}\n\n" + _report_list(_by_date(of_kind), refs, canvas))
    in_order = sorted(
        results, key=lambda f: (refs.indicators[f.indicator].group, f.indicator, refs.report_of(f).bureau, f.period.sort_key))
    if in_order:
        rows = []
        for fig in in_order:
            ind = refs.indicators[fig.indicator]
            delta, _ = change_text(results[fig], ind.unit)
            rows.append({"indicator": {"name": ind.name, "href": canvas.href(indicator_src(ind.id))},
                         "bureau": refs.bureaus[refs.report_of(fig).bureau].short_name, "period": fig.period.label,
                         "value": _cite(fig, refs, canvas, mark_undisclosed=False), "delta": delta})
        out.append("## 本年数据 {: #annals-year-figures }\n\n" + canvas.render("year-figures", rows=rows))
    return "\n\n".join(out) + "\n"


def bureau_page(bureau: Bureau, reports: list[Report], indicators: list[Indicator], refs: Refs, canvas: Canvas) -> str:
    """An issuer's page: its reports by year, then the indicators it states."""
    out = [f"# {escape_md(bureau.name)}", canvas.render("page-intro", note=bureau.note, count=f"共 {len(reports)} 份报告。")]
    for year in sorted({r.year for r in reports}, reverse=True):
        out.append(f'## <a href="{canvas.href(year_src(year))}">{year}年</a> {{: #year-{year} }}\n\n'
                   + _report_list(_by_date(r for r in reports if r.year == year), refs, canvas))
    if indicators:
        items = [{"href": canvas.href(indicator_src(ind.id), "bureau-" + bureau.id), "name": ind.name, "count": None}
                 for ind in sorted(indicators, key=lambda ind: ind.id)]
        out.append("## 指标 {: #annals-bureau-indicators }\n\n" + canvas.render("indicator-list", items=items))
    return "\n\n".join(out) + "\n"


def archive_index(reports: Collection[Report], per_year: int, refs: Refs, canvas: Canvas) -> str:
    """Every year (its newest ``per_year`` reports listed), every kind by year, every issuer."""
    years = sorted({r.year for r in reports}, reverse=True)
    by_year: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_year[report.year].append(report)
    kinds = []
    for kind, label in KINDS.items():
        kind_years = [y for y in years if any(r.year == y and r.kind == kind for r in reports)]
        if kind_years:
            kinds.append({"label": label, "years": [{"href": canvas.href(year_src(y), "kind-" + kind), "year": y} for y in kind_years]})
    return canvas.render(
        "archive-index", kinds=kinds,
        years=[{"href": canvas.href(year_src(y)), "year": y, "count": len(by_year[y]), "more": len(by_year[y]) > per_year,
                "reports": _report_items(_by_date(by_year[y])[:per_year], refs, canvas)} for y in years],
        bureaus=[{"href": canvas.href(bureau_src(b.id)), "name": b.name, "count": n}
                 for b in refs.bureaus.values() if (n := sum(r.bureau == b.id for r in reports))],
    )


def latest_reports(reports: Iterable[Report], refs: Refs, canvas: Canvas, count: int = 8) -> str:
    return _report_list(_by_date(reports)[:count], refs, canvas, "annals-latest")


def headline_indicators(latest: list[tuple[Indicator, str, SeriesRow]], refs: Refs, canvas: Canvas) -> str:
    """The latest result of each headline indicator, by issuer (indicator, issuer, its last row with a result), with its change."""
    cards = []
    for ind, bureau_id, last in latest:
        assert last.change is not None and last.result is not None
        delta, _ = change_text(last.change, ind.unit)
        cards.append({"href": canvas.href(indicator_src(ind.id), "bureau-" + bureau_id), "name": ind.name,
                      "value": value_text(last.result), "period": last.period.label,
                      "bureau": refs.bureaus[bureau_id].short_name, "delta": delta})
    return canvas.render("headlines", cards=cards)


def indicators_index(counts: Mapping[str, int], refs: Refs, canvas: Canvas) -> str:
    """Every indicator by group, with how many figures state it (``counts``)."""
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for ind in refs.indicators.values():
        groups[ind.group].append({"href": canvas.href(indicator_src(ind.id)), "name": ind.name, "unit": ind.unit, "count": counts.get(ind.id, 0)})
    return canvas.render("indicators-index", groups=[{"name": name, "indicators": items} for name, items in groups.items()])


def _filters(reports: Iterable[Report], refs: Refs) -> dict[str, list[str]]:
    """What the reports can be filtered by: the kinds and the issuers they have, in the catalogue's order."""
    kinds, bureaus = set(), set()
    for r in reports:
        kinds.add(r.kind)
        bureaus.add(r.bureau)
    return {"kinds": [KINDS[k] for k in KINDS if k in kinds], "issuers": [b.name for b in refs.bureaus.values() if b.id in bureaus]}


def search_page(reports: Collection[Report], wordings: Sequence[Sequence[str]], refs: Refs, canvas: Canvas) -> str:
    """The search page (annals/search-form.html), with the reports' own years, kinds and issuers to filter by."""
    return "# 搜索\n\n" + canvas.render(
        "search-form", action=canvas.href(canvas.src), browse=canvas.href(REPORTS_INDEX_SRC),
        said=canvas.href(SAID_SRC), script=canvas.file(SEARCH_SCRIPT),
        years=[str(y) for y in years_of(reports)[::-1]], wordings=_wordings_json(wordings), **_filters(reports, refs),
    ) + "\n"


def said_page(reports: Collection[Report], wordings: Sequence[Sequence[str]], refs: Refs, canvas: Canvas) -> str:
    """历年说法 (annals/said-form.html): a term's passages by year and issuer, found in the browser; the page holds how
    many reports each issuer has each year, so that a year's count reads against what there was to say it in."""
    counts: dict[str, dict[str, int]] = {}
    for r in sorted(reports, key=lambda r: (-r.year, r.bureau)):
        by_issuer = counts.setdefault(str(r.year), {})
        name = refs.bureaus[r.bureau].name
        by_issuer[name] = by_issuer.get(name, 0) + 1
    return "# 历年说法\n\n" + canvas.render(
        "said-form", action=canvas.href(canvas.src), search=canvas.href(SEARCH_SRC),
        script=canvas.file(SAID_SCRIPT), counts=json.dumps(counts, ensure_ascii=False, separators=(",", ":")),
        wordings=_wordings_json(wordings),
        **_filters(reports, refs),
    ) + "\n"


def _wordings_json(wordings: Sequence[Sequence[str]]) -> str:
    return json.dumps([list(g) for g in wordings], ensure_ascii=False, separators=(",", ":"))


def years_of(reports: Iterable[Report]) -> list[int]:
    return sorted({r.year for r in reports})


__all__ = [
    "archive_index",
    "bureau_page",
    "targets_section",
    "headline_indicators",
    "indicator_page",
    "indicators_index",
    "latest_reports",
    "report_page",
    "said_page",
    "search_page",
    "year_page",
    "years_of",
]


_PAGE_HEADING = re.compile(r"^(#{2,6})[ \t]+(.*?)[ \t]*\{: #([^\s}]+) \}[ \t]*$", re.M)


def outline(page: str, layout: Layout) -> str:
    """A report page's headings, two levels, as a folded list ("" when it has none): its outline one tap away
    on a phone, where Material hides the table of contents. From the page's Markdown, whose headings all
    carry their ids, nested as Python-Markdown's table of contents nests them: the same in every engine."""
    tokens: list[Any] = [{"level": len(m[1]), "id": m[3], "name": heading_text(m[2])} for m in _PAGE_HEADING.finditer(page)]

    def entry(token: Any) -> dict[str, Any]:
        return {"title": token["name"], "href": "#" + token["id"], "children": []}  # the layout escapes them

    items = [entry(top) | {"children": [entry(c) for c in top["children"]]} for top in nest_toc_tokens(tokens)]
    return layout.render("outline", items=items) if items else ""
