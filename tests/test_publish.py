"""Publishing: open data, the feed, the sitemap, what search engines and shares see,
a site under a sub-path, printing, and accessibility (axe-core) in headless Chromium."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import browser
import jsonschema
import pytest
from annals.archive.model import load_archive
from annals.data.settings import Settings
from annals.pages.publish import COLUMNS
from conftest import AXE_RUN, README_TEST_COMMAND, ROOT, SITE_URL, page

ARCHIVE = load_archive(ROOT, ROOT / "docs", ROOT / "data")
GWR_2016 = "reports/2016/state-council-government-work-report/"


def _csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# ------------------------------------------------------------------ open data


def test_every_figure_is_downloadable_as_csv_and_json(sample_site: Path) -> None:
    rows = _csv(sample_site / "opendata/figures.csv")
    assert len(rows) == len(ARCHIVE.figures) == 123
    assert list(rows[0]) == [c for c, _, _ in COLUMNS]
    doc = json.loads((sample_site / "opendata/figures.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads((sample_site / "opendata/schema.json").read_text(encoding="utf-8")))
    assert doc["schema"] == SITE_URL + "opendata/schema.json"
    as_text = [{k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in r.items()} for r in doc["figures"]]
    assert as_text == rows, "the CSV and the JSON hold the same figures"


def test_a_target_row_says_how_it_turned_out_and_links_to_its_sentence(sample_site: Path) -> None:
    rows = _csv(sample_site / "opendata/figures.csv")
    (gdp,) = [r for r in rows if r["indicator"] == "gdp_growth" and r["period"] == "2016" and r["type"] == "target"]
    assert (gdp["value"], gdp["value_low"], gdp["value_high"], gdp["unit"]) == ("", "6.5", "7", "%")
    assert gdp["status"] == "kept" and gdp["status_reason"]
    assert gdp["issuer_name"] == "国务院" and gdp["quote"] == "国内生产总值增长6.5%－7%"
    url = urlparse(gdp["report_url"])
    assert gdp["report_url"].startswith(SITE_URL + GWR_2016)
    assert f'id="{url.fragment}"' in page(sample_site, GWR_2016)
    redacted = [r for r in rows if r["disclosed"] == "false"]
    assert redacted and all(r["value"] == "" for r in redacted)


def test_one_file_per_indicator_linked_from_its_page_and_the_home_page(sample_site: Path) -> None:
    total = 0
    for indicator in {f.indicator for f in ARCHIVE.figures}:
        rows = _csv(sample_site / f"opendata/indicators/{indicator}.csv")
        assert rows and {r["indicator"] for r in rows} == {indicator}
        total += len(rows)
        assert f'href="../../opendata/indicators/{indicator}.csv"' in page(sample_site, f"indicators/{indicator}")
    assert total == 123
    home = page(sample_site, "")
    assert 'href="opendata/"' in home and 'href="feed.xml"' in home
    assert "全部数据（123 条）" in page(sample_site, "opendata") and "status_reason" in page(sample_site, "opendata")


# ------------------------------------------------------------------ feed, sitemap, descriptions

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_lists_the_newest_reports_first(sample_site: Path) -> None:
    feed = ET.parse(sample_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(Settings().feed_entries, len(ARCHIVE.reports)) == 11
    dates = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert dates == sorted(dates, reverse=True) and feed.findtext(f"{ATOM}updated") == dates[0]
    first = entries[0]
    assert first.find(f"{ATOM}author/{ATOM}name").text and first.find(f"{ATOM}category").get("label") == "年度工作总结"  # type: ignore[union-attr]
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href") or ""  # type: ignore[union-attr]
        assert link.startswith(SITE_URL) and (sample_site / link.removeprefix(SITE_URL) / "index.html").is_file()


def test_the_sitemap_lists_every_page_with_the_archives_date(sample_site: Path) -> None:
    sitemap = ET.parse(sample_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in sitemap.findall(f"{ns}url")}
    assert SITE_URL + GWR_2016 in urls and SITE_URL + "indicators/cpi/" in urls and SITE_URL + "opendata/" in urls
    if "SOURCE_DATE_EPOCH" not in os.environ:
        assert set(urls.values()) == {"2022-01-01"}  # the newest report's date, not the day of the build


def test_titles_and_descriptions_for_search_engines_and_shares(sample_site: Path) -> None:
    html = page(sample_site, GWR_2016)
    assert "<title>2016年政府工作报告 - 工作报告档案</title>" in html
    assert re.search(r'<meta name="description" content="国务院2016年政府工作报告（2016-03-05）：《2016年政府工作报告》全文，其中 \d+ 项数据', html)
    assert '<meta property="og:type" content="article">' in html and f'<meta property="og:url" content="{SITE_URL + GWR_2016}">' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    cpi = page(sample_site, "indicators/cpi")
    assert '<meta name="description" content="居民消费价格涨幅（%）：历年数据' in cpi and '<meta property="og:type" content="website">' in cpi


# ------------------------------------------------------------------ in a browser


def test_the_site_works_under_a_sub_path(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    prefix = "/" + _under_sub_path(sample_site, tmp_path / "www")  # /archive/
    with browser.serve(tmp_path / "www") as base, browser.chromium(tmp_path / "profile") as driver:
        driver.get(base + prefix.lstrip("/") + "search/?q=城镇新增就业")
        result = browser.search(driver, "城镇新增就业")
        assert result["links"] and all(urlparse(link).path.startswith(prefix) for link in result["links"]), result
        driver.get(result["links"][0])
        assert "城镇新增就业" in driver.find_element("css selector", "article").text
        sent = base.take()
        assert all(path.startswith(prefix) for path in sent), sorted(p for p in sent if not p.startswith(prefix))


def test_a_report_prints_on_a4_as_a_clean_document(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile") as driver:
        driver.get(base + GWR_2016)
        pdf = PdfReader(io.BytesIO(base64.b64decode(driver.print_page(options))))
    assert 5 <= len(pdf.pages) <= 30
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (596, 842)  # A4 in points
    # PDF text uses CJK compatibility forms (⼯ for 工): compare as a reader sees it.
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in pdf.pages))
    assert text.lstrip().startswith("2016年政府工作报告"), "no header or navigation before the title"
    for kept in ("我代表国务院", "本报告数据", "这些目标完成得怎样", "已完成"):
        assert kept in text, kept
    for dropped in ("搜索报告全文", "工作报告档案", "开放数据", "http"):
        assert dropped not in text, dropped


def _under_sub_path(site: Path, root: Path) -> str:
    """Serve ``site`` from ``root`` at the published sub-path (/archive/), as the host does; the prefix to add to URLs.
    404.html's links are absolute to it, as a static host serves that page at any address."""
    prefix = urlparse(SITE_URL).path
    (root / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / prefix.strip("/")).symlink_to(site, target_is_directory=True)
    return prefix.lstrip("/")


