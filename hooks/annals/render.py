"""Data in, Markdown/HTML out: every block the hooks put on a page.

Each function is pure: it takes the archive (or parts of it) and the page's
source path (to make relative links) and returns text. Strings from data files
and front matter are always escaped. Generated blocks carry ``annals-*`` class
names, documented in README, so a bureau can style them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape

from .compare import Change, SeriesRow, change_of, series
from .labels import LABELS
from .links import Links
from .model import Archive, Figure, Indicator, Report, number_positions, plain_line, plain_map
from .numbers import fmt
from .plan import ABOUT_POINTS, ABOUT_SHARE, STATUSES, Commitment
from .textprep import escape_md
from .vocab import FIGURE_TYPES, KINDS, is_percent

NOT_DISCLOSED = LABELS["not_disclosed"]
NO_EARLIER = LABELS["no_earlier"]
DASH = LABELS["none"]


# -------------------------------------------------------------------- links


def indicator_src(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


SEARCH_SRC = "search.md"
PLAN_SRC = "commitments.md"
OPEN_DATA = "opendata"  # the folder of the downloads in the site
OPEN_DATA_SRC = f"{OPEN_DATA}/index.md"


def download_links(from_src: str, name: str, links: Links) -> str:
    """``CSV · JSON`` links from a page to a download of the open data (``name``: its path without suffix)."""
    csv, json = (links.file(from_src, f"{OPEN_DATA}/{name}.{kind}") for kind in ("csv", "json"))
    return f'<a href="{csv}" download>CSV</a> · <a href="{json}" download>JSON</a>'


def year_src(year: int) -> str:
    return f"reports/{year}/index.md"


def bureau_src(bureau_id: str) -> str:
    return f"bureaus/{bureau_id}.md"


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


def link_figures(body: str, report: Report, figures: list[Figure], anchors: dict[Figure, str], indicators: dict[str, Indicator],
                 links: Links) -> str:
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
        if anchors[fig] not in done:
            done.add(anchors[fig])
            owners[line_no].append((start, end, fig))
    for line_no, items in owners.items():
        _plain, index = plain_map(lines[line_no])
        line = lines[line_no]
        for start, end, fig in sorted(items, key=lambda s: s[0], reverse=True):
            md_start, md_end = index[start], index[end - 1] + 1
            target = links.href(report.src, indicator_src(fig.indicator))
            title = escape(indicators[fig.indicator].name)
            link = f'<a class="annals-fig" href="{target}" id="{anchors[fig]}" title="{title}">{line[md_start:md_end]}</a>'
            line = line[:md_start] + link + line[md_end:]
        lines[line_no] = line
    return "\n".join(lines)


HEADING_LINE = re.compile(r"^(#{2,6})\s+(.*?)\s*$")


def outline_ids(body: str) -> str:
    """Give each heading of a report an id from its place in the outline.

    ``## 一、…`` gets ``s1``, the ``### （二）…`` under it ``s1-2``: short,
    shareable, and stable because a report's text never changes.
    """
    counters: list[int] = []
    out = []
    for line in body.split("\n"):
        m = HEADING_LINE.match(line)
        if m and not m.group(2).endswith("}"):
            depth = len(m.group(1)) - 1
            counters = counters[:depth] + [0] * (depth - len(counters))
            counters[depth - 1] += 1
            line = f"{line.rstrip()} {{: #s{'-'.join(str(c) for c in counters)} }}"
        out.append(line)
    return "\n".join(out)


def report_header(report: Report, archive: Archive, n_figures: int) -> str:
    """The facts above a report's text (template ``annals/report-header.html``)."""
    bureau, links, src = archive.bureaus[report.bureau], archive.links, report.source

    def item(label: str, text: str, href: str | None = None, external: bool = False) -> dict[str, object]:
        return {"label": LABELS[label], "text": text, "href": href, "external": external}

    items = [
        item("bureau", bureau.name, links.href(report.src, bureau_src(bureau.id))),
        item("kind", KINDS[report.kind], links.href(report.src, year_src(report.year), "kind-" + report.kind)),
        item("period", report.period.label, links.href(report.src, year_src(report.year))),
        item("date", report.date),
    ]
    if src.get("number"):
        items.append(item("number", src["number"]))
    if src.get("url"):
        items.append(item("url", src["url"], src["url"], external=True))
    if src.get("file"):
        items.append(item("file", src["file"]))
    if n_figures:
        items.append(item("figures", LABELS["figures_count"].format(n=n_figures), "#annals-figures"))
    return archive.layout.render("report-header", items=items, note=src.get("note", ""))


