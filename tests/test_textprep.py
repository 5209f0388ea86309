"""Cleaning and outline: debris goes, every word of the report stays."""

from __future__ import annotations

import re

import markdown
import pytest
from annals.data.plaintext import escape_md, plain_line, split_front_matter
from annals.intake.sample import SAMPLE, page_for
from annals.intake.textprep import cjk_runs, clean, split_title, to_markdown
from conftest import ROOT, SHARED

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (seeds and samples) is not beside the repository")


def _cjk(text: str) -> str:
    return "".join(cjk_runs(text))


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@needs_shared
@pytest.mark.parametrize("doc", SAMPLE, ids=[d.file for d in SAMPLE])
def test_every_word_survives_except_debris(doc) -> None:
    raw = (SHARED / doc.file).read_text(encoding="utf-8")
    page, _ = page_for(doc, raw)
    _, body, _ = split_front_matter(page, doc.file)
    title = re.search(r'^title: "(.*)"$', page, re.M)
    assert title
    out = _cjk(("" if doc.title else title.group(1)) + "".join(plain_line(line) for line in body.split("\n")))
    source = _cjk(raw)
    removed = sum(len(_cjk(item)) for r in clean(raw).removals for item in r.items)
    # In order, nothing added, and exactly the debris missing.
    assert _is_subsequence(out, source)
    assert len(source) - len(out) == removed


@needs_shared
def test_sample_pages_are_what_the_generator_makes() -> None:
    """docs/reports is produced by `python -m annals.intake.sample`, never edited by hand."""
    for doc in SAMPLE:
        page, _ = page_for(doc, (SHARED / doc.file).read_text(encoding="utf-8"))
        target = ROOT / "docs" / "reports" / str(doc.period.year) / f"{doc.slug}.md"
        assert target.read_text(encoding="utf-8") == page, f"{target} is stale: run python -m annals.intake.sample ../shared --force"


@needs_shared
def test_scraped_seed_loses_its_debris() -> None:
    cleaned = clean((SHARED / "seeds/002_7ea7ff211f0f944f.txt").read_text(encoding="utf-8"))
    for debris in ("由会员分享", "第15页", "第 15 页", "本文来源", "taowenge"):
        assert debris not in cleaned.text
    assert "\n2、" not in cleaned.text and "党员老师主动参加一师一优课" in cleaned.text  # a page marker cut this word
    assert {r.what[:4] for r in cleaned.removals} >= {"文档网站", "切断句子", "网站来源", "“第N页"}
    assert "教化" in cleaned.text  # the spinner's words are the document as published


@needs_shared
def test_read_more_tail_and_banner_go() -> None:
    cleaned = clean((SHARED / "seeds/004_dabe58f1942928d8.txt").read_text(encoding="utf-8"))
    for debris in ("阅读全文", "赏赞", "xiebitongdao", "文章导读", "2022-10-24", "20210530"):
        assert debris not in cleaned.text
    assert cleaned.text.startswith("教育局2021年上半年工作总结及下半年工作打算\n")
    assert "与XX等签订校企业合作协议。" in cleaned.text


def test_zero_width_and_crlf() -> None:
    cleaned = clean("\ufeff国内生产总值达到74.4\u200b万亿元\r\n第二行\r第三行")
    assert cleaned.text == "国内生产总值达到74.4万亿元\n第二行\n第三行\n"
    assert cleaned.removals[0].count == 2


def test_ordinary_numbered_list_is_not_taken_for_page_markers() -> None:
    text = "1、第一项。\n\n2、第二项。\n\n3、第三项。\n"
    assert clean(text).text == text


def test_title_broken_over_two_lines() -> None:
    title, rest = split_title(["2021年溆浦教育工作上半年总结及下半年", "", "工作计划", "", "溆浦县教育局"])
    assert title == "2021年溆浦教育工作上半年总结及下半年工作计划"
    assert [line for line in rest if line] == ["溆浦县教育局"]


def test_title_run_into_the_first_sentence() -> None:
    title, rest = split_title(["区教化局年度工作总结和下一年工作设想一年来,在区委区政府的正确领导下,全区……。"])
    assert title == "区教化局年度工作总结和下一年工作设想"
    assert rest == ["一年来,在区委区政府的正确领导下,全区……。"]


def test_salutation_is_not_a_title() -> None:
    assert split_title(["各位代表：", "", "现在，我代表国务院……"])[0] is None
    assert split_title(["各位代表！", "", "现在，我代表国务院……"])[0] is None
    assert split_title(["同志们：", "", "现在，我代表局党组……"])[0] is None
    assert split_title(["2020年政府工作报告（摘要）", "各位代表：", "现在"]) == ("2020年政府工作报告（摘要）", ["各位代表：", "现在"])


def test_outline_levels_follow_first_appearance() -> None:
    md = to_markdown("一、总体情况\n（一）党建工作。坚持党的领导。\n1.理论学习。一是学习；二是研讨。\n（1）专题学习\n二、下步打算\n——加强领导。\n")
    assert md.split("\n\n") == [
        "## 一、总体情况",
        "### （一）党建工作。",
        "坚持党的领导。",
        "#### 1.理论学习。",
        "一是学习；二是研讨。",
        "##### （1）专题学习",
        "## 二、下步打算",
        "——加强领导。\n",
    ]


def test_heading_ends_before_run_in_items() -> None:
    md = to_markdown("（一）坚持党建引领,育人环境日益优化一是凝心聚力抓党建。全区……\n")
    assert md.startswith("## （一）坚持党建引领,育人环境日益优化\n\n一是凝心聚力抓党建。")


def test_markdown_syntax_in_text_is_escaped_not_lost() -> None:
    for text, shown in [
        ("1.5亿元用于建设*重点*项目<b>", "1.5亿元用于建设*重点*项目&lt;b&gt;"),
        ("生师比<18 & 班额≤45", "生师比&lt;18 &amp; 班额≤45"),
        ("- [x] `code` <script>alert(1)</script> &lt;", "- [x] `code` &lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;"),
    ]:
        md = to_markdown(text + "\n")
        assert plain_line(md.strip()) == text
        assert markdown.markdown(md, extensions=["attr_list", "md_in_html", "tables"]) == f"<p>{shown}</p>"
    # A line that looks like a list item stays text, with no stray backslash.
    assert markdown.markdown(escape_md("1. 生师比<18")) == "<p>1. 生师比&lt;18</p>"
