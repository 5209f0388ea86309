"""Promises in words: the sample's hand-judged statuses as readers see them, the tracker and its filters (with and
without JavaScript), the checks an editor meets, import's proposals, and the open data."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import browser
import pytest
from conftest import ROOT, SHARED, page, run_build

GWR = "reports/{}/state-council-government-work-report"

# Judged by hand from the texts (README, editor's guide, for the rules): (plan year, id) → (status shown, the
# later report's year and the words of its passage, or None where the status needs no evidence).
HAND_JUDGED: dict[tuple[int, str], tuple[str, list[tuple[int, str]]]] = {
    (2014, "c1"): ("已完成", [(2015, "国务院各部门全年取消和下放246项行政审批事项")]),  # 246 ≥ 200
    (2014, "c2"): ("已完成", [(2015, "专项转移支付项目比上年减少1/3以上")]),
    (2014, "c4"): ("已完成", [(2015, "推出存款保险制度"), (2016, "取消存款利率浮动上限，推出存款保险制度")]),  # a year late
    (2014, "c5"): ("已完成", [(2015, "新开工保障性安居工程740万套")]),  # 740 ≥ 700
    (2014, "c7"): ("推进中", [(2015, "实施股票发行注册制改革"), (2019, "设立科创板并试点注册制")]),
    (2015, "c1"): ("已完成", [(2016, "彻底终结了非行政许可审批")]),
    (2015, "c4"): ("已完成", [(2016, "营改增稳步实施"), (2017, "全面推开营改增试点")]),  # 未完成 in 2016, done in 2016
    (2015, "c5"): ("已完成", [(2016, "棚户区住房改造开工601万套")]),  # 601 ≥ 580
    (2015, "c6"): ("推进中", [(2016, "推进户籍制度改革，出台居住证制度")]),
    (2016, "c3"): ("已完成", [(2017, "实现大病保险全覆盖")]),
    (2016, "c5"): ("已完成", [(2018, "完成新一轮农村电网改造")]),  # promised for 2017 (两年内)
    (2017, "c1"): ("已完成", [(2018, "公司制改革基本完成")]),
    (2017, "c2"): ("未再提及", []),  # 长途和漫游费: the 2018 and 2019 reports say nothing of it
    (2017, "c3"): ("部分完成", [(2018, "绝大多数城市放宽落户限制，居住证制度全面实施")]),  # 居住证 yes; 1300万 not given
    (2017, "c4"): ("未再提及", []),  # 大灾保险 in 13 provinces
    (2018, "c2"): ("已完成", [(2019, "农村贫困人口减少1386万，易地扶贫搬迁280万人")]),
    (2018, "c4"): ("推进中", [(2019, "推进钢铁、煤炭行业市场化去产能")]),  # no quantity given
    (2018, "c5"): ("推进中", [(2019, "继续向推进税率三档并两档、税制简化方向迈进")]),
    (2018, "c6"): ("未再提及", []),  # 流量漫游费
}
_ITEM = re.compile(r'<li class="annals-promise annals-promise-(\w+)" id="(promise-[\w-]+)"(.*?)</ol>\s*</li>', re.S)


def _items(html: str) -> dict[str, tuple[str, str]]:
    """A report page's promises: anchor → (status code, the item's HTML)."""
    return {anchor: (status, body) for status, anchor, body in _ITEM.findall(html)}


def test_the_sample_promises_have_their_hand_judged_statuses_and_evidence(sample_site: Path) -> None:
    assert len(HAND_JUDGED) >= 12
    for (year, pid), (status, evidence) in HAND_JUDGED.items():
        html = page(sample_site, GWR.format(year))
        code, body = _items(html)[f"promise-{pid}"]
        final = re.findall(r'<li class="annals-step annals-step-now">目前：<span class="annals-status">(.+?)</span>', body)
        assert final == [status], (year, pid)
        steps = re.findall(r'<li class="annals-step annals-promise-\w+"><span class="annals-step-when">(\d{4})-[^<]*</span> '
                           r'<a href="([^"]+)">[^<]*</a>：<span class="annals-status">[^<]*</span>\s*<blockquote><a href="([^"]+)">([^<]*)</a>', body)
        assert [(int(y), q) for y, _, _, q in steps] == [(y, q) for y, q in evidence], (year, pid)
        for (later, _), (_, report_href, quote_href, quote) in zip(evidence, steps, strict=True):
            assert report_href == f"../../{later}/state-council-government-work-report/"
            # The quote's link lands on the sentence: its report, the words marked, the section it is in.
            assert quote_href.startswith(report_href + "?hl=") and re.search(r"#s\d", quote_href)
            assert unquote(quote_href.split("?hl=")[1].split("#")[0]) == quote[:40]


def test_a_promise_judged_unfinished_then_done_keeps_both_in_its_timeline(sample_site: Path) -> None:
    _code, body = _items(page(sample_site, GWR.format(2015)))["promise-c4"]
    steps = re.findall(r'annals-step annals-promise-(\w+)"><span class="annals-step-when">(\d{4})', body)
    assert steps == [("missed", "2016"), ("kept", "2017")]
    assert "2015年只是稳步实施" in body and "比承诺的2015年晚一年" in body


def test_the_seeds_plans_await_a_later_report(sample_site: Path) -> None:
    for url, count in (("reports/2021/county-b-edu-annual-summary", 23), ("reports/2021/xupu-edu-h1-midyear-summary", 13),
                       ("reports/2022/district-edu-annual-summary", 67)):
        items = _items(page(sample_site, url))
        assert len(items) == count and {code for code, _ in items.values()} == {"awaiting"}, url
        assert all("还没有" in body and "回顾" in body for _, body in items.values())


def test_a_later_report_lists_the_promises_it_answers(sample_site: Path) -> None:
    html = page(sample_site, GWR.format(2016))
    answers = html.split('id="annals-responses"', 1)[1].split("</ul>", 1)[0]
    rows = re.findall(r'<li class="annals-answer annals-promise-(\w+)"><span class="annals-status">(.+?)</span> <a href="([^"]+)">(.+?)</a>', answers)
    assert ("kept", "已完成", "../../2014/state-council-government-work-report/#promise-c4", "建立存款保险制度") in rows
    assert ("missed", "未完成", "../../2015/state-council-government-work-report/#promise-c4", "力争全面完成“营改增”") in rows
    assert len(rows) == 7  # 2014's c4 and six of 2015's


def _tracker_items(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'data-(\w+)="([^"]*)"', attrs)) | {"status_class": status}
            for status, attrs in re.findall(r'<li class="annals-promise annals-promise-(\w+)"([^>]*)>', html)]


def test_the_tracker_counts_what_it_lists(sample_site: Path) -> None:
    html = page(sample_site, "commitments")
    items = _tracker_items(html)
    words = sum(len(_items(page(sample_site, u))) for u in [GWR.format(y) for y in range(2014, 2019)] + [
        "reports/2021/county-b-edu-annual-summary", "reports/2021/xupu-edu-h1-midyear-summary", "reports/2022/district-edu-annual-summary"])
    targets = html.count('<tr class="annals-plan-')  # the numeric targets' detail below the tracker
    assert len(items) == words + targets == 187
    summary = re.search(r'<p class="annals-count">共 (\d+) 项：(.+?)</p>', html)
    assert summary and int(summary.group(1)) == len(items)
    counts = {label: int(n) for label, n in re.findall(r"([^，\s]+) (\d+)", summary.group(2))}
    labels = {"kept": "已完成", "nearly": "基本完成", "partly": "部分完成", "underway": "推进中", "missed": "未完成",
              "unmentioned": "未再提及", "unreported": "未给出结果", "unchecked": "尚未核对", "awaiting": "尚无后续报告",
              "undisclosed": "未公开", "incomparable": "无法比较"}
    assert counts == {labels[s]: sum(i["status"] == s for i in items) for s in labels if any(i["status"] == s for i in items)}
    assert all(i["status"] == i["status_class"] for i in items)


@pytest.mark.parametrize(("dimension", "value", "expected"), [
    ("status", "underway", 5), ("status", "partly", 1), ("issuer", "xupu-edu", 14), ("year", "2017", 14), ("topic", "金融", 4)])
def test_each_filter_works_without_javascript(sample_site: Path, tmp_path: Path, dimension: str, value: str, expected: int) -> None:
    """A filter is an anchor of the list that the page's own style answers: a reader without JavaScript follows
    it and sees exactly the promises it names (counted from the page's data, not from the style)."""
    browser.require()
    every = [i for i in _tracker_items(page(sample_site, "commitments")) if i[dimension] == value]
    assert len(every) == expected
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844, scripts=False) as driver:
        driver.get(base + "commitments/")
        assert not driver.execute_script("return document.querySelector('.annals-tracker').classList.contains('annals-js')")
        link = driver.find_element("css selector", f".annals-filter[data-dimension={dimension}] a[data-value='{value}']")
        link.click()
        assert unquote(driver.current_url).endswith(f"commitments/#annals-f-{dimension}-{value}")
        shown = driver.execute_script("return [...document.querySelectorAll('.annals-promise')].filter(e => e.offsetParent)"
                                      ".map(e => e.dataset[arguments[0]])", dimension)
        assert shown == [value] * expected
        empty = driver.execute_script("return [...document.querySelectorAll('.annals-promise-plan')].filter(p => p.offsetParent)"
                                      ".filter(p => !p.querySelector('.annals-promise:not([hidden])') || "
                                      "![...p.querySelectorAll('.annals-promise')].some(e => e.offsetParent)).length")
        assert empty == 0, "a plan with none of the chosen promises is hidden too"
        assert driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", link) != \
            driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor",
                                  driver.find_element("css selector", ".annals-filter[data-dimension=status] a:not([href$='-" + value + "'])"))


