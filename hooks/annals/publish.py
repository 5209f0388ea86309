"""What the archive publishes for reuse: every figure as CSV and JSON (all in one
file, and one file per indicator), their column description and JSON Schema, and
an Atom feed of the newest reports.

Rows are sorted and written without the clock, so the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import json
from pathlib import PurePosixPath
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .model import Archive
from .plan import STATUSES
from .render import OPEN_DATA, OPEN_DATA_SRC, download_links, indicator_src
from .vocab import KINDS

FEED = "feed.xml"
FEED_ENTRIES = 50  # newest reports in the feed: readers poll it, it must stay small

# (column, JSON type, description): the one description of the downloads, shown on
# the open-data page and turned into the JSON Schema.
COLUMNS: list[tuple[str, str | list[str], str]] = [
    ("indicator", "string", "指标编号：每个指标页的下载文件名即此编号（indicator id）"),
    ("indicator_name", "string", "指标名称（indicator name）"),
    ("issuer", "string", "发布机关编号（issuer id）"),
    ("issuer_name", "string", "发布机关名称（issuer）"),
    ("period", "string", "数据所属时期：2021、2021-H1（上半年）、2021-Q3（第三季度）（period）"),
    ("type", "string", "result 结果，或 target 目标（result or target）"),
    ("value", ["number", "null"], "数值；区间或未公开时为空（the number; empty for a range or when not disclosed）"),
    ("value_low", ["number", "null"], "区间的下限，如 6.5%－7% 的 6.5（low end of a range）"),
    ("value_high", ["number", "null"], "区间的上限（high end of a range）"),
    ("disclosed", "boolean", "原文是否公开了这个数；原文写作 x 时为 false（false when the text gives x）"),
    ("unit", "string", "单位，与原文一致（unit, as stated）"),
    ("qualifier", "string", "限定词：以上、以内、左右等；没有为空（qualifier）"),
    ("basis", "string", "口径，仅当与指标定义不同时，如 2013—2017年年均（basis, when not the indicator's own）"),
    ("status", "string", "目标的完成情况（仅目标）：" + "、".join(f"{k} {v}" for k, v in STATUSES.items()) + "（status of a target）"),
    ("status_reason", "string", "完成情况的说明（why, in words）"),
    ("report_title", "string", "报告标题（report title）"),
    ("report_date", "string", "报告日期：2021-07-19、2021-07 或 2021（report date）"),
    ("report_url", "string", "报告网页中这句话的地址（the sentence in the report's page）"),
    ("quote", "string", "原文引文，逐字（the report's words）"),
]


def _number(x: float) -> int | float:
    return int(x) if x == int(x) else x


def figure_rows(archive: Archive, base_url: str) -> list[dict[str, Any]]:
    """Every published figure as a row of COLUMNS, in a stable order."""
    status = {c.target: c for c in archive.plan.all}
    urls = {src: base_url + archive.links.url(src) for src in archive.reports}
    rows = []
    for fig in archive.figures:
        report = archive.report_of(fig)
        value, low, high = None, None, None
        if isinstance(fig.value, tuple):
            low, high = (_number(v) for v in fig.value)
        elif isinstance(fig.value, float):
            value = _number(fig.value)
        commitment = status.get(fig)
        rows.append({
            "indicator": fig.indicator,
            "indicator_name": archive.indicators[fig.indicator].name,
            "issuer": report.bureau,
            "issuer_name": archive.bureaus[report.bureau].name,
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
            "report_url": urls[report.src] + "#" + archive.anchors[fig],
            "quote": fig.quote,
        })
    rows.sort(key=lambda r: (r["indicator"], r["issuer"], r["period"], r["type"], r["report_date"], r["report_url"]))
    return rows


class _Lines(list[str]):
    """What a csv.writer writes, one string per row."""

    write = list.append


def csv_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The header and each row as a CSV line (booleans as true/false, None as empty)."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    writer.writerow([c for c, _, _ in COLUMNS])
    for row in rows:
        writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else v for v in row.values()])
    return lines


def csv_text(lines: list[str]) -> str:
    """CSV with a BOM, so Excel reads it as UTF-8."""
    return "\ufeff" + "".join(lines)


def json_text(lines: list[str], schema_url: str) -> str:
    """One figure per line: readable and diffable (``json_lines`` makes them)."""
    figures = ",\n".join(lines)
    return f'{{"schema": {json.dumps(schema_url)},\n "figures": [\n{figures}\n]}}\n'.replace("[\n\n]", "[]")


def json_lines(rows: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(row, ensure_ascii=False) for row in rows]  # the C encoder; indent= would not use it


def json_schema() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "annals figures",
        "description": "工作报告中的数据：每条一个数字及其原文引文（figures stated in the reports, each with its quote）",
        "type": "object",
        "required": ["figures"],
        "properties": {"schema": {"type": "string"}, "figures": {"type": "array", "items": {
            "type": "object",
            "required": [c for c, _, _ in COLUMNS],
            "additionalProperties": False,
            "properties": {c: {"type": t, "description": d} for c, t, d in COLUMNS},
        }}},
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def open_data_files(archive: Archive, base_url: str) -> dict[str, str]:
    """Site path → content of every download. Each row is written once, then joined into its files."""
    rows = figure_rows(archive, base_url)
    header, *csv_rows = csv_lines(rows)
    json_rows = json_lines(rows)
    schema_url = base_url + f"{OPEN_DATA}/schema.json"
    files = {f"{OPEN_DATA}/figures.csv": csv_text([header, *csv_rows]), f"{OPEN_DATA}/figures.json": json_text(json_rows, schema_url),
             f"{OPEN_DATA}/schema.json": json_schema()}
    by_indicator: dict[str, list[int]] = {iid: [] for iid in archive.indicators}
    for n, row in enumerate(rows):
        by_indicator[row["indicator"]].append(n)
    for iid, mine in by_indicator.items():
        files[f"{OPEN_DATA}/indicators/{iid}.csv"] = csv_text([header, *(csv_rows[n] for n in mine)])
        files[f"{OPEN_DATA}/indicators/{iid}.json"] = json_text([json_rows[n] for n in mine], schema_url)
    return files


def open_data_page(archive: Archive) -> str:
    links, layout = archive.links, archive.layout
    columns = [{"name": c, "type": " 或 ".join(t) if isinstance(t, list) else t, "meaning": d} for c, t, d in COLUMNS]
    rows = [{"href": links.href(OPEN_DATA_SRC, indicator_src(i)), "name": archive.indicators[i].name,
             "downloads": download_links(OPEN_DATA_SRC, "indicators/" + i, links)} for i in sorted({f.indicator for f in archive.figures})]
    intro = layout.render("opendata-intro", count=len(archive.figures), downloads=download_links(OPEN_DATA_SRC, "figures", links),
                          schema=links.file(OPEN_DATA_SRC, f"{OPEN_DATA}/schema.json"))
    return "\n\n".join([
        "# 开放数据（Open data）", intro,
        "## 各列的含义 {: #columns }", layout.render("opendata-columns", columns=columns),
        "## 按指标下载 {: #by-indicator }", layout.render("opendata-indicators", rows=rows, feed=links.file(OPEN_DATA_SRC, FEED)),
    ]) + "\n"


def _atom_time(date: str) -> str:
    """An Atom date from a report date as written (2021-07-19, 2021-07, 2021)."""
    return (date + "-01-01"[len(date) - 4:] if len(date) < 10 else date) + "T00:00:00Z"


def atom_feed(archive: Archive, base_url: str, site_name: str) -> str:
    """The newest reports, newest first, as an Atom feed."""
    newest = sorted(archive.reports.values(), key=lambda r: (r.date, r.src), reverse=True)[:FEED_ENTRIES]
    updated = _atom_time(newest[0].date) if newest else "1970-01-01T00:00:00Z"
    entries = []
    for report in newest:
        url = base_url + archive.links.url(report.src)
        issuer = archive.bureaus[report.bureau].name
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


def description(src: str, archive: Archive) -> str | None:
    """What a search engine or a shared link shows of a generated page; None: the site's own."""
    report = archive.reports.get(src)
    if report is not None:
        issuer = archive.bureaus[report.bureau].name
        n = len(archive.figures_of(src))
        return f"{issuer}{report.period.label}{KINDS[report.kind]}（{report.date}）：《{report.title}》全文" + (f"，其中 {n} 项数据及与上年同期的对比。" if n else "。")
    indicator = archive.indicators.get(PurePosixPath(src).stem)
    if indicator is not None and src == indicator_src(indicator.id):
        return f"{indicator.name}（{indicator.unit}）：历年数据、与上年的对比、目标与完成情况，每个数字附报告原文。"
    return None
