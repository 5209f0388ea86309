"""Search: exact Chinese terms, measured in headless Chromium against plain substring search."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import browser
import pytest
from annals.archive.model import load_archive
from annals.pages.links import Links
from annals.search import index as search
from annals.search.index import SPAN, normalise, pieces
from conftest import ROOT, copy_archive, page, run_build
from selenium.webdriver.support.ui import WebDriverWait


def key(piece: str) -> int:
    """A piece's key, as ``pieces`` gives it (every character in these tests is below SPAN)."""
    return (ord(piece[0]) + 1) * SPAN + ord(piece[1]) if len(piece) == 2 else ord(piece)


def cut(text: str) -> set[str]:
    """The pieces of a text, as strings."""
    return {chr(k // SPAN - 1) + chr(k % SPAN) if k >= SPAN else chr(k) for k in pieces(normalise(text)).tolist()}


QUERIES = browser.search_queries()


# ------------------------------------------------------------------ ground truth: plain substring search


def compared(text: str) -> str:
    """Text as the reader's terms are compared with it: NFKC, lower case, no invisible characters, no white space
    (a paragraph break or a byline spaced with U+3000 hides no phrase)."""
    return re.sub(r"[\s\u200b]", "", unicodedata.normalize("NFKC", text)).lower()


def _report_texts() -> dict[str, list[str]]:
    """Site URL → the report's words (its title, then each section: heading and body, Markdown marks removed), compared
    as the reader would. A heading is a boundary: a phrase does not run from one section into the next."""
    texts = {}
    for path in sorted((ROOT / "docs" / "reports").glob("*/*.md")):
        source = path.read_text(encoding="utf-8")
        front, body = source.split("\n---\n", 1)
        title = re.search(r'^title:\s*"?(.*?)"?$', front, re.M).group(1)  # type: ignore[union-attr]
        sections = []
        for section in re.split(r"^(?=#+\s)", body, flags=re.M):
            section = re.sub(r"^#+\s+", "", section, flags=re.M)
            section = re.sub(r"\s*\{:[^}]*\}\s*$", "", section, flags=re.M)
            sections.append(compared(re.sub(r"\\(.)", r"\1", section)))
        url = "reports/" + path.relative_to(ROOT / "docs" / "reports").with_suffix("").as_posix() + "/"
        texts[url] = [compared(title), *sections]
    return texts


TEXTS = _report_texts()


def expected(query: str) -> set[str]:
    terms = [t for t in map(compared, query.split()) if t]
    return {url for url, sections in TEXTS.items() if all(any(t in s for s in sections) for t in terms)}


def found(result: dict[str, Any], base: str) -> set[str]:
    assert "error" not in result, result
    return {re.sub(r"[?#].*$", "", link).removeprefix(base) for link in result["links"]}  # the page, not where it lands


# ------------------------------------------------------------------ the building blocks


def test_forms_that_look_alike_normalise_alike() -> None:
    assert normalise("６．５％") == normalise("6.5%") == "6.5%"
    assert normalise("１６６名") == "166名"
    assert normalise("党史\u200b学习\ufeff教育") == "党史学习教育"
    assert normalise("ＧＤＰ") == "gdp"


def test_pieces_are_every_character_and_pair_of_every_run() -> None:
    found = cut("校车安全，166名。")
    assert found == {"校车", "车安", "安全", "校", "车", "安", "全", "16", "66", "6名", "1", "6", "名"}
    assert cut("校车") < cut("学校车队")  # a term's pieces are in any text containing it
    assert cut("a_b-c，𠀀𠀁") == {"a", "b", "c", "𠀀", "𠀁", "𠀀𠀁"}  # "_" is not a letter; astral characters are
    # white space is not there: a phrase runs on over a line break, a paragraph break or U+3000 spacing
    assert cut("总理李克强") <= cut("国务院总理　李克强") and cut("党史学习教育") <= cut("党史学习\n\n教育")


def test_a_decimal_number_is_one_run() -> None:
    """"6.5%" asks for reports with "6.5", not for every report with a 6 and a 5 (each a download to check)."""
    query = {p for p in cut("６．５％") if len(p) == 2}
    assert query <= cut("增长16.5%") and query <= cut("6.5")
    assert not query <= cut("6年5月，6.8%和15%")
    assert cut("2021.") == cut("2021") == cut(".2021")  # a point ending (or starting) a sentence is not part of the number


# ------------------------------------------------------------------ the index's files, read as SEARCH_INDEX.md says


def varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        value |= (data[at] & 0x7F) << shift
        shift += 7
        at += 1
        if not data[at - 1] & 0x80:
            return value, at


def read_index(site: Path) -> tuple[dict[str, Any], dict[int, tuple[set[int], bool]]]:
    """The manifest, and every key's list: the places it names, and whether they are the reports *without* the key."""
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    lists = {}
    for path in sorted((site / manifest["texts"] / "postings").glob("*.bin")):
        data, at, key = path.read_bytes(), 0, -1
        while at < len(data):
            gap, at = varint(data, at)
            head, at = varint(data, at)
            key = gap if key < 0 else key + gap
            assert key % manifest["buckets"] == int(path.stem) and key not in lists, key
            end, places = at + head // 4, set()
            if head & 1:  # a bitmap
                places = {(i - at) * 8 + bit for i in range(at, end) for bit in range(8) if data[i] >> bit & 1}
            else:
                place = 0
                while at < end:
                    step, at = varint(data, at)
                    place += step
                    places.add(place)
            lists[key], at = (places, bool(head & 2)), end
    return manifest, lists


def test_the_build_writes_the_index_and_one_text_per_report(sample_site: Path) -> None:
    manifest, lists = read_index(sample_site)
    assert manifest["format"] == 1 and manifest["reports"] == len(TEXTS)
    assert sorted(p.name for p in (sample_site / "search").iterdir()) == sorted(["index.html", "manifest.json", manifest["texts"].split("/")[1]])
    assert len(list((sample_site / manifest["texts"]).glob("*.json"))) == len(TEXTS)
    assert not (sample_site / "search" / "search_index.json").exists()  # Material's index is off (122 MB at 1,000 reports)
    assert not (sample_site / "pagefind").exists()


def test_each_piece_lists_exactly_the_reports_holding_it(sample_site: Path) -> None:
    """Every list is the ground truth's: a piece most reports hold lists those without it, no list names more
    than half the archive, and each fact lists its reports."""
    manifest, lists = read_index(sample_site)
    texts = {int(p.stem, 36): json.loads(p.read_text(encoding="utf-8")) for p in (sample_site / manifest["texts"]).glob("*.json")}
    everyone = set(texts)
    assert sorted(texts) == list(range(len(TEXTS))) and [t["date"] for _, t in sorted(texts.items())] == sorted(t["date"] for t in texts.values())
    words = {n: [compared(t["title"]), *(compared(h + "\n" + b) for _, h, b in t["sections"])] for n, t in texts.items()}
    kinds = set()
    for piece in ["教育", "工作", "的", "校车", "党史", "16", "车", "大班", "班额", "国务"]:
        holding = {n for n, parts in words.items() if any(piece in part for part in parts)}
        places, without = lists.get(key(piece), (set(), False))
        assert without == (len(holding) * 2 > len(texts)), piece
        assert (everyone - places if without else places) == holding, piece
        kinds.add(without)
    assert kinds == {True, False}
    assert all(len(places) * 2 <= len(texts) for places, _ in lists.values())
    for name in ("year", "kind", "issuer"):
        for value, fact in manifest["facts"][name].items():
            places, without = lists[fact]
            assert (everyone - places if without else places) == {n for n, t in texts.items() if str(t[name]) == value}


def test_every_bucket_is_about_the_size_the_settings_ask(bucketed_site: Path, sample_site: Path) -> None:
    """extra.annals.search_bucket_bytes: the index in many small files, each key in the one its key names."""
    manifest, lists = read_index(bucketed_site)
    files = list((bucketed_site / manifest["texts"] / "postings").glob("*.bin"))
    assert manifest["buckets"] > 100 and len(files) == manifest["buckets"]  # every bucket, empty or not: a query never meets a 404
    assert sum(f.stat().st_size for f in files) / len(files) < 3 * 64
    assert lists == read_index(sample_site)[1]  # the same lists, however they are cut


def test_an_archive_without_reports_still_builds(archive_copy: Path, tmp_path: Path, chromium: Any) -> None:
    """And its search says there is nothing yet, not that something went wrong."""
    for year in (archive_copy / "docs" / "reports").glob("20*"):
        shutil.rmtree(year)
    shutil.rmtree(archive_copy / "data" / "figures")
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "search" / "index.html").is_file()
    with browser.serve(tmp_path / "site") as base:
        chromium.get(base + "search/")
        assert browser.search(chromium, "大班额")["status"] == "档案中还没有报告，暂时没有可以查找的内容。"


def test_every_page_has_the_search_box_in_its_header(sample_site: Path) -> None:
    for url, up in [("", ""), ("reports/2016/state-council-government-work-report", "../../../")]:
        html = page(sample_site, url)
        header = html[html.index("<header"):html.index("</header>")]
        assert (f'<form class="annals-header-search" action="{up}search/" method="get" role="search" aria-label="站内搜索" '
                f'data-said="{up}said/">') in header
        assert 'name="q"' in header
    assert "md-search" not in page(sample_site, "")  # Material's search is off


def test_the_search_page_offers_the_archives_filters(sample_site: Path) -> None:
    html = page(sample_site, "search")
    for option in ['<option value="2019">', '<option value="政府工作报告">', '<option value="溆浦县教育局">', 'value="date-asc"']:
        assert option in html


# ------------------------------------------------------------------ in the browser


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Any:
    browser.require()
    with browser.chromium(tmp_path_factory.mktemp("chromium")) as driver:
        yield driver


@pytest.fixture(scope="session")
def bucketed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with its index in buckets of ~64 bytes (extra.annals.search_bucket_bytes), hundreds of files, as a
    large archive's is in ten thousand."""
    project = copy_archive(tmp_path_factory.mktemp("bucketed") / "archive")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", "extra:\n  annals:\n    search_bucket_bytes: 64\n", 1),
                      encoding="utf-8")
    site = project / "site"
    result = run_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session", params=["default buckets", "small buckets"])