def test_each_issuer_has_a_page_of_its_own_promises(sample_site: Path) -> None:
    everything = _tracker_items(page(sample_site, "commitments"))
    for issuer in ("state-council", "xupu-edu", "county-b-edu", "district-edu"):
        html = page(sample_site, f"commitments/issuer/{issuer}")
        items = _tracker_items(html)
        assert items and len(items) == sum(i["issuer"] == issuer for i in everything) and {i["issuer"] for i in items} == {issuer}
        assert 'data-dimension="issuer"' not in html and "← 全部发布机关的承诺" in html


def test_a_large_tracker_lists_its_issuers_pages_instead(archive_copy: Path, tmp_path: Path) -> None:
    """Above extra.annals.tracker_list_most promises the tracker holds the bars and links each issuer's page, which lists them."""
    config = archive_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", "extra:\n  annals:\n    tracker_list_most: 100\n", 1),
                      encoding="utf-8")
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = page(tmp_path / "site", "commitments")
    assert not _tracker_items(html) and "共 187 项承诺，超过 100 项" in html
    assert '<a href="issuer/state-council/" data-value="state-council">' in html and "annals-promises.js" not in html
    assert len(_tracker_items(page(tmp_path / "site", "commitments/issuer/district-edu"))) == 67


def test_the_tracker_filters_in_place_with_script(sample_site: Path, tmp_path: Path) -> None:
    browser.require()
    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.get(base + "commitments/")

        def visible() -> list[tuple[str, str]]:
            return driver.execute_script(
                "return [...document.querySelectorAll('.annals-promise')].filter(e => e.offsetParent)"
                ".map(e => [e.dataset.status, e.dataset.issuer])")

        def pairs() -> set[tuple[str, str]]:
            return {(status, issuer) for status, issuer in visible()}

        assert len(visible()) == 187
        of_state_council = driver.execute_script("return document.querySelectorAll('.annals-promise[data-issuer=state-council]').length")
        driver.find_element("css selector", ".annals-filter[data-dimension=status] a[data-value=underway]").click()
        driver.find_element("css selector", ".annals-filter[data-dimension=issuer] a[data-value=state-council]").click()
        shown = visible()
        assert len(shown) == 5 and pairs() == {("underway", "state-council")}
        assert driver.current_url.endswith("commitments/?status=underway&issuer=state-council")
        status = driver.find_element("css selector", ".annals-tracker-status").text
        assert status == "推进中 · 国务院：5 项承诺（共 187 项）。"
        # The chips and the summary follow the choices: each counts what choosing it would show beside the others.
        chips = driver.execute_script(
            "return Object.fromEntries([...document.querySelectorAll('.annals-filter a[data-value]')]"
            ".map(a => [a.closest('.annals-filter').dataset.dimension + ':' + a.dataset.value, +a.querySelector('.annals-count').textContent]))")
        kept_here = driver.execute_script("return document.querySelectorAll('.annals-promise[data-issuer=state-council][data-status=kept]').length")
        assert chips["status:kept"] == kept_here and chips["status:underway"] == 5 and chips["issuer:state-council"] == 5
        assert chips["issuer:xupu-edu"] == 0  # none of its promises is 推进中
        assert driver.find_element("css selector", ".annals-promise-bar .annals-count").text == "所选的 5 项：推进中 5"
        assert not driver.execute_script("return [...document.querySelectorAll('.annals-promise-plan')]"
                                         ".some(p => p.offsetParent && !p.querySelector('.annals-promise:not([hidden])'))")
        driver.refresh()  # the choice is in the address
        assert len(visible()) == 5
        driver.find_element("css selector", ".annals-filter[data-dimension=status] a[data-value=underway]").click()
        assert len(visible()) == of_state_council == 83 and driver.current_url.endswith("?issuer=state-council")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390


