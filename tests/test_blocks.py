"""The generated blocks, laid out by templates: expected-output HTML for each, and a bureau's override wins.

Regenerate after an intended change, then review the diff:

    ANNALS_UPDATE=1 .venv/bin/python -m pytest tests/test_blocks.py
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from annals import promise_pages, publish, render
from annals.model import Archive, load_archive
from conftest import ROOT, page, run_build

CASES = Path(__file__).parent / "block_cases"
UPDATE = os.environ.get("ANNALS_UPDATE") == "1"
GWR_2016 = "reports/2016/state-council-government-work-report.md"
XUPU = "reports/2021/xupu-edu-h1-midyear-summary.md"


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load_archive(ROOT, ROOT / "docs", ROOT / "data")


# Each block of a template, on a sample report that has what the block shows.
BLOCKS: dict[str, Callable[[Archive], str]] = {
    "report-header": lambda a: render.report_header(a.reports[GWR_2016], a, len(a.figures_of(GWR_2016))),
    "report-header-redacted": lambda a: render.report_header(a.reports[XUPU], a, 0),
    "figures-panel": lambda a: render.figures_panel(a.reports[GWR_2016], a.figures_of(GWR_2016), a.anchors, a),
    "plan-table": lambda a: render.plan_table(GWR_2016, a.plan.set_by[GWR_2016], a),
    "plan-table-without-indicator": lambda a: render.plan_table("indicators/gdp_growth.md", a.plan.set_by[GWR_2016][:3], a, indicator=False),
    "indicator-page": lambda a: render.indicator_page(a.indicators["gdp_growth"], a),  # meta, chart, series, plan, quotes
    "indicator-page-empty": lambda a: render.indicator_page(dataclasses.replace(a.indicators["gdp_growth"], id="not_stated_yet"), a),
    "year-page": lambda a: render.year_page(2021, a),  # intro, report lists, the year's results
    "bureau-page": lambda a: render.bureau_page("xupu-edu", a),  # intro with a note, report lists, indicator list
    "archive-index": lambda a: render.archive_index("reports/index.md", a),
    "report-neighbours": lambda a: render.report_neighbours(a.reports[GWR_2016], a),
    "report-neighbours-first": lambda a: render.report_neighbours(a.reports["reports/2014/state-council-government-work-report.md"], a),
    "latest-reports": lambda a: render.latest_reports("index.md", a),
    "headlines": lambda a: render.headline_indicators("index.md", a),
    "indicators-index": lambda a: render.indicators_index("indicators/index.md", a),
    "targets-section": lambda a: render.targets_section(a),  # status counts, plan tables, the hint
    "search-page": lambda a: render.search_page(a),
    "said-page": lambda a: render.said_page(a),
    "opendata-page": lambda a: publish.open_data_page(a),
    "promise-tracker": lambda a: promise_pages.tracker_page(a),  # bars, filters, every promise, the targets' detail
    "promise-issuer-page": lambda a: promise_pages.tracker_page(a, promise_pages.issuer_src("xupu-edu"), "xupu-edu"),
    "report-promises": lambda a: "\n\n".join(promise_pages.report_sections(a.reports[GWR_2016], a)),  # timelines and answers
}


@pytest.mark.parametrize("block", BLOCKS)
def test_a_block_is_what_its_template_lays_out(archive: Archive, block: str) -> None:
    actual = BLOCKS[block](archive) + "\n"
    expected = CASES / f"{block}.html"
    if UPDATE or not expected.exists():
        expected.write_text(actual, encoding="utf-8")
    assert expected.read_text(encoding="utf-8") == actual, f"{expected.name} differs; regenerate with ANNALS_UPDATE=1 and review the diff"


def test_a_bureaus_override_of_a_template_wins(archive_copy: Path, tmp_path: Path) -> None:
    """overrides/annals/<block>.html (the theme's custom_dir) replaces the template annals ships."""
    override = archive_copy / "overrides/annals/figures-panel.html"
    override.parent.mkdir(parents=True)
    shipped = (ROOT / "hooks/annals/templates/annals/figures-panel.html").read_text(encoding="utf-8")
    override.write_text(shipped.replace("{{ labels.earlier }}", "去年同期（本局模板）")
                        .replace('<p class="annals-hint">', '<p class="annals-hint annals-bureau-hint">'), encoding="utf-8")
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = page(tmp_path / "site", "reports/2016/state-council-government-work-report")
    assert "<th>去年同期（本局模板）</th>" in html and "annals-bureau-hint" in html
    assert "<th>上年同期</th>" not in html
    assert "<th>完成情况</th>" in html, "the templates not overridden are annals' own"


def test_templates_escape_what_they_show(archive: Archive) -> None:
    """A template cannot forget to escape: a string from the data is text in every block."""
    report = archive.reports[XUPU]
    hostile = dataclasses.replace(report, source={**report.source, "note": '<img src=x onerror=alert(1)>', "number": '"><b>'})
    html = render.report_header(hostile, archive, 0)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<b>" not in html