def _cite(src: str, fig: Figure, archive: Archive, *, source: bool = False) -> dict[str, object]:
    """A figure's value, linked to its sentence (annals/_cite.html); with the title of its report if ``source``."""
    return {"href": figure_href(src, fig, archive), "text": value_text(fig), "disclosed": fig.disclosed,
            "source": archive.report_of(fig).title if source else ""}


def figures_panel(report: Report, figures: list[Figure], anchors: dict[Figure, str], archive: Archive) -> str:
    """The table of a report's figures, each result beside the same period a year earlier."""
    rows = []
    for fig in figures:
        ind = archive.indicators[fig.indicator]
        row: dict[str, object] = {
            "css": "annals-target", "type": FIGURE_TYPES[fig.type], "period": fig.period.label, "earlier": None,
            "indicator": {"name": ind.name, "href": archive.links.href(report.src, indicator_src(ind.id))},
            "value": {"href": f"#{anchors[fig]}", "text": value_text(fig), "disclosed": fig.disclosed, "source": ""},
        }
        if fig.type == "result":
            change = change_of(fig, report.bureau, archive)
            row["css"] = f"annals-result annals-{change.status}"
            row["earlier"] = "" if change.earlier is None else {
                "href": archive.links.href(report.src, archive.report_of(change.earlier).src),
                "text": value_text(change.earlier), "disclosed": True, "source": ""}
            row["delta"], row["rate"] = change_text(change, ind.unit)
        rows.append(row)
    return f"## {LABELS['figures_heading']} {{: #annals-figures }}\n\n" + archive.layout.render("figures-panel", rows=rows)


def report_page(body: str, report: Report, archive: Archive) -> str:
    """The whole Markdown of a report page: title, facts, linked text, figures panel."""
    figures = archive.figures_of(report.src)
    anchors = archive.anchors
    linked = link_figures(body, report, figures, anchors, archive.indicators, archive.links)
    parts = [f"# {escape_md(report.title)}", report_header(report, archive, len(figures)), outline_ids(linked).strip()]
    if figures:
        parts.append(figures_panel(report, figures, anchors, archive))
    set_here = archive.plan.set_by.get(report.src)
    if set_here:
        parts.append("## 这些目标完成得怎样 {: #annals-plan }\n\n" + plan_table(report.src, set_here, archive))
    answered = archive.plan.answered_by.get(report.src)
    if answered:
        parts.append("## 本报告的结果对应的目标 {: #annals-answers }\n\n" + plan_table(report.src, answered, archive))
    return "\n\n".join(parts) + "\n"


def figure_href(from_src: str, fig: Figure, archive: Archive) -> str:
    """Link to the number of a figure in its report's text."""
    return archive.links.href(from_src, fig.report, archive.anchors[fig])


# ------------------------------------------------------ plan versus outcome

PLAN_HINT = (
    '<p class="annals-hint">目标与其时期的结果对照：同一发布机关、同一指标、同一时期、同一口径。'
    "“以上”“不低于”含本数，“超过”“突破”不含；“以内”“以下”“不超过”“控制在”含本数。"
    f"“左右”“约”：结果在不利的一侧相差不超过 {ABOUT_POINTS:g} 个百分点（百分比指标）"
    f"或目标值的 {ABOUT_SHARE * 100:g}%（其他指标）为基本完成；在有利的一侧为已完成。"
    "哪一侧有利由指标决定（增长越高越好，物价涨幅越低越好）。</p>"
)