# ------------------------------------------------------------------ what an editor meets

PLAN = "data/figures/2014/state-council-government-work-report.yml"
ANSWER = "data/figures/2015/state-council-government-work-report.yml"


def _annals_check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "annals.cli", "check", "--project", str(project)], capture_output=True, text=True,
                          encoding="utf-8", check=False)


def _replace(project: Path, rel: str, old: str, new: str) -> int:
    """Replace text in a file of the archive; the 1-based line where the change starts."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(("rel", "old", "new", "said"), [
    (PLAN, 'quote: "今年要再取消和下放行政审批事项200项以上"', 'quote: "今年要再取消和下放行政审批事项300项以上"',
     "引文不在报告 docs/reports/2014/state-council-government-work-report.md 的正文中"),
    (PLAN, "  - id: c2\n", "  - id: c1\n", "id “c1” 与第"),
    (PLAN, "    topic: 财税\n", "    topic: 财税/金融\n", "topic “财税/金融” 应为 12 个字以内的词语"),
    (PLAN, "    topic: 简政放权\n", "    topic: 简政放权\n    status: 已完成\n", "承诺的状态不写在这里：已完成、部分完成、推进中、未完成写在此后报告数据文件的 evidence 中"),
    (ANSWER, "    status: 推进中\n", "    status: 待判断\n", "status 应为 已完成、部分完成、推进中、未完成 之一，而不是 “待判断”"),
    (ANSWER, "    status: 推进中\n", "    status: 未再提及\n", "未再提及和尚无后续报告由构建判断，不用写"),
    (ANSWER, "commitment: 2014/state-council-government-work-report#c1\n", "commitment: 2014/state-council-government-work-report#c9\n",
     "没有这项承诺：“2014/state-council-government-work-report#c9”；这份报告的承诺有：2014/state-council-government-work-report#c1"),
    (ANSWER, 'quote: "国务院各部门全年取消和下放246项行政审批事项"', 'quote: "国务院各部门全年取消和下放300项行政审批事项"',
     "引文不在报告 docs/reports/2015/state-council-government-work-report.md 的正文中"),
    ("data/figures/2015/state-council-government-work-report.yml", "commitment: 2014/state-council-government-work-report#c2\n",
     "commitment: 2016/state-council-government-work-report#c1\n", "回应须来自承诺之后的报告"),
])
def test_a_wrong_promise_or_answer_is_told_where_and_stops_the_build(archive_copy: Path, tmp_path: Path, rel: str, old: str, new: str,
                                                                   said: str) -> None:
    _replace(archive_copy, rel, old, new)
    checked = _annals_check(archive_copy)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    line = next((ln for ln in checked.stderr.splitlines() if said in ln), "")
    assert re.match(rf"{re.escape(rel)}:\d+: ", line), checked.stderr
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode != 0 and said in built.stderr and not (tmp_path / "site" / "commitments").exists()


def test_candidates_are_listed_and_never_published(archive_copy: Path, tmp_path: Path) -> None:
    _replace(archive_copy, PLAN, "  - id: c7\n", "  - id: c8\n    label: 待核对的承诺\n    quote: 推进股票发行注册制改革\n    review: 待核对\n  - id: c7\n")
    _replace(archive_copy, ANSWER, "evidence:\n", "evidence:\n  - commitment: 2014/state-council-government-work-report#c9\n"
             "    quote: 实施股票发行注册制改革\n    status: 待判断\n    review: 待核对\n")
    checked = _annals_check(archive_copy)
    assert checked.returncode == 0, checked.stderr
    assert "待核对：承诺 待核对的承诺" in checked.stdout and "对 2014/state-council-government-work-report#c9 的回应" in checked.stdout
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert "待核对的承诺" not in page(tmp_path / "site", GWR.format(2014)) and "待核对的承诺" not in page(tmp_path / "site", "commitments")


def test_import_proposes_promises_and_answers_for_review(archive_copy: Path, tmp_path: Path) -> None:
    shutil.rmtree(archive_copy / "docs/reports/2019")
    shutil.rmtree(archive_copy / "data/figures/2019")
    result = subprocess.run([sys.executable, "-m", "annals.cli", "import", str(SHARED / "samples/gwr/2019.txt"), "--project", str(archive_copy),
                             "--bureau", "state-council", "--kind", "政府工作报告", "--year", "2019", "--period", "全年"],
                            capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    # Searched for: the 2018 plan's promises, whose year the 2019 report reviews; the earlier ones are settled or
    # were answered by the reports that review their years.
    said = re.search(r"候选承诺 (\d+) 项；在本报告中查找了此前的承诺 (\d+) 项的回应，其中 (\d+) 项有候选回应，共 (\d+) 条", result.stdout)
    assert said and int(said.group(1)) > 300 and int(said.group(2)) == 6, result.stdout
    data = (archive_copy / "data/figures/2019/state-council-government-work-report.yml").read_text(encoding="utf-8")
    proposal = re.search(r'  - id: c\d+\n    label: "([^"]+)"\n    quote: "今年财政收支平衡压力加大，但基本民生投入确保只增不减。"\n'
                         r"    period: 2019\n    review: 待核对\n", data)
    assert proposal and proposal.group(1) == "基本民生投入确保只增不减"
    answers = re.findall(r"  - commitment: 2018/state-council-government-work-report#c2  # [^\n]+\n    quote: \"([^\"]+)\"\n"
                         r"    status: (已完成|部分完成|推进中|未完成)\n    proposed: \"[^\"]+\"\n    review: 待核对\n", data)
    assert 1 <= len(answers) <= 3 and any("农村贫困人口减少1386万，易地扶贫搬迁280万人" in a for a, _ in answers), data
    searched = re.findall(r"  - commitment: (2018/state-council-government-work-report#c\d)  # [^\n]+\n    review: 待核对\n", data)
    assert len(searched) == 6
    checked = _annals_check(archive_copy)
    assert checked.returncode == 0, checked.stderr
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert 'id="annals-promises"' not in page(tmp_path / "site", GWR.format(2019))  # proposals are not published
    # Until an editor has reviewed the 2019 report's answers, it has not said nothing of 2018's promises: none is
    # 未再提及 for it (流量漫游费 is, once reviewed: the sample), and none is judged from its candidates.
    items = _items(page(tmp_path / "site", GWR.format(2018)))
    assert {code for code, _ in items.values()} == {"unchecked"}
    assert all("2019年政府工作报告中对它的回应尚未核对" in body for _, body in items.values())


# ------------------------------------------------------------------ open data


def test_the_open_data_has_every_promise_and_answer(sample_site: Path) -> None:
    from annals.pages.publish import EVIDENCE_COLUMNS, PROMISE_COLUMNS

    promises = list(csv.DictReader(io.StringIO((sample_site / "opendata/commitments.csv").read_text(encoding="utf-8-sig"))))
    answers = list(csv.DictReader(io.StringIO((sample_site / "opendata/evidence.csv").read_text(encoding="utf-8-sig"))))
    assert list(promises[0]) == [c for c, _, _ in PROMISE_COLUMNS] and list(answers[0]) == [c for c, _, _ in EVIDENCE_COLUMNS]
    assert len(promises) == 187 and len(answers) == 29
    by_id = {p["id"]: p for p in promises}
    assert by_id["2017/state-council-government-work-report#c3"]["status"] == "partly"
    assert all(a["commitment"] in by_id for a in answers)
    row = next(a for a in answers if a["commitment"] == "2014/state-council-government-work-report#c1")
    assert row["quote"] == "国务院各部门全年取消和下放246项行政审批事项" and row["status"] == "kept"
    assert re.fullmatch(r"https://\S+/reports/2015/state-council-government-work-report/\?hl=\S+#s1", row["report_url"])
    data = json.loads((sample_site / "opendata/commitments.json").read_text(encoding="utf-8"))
    assert data["schema"].endswith("opendata/commitments.schema.json") and len(data["commitments"]) == 187
    schema = json.loads((sample_site / "opendata/commitments.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["commitments"]["items"]["required"]) == set(by_id["2014/state-council-government-work-report#c1"])
    described = unescape(page(sample_site, "opendata"))
    assert all(f"<code>{c}</code>" in described for c, _, _ in PROMISE_COLUMNS + EVIDENCE_COLUMNS)


def test_the_block_templates_are_listed_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("promise-tracker", "promise-item", "promise-bar", "promise-timelines", "promise-answers", "opendata-promises"):
        assert (ROOT / f"hooks/annals/templates/annals/{name}.html").is_file() and f"{name}.html" in readme


def test_a_timeline_quote_lands_on_its_sentence(sample_site: Path, tmp_path: Path) -> None:
    """Following an answer's quote from a promise's timeline marks those words in the later report, in view."""
    browser.require()
    from selenium.webdriver.support.ui import WebDriverWait
    from test_said import LANDED

    with browser.serve(sample_site) as base, browser.chromium(tmp_path / "profile", width=390, height=844) as driver:
        for year, pid, quote in ((2014, "c1", "国务院各部门全年取消和下放246项行政审批事项"), (2015, "c4", "全面推开营改增试点"),
                                 (2018, "c2", "农村贫困人口减少1386万，易地扶贫搬迁280万人")):
            driver.get(f"{base}{GWR.format(year)}/")
            links = driver.find_elements("css selector", f"#promise-{pid} .annals-step blockquote a")
            link = next(a for a in links if a.text == quote)
            driver.get(link.get_attribute("href"))
            landed = WebDriverWait(driver, 10).until(lambda d: (r := d.execute_script(LANDED)) and 0 <= r[1] and r[2] <= r[3] and r)
            assert landed[0] == quote and quote in landed[4], landed


def test_the_home_page_shows_the_promises_as_one_bar(sample_site: Path) -> None:
    home = page(sample_site, "")
    tracker = page(sample_site, "commitments")
    said = re.search(r'<a href="commitments/">全部承诺</a>：(共 \d+ 项：[^<]+)</p>', home)
    assert said and f'<p class="annals-count">{said.group(1)}</p>' in tracker  # the tracker's own overall count


def test_the_filters_style_is_in_the_head_and_front_matter_cannot_put_one_there(archive_copy: Path, tmp_path: Path) -> None:
    about = archive_copy / "docs/about.md"
    text = about.read_text(encoding="utf-8")
    front = "---\nannals_style: \"</style><script>annals_xss()</script>\"\n---\n"
    about.write_text(front + text.split("---\n", 2)[2] if text.startswith("---\n") else front + text, encoding="utf-8")
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = page(tmp_path / "site", "commitments")
    head, body = html.split("<body", 1)
    assert head.count("<style>") == 1 and "#annals-f-status-kept:target" in head and "<style" not in body
    assert "annals_xss" not in page(tmp_path / "site", "about")


# ------------------------------------------------------------------ no absence without a look

LATER = "data/figures/2019/state-council-government-work-report.yml"
ROAMING = "  - commitment: 2018/state-council-government-work-report#c6  # 取消流量“漫游”费\n"


def _annals(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "annals.cli", *args, "--project", str(project)], capture_output=True, text=True,
                          encoding="utf-8", check=False)


def test_a_promise_is_unmentioned_only_once_the_report_that_reviews_it_was_searched(archive_copy: Path, tmp_path: Path) -> None:
    """A promise accepted after the report reviewing its year was imported is 尚未核对 there, never 未再提及, until
    `annals answers` searched it and an editor decided; `annals check` says the search is due."""
    _replace(archive_copy, LATER, ROAMING, "")  # as if the 2018 promise had been accepted after 2019 was imported
    checked = _annals_check(archive_copy)
    assert checked.returncode == 0 and "2019年政府工作报告回顾的时期里有 1 项承诺还没有在其中查找回应" in checked.stderr, checked.stderr
    assert "annals answers" in checked.stderr
    built = run_build(archive_copy, tmp_path / "before")
    code, body = _items(page(tmp_path / "before", GWR.format(2018)))["promise-c6"]
    assert code == "unchecked" and "尚未核对" in body and "2019年政府工作报告中对它的回应尚未核对" in body and "没有提到" not in body
    assert built.returncode == 0

    searched = _annals(archive_copy, "answers")
    assert searched.returncode == 0 and "2019年政府工作报告：查找了 1 项承诺的回应" in searched.stdout, searched.stdout
    data = (archive_copy / LATER).read_text(encoding="utf-8")
    assert ROAMING + "    review: 待核对\n" in data  # the search is recorded, still to decide
    assert _annals(archive_copy, "answers").stdout.startswith("每项已接受的承诺都已在回顾其时期的报告中查找过回应")  # once
    run_build(archive_copy, tmp_path / "searched")
    assert _items(page(tmp_path / "searched", GWR.format(2018)))["promise-c6"][0] == "unchecked"  # searched, not decided

    # The editor: none of the candidates answers it (each deleted), and nothing else in the report does.
    data = re.sub(r"  - commitment: 2018/state-council-government-work-report#c6  # [^\n]+\n    quote: [^\n]+\n(    \w+: [^\n]+\n)+", "", data)
    (archive_copy / LATER).write_text(data.replace(ROAMING + "    review: 待核对\n", ROAMING), encoding="utf-8")
    run_build(archive_copy, tmp_path / "decided")
    code, body = _items(page(tmp_path / "decided", GWR.format(2018)))["promise-c6"]
    assert code == "unmentioned" and "国务院回顾2018年的2019年政府工作报告没有提到" in body


def test_a_promise_the_later_plan_repeats_is_offered_as_a_restatement(archive_copy: Path) -> None:
    """促进多种所有制经济共同发展 shown as 未再提及 while the next report repeats it: the repetition is a candidate,
    proposed 推进中 and said to be a restatement, not a result."""
    _replace(archive_copy, "data/figures/2018/state-council-government-work-report.yml", "commitments:\n",
             'commitments:\n  - id: c9\n    label: 推进混合所有制改革\n    quote: "积极稳妥推进混合所有制改革。"\n')
    assert _annals(archive_copy, "answers").returncode == 0
    data = (archive_copy / LATER).read_text(encoding="utf-8")
    cards = re.findall(r"  - commitment: 2018/state-council-government-work-report#c9  # [^\n]+\n    quote: \"([^\"]+)\"\n"
                       r"    status: (\S+)\n    proposed: \"([^\"]+)\"\n    review: 待核对\n", data)
    assert ("积极稳妥推进混合所有制改革。", "推进中", "本报告的计划部分再次部署这项工作，没有说结果") in cards, data


def test_numbers_alone_never_tie_a_candidate_to_a_promise() -> None:
    from annals.intake.promise_candidates import Passage, evidence_candidates

    later = [Passage("新能源汽车年产量突破1300万辆。", True), Passage("棚改开工建设600万套。", True),
             Passage("城镇棚户区住房改造开工580万套。", True), *(Passage(f"其他工作第{n}项稳步推进。", True) for n in range(30))]
    found = [a.passage.text for a in evidence_candidates("棚户区住房改造600万套", "完成棚户区住房改造600万套", later)]
    assert found and found[0] == "城镇棚户区住房改造开工580万套。" and "新能源汽车年产量突破1300万辆。" not in found
    answer = evidence_candidates("棚户区住房改造600万套", "完成棚户区住房改造600万套", later)[0]
    assert (answer.status, answer.why) == ("未完成", "句中为 580万套，目标为 600万套")


def test_a_five_year_review_is_not_the_years_plan_and_predictions_are_not_promises() -> None:
    """The 2021 report's “十三五”时期发展成就和“十四五”时期主要目标任务 looks back on five years and sets five-year goals:
    neither is the year's plan. In the plan: a prediction commits no one; a sentence opening on a fact goes on to commit."""
    from annals.data.vocab import Period, Timing
    from annals.intake.promise_candidates import proposals

    report = ("## 一、2020年工作回顾\n\n过去一年，5575万农村贫困人口实现脱贫。\n\n"
              "## 二、“十三五”时期发展成就和“十四五”时期主要目标任务\n\n“十三五”规划主要目标任务胜利完成。要加快发展现代产业体系。\n\n"
              "## 三、2021年重点工作\n\n中国经济一定能顶住新的下行压力。今年是实施“十四五”规划开局之年。"
              "当前疫情防控已进入常态化，要继续做好外防输入、内防反弹工作。推进种业振兴。\n")
    quotes = [p.quote for p in proposals(report, Timing(Period(2021), "government-work-report", "2021-03-05"))]
    assert quotes == ["当前疫情防控已进入常态化，要继续做好外防输入、内防反弹工作。", "推进种业振兴。"]


