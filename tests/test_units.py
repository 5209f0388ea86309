"""Plain functions, tested with plain strings."""

from __future__ import annotations

import posixpath

import markdown
import pytest
from annals.archive.compare import Change
from annals.archive.model import Archive
from annals.data.numbers import find_value
from annals.data.plaintext import escape_md, plain_map
from annals.data.schema import Bureau, Figure, Indicator, Report
from annals.data.settings import read_settings
from annals.data.vocab import Period, parse_period
from annals.pages.blocks import stash_blocks, unstash_blocks
from annals.pages.layout import Canvas, Layout
from annals.pages.links import Links, relative
from annals.pages.render import change_text, fmt, value_text
from annals.pages.site import Site, expand_markers, render_page


@pytest.mark.parametrize(
    ("quote", "value", "units", "stated"),
    [
        ("招聘特岗教师166名", 166.0, ("名",), "166名"),
        ("国内生产总值增长6.5%－7%", (6.5, 7.0), ("%",), "6.5%－7%"),
        ("国内生产总值增长6%-6.5%", (6.0, 6.5), ("%",), "6%-6.5%"),
        ("回复率１００％", 100.0, ("%",), "１００％"),
        ("今年安排地方专项债券1.35万亿元", 1.35, ("万亿元",), "1.35万亿元"),
        ("排查出各类安全隐患x余个", "x", ("个",), "x余个"),
        ("全县未发生一起学生溺亡事故", 0.0, ("起",), "未发生"),
        ("城镇新增就业1,312万人", 1312.0, ("万人",), "1,312万人"),
    ],
)
def test_find_value_finds_the_stated_number(quote: str, value, units: tuple[str, ...], stated: str) -> None:
    span = find_value(quote, value, units)
    assert span is not None and quote[span[0] : span[1]] == stated


@pytest.mark.parametrize(
    ("quote", "value", "units"),
    [
        ("招聘特岗教师166名", 16.0, ("名",)),  # part of a number is not the number
        ("招聘特岗教师166名", 166.0, ("万元",)),  # the wrong unit
        ("预算1.5亿元", 5.0, ("亿元",)),
        ("发展预备党员xx人", "x", ("人",)),  # another redaction mark
        ("增长6.5%－7%", (6.5, 8.0), ("%",)),
    ],
)
def test_find_value_refuses_what_the_quote_does_not_say(quote: str, value, units: tuple[str, ...]) -> None:
    assert find_value(quote, value, units) is None


def test_periods() -> None:
    assert parse_period(2021) == Period(2021)
    assert parse_period("2021-H1") == parse_period("2021年上半年") == Period(2021, "H1")
    assert parse_period("2021-H3") is None and parse_period(True) is None
    assert Period(2021, "H1").year_earlier().label == "2020年上半年"


LAYOUT = Layout()


def test_relative_links() -> None:
    def href(frm: str, to: str, anchor: str = "") -> str:
        return Canvas(frm, Links(), LAYOUT).href(to, anchor)  # outside a build: MkDocs' default, directory URLs

    assert href("reports/2016/a.md", "indicators/gdp.md") == "../../../indicators/gdp/"
    assert href("index.md", "indicators/gdp.md", "x") == "indicators/gdp/#x"
    assert href("reports/2016/a.md", "index.md") == "../../../"
    assert href("reports/2016/a.md", "reports/2016/index.md", "kind-plan") == "../#kind-plan"
    assert href("a.md", "a.md", "top") == "#top"
    urls = ["", "a/", "a/b/", "a/b/c/", "a/c/", "ab/", "reports/2016/a/", "reports/2016/", "reports/2017/a/"]
    for frm in urls:
        for to in urls:
            expected = posixpath.relpath("/" + to, "/" + frm.rstrip("/"))
            assert relative(frm, to) == ("./" if expected == "." else expected + "/"), (frm, to)


def test_relative_links_between_file_urls() -> None:
    """With use_directory_urls: false MkDocs names pages reports/2016/a.html; links follow its names."""
    flat = Links({"index.md": "index.html", "reports/2016/a.md": "reports/2016/a.html", "indicators/gdp.md": "indicators/gdp.html",
                  "reports/2016/index.md": "reports/2016/index.html"})
    report, indicator = Canvas("reports/2016/a.md", flat, LAYOUT), Canvas("indicators/gdp.md", flat, LAYOUT)
    assert report.href("indicators/gdp.md", "x") == "../../indicators/gdp.html#x"
    assert report.href("reports/2016/index.md") == "index.html"
    assert indicator.href("index.md") == "../index.html"
    assert report.file("opendata/figures.csv") == "../../opendata/figures.csv"
    files = ["index.html", "a.html", "a/b.html", "a/b/c.html", "a/c/index.html", "reports/2016/a.html"]
    for frm in files:
        for to in files:
            assert relative(frm, to) == posixpath.relpath("/" + to, "/" + posixpath.dirname(frm)), (frm, to)