def plan_table(src: str, items: list[Commitment], archive: Archive, *, indicator: bool = True) -> str:
    """Targets, each with the result later reported and whether it was met (class ``annals-plan``)."""
    rows = []
    for c in items:
        ind = archive.indicators[c.target.indicator]
        rows.append({
            "status": c.status, "status_label": STATUSES[c.status], "reason": c.reason, "period": c.target.period.label,
            "indicator": {"name": ind.name, "href": archive.links.href(src, indicator_src(ind.id))},
            "target": _cite(src, c.target, archive, source=True),
            "restated": c.restated_by and {"date": archive.report_of(c.restated_by).date,
                                           "cite": _cite(src, c.restated_by, archive) | {"disclosed": True}},
            "result": c.result and _cite(src, c.result, archive, source=True),
        })
    return archive.layout.render("plan-table", rows=rows, show_indicator=indicator)


def _status_counts(items: list[Commitment]) -> str:
    counts = [f"{label} {n}" for status, label in STATUSES.items() if (n := sum(c.status == status for c in items))]
    return f'<p class="annals-count">共 {len(items)} 项目标：{"，".join(counts)}。</p>'


def commitments_page(archive: Archive) -> str:
    """Every target of the archive, by issuer, newest period first."""
    out = ["# 目标与完成情况"]
    by_bureau: dict[str, list[Commitment]] = defaultdict(list)
    for c in archive.plan.all:
        by_bureau[archive.report_of(c.target).bureau].append(c)
    if not by_bureau:
        out.append('<p class="annals-empty">档案中还没有目标数据。</p>')
    order = {iid: n for n, iid in enumerate(archive.indicators)}
    for bureau in archive.bureaus.values():
        items = by_bureau.get(bureau.id)
        if not items:
            continue
        items = sorted(items, key=lambda c: (tuple(-k for k in c.target.period.sort_key), order[c.target.indicator]))
        out.append(f"## {escape_md(bureau.name)} {{: #bureau-{bureau.id} }}")
        out.append(_status_counts(items) + "\n\n" + plan_table(PLAN_SRC, items, archive))
    out.append(PLAN_HINT)
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------- indicator pages


def _axis_range(values: list[float]) -> tuple[float, float]:
    """A y-axis that shows the changes: padded around the data, not from zero."""
    low, high = min(values), max(values)
    pad = (high - low) * 0.25 or abs(high) * 0.1 or 1.0
    low = max(low - pad, 0.0) if low >= 0 else low - pad
    return low, high + pad