# ------------------------------------------------------------------ a promise of several things

PARTS_PLAN = "data/figures/2018/state-council-government-work-report.yml"


def _promise_with_parts(project: Path) -> None:
    _replace(project, PARTS_PLAN, "commitments:\n",
             'commitments:\n  - id: c9\n    label: 混合所有制改革和贸易投资便利化\n    quote: "积极稳妥推进混合所有制改革。"\n'
             "    parts: [推进混合所有制改革, 促进贸易和投资自由化便利化]\n")


def test_a_promise_with_parts_judges_each_and_sums_them(archive_copy: Path, tmp_path: Path) -> None:
    _promise_with_parts(archive_copy)
    _replace(archive_copy, LATER, "evidence:\n", "evidence:\n"
             "  - commitment: 2018/state-council-government-work-report#c9\n    quote: 积极稳妥推进混合所有制改革\n    part: 1\n    status: 推进中\n"
             "  - commitment: 2018/state-council-government-work-report#c9\n    quote: 促进贸易和投资自由化便利化\n    part: 2\n    status: 已完成\n")
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    code, body = _items(page(tmp_path / "site", GWR.format(2018)))["promise-c9"]
    assert code == "partly" and "共 2 部分" in body
    parts = re.findall(r'<li class="annals-promise-(\w+)"><span class="annals-status">(.+?)</span> (.+?)[ <]', body)
    assert parts == [("underway", "推进中", "推进混合所有制改革"), ("kept", "已完成", "促进贸易和投资自由化便利化")], body
    assert "推进混合所有制改革，<span class=\"annals-status\">推进中</span>" in body  # each step names its part
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((tmp_path / "site/opendata/commitments.csv").read_text(encoding="utf-8-sig")))}
    assert rows["2018/state-council-government-work-report#c9"]["parts"] == "1 推进混合所有制改革：underway；2 促进贸易和投资自由化便利化：kept"
    answers = list(csv.DictReader(io.StringIO((tmp_path / "site/opendata/evidence.csv").read_text(encoding="utf-8-sig"))))
    assert sorted(a["part"] for a in answers if a["commitment"].endswith("#c9")) == ["1", "2"]