def search_page(request: pytest.FixtureRequest, chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The search page; every search test runs on the sample's index in its few buckets and in hundreds."""
    site = request.getfixturevalue("sample_site" if request.param == "default buckets" else "bucketed_site")
    with browser.serve(site) as base:
        chromium.get(base + "search/")
        yield chromium, base


def test_recall_and_precision_against_substring_search(search_page: Any) -> None:
    driver, base = search_page
    assert len(QUERIES) >= 40
    rows, hits, relevant, retrieved = [], 0, 0, 0
    for query in QUERIES:
        want, got = expected(query), found(browser.search(driver, query), base)
        hits, relevant, retrieved = hits + len(want & got), relevant + len(want), retrieved + len(got)
        if want != got:
            rows.append(f"{query!r}: missed {sorted(want - got)}, wrong {sorted(got - want)}")
    recall, precision = hits / relevant, hits / retrieved
    print(f"\n{len(QUERIES)} queries, {relevant} relevant pairs: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= 0.99 and precision >= 0.97, "\n".join(rows)
    assert not rows, "\n".join(rows)  # the design is exact: any difference is a bug
    assert any(expected(q) for q in QUERIES) and any(not expected(q) for q in QUERIES)


KEYS_JS = """
const [url, texts, done] = arguments;
import(url).then((m) => done(texts.map((t) => [...m.keys(m.normalise(t))])), (e) => done(String(e)));
"""


def test_the_browser_cuts_text_as_the_index_does(search_page: Any) -> None:
    driver, base = search_page
    texts = ["校车安全，166名。", "６．５％", "2021.5.1日", "ＧＤＰ增长6.5%左右", "党史\u200b学习教育", "a_b-c", "𠀀𠀁字",
             "国务院总理　李克强", "各位代表：\n\n现在，", "党史学习\n教育", "20 21年"]
    queries = driver.execute_async_script(KEYS_JS, base + "assets/annals-find.js", texts)
    for text, asked in zip(texts, queries, strict=True):
        index = set(pieces(normalise(text)).tolist())
        # the index has every character alone too; a query only a lone one
        assert {k for k in asked if k >= SPAN} == {k for k in index if k >= SPAN} and set(asked) <= index, text


TWICE_JS = """
const done = arguments[0];
const form = document.querySelector('.annals-search-form');
const list = document.querySelector('.annals-search-results');
form.elements.q.value = '特岗教师';
form.requestSubmit();
form.requestSubmit();  // before the index has loaded
const more = document.querySelector('.annals-search-more');
const idle = async () => { do await new Promise(r => setTimeout(r, 20)); while (list.getAttribute('aria-busy') !== 'false'); };
(async () => {
  await idle();
  while (!more.hidden) { more.click(); await idle(); }
  done([document.querySelector('.annals-search-status').textContent, list.children.length]);
})();
"""


def test_searches_started_while_the_index_loads_share_it(search_page: Any) -> None:
    driver, base = search_page
    driver.get(base + "search/")
    assert driver.execute_async_script(TWICE_JS) == ["共 2 篇报告包含“特岗教师”。", 2]


def test_widths_and_invisible_characters_do_not_change_results(search_page: Any) -> None:
    driver, base = search_page
    for plain, variant in [("166名", "１６６名"), ("6.5%", "６．５％"), ("党史学习教育", "党史\u200b学习教育"), ("大班额", "大\u200b班额")]:
        want = found(browser.search(driver, plain), base)
        assert want and found(browser.search(driver, variant), base) == want


def test_a_result_shows_its_facts_and_the_term_and_links_to_its_section(search_page: Any, sample_site: Path) -> None:
    driver, base = search_page
    result = browser.search(driver, "特岗教师")
    assert result["status"].startswith("共 2 篇报告包含")
    hit = driver.find_element("css selector", ".annals-hit")
    assert "2021年 · 半年工作总结 · 溆浦县教育局 · 2021-07-19" in hit.text
    assert hit.find_element("css selector", "mark").text == "特岗教师"
    link = hit.find_element("css selector", "a").get_attribute("href")
    url, anchor = link.removeprefix(base).split("#")
    url, landing = url.split("?")
    assert landing == "hl=%E7%89%B9%E5%B2%97%E6%95%99%E5%B8%88"  # 特岗教师: marked where the page opens
    assert f'id="{anchor}"' in page(sample_site, url.rstrip("/"))
    section = (sample_site / url / "index.html").read_text(encoding="utf-8").split(f'id="{anchor}"')[1]
    assert "特岗教师" in section[:3000]  # the linked section is where the term is


def test_nothing_found_says_so(search_page: Any) -> None:
    driver, _ = search_page
    result = browser.search(driver, "火星基地")
    assert result["links"] == [] and result["status"] == "没有找到这个词：没有报告逐字含有“火星基地”。"
    assert not driver.find_element("css selector", ".annals-search-related").is_displayed()  # and nothing like it


def test_a_term_found_nowhere_offers_the_wordings_that_occur(search_page: Any) -> None:
    """营业税改征增值税: the reports say 营改增, the wording data/wordings.yml lists for it. Not found, said so; the
    related wording that does occur is offered, with its reports, linked to its own search (never counted as the term)."""
    driver, _ = search_page
    result = browser.search(driver, "营业税改征增值税")
    assert result["links"] == [] and result["status"].startswith("没有找到这个词")
    related = driver.find_element("css selector", ".annals-search-related")
    assert related.is_displayed() and "营改增（5 篇报告）" in related.text, related.text
    assert related.find_element("css selector", "a").get_attribute("href").endswith("?q=%E8%90%A5%E6%94%B9%E5%A2%9E")


LIVE = """const [done] = arguments;
const panel = document.querySelector('.annals-live'), status = () => panel.querySelector('.annals-live__status').textContent;
(async () => {
  while (panel.hidden || status() === '正在搜索…' || status().startsWith('正在核对')) await new Promise(r => setTimeout(r, 20));
  done({status: status(), links: [...panel.querySelectorAll('.annals-hit__title')].map(a => a.getAttribute('href')),
        all: panel.querySelector('.annals-live__links a').getAttribute('href')});
})();"""


def test_the_header_box_shows_results_as_one_types(sample_site: Path, chromium: Any) -> None:
    """As Material's own search does: typing (no Enter) shows the newest reports that hold the terms under the box."""
    from selenium.webdriver.common.keys import Keys

    dates = {url: re.search(r"^date:\s*['\"]?([\d-]+)", (ROOT / "docs" / url.rstrip("/")).with_suffix(".md").read_text(encoding="utf-8"),
                            re.M).group(1) for url in TEXTS}  # type: ignore[union-attr]
    with browser.serve(sample_site) as base:
        for query in ("大班额", "各位代表：现在，我代表国务院", "火星基地"):
            chromium.get(base + "reports/2016/")
            box = chromium.find_element("css selector", ".annals-header-search__input")
            box.send_keys(query)
            live = chromium.execute_async_script(LIVE)
            want = expected(query)
            got = [re.sub(r"[?#].*$", "", link).removeprefix(base) for link in live["links"]]
            assert set(got) <= want and len(got) == min(5, len(want)), (query, live)
            assert live["all"].endswith("search/?q=" + quote_plus(query))
            if not want:
                assert live["status"] == "没有找到这个词：没有报告逐字含有“火星基地”。"
            elif len(want) > 5:
                assert live["status"] == f"最新的 5 篇报告包含“{query}”；按回车查看全部结果。"  # as typed
                newest = sorted(want, key=lambda u: (dates[u], u), reverse=True)[:5]  # search.in_date_order
                assert sorted(got) == sorted(newest), "the newest first"
            else:
                assert live["status"] == f"共 {len(want)} 篇报告包含“{query}”。"
            box.send_keys(Keys.ARROW_DOWN)
            if got:
                assert "annals-hit__title" in chromium.switch_to.active_element.get_attribute("class").split(), "the arrow key reaches the results"
            chromium.switch_to.active_element.send_keys(Keys.ESCAPE)
            assert not chromium.find_element("css selector", ".annals-live").is_displayed()
            box.send_keys(Keys.ENTER)  # the search page, with the query
            assert WebDriverWait(chromium, 10).until(lambda d: "/search/?q=" in d.current_url)


def test_on_a_phone_results_come_as_one_types_too(sample_site: Path, tmp_path: Path) -> None:
    """The header's box is folded into its magnifier on a phone: it opens the search page, where typing shows results."""
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "phone", width=390, height=844) as driver:
        driver.get(base + "reports/")
        driver.find_element("css selector", ".annals-header-search__button").click()
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.activeElement && document.activeElement.name") == "q")
        driver.switch_to.active_element.send_keys("特岗教师")  # no Enter
        WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", ".annals-hit"))
        assert len(driver.find_elements("css selector", ".annals-hit")) == len(expected("特岗教师"))


def test_filters_and_sorting(search_page: Any) -> None:
    driver, base = search_page
    from selenium.webdriver.support.ui import Select

    form = driver.find_element("css selector", ".annals-search-form")
    every = found(browser.search(driver, "教育"), base)
    Select(form.find_element("name", "year")).select_by_value("2021")
    in_2021 = found(browser.search(driver, "教育"), base)
    assert in_2021 and in_2021 < every and all(u.startswith("reports/2021/") for u in in_2021)
    Select(form.find_element("name", "year")).select_by_value("")
    Select(form.find_element("name", "kind")).select_by_value("政府工作报告")

    def years() -> list[int]:
        links = browser.search(driver, "教育")["links"]
        return [int(re.search(r"reports/(\d{4})/", link).group(1)) for link in links]  # type: ignore[union-attr]

    assert years() == [2019, 2018, 2017, 2016, 2015, 2014]  # newest first unless asked
    Select(form.find_element("name", "sort")).select_by_value("date-asc")
    assert years() == [2014, 2015, 2016, 2017, 2018, 2019]
    for name in ("kind", "sort"):
        Select(form.find_element("name", name)).select_by_value("")


def test_the_header_box_and_the_keyboard_reach_the_results(sample_site: Path, chromium: Any) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    with browser.serve(sample_site) as base:
        chromium.get(base + "reports/")
        box = chromium.find_element("css selector", ".annals-header-search__input")
        box.send_keys("大班额", Keys.ENTER)
        WebDriverWait(chromium, 20).until(lambda d: d.find_elements("css selector", ".annals-hit"))
        assert "search/?q=" in chromium.current_url
        busy = ".annals-search-results[aria-busy=false]"
        WebDriverWait(chromium, 20).until(lambda d: d.find_elements("css selector", busy))
        assert len(chromium.find_elements("css selector", ".annals-hit")) == 5  # a page of results
        assert chromium.find_element("css selector", ".annals-search-status").text == "已找到 5 篇报告包含“大班额”；另有 1 篇候选尚未核对（按“显示更多”继续）。"
        more = chromium.find_element("css selector", ".annals-search-more")
        more.send_keys(Keys.ENTER)  # a button: reachable and pressed from the keyboard
        WebDriverWait(chromium, 20).until(lambda d: len(d.find_elements("css selector", ".annals-hit")) == 6)
        assert chromium.find_element("css selector", ".annals-search-status").text == "共 6 篇报告包含“大班额”。"
        assert not more.is_displayed()


def test_search_works_at_phone_width(sample_site: Path, chromium: Any) -> None:
    with browser.serve(sample_site) as base:
        chromium.set_window_size(390, 844)
        try:
            chromium.get(base + "search/?q=" + "校车")
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(chromium, 20).until(lambda d: d.find_elements("css selector", ".annals-hit"))
            assert chromium.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
            assert chromium.find_element("css selector", ".annals-header-search__button").is_displayed()
        finally:
            chromium.set_window_size(1280, 900)


def test_under_mkdocs_serve_pages_come_first_and_the_index_follows(archive_copy: Path) -> None:
    """`mkdocs serve` shows an edit without waiting for the search index, which is then rewritten in the background."""
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from serve import fetch, free_port, wait_for

    port = free_port()
    base = f"http://127.0.0.1:{port}/archive/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=archive_copy,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(base + "search/manifest.json", "texts", limit=120)
        before = json.loads(fetch(base + "search/manifest.json"))["texts"]
        src = "reports/2016/state-council-government-work-report.md"
        report = archive_copy / "docs" / src
        report.write_text(report.read_text(encoding="utf-8") + "\n服务模式测试句。\n", encoding="utf-8")
        wait_for(base + src.removesuffix(".md") + "/", "服务模式测试句", limit=120)
        # The new index joins the rebuilt site: the report's new text, in the new index's texts folder.
        wait_for(base + "search/manifest.json", "texts", limit=120)
        deadline = time.monotonic() + 120
        while (texts := json.loads(fetch(base + "search/manifest.json") or "{}").get("texts", before)) == before:
            assert time.monotonic() < deadline, "the index was not rewritten"
            time.sleep(0.2)
        archive = load_archive(archive_copy, archive_copy / "docs", archive_copy / "data")
        docs = search.in_date_order(search.documents(archive.reports.values(), archive.bureaus, Links()))
        place = next(i for i, doc in enumerate(docs) if doc.url == src.removesuffix(".md") + "/")
        assert "服务模式测试句" in fetch(base + f"{texts}{search.result_id(place)}.json")
        with urllib.request.urlopen(base + f"{texts}postings/0.bin") as bucket:  # the new index's lists came with it
            assert bucket.status == 200 and bucket.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_index_folders_left_by_killed_builds_are_removed() -> None:
    """A killed `mkdocs serve` leaves its index job's folder (gigabytes for a large archive); the next build sweeps it."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    folders = {}
    for owner in (gone.stdout.strip(), str(os.getpid())):
        folders[owner] = Path(tempfile.mkdtemp(prefix=search.WORK_PREFIX))
        (folders[owner] / search.OWNER).write_text(owner, encoding="ascii")
    for age in ("new", "old"):  # without an owner: being made, or (an hour on) left by a crash
        folders[age] = Path(tempfile.mkdtemp(prefix=search.WORK_PREFIX))
        (folders[age] / "out").mkdir()
    long_ago = time.time() - search.OWNERLESS_AGE - 60
    os.utime(folders["old"], (long_ago, long_ago))
    try:
        search.sweep_abandoned_work()
        assert not folders[gone.stdout.strip()].exists() and not folders["old"].exists()
        assert folders[str(os.getpid())].exists()  # its MkDocs still runs
        assert folders["new"].exists()
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)


def _processes_naming(text: str) -> list[str]:
    """Command lines of the running processes that mention ``text``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        if text in line:
            found.append(line)
    return found


COPIES = 300  # of the sample's reports: an index that takes the process some seconds, as a large archive's does


def _many_documents() -> list[search.Document]:
    archive = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    docs = search.documents(archive.reports.values(), archive.bureaus, Links())
    return [dataclasses.replace(doc, url=f"{doc.url}{n}/") for n in range(COPIES) for doc in docs]


def _wait_for(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return bool(check())


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="lists processes through /proc")


@LINUX_PROC
def test_a_cancelled_index_job_stops_its_process() -> None:
    """An edit under `mkdocs serve` cancels the index being written: its process must stop (a core, and memory)."""
    job = search.IndexJob(_many_documents(), 8192)
    assert _wait_for(lambda: any("annals.search.index" in line for line in _processes_naming(str(job.work))), 60)
    job.cancel()
    assert _wait_for(lambda: not _processes_naming(str(job.work)), 5)
    assert not job.work.exists()


@LINUX_PROC
def test_an_index_job_stops_when_its_mkdocs_is_killed() -> None:
    """A killed `mkdocs serve` cancels nothing: the index process notices and stops."""
    starter = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "from annals.search import index as search; from test_search import _many_documents\n"
        "job = search.IndexJob(_many_documents(), 8192)\n"
        "print(job.work, flush=True); time.sleep(120)"), str(ROOT / "tests"), str(ROOT / "hooks")],
        stdout=subprocess.PIPE, text=True)
    assert starter.stdout is not None
    work = starter.stdout.readline().strip()
    assert _wait_for(lambda: any("annals.search.index" in line for line in _processes_naming(work)), 60)
    starter.kill()
    starter.wait()
    assert _wait_for(lambda: not _processes_naming(work), 5)
    shutil.rmtree(work, ignore_errors=True)


def test_a_wrong_group_of_wordings_is_told_where(archive_copy: Path) -> None:
    (archive_copy / "data/wordings.yml").write_text("- [棚户区改造, 棚改]\n- 棚改\n- [营改增]\n", encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "annals.cli", "check", "--project", str(archive_copy)], capture_output=True,
                             text=True, encoding="utf-8", check=False)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    said = [ln for ln in checked.stderr.splitlines() if ln.startswith("data/wordings.yml:")]
    assert [ln.split(":")[1] for ln in said] == ["2", "3"] and all("如 - [棚户区改造, 棚改]" in ln for ln in said), checked.stderr
