"""历年说法 (issue 25): for a term, what each year's reports said of it, in headless Chromium: the reports are exactly
those the search finds, grouped by year (newest first) and issuer, each sentence marked and linked to its own place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import browser
import pytest
from conftest import ROOT, page
from test_search import QUERIES, compared, expected

WAIT = """const done = arguments[0];
const board = document.querySelector('.annals-said');
(async () => { while (board.getAttribute('aria-busy') !== 'false') await new Promise(r => setTimeout(r, 20)); done(true); })();"""

READ = """
const years = [...document.querySelectorAll('.annals-said-year')].map(section => ({
  year: section.dataset.key,
  heading: section.querySelector('h2').textContent,
  issuers: [...section.querySelectorAll('.annals-said-issuer')].map(group => ({
    issuer: group.querySelector('h3').textContent,
    reports: [...group.querySelectorAll('.annals-said-report')].map(report => ({
      url: report.querySelector('.annals-said-title').getAttribute('href'),
      date: report.dataset.key,
      passages: [...report.querySelectorAll('blockquote')].map(q => ({
        text: q.textContent, marks: [...q.querySelectorAll('mark')].map(m => m.textContent),
        link: q.parentElement.querySelector('a.annals-said-where').getAttribute('href')})),
    })),
  })),
}));
const chart = [...document.querySelectorAll('.annals-said-chart li')].map(li =>
  [li.dataset.key, li.querySelector('.annals-said-count').textContent, li.querySelector('.annals-said-bar > span').getBoundingClientRect().width]);
return {years, chart, status: document.querySelector('.annals-said-status').textContent,
        wide: document.documentElement.scrollWidth > window.innerWidth};
