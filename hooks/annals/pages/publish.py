"""What the archive publishes for reuse: every figure as CSV and JSON (all in one
file, and one file per indicator), their column description and JSON Schema, and
an Atom feed of the newest reports.

Rows are sorted and written without the clock, so the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from annals.data.routes import FEED, download, indicator_data, indicator_src, ref_of, schema_file
from annals.data.schema import Figure, Refs, Report
from annals.data.vocab import KINDS
from annals.judge.promises import STATUSES as PROMISE_STATUSES
from annals.judge.promises import TARGET_STATUSES, Tracked
from annals.pages.labels import PROMISE_STATUS
from annals.pages.layout import Canvas
from annals.pages.links import Links
from annals.pages.promise_pages import landing
from annals.pages.render import download_links

# (column, JSON type, description): the one description of the downloads, shown on
# the open-data page and turned into the JSON Schema.
COLUMNS: list[tuple[str, str | list[str], str]] = [
    ("indicator", "string", "指标编号：每个指标页的下载文件名即此编号"),
    ("indicator_name", "string", "指标名称"),
    ("issuer", "string", "发布机关编号"),
    ("issuer_name", "string", "发布机关名称"),
    ("period", "string", "数据所属时期：2021、2021-H1（上半年）、2021-Q3（第三季度）"),
    ("type", "string", "result 结果，或 target 目标"),
    ("value", ["number", "null"], "数值；区间或未公开时为空"),
    ("value_low", ["number", "null"], "区间的下限，如 6.5%－7% 的 6.5"),
    ("value_high", ["number", "null"], "区间的上限"),
    ("disclosed", "boolean", "原文是否公开了这个数；原文写作 x 时为 false"),
    ("unit", "string", "单位，与原文一致"),
    ("qualifier", "string", "限定词：以上、以内、左右等；没有为空"),
    ("basis", "string", "口径，仅当与指标定义不同时，如 2013—2017年年均"),
    ("status", "string", "目标的完成情况（仅目标），与承诺同一标尺：" + "、".join(f"{k} {PROMISE_STATUS[k]}" for k in TARGET_STATUSES) + ""),
    ("status_reason", "string", "完成情况的说明"),
    ("report_title", "string", "报告标题"),
    ("report_date", "string", "报告日期：2021-07-19、2021-07 或 2021"),
    ("report_url", "string", "报告网页中这句话的地址"),
    ("quote", "string", "原文引文，逐字"),
]


Columns = list[tuple[str, str | list[str], str]]

# The promise tracker's data: every promise (in words, or a numeric target) with its status, and every later
# passage behind a status. Described once, like COLUMNS, for the page and the JSON Schemas.
PROMISE_COLUMNS: Columns = [
    ("id", "string", "承诺编号：报告的路径（年份/文件名）#编号；回应表的 commitment 列即此编号"),
    ("form", "string", "words 文字承诺，或 target 数字目标"),
    ("issuer", "string", "发布机关编号"),
    ("issuer_name", "string", "发布机关名称"),
    ("period", "string", "承诺所属时期：2022、2021-H2（下半年）"),
    ("label", "string", "承诺的简短说明，编辑所写；数字目标为指标名称"),
    ("parts", "string", "一句承诺了几件事时，各部分及其状态，如 “1 推进种业振兴：kept；2 加强耕地保护：underway”；不分部分为空"),
    ("topic", "string", "领域；没有为空"),
    ("status", "string", "状态：" + "、".join(f"{k} {PROMISE_STATUS[k]}" for k in PROMISE_STATUSES) + ""),
    ("status_reason", "string", "状态的依据"),
    ("responses", "integer", "此后报告中回应它的段落数"),
    ("report_title", "string", "提出承诺的报告标题"),
    ("report_date", "string", "提出承诺的报告日期"),
    ("report_url", "string", "报告网页中这项承诺的时间线（文字承诺）或这个数字（数字目标）的地址"),
    ("quote", "string", "承诺的原文，逐字"),
]
EVIDENCE_COLUMNS: Columns = [
    ("commitment", "string", "所回应的承诺编号，见承诺表的 id 列"),
    ("part", "integer", "回应的是承诺的第几部分；回应整项承诺为 0"),
    ("status", "string", "这段原文支持的状态：kept 已完成、partly 部分完成、underway 推进中、missed 未完成"),
    ("note", "string", "编辑的说明；没有为空"),
    ("report_title", "string", "回应所在报告的标题"),
    ("report_date", "string", "回应所在报告的日期"),
    ("report_url", "string", "报告网页中这句话的地址"),
    ("quote", "string", "回应的原文，逐字"),
]


def _number(x: float) -> int | float:
    return int(x) if x == int(x) else x


def figure_rows(figures: list[Figure], of_target: Mapping[Figure, Tracked], refs: Refs, links: Links, base_url: str) -> list[dict[str, Any]]:
    """Every published figure as a row of COLUMNS, in a stable order, with the status of a target (``of_target``:
    its place on the tracker)."""
    status = of_target
    urls = {src: base_url + links.url(src) for src in refs.reports}
    rows = []
    for fig in figures:
        report = refs.report_of(fig)
        value, low, high = None, None, None
        if isinstance(fig.value, tuple):
            low, high = (_number(v) for v in fig.value)
        elif isinstance(fig.value, float):
            value = _number(fig.value)
        commitment = status.get(fig)
        rows.append({
            "indicator": fig.indicator,
            "indicator_name": refs.indicators[fig.indicator].name,
            "issuer": report.bureau,
            "issuer_name": refs.bureaus[report.bureau].name,
            "period": fig.period.key,
            "type": fig.type,
            "value": value,
            "value_low": low,
            "value_high": high,
            "disclosed": fig.disclosed,
            "unit": fig.unit,
            "qualifier": fig.qualifier if fig.qualifier and fig.qualifier != "区间" else "",
            "basis": fig.basis,
            "status": commitment.status if commitment else "",
            "status_reason": commitment.reason if commitment else "",
            "report_title": report.title,
            "report_date": report.date,
            "report_url": urls[report.src] + "#" + refs.anchors[fig],
            "quote": fig.quote,
        })
    rows.sort(key=lambda r: (r["indicator"], r["issuer"], r["period"], r["type"], r["report_date"], r["report_url"]))
    return rows


class _Lines(list[str]):
    """What a csv.writer writes, one string per row."""

    write = list.append


def promise_rows(tracked: list[Tracked], refs: Refs, links: Links, base_url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every promise (PROMISE_COLUMNS) and every passage that answers one (EVIDENCE_COLUMNS), in the tracker's order."""
    promises, evidence = [], []
    for item in tracked:
        plan = refs.reports[item.report]
        pid = item.ref or ref_of(plan.src, item.anchor)
        promises.append({
            "id": pid, "form": "words" if item.target is None else "target", "issuer": item.bureau,
            "issuer_name": refs.bureaus[item.bureau].name, "period": item.period.key, "label": item.label,
            "parts": "；".join(f"{n} {p.label}：{p.status}" for n, p in enumerate(item.parts, 1)), "topic": item.topic,
            "status": item.status, "status_reason": item.reason, "responses": len(item.steps) if item.target is None else 0,
            "report_title": plan.title, "report_date": plan.date, "report_url": base_url + links.url(plan.src) + "#" + item.anchor,
            "quote": item.quote,
        })
        for step in item.steps if item.target is None else ():
            report = refs.reports[step.report]
            evidence.append({
                "commitment": pid, "part": step.part, "status": step.status, "note": step.note, "report_title": report.title, "report_date": report.date,
                "report_url": base_url + links.url(report.src) + landing(report, step.quote),
                "quote": step.quote,
            })
    return promises, evidence