SAID_READY = """const done = arguments[0], board = document.querySelector('.annals-said');
(async () => { while (board.getAttribute('aria-busy') !== 'false') await new Promise(r => setTimeout(r, 20)); done(true); })();"""
LIVE_OPEN = """const done = arguments[0], panel = document.querySelector('.annals-live');
(async () => { while (panel.hidden || !panel.querySelector('.annals-hit')) await new Promise(r => setTimeout(r, 20)); done(true); })();"""


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(sample_site: Path, tmp_path: Path, axe_script: str, width: int) -> None:
    """Every page type, the archive index, the 404 page and 历年说法 included; on a desktop, with the header's live
    results open."""
    browser.require()
    found: dict[str, Any] = {}
    prefix = _under_sub_path(sample_site, tmp_path / "www")
    with browser.serve(tmp_path / "www") as base, browser.chromium(tmp_path / "profile", width=width) as driver:
        for url in ("", "reports/", "reports/2016/", GWR_2016, "indicators/", "indicators/gdp_growth/", "search/?q=城镇新增就业",
                    "commitments/", "commitments/issuer/state-council/", "reports/2015/state-council-government-work-report/",
                    "opendata/", "bureaus/state-council/", "about/", "said/?q=大班额", "no-such-page/", "live"):
            driver.get(base + prefix + ("reports/" if url == "live" else url))
            if url.startswith("search"):
                assert browser.search(driver, "城镇新增就业")["links"], "the results are on the page axe checks"
            elif url.startswith("said"):
                driver.execute_async_script(SAID_READY)
                assert driver.find_elements("css selector", ".annals-said-report blockquote mark"), "the passages are on the page axe checks"
            elif url == "no-such-page/":
                driver.get(base + prefix + "404.html")  # what the host serves for an address with no page
                assert "找不到这个页面" in driver.title or "找不到这个页面" in driver.find_element("tag name", "h1").text
            elif url == "live":
                if width < 500:
                    continue  # the header's box is folded into its magnifier on a phone
                driver.find_element("css selector", ".annals-header-search__input").send_keys("大班额")
                driver.execute_async_script(LIVE_OPEN)
            driver.execute_script(axe_script)
            if violations := driver.execute_async_script(AXE_RUN):
                found[url or "home"] = violations
    assert not found, found


def test_the_pages_workflow_tests_then_builds_strictly_then_deploys() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build["steps"]]
    tests = next(i for i, r in enumerate(runs) if ".ci/run" in r)
    strict = next(i for i, r in enumerate(runs) if "docs build --strict" in r)
    assert tests < strict, "the tests run before the build"
    assert build["steps"][strict]["env"]["ANNALS_SITE_URL"], "site_url comes from the Pages address"
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") and s["with"]["path"] == "site" for s in build["steps"])
    assert deploy["needs"] == "build", "deploy only after a build that passed"
    # .ci/run is the README's test command, so the workflow cannot test less than CI.
    assert README_TEST_COMMAND in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()


FORMULAS = ['=HYPERLINK("http://example.com/x","点这里")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "\t=1+1",
            "\r=1+1", "=1+1"]


@pytest.mark.parametrize("formula", FORMULAS, ids=range(len(FORMULAS)))
def test_no_csv_cell_runs_as_a_formula_and_numbers_stay_numbers(formula: str) -> None:
    """Every string column of every download: a cell that starts a formula begins with an apostrophe (OWASP)."""
    from annals.pages.publish import DOWNLOADS, csv_lines

    for key, (columns, _) in DOWNLOADS.items():
        row = {name: (formula if kind == "string" else -6.9 if kind == "number" else None) for name, kind, _ in columns}
        header, line = csv_lines([row], columns)
        cells = next(csv.reader(io.StringIO(line)))
        for (name, kind, _), cell in zip(columns, cells, strict=True):
            if kind == "string":
                assert cell == "'" + formula, (key, name, cell)
            elif kind == "number":
                assert cell == "-6.9", (key, name, cell)
