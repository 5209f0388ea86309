"""Readers on phones (issue 25, its first part): at 390 px and at 1366 px no page is wider than the
screen, a table that carries a verdict or a figure fits its column, and the verdict is in view."""

from __future__ import annotations

from pathlib import Path

import browser
import pytest
from conftest import run_build
from test_publish import SAID_READY

PAGES = ("", "reports/", "reports/2016/", "reports/2016/state-council-government-work-report/",
         "reports/2021/xupu-edu-h1-midyear-summary/", "indicators/", "indicators/gdp_growth/", "commitments/",
         "commitments/issuer/district-edu/", "reports/2015/state-council-government-work-report/",
         "bureaus/state-council/", "opendata/", "search/?q=城镇新增就业", "said/?q=大班额", "about/", "404.html")

MEASURE = """
const doc = document.documentElement;
const tables = [...document.querySelectorAll('.annals-table-wrap table.annals-stack')].map(t => {
  const wrap = t.closest('.annals-table-wrap');
  return [t.getBoundingClientRect().width, wrap.clientWidth];
});
const verdicts = [...document.querySelectorAll('table.annals-stack .annals-verdict')].map(c => {
  const r = c.getBoundingClientRect();
  return [r.left, r.right];
});
return {scroll: doc.scrollWidth, width: window.innerWidth, tables, verdicts};
"""


@pytest.mark.parametrize("width", [390, 1366], ids=["phone", "desktop"])
def test_nothing_is_wider_than_the_screen_and_the_verdict_is_in_view(sample_site: Path, tmp_path: Path, width: int) -> None:
    browser.require()
    wide: dict[str, object] = {}
    seen_verdicts = 0
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=width, height=844 if width < 500 else 900) as driver:
        for url in PAGES:
            driver.get(base + url)
            if url.startswith("said/"):  # its passages come in once found
                driver.execute_async_script(SAID_READY)
            found = driver.execute_script(MEASURE)
            assert found["width"] == width, "the viewport is the phone's, not headless Chromium's 500 px minimum"
            if found["scroll"] > width:
                wide[url or "home"] = f"page {found['scroll']} px"
            if bad := [t for t in found["tables"] if t[0] > t[1] + 1]:
                wide[url or "home"] = f"tables wider than their column: {bad}"
            if off := [v for v in found["verdicts"] if v[0] < 0 or v[1] > width]:
                wide[url or "home"] = f"verdicts out of view: {off}"
            seen_verdicts += len(found["verdicts"])
    assert not wide, wide
    assert seen_verdicts > 50, "the pages measured carry verdicts and figures"


def test_on_a_phone_each_row_is_a_card_with_the_verdict_first(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + "commitments/")
        row = driver.find_element("css selector", "table.annals-plan tbody tr")
        cells = sorted(row.find_elements("css selector", "td"), key=lambda c: c.rect["y"])
        assert cells[0].get_attribute("class") == "annals-lead" and cells[1].get_attribute("class") == "annals-verdict"
        before = "return getComputedStyle(arguments[0], '::before').content"
        assert driver.execute_script(before, cells[1]) == '"完成情况"'
        assert any(cells[1].text.startswith(s) for s in ("已完成", "未完成", "未给出结果", "尚未核对", "尚无后续报告", "基本完成", "无法比较", "未公开"))
        assert driver.execute_script(before, cells[2]) == '"时期"'


def test_a_report_has_its_outline_one_tap_away(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + "reports/2016/state-council-government-work-report/")
        outline = driver.find_element("css selector", "details.annals-outline")
        assert outline.is_displayed() and outline.rect["y"] < 844, "on the first screen"
        outline.find_element("tag name", "summary").click()
        link = outline.find_element("link text", "三、2016年重点工作")
        link.click()
        target = driver.execute_script("return document.getElementById(location.hash.slice(1)).textContent")
        assert target.startswith("三、2016年重点工作")
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "wide", width=1366, height=900) as driver:
        driver.get(base + "reports/2016/state-council-government-work-report/")
        assert not driver.find_element("css selector", "details.annals-outline").is_displayed(), "Material's own table of contents is there"


def test_readers_see_chinese_and_no_internal_names(sample_site: Path) -> None:
    import re

    not_found = (sample_site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面（404）" in not_found and 'name="q"' in not_found and "404 - Not found" not in not_found
    assert all(f'href="/archive/{p}"' in not_found for p in ("", "reports/", "indicators/", "commitments/", "opendata/"))
    for html_file in sorted(sample_site.rglob("index.html")):
        html = html_file.read_text(encoding="utf-8")
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<code>.*?</code>", "", html, flags=re.S)
        shown = re.sub(r"<[^>]+>", " ", text)
        assert "Made with" not in shown and "Permanent link" not in html, html_file
        assert not re.search(r"seeds/|samples/|\.txt\b|data/(?:figures|indicators)|[a-z]+_[a-z_]+\d*\b", shown), \
            (html_file, re.findall(r"seeds/\S+|samples/\S+|\S+\.txt|data/\S+|[a-z]+_[a-z_]+", shown)[:5])


CHART = """
    const svg = document.querySelector('svg.annals-chart');
    const texts = [...svg.querySelectorAll('text')];
    const size = t => parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const boxes = [...svg.querySelectorAll('text.annals-value')].map(t => t.getBoundingClientRect());
    const marks = [...svg.querySelectorAll('circle, rect')].map(c => c.getBoundingClientRect());
    const overlaps = boxes.filter(b => marks.some(m => m.left < b.right && b.left < m.right && m.top < b.bottom && b.top < m.bottom));
    return {smallest: Math.min(...texts.map(size)), unit: svg.querySelector('.annals-unit').textContent,
            ticks: [...svg.querySelectorAll('.annals-tick')].map(t => t.textContent), overlaps: overlaps.length};
"""


@pytest.mark.parametrize("indicator", ["gdp_growth", "cpi", "urban_new_jobs", "urban_registered_unemployment",
                                       "energy_intensity_reduction", "rural_poverty_reduction", "deficit_ratio"])
def test_charts_are_legible_on_a_phone(sample_site: Path, tmp_path: Path, indicator: str) -> None:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + f"indicators/{indicator}/")
        found = driver.execute_script(CHART)
        assert found["smallest"] >= 11, found
        assert found["unit"].startswith("单位：")
        assert all(len(t.split(".")[-1]) <= 1 or "." not in t for t in found["ticks"]), found["ticks"]  # 6.5, 7: not 6.85
        assert found["overlaps"] == 0, f"a value label drawn over a marker: {found}"