def test_an_answer_to_a_part_the_promise_has_not_is_told(archive_copy: Path) -> None:
    _promise_with_parts(archive_copy)
    line = _replace(archive_copy, LATER, "evidence:\n", "evidence:\n"
                    "  - commitment: 2018/state-council-government-work-report#c9\n    quote: 积极稳妥推进混合所有制改革\n    part: 3\n    status: 推进中\n")
    checked = _annals_check(archive_copy)
    assert checked.returncode == 1 and f"{LATER}:{line + 1}: 承诺 2018/state-council-government-work-report#c9 没有第 3 部分；它有 2 部分：" in checked.stderr


def test_a_sentence_of_several_measures_is_proposed_with_its_parts() -> None:
    from annals.intake.promise_candidates import parts_of

    assert parts_of("扎实做好“六稳”工作、全面落实“六保”任务，科学精准实施宏观政策，坚持扩大内需战略。") == (
        "扎实做好“六稳”工作", "全面落实“六保”任务", "科学精准实施宏观政策", "坚持扩大内需战略")
    assert parts_of("推进种业振兴。") == () and parts_of("在党中央坚强领导下，推进种业振兴。") == ()


def test_a_work_plan_reviews_nothing_and_so_answers_for_no_absence() -> None:
    from annals.data.schema import Report
    from annals.data.vocab import Period
    from annals.judge.promises import answering

    def report(src: str, period: Period, kind: str, date: str) -> Report:
        return Report(src, "b", period.year, period, kind, src, date, {}, ())

    plan = report("reports/2021/b-annual-summary.md", Period(2021), "annual-summary", "2021-12-20")  # plans 2022
    work_plan = report("reports/2022/b-plan.md", Period(2022), "plan", "2022-02-10")
    midyear = report("reports/2022/b-h1-midyear-summary.md", Period(2022, "H1"), "midyear-summary", "2022-07-10")
    year_end = report("reports/2022/b-annual-summary.md", Period(2022), "annual-summary", "2022-12-20")
    assert answering(plan, Period(2022), [plan, work_plan]) == ([], False)
    assert answering(plan, Period(2022), [plan, work_plan, midyear]) == ([midyear], False)
    assert answering(plan, Period(2022), [plan, work_plan, midyear, year_end]) == ([midyear, year_end], True)