def _svg_chart(indicator: Indicator, bureau_name: str, rows: list[SeriesRow], chart_id: str) -> str:
    """A static line chart of results, targets beside them; readable without JavaScript."""
    points: list[tuple[int, float, str]] = []  # (column, value, kind)
    ranges: list[tuple[int, float, float]] = []
    labels = [row.period.label for row in rows]
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
    lo, hi = _axis_range(values)
    width, height, left, right, top, bottom = 640, 260, 56, 16, 16, 40
    n = max(len(rows), 1)
    step = (width - left - right) / n

    def x(col: int) -> float:
        return left + step * (col + 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - lo) / (hi - lo))

    parts = [
        f'<svg class="annals-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(indicator.name)}（{escape(indicator.unit)}）：{escape(bureau_name)}</title>',
    ]
    desc = []
    for row in rows:
        bits = []
        if row.results:
            bits.append("结果 " + value_text(row.results[0]) + ("（未公开）" if not row.results[0].disclosed else ""))
        if row.targets:
            bits.append("目标 " + value_text(row.targets[0]))
        desc.append(f"{row.period.label}：" + "，".join(bits))
    parts.append(f'<desc id="{chart_id}-d">{escape("；".join(desc))}。</desc>')
    axis_y = y(lo)
    parts.append(f'<line class="annals-axis" x1="{left}" y1="{axis_y:.1f}" x2="{width - right}" y2="{axis_y:.1f}"/>')
    for tick in (lo, (lo + hi) / 2, hi):
        parts.append(f'<text class="annals-tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{fmt(round(tick, 2))}</text>')
    for col, label in enumerate(labels):
        parts.append(f'<text class="annals-label" x="{x(col):.1f}" y="{height - 14}" text-anchor="middle">{escape(label)}</text>')
    for col, low, high in ranges:
        parts.append(f'<rect class="annals-target-range" x="{x(col) - 7:.1f}" y="{y(high):.1f}" width="14" height="{max(y(low) - y(high), 2):.1f}"/>')
    results = [(c, v) for c, v, k in points if k == "result"]
    if len(results) > 1:
        coords = " ".join(f"{x(c):.1f},{y(v):.1f}" for c, v in results)
        parts.append(f'<polyline class="annals-line" points="{coords}"/>')
    for col, value, kind in sorted(points, key=lambda p: p[2] == "result"):  # results drawn last, on top
        cls = "annals-point" if kind == "result" else "annals-target-point"
        parts.append(f'<circle class="{cls}" cx="{x(col):.1f}" cy="{y(value):.1f}" r="5"/>')
        if kind == "result":
            parts.append(f'<text class="annals-value" x="{x(col):.1f}" y="{y(value) - 10:.1f}" text-anchor="middle">{fmt(round(value, 2))}</text>')
    parts.append("</svg>")
    legend = '<p class="annals-legend"><span class="annals-key-result">● 结果</span> <span class="annals-key-target">○ 目标（方块为区间）</span></p>'
    return f'<figure class="annals-chart-figure">{"".join(parts)}{legend}</figure>'


def indicator_page(indicator: Indicator, archive: Archive) -> str:
    src = indicator_src(indicator.id)
    direction = {True: "数值越高越好", False: "数值越低越好", None: "高低无好坏之分"}[indicator.higher_is_better]
    out = [
        f"# {escape_md(indicator.name)}",
        f'<dl class="annals-meta annals-indicator-meta"><dt>单位</dt><dd>{escape(indicator.unit)}</dd>'
        f"<dt>分组</dt><dd>{escape(indicator.group)}</dd><dt>方向</dt><dd>{direction}</dd>"
        f"<dt>编号</dt><dd><code>{escape(indicator.id)}</code></dd></dl>",
    ]
    if indicator.definition:
        out.append(f'<p class="annals-definition">{escape(indicator.definition)}</p>')
    bureaus = archive.bureaus_stating(indicator.id)
    if bureaus:
        out.append(f'<p class="annals-downloads">下载这一指标的全部数据：{download_links(src, "indicators/" + indicator.id, archive.links)}</p>')
    else:
        out.append('<p class="annals-empty">档案中还没有这一指标的数据。</p>')
    for bureau_id in bureaus:
        bureau = archive.bureaus[bureau_id]
        rows = series(archive, indicator.id, bureau_id)
        out.append(f"## {escape_md(bureau.name)} {{: #bureau-{bureau_id} }}")
        chart = _svg_chart(indicator, bureau.name, rows, f"chart-{indicator.id}-{bureau_id}")
        if chart:
            out.append(chart)
        out.append(_compare_table(src, indicator, rows, archive))
        targets = archive.plan.of_indicator.get((indicator.id, bureau_id))
        if targets:
            newest_first = sorted(targets, key=lambda c: c.target.period.sort_key, reverse=True)
            out.append(f"### 目标完成情况 {{: #plan-{bureau_id} }}\n\n" + plan_table(src, newest_first, archive, indicator=False))
        out.append(_quotes(src, rows, archive))
    return "\n\n".join(out) + "\n"


