"""The generated blocks, laid out by templates: expected-output HTML for each, and a bureau's override wins.

Regenerate after an intended change, then review the diff:

    ANNALS_UPDATE=1 .venv/bin/python -m pytest tests/test_blocks.py
"""

from __future__ import annotations

import ast
import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from annals.archive.compare import change_of, series
from annals.archive.model import load_archive
from annals.data import routes
from annals.data.settings import read_settings
from annals.pages import promise_pages, publish, render
from annals.pages.site import Site, expand_markers
from conftest import ROOT, page, run_build

CASES = Path(__file__).parent / "block_cases"
UPDATE = os.environ.get("ANNALS_UPDATE") == "1"
GWR_2016 = "reports/2016/state-council-government-work-report.md"
XUPU = "reports/2021/xupu-edu-h1-midyear-summary.md"


@pytest.fixture(scope="module")
def site() -> Site:
    return Site(load_archive(ROOT, ROOT / "docs", ROOT / "data"), read_settings({})[0])


def _indicator(s: Site, indicator_id: str, shown_as: str = "") -> str:
    a = s.archive
    issuers = [render.IssuerSeries(a.bureaus[b], series(a, indicator_id, b), a.on_tracker(a.plan.of_indicator.get((indicator_id, b), [])))
               for b in a.bureaus_stating(indicator_id)]
    indicator = dataclasses.replace(a.indicators[indicator_id], id=shown_as) if shown_as else a.indicators[indicator_id]
    return render.indicator_page(indicator, [] if shown_as else issuers, a.refs, s.canvas(routes.indicator_src(indicator.id)))


def _marker(name: str, arg: str, src: str, s: Site) -> str:
    """What the marker ``<!-- annals:name arg -->`` on the page ``src`` becomes: the build's own picking (annals.pages.site)."""
    return expand_markers(f"<!-- annals:{name} {arg} -->", src, s, src)


def _neighbours(s: Site, src: str) -> str:
    a = s.archive
    return render.report_neighbours(a.reports[src], *a.neighbours[src], a.refs, s.canvas(src))


# Each block of a template, on a sample report that has what the block shows. A block is given what it shows
# (render functions never receive the archive); where a page picks it, through the build's own picking (annals.pages.site).
BLOCKS: dict[str, Callable[[Site], str]] = {
    "report-header": lambda s: render.report_header(s.archive.reports[GWR_2016], len(s.archive.figures_of(GWR_2016)), s.archive.refs,
                                                    s.canvas(GWR_2016)),
    "report-header-redacted": lambda s: render.report_header(s.archive.reports[XUPU], 0, s.archive.refs, s.canvas(XUPU)),
    "figures-panel": lambda s: render.figures_panel(
        s.archive.figures_of(GWR_2016), {f: change_of(f, "state-council", s.archive) for f in s.archive.figures_of(GWR_2016)},
        s.archive.refs, s.canvas(GWR_2016)),
    "plan-table": lambda s: render.plan_table(s.archive.on_tracker(s.archive.plan.set_by[GWR_2016]), s.archive.refs, s.canvas(GWR_2016)),
    "plan-table-without-indicator": lambda s: render.plan_table(s.archive.on_tracker(s.archive.plan.set_by[GWR_2016][:3]), s.archive.refs,
                                                                s.canvas("indicators/gdp_growth.md"), indicator=False),
    "indicator-page": lambda s: _indicator(s, "gdp_growth"),  # meta, chart, series, plan, quotes
    "indicator-page-empty": lambda s: _indicator(s, "gdp_growth", "not_stated_yet"),
    "year-page": lambda s: _marker("year", "2021", routes.year_src(2021), s),  # intro, report lists, the year's results
    "bureau-page": lambda s: _marker("bureau", "xupu-edu", routes.bureau_src("xupu-edu"), s),  # intro with a note, lists, indicators
    "archive-index": lambda s: _marker("archive", "", "reports/index.md", s),
    "report-neighbours": lambda s: _neighbours(s, GWR_2016),
    "report-neighbours-first": lambda s: _neighbours(s, "reports/2014/state-council-government-work-report.md"),
    "latest-reports": lambda s: render.latest_reports(s.archive.reports.values(), s.archive.refs, s.canvas("index.md")),
    "headlines": lambda s: _marker("headlines", "", "index.md", s),
    "indicators-index": lambda s: _marker("indicators", "", "indicators/index.md", s),
    "targets-section": lambda s: render.targets_section(s.archive.on_tracker(s.archive.plan.all), s.archive.refs, s.canvas(routes.PLAN_SRC)),
    "search-page": lambda s: _marker("search", "", routes.SEARCH_SRC, s),
    "said-page": lambda s: _marker("said", "", routes.SAID_SRC, s),
    "opendata-page": lambda s: publish.open_data_page(s.archive.figures, s.archive.tracker.all, s.archive.refs, s.canvas(routes.OPEN_DATA_SRC)),
    "promise-tracker": lambda s: _marker("commitments", "", routes.PLAN_SRC, s),  # bars, filters, every promise, the targets' detail
    "promise-issuer-page": lambda s: _marker("promises", "xupu-edu", routes.issuer_src("xupu-edu"), s),
    "report-promises": lambda s: "\n\n".join(promise_pages.report_sections(  # timelines and answers
        s.archive.tracker.set_by.get(GWR_2016, []), s.archive.tracker.answered_by.get(GWR_2016, []), s.archive.refs, s.canvas(GWR_2016))),
}


@pytest.mark.parametrize("block", BLOCKS)
def test_a_block_is_what_its_template_lays_out(site: Site, block: str) -> None:
    actual = BLOCKS[block](site) + "\n"
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


def test_templates_escape_what_they_show(site: Site) -> None:
    """A template cannot forget to escape: a string from the data is text in every block."""
    report = site.archive.reports[XUPU]
    hostile = dataclasses.replace(report, source={**report.source, "note": '<img src=x onerror=alert(1)>', "number": '"><b>'})
    html = render.report_header(hostile, 0, site.archive.refs, site.canvas(XUPU))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<b>" not in html


@pytest.mark.parametrize("module", ["render", "promise_pages", "publish", "layout"])
def test_render_functions_receive_what_they_show_not_the_archive(module: str) -> None:
    """What a page shows is picked from the archive in one place (annals.pages.site); the modules that draw it cannot
    reach the archive: they do not import annals.archive.model, and no parameter of theirs is an Archive."""
    tree = ast.parse((ROOT / "hooks" / "annals" / "pages" / f"{module}.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert [m for m in imported if m and m.startswith("annals.pages.")], "the imports were read"
    assert "annals.archive.model" not in imported
    annotations = [ast.unparse(arg.annotation) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                   for arg in node.args.args + node.args.kwonlyargs if arg.annotation is not None]
    assert annotations and not [a for a in annotations if "Archive" in a]


def test_a_block_on_a_hand_written_page_links_from_that_page(site: Site) -> None:
    """A marker may stand on any page (docs/guide/data.md): its links start from where it is, not from the page
    annals generates for it."""
    html = expand_markers("<!-- annals:opendata -->\n<!-- annals:commitments -->\n", "guide/data.md", site, "docs/guide/data.md")
    assert 'href="../../opendata/figures.csv"' in html  # from guide/data/ (on opendata/index.md it is figures.csv)
    assert 'src="../../assets/annals-promises.js"' in html and 'href="../../bureaus/xupu-edu/"' in html
    assert 'href="figures.csv"' not in html and 'href="../bureaus/' not in html  # as on commitments.md