def test_a_series_of_one_value_is_that_value_not_a_chart(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + "indicators/special_post_teachers_recruited/")
        assert not driver.find_elements("css selector", "svg.annals-chart")
        assert driver.find_element("css selector", ".annals-chart-single").text.endswith("2021年上半年：结果 166名")


LANDED = """const m = document.querySelectorAll('mark.annals-landing'); if (!m.length) return null;
const b = m[0].getBoundingClientRect(); return [[...m].map(x => x.textContent).join(''), b.top, b.bottom, window.innerHeight];"""


@pytest.mark.parametrize("width", [390, 1366], ids=["phone", "desktop"])
def test_a_search_result_lands_on_the_words_it_found(sample_site: Path, tmp_path: Path, width: int) -> None:
    """Each result links to its passage: the term is marked there and in view (not the top of its section,
    which can be screens above). 1314万人 crosses a linked number in the page."""
    browser.require()
    from selenium.webdriver.support.ui import WebDriverWait

    landed = 0
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=width, height=844 if width < 500 else 900) as driver:
        for query in ("供给侧结构性改革", "安全隐患", "大班额", "1314万人"):
            driver.get(base + "search/")
            count = len(browser.search(driver, query)["links"])
            for i in range(min(count, 3)):
                driver.get(base + "search/")
                browser.search(driver, query)
                driver.find_elements("css selector", "a.annals-hit__title")[i].click()
                found = WebDriverWait(driver, 10).until(lambda d: (r := d.execute_script(LANDED)) and 0 <= r[1] and r[2] <= r[3] and r)
                assert found[0] == query, found
                landed += 1
    assert landed >= 8


def test_on_a_phone_the_magnifier_opens_search_ready_to_type(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base)
        assert not driver.find_element("css selector", ".annals-header-search__input").is_displayed()
        driver.find_element("css selector", ".annals-header-search__button").click()
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, 10).until(lambda d: "/search/" in d.current_url and d.execute_script(
            "return document.readyState === 'complete' && document.activeElement && document.activeElement.name") == "q")


def test_every_place_of_a_report_that_holds_the_term_is_listed_folded(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    from selenium.webdriver.support.ui import WebDriverWait

    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + "search/")
        browser.search(driver, "城镇新增就业")
        folded = [d for d in driver.find_elements("css selector", ".annals-hit details.annals-hit__more")]
        assert folded and all(not d.get_attribute("open") for d in folded), "listed, folded"
        summary = folded[0].find_element("tag name", "summary")
        count = int(summary.text.removeprefix("本报告另有 ").removesuffix(" 处"))
        summary.click()
        places = folded[0].find_elements("css selector", "ol > li")
        assert len(places) == count and all("城镇新增就业" in p.find_element("tag name", "mark").text for p in places)
        places[-1].find_element("tag name", "a").click()
        found = WebDriverWait(driver, 10).until(lambda d: (r := d.execute_script(LANDED)) and 0 <= r[1] and r[2] <= r[3] and r)
        assert found[0] == "城镇新增就业"


WIDE_TABLE = "\n\n| " + " | ".join(f"第{i}列说明文字" for i in range(12)) + " |\n|" + "---|" * 12 + "\n| " + " | ".join("一二三四五六七八" for _ in range(12)) + " |\n"
SCROLLER = """const box = document.querySelector('.md-typeset__scrollwrap'), hint = box.previousElementSibling;
return {page: document.documentElement.scrollWidth, box: [box.clientWidth, box.scrollWidth], tabindex: box.tabIndex,
        label: box.getAttribute('aria-label'), hint: hint.classList.contains('annals-scroll-hint') && !hint.hidden ? hint.textContent : null};"""


def test_a_table_wider_than_the_phone_scrolls_in_its_box_and_says_so(archive_copy: Path, tmp_path: Path) -> None:
    """A bureau's own Markdown table (about.md) cannot be cut into cards: it scrolls inside one box that says it does,
    and the box can be scrolled by keyboard; the page itself is never wider than the screen."""
    browser.require()
    about = archive_copy / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + WIDE_TABLE, encoding="utf-8")
    assert run_build(archive_copy, tmp_path / "site").returncode == 0
    with browser.serve(tmp_path / "site") as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + "about/")
        from selenium.webdriver.support.ui import WebDriverWait

        found = WebDriverWait(driver, 10).until(lambda d: (r := d.execute_script(SCROLLER)) and r["hint"] and r)
        assert found["page"] == 390 and found["box"][1] > found["box"][0]
        assert found["hint"] == "表格较宽：可左右滑动查看 →" and found["tabindex"] == 0 and found["label"] == "表格，可左右滑动"