# A text cell a spreadsheet would run as a formula (=HYPERLINK(…), @SUM(…), +cmd|…, a leading tab or return)
# is written with a leading apostrophe, as OWASP's CSV injection advice says; numbers stay numbers.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: booleans as true/false, None as empty, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_lines(rows: list[dict[str, Any]], columns: Columns | None = None) -> list[str]:
    """The header and each row as a CSV line (csv_cell)."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    writer.writerow([c for c, _, _ in columns or COLUMNS])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row.values()])
    return lines


def csv_text(lines: list[str]) -> str:
    """CSV with a BOM, so Excel reads it as UTF-8."""
    return "\ufeff" + "".join(lines)


def json_text(lines: list[str], schema_url: str, key: str = "figures") -> str:
    """One row per line: readable and diffable (``json_lines`` makes them)."""
    rows = ",\n".join(lines)
    return f'{{"schema": {json.dumps(schema_url)},\n "{key}": [\n{rows}\n]}}\n'.replace("[\n\n]", "[]")


def json_lines(rows: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(row, ensure_ascii=False) for row in rows]  # the C encoder; indent= would not use it


# Each JSON download: its key, the columns of its rows, and what it holds.
DOWNLOADS: dict[str, tuple[Columns, str]] = {
    "figures": (COLUMNS, "工作报告中的数据：每条一个数字及其原文引文"),
    "commitments": (PROMISE_COLUMNS, "报告中的承诺及其状态"),
    "evidence": (EVIDENCE_COLUMNS, "此后报告中回应承诺的原文"),
}


def json_schema(key: str = "figures") -> str:
    columns, description = DOWNLOADS[key]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"annals {key}",
        "description": description,
        "type": "object",
        "required": [key],
        "properties": {"schema": {"type": "string"}, key: {"type": "array", "items": {
            "type": "object",
            "required": [c for c, _, _ in columns],
            "additionalProperties": False,
            "properties": {c: {"type": t, "description": d} for c, t, d in columns},
        }}},
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def open_data_files(figures: list[Figure], of_target: Mapping[Figure, Tracked], tracked: list[Tracked], refs: Refs, links: Links,
                    base_url: str) -> dict[str, str]:
    """Site path → content of every download: the figures (with the ``targets``' verdicts), the ``tracked`` promises and
    their answers. Each row is written once, then joined into its files."""
    rows = figure_rows(figures, of_target, refs, links, base_url)
    header, *csv_rows = csv_lines(rows)
    json_rows = json_lines(rows)
    schema_url = base_url + schema_file("figures")
    files = {download("figures", "csv"): csv_text([header, *csv_rows]), download("figures", "json"): json_text(json_rows, schema_url),
             schema_file("figures"): json_schema()}
    by_indicator: dict[str, list[int]] = {iid: [] for iid in refs.indicators}
    for n, row in enumerate(rows):
        by_indicator[row["indicator"]].append(n)
    for iid, mine in by_indicator.items():
        files[download(indicator_data(iid), "csv")] = csv_text([header, *(csv_rows[n] for n in mine)])
        files[download(indicator_data(iid), "json")] = json_text([json_rows[n] for n in mine], schema_url)
    for key, rows in zip(("commitments", "evidence"), promise_rows(tracked, refs, links, base_url), strict=True):
        schema = base_url + schema_file(key)
        files[download(key, "csv")] = csv_text(csv_lines(rows, DOWNLOADS[key][0]))
        files[download(key, "json")] = json_text(json_lines(rows), schema, key)
        files[schema_file(key)] = json_schema(key)
    return files


def open_data_page(figures: list[Figure], tracked: list[Tracked], refs: Refs, canvas: Canvas) -> str:
    """What the downloads hold (every figure, by indicator, the ``tracked`` promises and their answers), and each column."""
    rows = [{"href": canvas.href(indicator_src(i)), "name": refs.indicators[i].name, "downloads": download_links(indicator_data(i), canvas)}
            for i in sorted({f.indicator for f in figures})]
    intro = canvas.render("opendata-intro", count=len(figures), downloads=download_links("figures", canvas),
                          schema=canvas.file(schema_file("figures")))
    promises = canvas.render("opendata-promises", count=len(tracked), answers=sum(len(i.steps) for i in tracked if i.target is None),
                             commitments=download_links("commitments", canvas), evidence=download_links("evidence", canvas),
                             schemas={key: canvas.file(schema_file(key)) for key in ("commitments", "evidence")})
    return "\n\n".join([
        "# 开放数据（Open data）", intro,
        "## 各列的含义 {: #columns }", canvas.render("opendata-columns", columns=_described(COLUMNS)),
        "## 按指标下载 {: #by-indicator }", canvas.render("opendata-indicators", rows=rows, feed=canvas.file(FEED)),
        "## 承诺与回应 {: #promises }", promises,
        "### 承诺表各列的含义 {: #promise-columns }", canvas.render("opendata-columns", columns=_described(PROMISE_COLUMNS)),
        "### 回应表各列的含义 {: #evidence-columns }", canvas.render("opendata-columns", columns=_described(EVIDENCE_COLUMNS)),
    ]) + "\n"


def _described(columns: Columns) -> list[dict[str, str]]:
    return [{"name": c, "type": " 或 ".join(t) if isinstance(t, list) else t, "meaning": d} for c, t, d in columns]


def _atom_time(date: str) -> str:
    """An Atom date from a report date as written (2021-07-19, 2021-07, 2021)."""
    return (date + "-01-01"[len(date) - 4:] if len(date) < 10 else date) + "T00:00:00Z"


def atom_feed(reports: Iterable[Report], refs: Refs, links: Links, base_url: str, site_name: str, entries_most: int) -> str:
    """The newest reports (up to ``entries_most``), newest first, as an Atom feed."""
    newest = sorted(reports, key=lambda r: (r.date, r.src), reverse=True)[:entries_most]
    updated = _atom_time(newest[0].date) if newest else "1970-01-01T00:00:00Z"
    entries = []
    for report in newest:
        url = base_url + links.url(report.src)
        issuer = refs.bureaus[report.bureau].name
        kind = KINDS[report.kind]
        entries.append(
            f"  <entry>\n    <title>{escape(report.title)}</title>\n    <link rel=\"alternate\" href={quoteattr(url)}/>\n"
            f"    <id>{escape(url)}</id>\n    <updated>{_atom_time(report.date)}</updated>\n"
            f"    <author><name>{escape(issuer)}</name></author>\n"
            f"    <category term={quoteattr(report.kind)} label={quoteattr(kind)}/>\n"
            f"    <summary>{escape(f'{issuer} · {kind} · {report.period.label} · {report.date}')}</summary>\n  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">\n'
        f"  <title>{escape(site_name)}</title>\n  <link rel=\"self\" href={quoteattr(base_url + FEED)}/>\n"
        f"  <link rel=\"alternate\" href={quoteattr(base_url)}/>\n  <id>{escape(base_url)}</id>\n  <updated>{updated}</updated>\n"
        + "".join(entries) + "</feed>\n"
    )


def description(src: str, refs: Refs, n_figures: int) -> str | None:
    """What a search engine or a shared link shows of a generated page (a report's, with its ``n_figures``, or an
    indicator's); None: the site's own."""
    report = refs.reports.get(src)
    if report is not None:
        issuer = refs.bureaus[report.bureau].name
        return f"{issuer}{report.period.label}{KINDS[report.kind]}（{report.date}）：《{report.title}》全文" + \
            (f"，其中 {n_figures} 项数据及与上年同期的对比。" if n_figures else "。")
    indicator = refs.indicators.get(PurePosixPath(src).stem)
    if indicator is not None and src == indicator_src(indicator.id):
        return f"{indicator.name}（{indicator.unit}）：历年数据、与上年的对比、目标与完成情况，每个数字附报告原文。"
    return None
