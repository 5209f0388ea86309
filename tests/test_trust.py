"""What the build guarantees: the same bytes from the same input, every string escaped,
no request to another origin, and nothing of the repository lost when a build fails."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import struct
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import browser
import pytest
from conftest import copy_archive, page, run_build

# ------------------------------------------------------------------ same input, same bytes


def _digests(root: Path) -> dict[str, str]:
    """Every file below ``root`` (but Python's caches) and a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    """Two checkouts in different places, built at different times, give the same site."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    sites = []
    for n in (1, 2):
        project = copy_archive(tmp_path / f"checkout-{n}")
        result = run_build(project, tmp_path / f"site-{n}", env=env)
        assert result.returncode == 0, result.stderr
        sites.append(_digests(tmp_path / f"site-{n}"))
    assert len(sites[0]) > 100
    assert sum(name.endswith(".bin") for name in sites[0]) > 10 and "search/manifest.json" in sites[0]  # the search index too
    differing = sorted(name for name in sites[0].keys() | sites[1].keys() if sites[0].get(name) != sites[1].get(name))
    assert not differing, differing[:10]


def _gzip_date(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(struct.unpack("<I", path.read_bytes()[4:8])[0], dt.UTC).date()


def test_dates_come_from_the_data_or_source_date_epoch(sample_site: Path, tmp_path: Path) -> None:
    # The newest sample report is dated 2022: not the day the tests run.
    assert "SOURCE_DATE_EPOCH" in os.environ or _gzip_date(sample_site / "sitemap.xml.gz") == dt.date(2022, 1, 1)
    site = tmp_path / "site"
    project = copy_archive(tmp_path / "archive")
    result = run_build(project, site, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    assert _gzip_date(site / "sitemap.xml.gz") == dt.date(2023, 11, 14)


# ------------------------------------------------------------------ escaping

PAYLOAD = '"><script>annals_xss()</script><img src=x onerror=annals_xss()>'
HOSTILE = re.compile(r"<script>annals_xss|<img src=x onerror", re.I)


def _plant(project: Path) -> None:
    """Put the payload in every kind of string a data file or front matter holds."""
    def edit(rel: str, old: str, new: str) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    quoted = json.dumps(PAYLOAD, ensure_ascii=False)
    edit("data/bureaus.yml", "  name: 国务院\n", f"  name: {json.dumps('国务院' + PAYLOAD, ensure_ascii=False)}\n")
    edit("data/bureaus.yml", "  note: 政府工作报告由", f"  short_name: {json.dumps('国务院' + PAYLOAD, ensure_ascii=False)}\n  note: {quoted}\n  # 政府工作报告由")
    edit("data/indicators.yml", "  name: 国内生产总值增长\n", f"  name: {json.dumps('国内生产总值增长' + PAYLOAD, ensure_ascii=False)}\n")
    edit("data/indicators.yml", "  group: 宏观经济\n  higher_is_better: true\n  headline: true\n",
         f"  group: {json.dumps('宏观经济' + PAYLOAD, ensure_ascii=False)}\n  higher_is_better: true\n  headline: true\n")
    edit("data/indicators.yml", "  definition: 国内生产总值（GDP）", f"  definition: {quoted}\n  #")
    report = "docs/reports/2016/state-council-government-work-report.md"
    edit(report, 'title: "2016年政府工作报告"', f"title: {json.dumps('2016年政府工作报告' + PAYLOAD, ensure_ascii=False)}")
    edit(report, '  file: "samples/gwr/2016.txt"', f'  file: {quoted}\n  number: {quoted}')
    edit(report, '  note: "国务院政府工作报告', f'  note: "{PAYLOAD.replace(chr(34), "")}国务院政府工作报告')
    edit("data/figures/2014/state-council-government-work-report.yml", '    label: "再取消和下放行政审批事项200项以上"\n',
         f"    label: {json.dumps('再取消和下放行政审批事项' + PAYLOAD, ensure_ascii=False)}\n    note: {quoted}\n")
    edit("data/figures/2015/state-council-government-work-report.yml", '    note: "全年取消和下放246项，超过200项。"\n', f"    note: {quoted}\n")
    edit("data/figures/2017/state-council-government-work-report.yml",
         "    value: 6.7\n    quote: 国内生产总值达到74.4万亿元，增长6.7%\n",
         f"    value: 6.7\n    quote: 国内生产总值达到74.4万亿元，增长6.7%\n    note: {quoted}\n    basis: {quoted}\n")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = copy_archive(root / "archive")
    _plant(project)
    result = run_build(project, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


# One page of each kind the hooks generate or fill in.
PAGE_KINDS = {
    "report page": "reports/2016/state-council-government-work-report",
    "report page with the figure's note and basis": "reports/2017/state-council-government-work-report",
    "indicator page (chart, series, quotes, targets)": "indicators/gdp_growth",
    "indicator list": "indicators",
    "year page": "reports/2016",
    "archive list": "reports",
    "issuer page": "bureaus/state-council",
    "promise tracker": "commitments",
    "promise tracker, an issuer's page": "commitments/issuer/state-council",
    "report page with promises": "reports/2014/state-council-government-work-report",
    "home page": "",
    "search page (filters)": "search",
    "open data page": "opendata",
}


@pytest.mark.parametrize("url", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_strings_from_data_and_front_matter_are_shown_as_text(hostile_site: Path, url: str) -> None:
    html = page(hostile_site, url)
    assert "annals_xss" in html, "the payload should reach this page, as text"
    assert not HOSTILE.search(html), HOSTILE.search(html)
    assert "&lt;script&gt;annals_xss()&lt;/script&gt;" in html


# Each kind of generated block, where a string from data or front matter lands in it.
BLOCKS = [
    ("reports/2016/state-council-government-work-report", "annals-meta"),
    ("reports/2016/state-council-government-work-report", "annals-source-note"),
    ("reports/2016/state-council-government-work-report", "annals-figures"),
    ("reports/2016/state-council-government-work-report", "annals-plan"),
    ("reports/2017/state-council-government-work-report", "annals-figures"),
    ("indicators/gdp_growth", "annals-chart"),
    ("indicators/gdp_growth", "annals-compare"),
    ("indicators/gdp_growth", "annals-quotes"),
    ("indicators/gdp_growth", "annals-plan"),
    ("indicators", "annals-indicator-list"),
    ("commitments", "annals-plan"),
    ("commitments", "annals-promise annals-promise-"),
    ("commitments/issuer/state-council", "annals-promise annals-promise-"),
    ("reports/2014/state-council-government-work-report", "annals-promise annals-promise-"),
    ("reports/2015/state-council-government-work-report", "annals-answers"),
    ("reports/2016", "annals-report-list"),
    ("reports", "annals-bureaus"),
    ("bureaus/state-council", "annals-report-list"),
    ("", "annals-headlines"),
    ("", "annals-report-list"),
    ("opendata", "annals-indicator-downloads"),
]
_END = re.compile(r"</(?:table|svg|dl|ul|ol|p)>")


@pytest.mark.parametrize(("url", "block"), BLOCKS, ids=[f"{u or 'home'} {b}" for u, b in BLOCKS])
def test_each_generated_block_shows_the_payload_as_text(hostile_site: Path, url: str, block: str) -> None:
    html = page(hostile_site, url)
    start = html.find(f'class="{block}')
    assert start >= 0, f"no {block} on {url or 'home'}"
    end = _END.search(html, start)
    assert end, block
    assert "&lt;script&gt;annals_xss()&lt;/script&gt;" in html[start:end.end()]


def test_the_search_index_and_texts_hold_the_payload_as_data(hostile_site: Path) -> None:
    texts = [json.loads(p.read_text(encoding="utf-8")) for p in (hostile_site / "search").glob("*/*.json")]
    assert any(PAYLOAD in t["title"] and PAYLOAD in t["issuer"] for t in texts)
    for path in hostile_site.rglob("*"):
        if path.suffix in {".html", ".xml", ".svg", ".js"}:
            assert not HOSTILE.search(path.read_text(encoding="utf-8")), path


def test_a_search_result_shows_the_payload_as_text(hostile_site: Path, tmp_path: Path) -> None:
    browser.require()
    with browser.serve(hostile_site) as base, browser.chromium(tmp_path / "profile") as driver:
        driver.get(base + "search/?q=国内生产总值")
        result = browser.search(driver, "国内生产总值")
        assert "error" not in result and result["links"], result
        titles = [a.text for a in driver.find_elements("css selector", ".annals-hit__title")]
        assert any("<script>annals_xss()</script>" in t for t in titles), titles
        assert driver.execute_script("return typeof window.annals_xss_ran") == "undefined"
        assert not driver.find_elements("css selector", ".annals-hit img[src='x']")


# ------------------------------------------------------------------ no request leaves the site


def _requests(driver: Any, base: str) -> list[str]:
    """Every request made since the last call by a page of ``base`` (not the browser's own pages)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent" and message["params"]["documentURL"].startswith(base):
            urls.append(message["params"]["request"]["url"])
    return urls


def _outside(urls: list[str], base: str) -> list[str]:
    own = urlparse(base).netloc
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != own]


def test_no_page_asks_another_origin_for_anything(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "index.html").write_text(
        '<!doctype html><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<img src="http://cdn.example.invalid/x.png">', encoding="utf-8")
    with browser.chromium(tmp_path / "profile", log_requests=True) as driver:
        # The recorder sees requests that fail: a page that asks another origin is caught.
        with browser.serve(probe) as base:
            driver.get(base)
            assert len(_outside(_requests(driver, base), base)) == 2
        with browser.serve(sample_site) as base:
            seen: dict[str, list[str]] = {}
            for url in ("", "reports/2016/state-council-government-work-report/", "indicators/gdp_growth/",
                        "commitments/", "search/?q=城镇新增就业"):
                driver.get(base + url)
                if url.startswith("search"):
                    result = browser.search(driver, "城镇新增就业 1000万人")
                    assert result["links"], result
                seen[url] = _requests(driver, base)
            assert all(seen.values()), "every page loads its styles and scripts"
            assert any("/postings/" in u for u in seen["search/?q=城镇新增就业"]), "the search ran"
            outside = {url: _outside(urls, base) for url, urls in seen.items() if _outside(urls, base)}
            assert not outside, outside


# ------------------------------------------------------------------ no damage


def test_a_failed_build_keeps_the_repository_and_the_last_good_site(archive_copy: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run_build(archive_copy, site).returncode == 0
    published = _digests(site)
    figures = archive_copy / "data/figures/2021/xupu-edu-h1-midyear-summary.yml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("value: 166", "value: 167"), encoding="utf-8")
    before = _digests(archive_copy)
    result = run_build(archive_copy, site)
    assert result.returncode != 0 and "value 167名 与引文中的数字不符" in result.stderr
    assert _digests(archive_copy) == before, "the build changed the repository"
    assert _digests(site) == published, "a failed build must leave the last good site as it was"


def test_a_site_dir_over_the_sources_is_refused(archive_copy: Path) -> None:
    before = _digests(archive_copy)
    for target in (archive_copy, archive_copy / "docs"):
        result = run_build(archive_copy, target)
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert _digests(archive_copy) == before


def test_a_project_reached_through_a_link_builds(archive_copy: Path, tmp_path: Path) -> None:
    """A checkout behind a symbolic link (a deploy folder, a mounted volume) builds as the real folder does."""
    linked = tmp_path / "linked"
    linked.symlink_to(archive_copy, target_is_directory=True)
    result = run_build(tmp_path, tmp_path / "site", "-f", str(linked / "mkdocs.yml"))  # -f: the link stays in the path
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "site" / "reports" / "index.html").is_file()