"""


@pytest.fixture(scope="module")
def phone(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path_factory.mktemp("said"), width=390, height=844) as driver:
        yield driver, base


def said(driver: Any, base: str, query: str, **filters: str) -> dict[str, Any]:
    from urllib.parse import urlencode

    driver.get(base + "said/?" + urlencode({"q": query, **filters}))
    driver.execute_async_script(WAIT)
    return driver.execute_script(READ)


def reports_of(found: dict[str, Any], base: str) -> set[str]:
    return {r["url"].removeprefix(base).split("?")[0].split("#")[0]
            for y in found["years"] for g in y["issuers"] for r in g["reports"]}


def test_the_page_is_built_with_its_form(sample_site: Path) -> None:
    html = page(sample_site, "said")
    assert "<h1" in html and "历年说法" in html and 'class="annals-said-form annals-search-form"' in html
    assert '<option value="国务院">' in html and 'data-counts="{&quot;2022&quot;:' in html  # the years' reports, as text


def test_each_year_says_what_its_reports_said_newest_first(phone: Any) -> None:
    driver, base = phone
    found = said(driver, base, "大班额")
    assert not found["wide"], "nothing wider than the phone's screen"
    want = expected("大班额")
    assert reports_of(found, base) == want and len(want) >= 5
    years = [y["year"] for y in found["years"]]
    assert years == sorted(years, reverse=True) and len(years) >= 3
    total = 0
    for year in found["years"]:
        count = sum(len(r["passages"]) for g in year["issuers"] for r in g["reports"])
        reports = sum(len(g["reports"]) for g in year["issuers"])
        assert year["heading"] == f"{year['year']}年：{count} 处，{reports} 篇报告"
        assert [g["issuer"] for g in year["issuers"]] == sorted(g["issuer"] for g in year["issuers"])
        for group in year["issuers"]:
            dates = [r["date"] for r in group["reports"]]
            assert dates == sorted(dates, reverse=True)
            for report in group["reports"]:
                assert report["passages"], report["url"]
                for passage in report["passages"]:
                    assert passage["marks"] and all(compared(m) == "大班额" for m in passage["marks"]), passage
                    assert len(passage["text"]) < 400, "a sentence, not the whole section"
        row = next(r for r in found["chart"] if r[0] == year["year"])
        assert row[1].startswith(f"{count} 处（{reports}/") and row[2] > 0
        total += count
    assert found["status"] == f"{len(want)} 篇报告提到“大班额”，共 {total} 处。"
    silent = [r for r in found["chart"] if r[0] not in years]
    assert silent and all(r[1].startswith("没有找到这个词") and r[2] == 0 for r in silent), "a year without the term says so"
    widths = {r[0]: r[2] for r in found["chart"]}
    most = max(found["years"], key=lambda y: sum(len(r["passages"]) for g in y["issuers"] for r in g["reports"]))
    assert widths[most["year"]] == max(widths.values()), "the longest bar is the year that said it most"


@pytest.mark.parametrize("query", [q for q in QUERIES if " " not in q][:12] + ["各位代表：现在，我代表国务院", "国务院总理李克强", "火星基地"])
def test_the_same_reports_as_the_search(phone: Any, query: str) -> None:
    driver, base = phone
    found = said(driver, base, query)
    assert reports_of(found, base) == expected(query), query
    if not expected(query):
        assert found["status"] == f"没有找到这个词：没有报告逐字含有“{query}”。"
        assert all(r[1].startswith("没有找到这个词") for r in found["chart"])


RELATED = """return {rows: Object.fromEntries([...document.querySelectorAll('.annals-said-chart li')].map(li =>
  [li.dataset.key, li.querySelector('.annals-said-count').textContent])),
  related: [...document.querySelectorAll('.annals-said-related li')].map(li => ({text: li.textContent,
    href: li.querySelector('a').getAttribute('href')}))};"""


def test_a_year_that_words_it_differently_is_not_said_to_be_silent(phone: Any) -> None:
    """棚户区改造: the 2016–2018 reports say 棚户区住房改造 and 棚改, not the term. Their years read 没有找到这个词 (never
    未提到), with the related wordings that do occur counted apart, each a link to its own years."""
    driver, base = phone
    said(driver, base, "棚户区改造", issuer="国务院")
    found = driver.execute_script(RELATED)
    for year in ("2016", "2017", "2018"):
        assert found["rows"][year].startswith("没有找到这个词") and "相关说法" in found["rows"][year], found["rows"]
    assert found["rows"]["2014"].startswith("1 处") and "未提到" not in " ".join(found["rows"].values())
    by_wording = {item["text"].split("：")[0]: item for item in found["related"]}
    assert {"棚户区住房改造", "棚改"} <= set(by_wording), found["related"]  # the term's characters spaced; the listed variant
    assert "棚户区改造" not in by_wording, "the term itself is not a related wording"
    assert by_wording["棚户区住房改造"]["text"].startswith("棚户区住房改造：共 7 处") and "2016年 3 处" in by_wording["棚户区住房改造"]["text"]
    assert by_wording["棚改"]["href"].startswith("?q=%E6%A3%9A%E6%94%B9")


def test_every_place_is_listed_the_text_before_the_first_heading_too(phone: Any) -> None:
    """各位代表 opens each government work report (各位代表：, before any heading) and recurs in its sections
    (各位代表！): every one is a sentence of its own on the page, the opening one linked to the top of the report."""
    driver, base = phone
    found = said(driver, base, "各位代表")
    reports = {r["url"].removeprefix(base).split("?")[0]: r for y in found["years"] for g in y["issuers"] for r in g["reports"]}
    assert len(reports) == 6
    for url, report in reports.items():
        source = (ROOT / "docs" / url.rstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
        assert len(report["passages"]) == source.count("各位代表"), url
        assert "#" not in report["passages"][0]["link"] and report["passages"][0]["text"].startswith("各位代表：")


def test_an_issuer_and_its_years(phone: Any) -> None:
    driver, base = phone
    found = said(driver, base, "城镇新增就业", issuer="国务院")
    assert {g["issuer"] for y in found["years"] for g in y["issuers"]} == {"国务院"}
    assert [r[0] for r in found["chart"]] == [str(y) for y in range(2019, 2013, -1)], "only the years it has reports in"


# The marked words, where they are on screen, and the sentence they stand in (to 。！？ either side, in their paragraph).
LANDED = """const m = [...document.querySelectorAll('mark.annals-landing')]; if (!m.length) return null;
const b = m[0].getBoundingClientRect(), block = m[0].closest('p, li');
const before = document.createRange(), after = document.createRange();
before.setStart(block, 0); before.setEndBefore(m[0]); after.setStartAfter(m[m.length - 1]); after.setEnd(block, block.childNodes.length);
const words = m.map(x => x.textContent).join('');
const sentence = before.toString().split(/(?<=[。！？])/).pop() + words + after.toString().split(/(?<=[。！？])/)[0];
return [words, b.top, b.bottom, window.innerHeight, sentence];"""


def test_each_sentence_links_to_its_own_place(phone: Any) -> None:
    """Three sentences of one section: each link lands on its own sentence, not on the section's first."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver, base = phone
    found = said(driver, base, "大班额")
    passages = [p for y in found["years"] for g in y["issuers"] for r in g["reports"] for p in r["passages"]]
    nth = [p for p in passages if "&n=" in p["link"]]
    assert nth, "a section with several sentences that hold the term"
    for passage in [*nth[:3], passages[0]]:
        driver.get(passage["link"])
        landed = WebDriverWait(driver, 10).until(lambda d: (r := d.execute_script(LANDED)) and 0 <= r[1] and r[2] <= r[3] and r)
        assert compared(landed[0]) == "大班额"
        assert compared(landed[4]) == compared(passage["text"]), (passage["text"], landed[4])


def test_the_search_page_links_its_terms_here(phone: Any) -> None:
    driver, base = phone
    driver.get(base + "search/")
    browser.search(driver, "大班额 化解")
    link = driver.find_element("css selector", ".annals-said-link a")
    assert link.is_displayed() and re.search(r"said/\?q=%E5%A4%A7.*\+", link.get_attribute("href"))
    link.click()
    driver.execute_async_script(WAIT)
    assert driver.execute_script(READ)["status"].startswith(f"{len(expected('大班额 化解'))} 篇报告提到“大班额”“化解”")