def _figure(value, unit: str = "%", period: int = 2016, stated: str | None = None, qualifier: str | None = None) -> Figure:
    stated = stated or f"{value}{unit}"
    return Figure("f.yml", 1, "reports/2016/a.md", "gdp", "result", Period(period), value, unit, 1.0, qualifier, stated, (0, len(stated)))


def test_changes_in_points_percent_and_when_unknown() -> None:
    assert change_text(Change(_figure(6.7), _figure(6.9, period=2015)), "%") == ("−0.2个百分点", "—")
    assert change_text(Change(_figure(1314.0, "万人"), _figure(1312.0, "万人", 2015)), "万人") == ("+2万人", "+0.2%")
    assert change_text(Change(_figure("x", "人", stated="x人"), _figure(5.0, "人", 2015)), "人")[0] == "未公开"
    assert change_text(Change(_figure(5.0, "人"), None), "人")[0] == "无上年同期数据"
    assert fmt(0.1 + 0.2) == "0.3" and fmt(1312.0) == "1312"


def test_value_text_keeps_the_qualifier() -> None:
    assert value_text(_figure(1000, "万人", qualifier="以上")) == "1000万人以上"
    assert value_text(_figure(3.5, "%", stated="控制在3.5%", qualifier="控制在")) == "控制在3.5%"


def test_plain_map_undoes_escapes() -> None:
    text, index = plain_map(r"### 1\.5亿元\*重点\* {: #s1 }")
    assert text == "1.5亿元*重点*"
    assert index[0] == 4 and index[1] == 6


def _hostile_archive() -> tuple[Archive, str]:
    evil = '<script>alert("x")</script>'
    body = escape_md(f"增长6.9%，{evil}。")  # as the importer writes report text
    report = Report("reports/2016/a.md", "b", 2016, Period(2016), "plan", evil, "2016", {"note": evil}, (body,))
    fig = Figure("f.yml", 1, report.src, "gdp", "result", Period(2016), 6.9, "%", 1.0, None, "增长6.9%", (2, 6))
    archive = Archive({"b": Bureau("b", evil, evil)}, {"gdp": Indicator("gdp", evil, "%", evil, True, ())}, {report.src: report}, [fig])
    return archive, body


def test_strings_from_data_are_escaped_in_every_block() -> None:
    archive, body = _hostile_archive()
    site = Site(archive, read_settings({})[0])
    pages = (render_page(body, "reports/2016/a.md", site, "a.md"), expand_markers("<!-- annals:indicator gdp -->", "indicators/gdp.md", site, "gdp.md"))
    for md in pages:
        html = markdown.markdown(md, extensions=["attr_list", "md_in_html", "tables", "toc"])
        assert "<script" not in html
        assert "&lt;script&gt;" in html


def test_a_figures_number_is_the_same_link_in_text_in_a_heading_and_with_markdown_in_it() -> None:
    lines = ("## 一、增长6.9%", "财政赤字1\\.5亿元，就业增长7.0%。")
    report = Report("reports/2016/a.md", "b", 2016, Period(2016), "plan", "t", "2016", {}, lines)
    quotes = [("增长6.9%", 6.9, "%", (2, 6)), ("赤字1.5亿元", 1.5, "亿元", (2, 7)), ("就业增长7.0%", 7.0, "%", (4, 8))]
    figures = [
        Figure("f.yml", n, report.src, f"i{n}", "result", Period(2016), value, unit, 1.0, None, quote, span)
        for n, (quote, value, unit, span) in enumerate(quotes)
    ]
    indicators = {f"i{n}": Indicator(f"i{n}", f"指标{n}", "%", "", True, ()) for n in range(3)}
    archive = Archive({"b": Bureau("b", "局", "")}, indicators, {report.src: report}, figures)
    md = render_page("\n\n".join(lines), report.src, Site(archive, read_settings({})[0]), "a.md")
    stashed, blocks = stash_blocks(md)
    assert stashed.count("ANNALSINLINE") == 1  # the plain number in plain text; not the other two
    html = unstash_blocks(markdown.markdown(stashed, extensions=["attr_list", "md_in_html", "tables", "toc"]), blocks)
    assert '<h2 id="s1">一、增长<a class="annals-fig"' in html
    for n, text in enumerate(("6.9%", "1.5亿元", "7.0%")):
        assert f'<a class="annals-fig" href="../../../indicators/i{n}/" id="fig-i{n}-2016" title="指标{n}">{text}</a>' in html