def _compare_table(src: str, indicator: Indicator, rows: list[SeriesRow], archive: Archive) -> str:
    head = "<tr><th>时期</th><th>目标</th><th>结果</th><th>比上年同期</th><th>变化率</th></tr>"
    body = []
    for row in rows:
        targets = "<br>".join(
            f'<a href="{figure_href(src, t, archive)}">{escape(value_text(t))}</a>' for t in row.targets
        ) or DASH
        results = "<br>".join(
            f'<a href="{figure_href(src, r, archive)}">{escape(value_text(r))}</a>'
            + ("" if r.disclosed else f'<span class="annals-nd">（{NOT_DISCLOSED}）</span>')
            for r in row.results
        ) or DASH
        if row.change:
            delta, pct = change_text(row.change, indicator.unit)
        else:
            delta, pct = DASH, DASH
        body.append(
            f'<tr><th scope="row">{escape(row.period.label)}</th><td>{targets}</td><td>{results}</td>'
            f"<td>{escape(delta)}</td><td>{escape(pct)}</td></tr>"
        )
    return f'<div class="annals-table-wrap"><table class="annals-compare"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table></div>'


def _quotes(src: str, rows: list[SeriesRow], archive: Archive) -> str:
    items = []
    for row in rows:
        for fig in row.targets + row.results:
            report = archive.report_of(fig)
            items.append(
                f"<li><span class=\"annals-quote-period\">{escape(row.period.label)}{FIGURE_TYPES[fig.type]}</span> "
                f'<a href="{figure_href(src, fig, archive)}">“{escape(fig.quote)}”</a> '
                f'<cite>——<a href="{archive.links.href(src, report.src)}">{escape(report.title)}</a></cite></li>'
            )
    return f'<details class="annals-quotes"><summary>出处原文（{len(items)} 条）</summary><ul>{"".join(items)}</ul></details>'


# ------------------------------------------------------------- index pages


def _report_item(from_src: str, report: Report, archive: Archive) -> str:
    bureau = archive.bureaus[report.bureau]
    facts = [bureau.short_name, KINDS[report.kind], report.period.label]
    if len(report.date) > 4:  # a bare year says nothing the period does not
        facts.append(report.date)
    return (
        f'<li class="annals-report-item"><a href="{archive.links.href(from_src, report.src)}">{escape(report.title)}</a>'
        f'<span class="annals-report-facts">{" · ".join(escape(f) for f in facts)}</span></li>'
    )


def _by_date(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.date, r.src), reverse=True)


def year_page(year: int, archive: Archive) -> str:
    src = year_src(year)
    reports = [r for r in archive.reports.values() if r.year == year]
    out = [f"# {year}年", f'<p class="annals-count">{year}年共 {len(reports)} 份报告。</p>']
    for kind, label in KINDS.items():
        of_kind = [r for r in reports if r.kind == kind]
        if of_kind:
            items = "".join(_report_item(src, r, archive) for r in _by_date(of_kind))
            out.append(f"## {label} {{: #kind-{kind} }}\n\n<ul class=\"annals-report-list\">{items}</ul>")
    results = sorted(
        archive.results_in(year),
        key=lambda f: (archive.indicators[f.indicator].group, f.indicator, archive.report_of(f).bureau, f.period.sort_key),
    )
    if results:
        rows = []
        for fig in results:
            ind = archive.indicators[fig.indicator]
            bureau = archive.report_of(fig).bureau
            delta, _ = change_text(change_of(fig, bureau, archive), ind.unit)
            rows.append(
                f'<tr><td><a href="{archive.links.href(src, indicator_src(ind.id))}">{escape(ind.name)}</a></td>'
                f"<td>{escape(archive.bureaus[bureau].short_name)}</td><td>{escape(fig.period.label)}</td>"
                f'<td><a href="{figure_href(src, fig, archive)}">{escape(value_text(fig))}</a></td><td>{escape(delta)}</td></tr>'
            )
        out.append(
            "## 本年数据 {: #annals-year-figures }\n\n"
            '<div class="annals-table-wrap"><table class="annals-year-figures"><thead><tr><th>指标</th><th>发布机关</th>'
            f'<th>时期</th><th>结果</th><th>比上年同期</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        )
    return "\n\n".join(out) + "\n"


def bureau_page(bureau_id: str, archive: Archive) -> str:
    bureau = archive.bureaus[bureau_id]
    src = bureau_src(bureau_id)
    reports = archive.reports_of(bureau_id)
    out = [f"# {escape_md(bureau.name)}"]
    if bureau.note:
        out.append(f'<p class="annals-bureau-note">{escape(bureau.note)}</p>')
    out.append(f'<p class="annals-count">共 {len(reports)} 份报告。</p>')
    for year in sorted({r.year for r in reports}, reverse=True):
        items = "".join(_report_item(src, r, archive) for r in _by_date([r for r in reports if r.year == year]))
        out.append(f'## <a href="{archive.links.href(src, year_src(year))}">{year}年</a> {{: #year-{year} }}\n\n<ul class="annals-report-list">{items}</ul>')
    used = sorted(i for i in archive.indicators if archive.figures_for(i, bureau_id))
    if used:
        links = "".join(f'<li><a href="{archive.links.href(src, indicator_src(i), "bureau-" + bureau_id)}">{escape(archive.indicators[i].name)}</a></li>' for i in used)
        out.append(f'## 指标 {{: #annals-bureau-indicators }}\n\n<ul class="annals-indicator-list">{links}</ul>')
    return "\n\n".join(out) + "\n"


def archive_index(src: str, archive: Archive) -> str:
    reports = list(archive.reports.values())
    years = sorted({r.year for r in reports}, reverse=True)
    by_year = "".join(
        f'<li><a href="{archive.links.href(src, year_src(y))}">{y}年</a> <span class="annals-count">{sum(r.year == y for r in reports)} 份</span></li>'
        for y in years
    )
    by_bureau = "".join(
        f'<li><a href="{archive.links.href(src, bureau_src(b.id))}">{escape(b.name)}</a> <span class="annals-count">{sum(r.bureau == b.id for r in reports)} 份</span></li>'
        for b in archive.bureaus.values()
        if any(r.bureau == b.id for r in reports)
    )
    kinds = []
    for kind, label in KINDS.items():
        kind_years = [y for y in years if any(r.year == y and r.kind == kind for r in reports)]
        if kind_years:
            links = "、".join(f'<a href="{archive.links.href(src, year_src(y), "kind-" + kind)}">{y}年</a>' for y in kind_years)
            kinds.append(f"<li>{label}：{links}</li>")
    return (
        f'<div class="annals-archive"><h2 id="by-year">按年份</h2><ul class="annals-years">{by_year}</ul>'
        f'<h2 id="by-bureau">按发布机关</h2><ul class="annals-bureaus">{by_bureau}</ul>'
        f'<h2 id="by-kind">按类型</h2><ul class="annals-kinds">{"".join(kinds)}</ul></div>'
    )


def latest_reports(src: str, archive: Archive, count: int = 8) -> str:
    items = "".join(_report_item(src, r, archive) for r in _by_date(list(archive.reports.values()))[:count])
    return f'<ul class="annals-report-list annals-latest">{items}</ul>'


def headline_indicators(src: str, archive: Archive) -> str:
    """The latest result of each headline indicator, with its change."""
    cards = []
    for ind in archive.indicators.values():
        if not ind.headline:
            continue
        for bureau_id in archive.bureaus_stating(ind.id):
            rows = [r for r in series(archive, ind.id, bureau_id) if r.result]
            if not rows:
                continue
            last = rows[-1]
            assert last.change is not None and last.result is not None
            delta, _ = change_text(last.change, ind.unit)
            cards.append(
                f'<li class="annals-headline"><a href="{archive.links.href(src, indicator_src(ind.id), "bureau-" + bureau_id)}">'
                f'<span class="annals-headline-name">{escape(ind.name)}</span>'
                f'<span class="annals-headline-value">{escape(value_text(last.result))}</span>'
                f'<span class="annals-headline-facts">{escape(last.period.label)} · {escape(archive.bureaus[bureau_id].short_name)} · 比上年 {escape(delta)}</span></a></li>'
            )
    return f'<ul class="annals-headlines">{"".join(cards)}</ul>'


def indicators_index(src: str, archive: Archive) -> str:
    groups: dict[str, list[Indicator]] = defaultdict(list)
    for ind in archive.indicators.values():
        groups[ind.group].append(ind)
    counts: dict[str, int] = defaultdict(int)
    for fig in archive.figures:
        counts[fig.indicator] += 1
    out = []
    for group, inds in groups.items():
        items = "".join(
            f'<li><a href="{archive.links.href(src, indicator_src(i.id))}">{escape(i.name)}</a> '
            f'<span class="annals-count">{escape(i.unit)} · {counts[i.id]} 条数据</span></li>'
            for i in inds
        )
        out.append(f'<h2>{escape(group)}</h2><ul class="annals-indicator-list">{items}</ul>')
    return f'<div class="annals-indicators">{"".join(out)}</div>'


def search_page(archive: Archive) -> str:
    """The search page: a form that works without JavaScript (it is where the header's box sends a query),
    filters from the archive itself, and the place the results appear."""
    reports = list(archive.reports.values())

    def select(name: str, label: str, values: list[str]) -> str:
        options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        return (f'<label class="annals-search-filter">{label}<select name="{name}">'
                f'<option value="">全部</option>{options}</select></label>')

    kinds = [KINDS[k] for k in KINDS if any(r.kind == k for r in reports)]
    issuers = [b.name for b in archive.bureaus.values() if any(r.bureau == b.id for r in reports)]
    links = archive.links
    return (
        "# 搜索\n\n"
        f'<form class="annals-search-form" action="{links.href(SEARCH_SRC, SEARCH_SRC)}" method="get" role="search" aria-label="搜索与筛选">'
        '<div class="annals-search-box"><input type="search" name="q" aria-label="搜索词" '
        'placeholder="输入词语，多个词用空格分开" autocomplete="off" enterkeyhint="search">'
        '<button type="submit">搜索</button></div>'
        '<div class="annals-search-filters">'
        + select("year", "年份", [str(y) for y in sorted({r.year for r in reports}, reverse=True)])
        + select("kind", "类型", kinds)
        + select("issuer", "发布机关", issuers)
        + '<label class="annals-search-filter">排序<select name="sort"><option value="">日期（新→旧）</option>'
        '<option value="date-asc">日期（旧→新）</option></select></label>'
        "</div></form>\n"
        '<p class="annals-search-status" role="status" aria-live="polite">'
        f'<noscript>搜索需要启用 JavaScript。也可以从<a href="{links.href(SEARCH_SRC, "reports/index.md")}">报告档案</a>按年份、类型、发布机关浏览。</noscript></p>\n'
        '<ol class="annals-search-results"></ol>\n'
        '<p class="annals-search-more-wrap"><button type="button" class="annals-search-more md-button" hidden>显示更多结果</button></p>\n'
        '<p class="annals-hint">查找的是原文中的词语：报告含有每一个词（全角、半角视为相同）才会列出。</p>\n'
        f'<script type="module" src="{links.file(SEARCH_SRC, "assets/annals-search.js")}"></script>\n'
    )


def years_of(archive: Archive) -> list[int]:
    return sorted({r.year for r in archive.reports.values()})


__all__ = [
    "archive_index",
    "bureau_page",
    "commitments_page",
    "headline_indicators",
    "indicator_page",
    "indicators_index",
    "latest_reports",
    "report_page",
    "search_page",
    "year_page",
    "years_of",
]
