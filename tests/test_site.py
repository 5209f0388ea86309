"""End to end: build the sample archive and read the HTML a reader gets."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from conftest import SITE_URL, copy_archive, page, run_build

GWR_2016 = "reports/2016/state-council-government-work-report"
XUPU = "reports/2021/xupu-edu-h1-midyear-summary"


def _block(html: str, css_class: str, tag: str = "div") -> str:
    m = re.search(rf'<{tag} class="[^"]*\b{css_class}\b[^"]*">(.*?)</{tag}>', html, re.S)
    assert m, f"no <{tag} class={css_class}>"
    return m.group(1)


def _rows(table_html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table_html, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


def test_every_sample_report_is_published(sample_site: Path) -> None:
    pages = sorted(p.parent.relative_to(sample_site).as_posix() for p in sample_site.glob("reports/*/*/index.html"))
    assert len(pages) == 11
    assert GWR_2016 in pages and XUPU in pages


def test_report_page_has_outline_headings_with_stable_ids(sample_site: Path) -> None:
    html = page(sample_site, XUPU)
    assert '<h1 id="2021年溆浦教育工作上半年总结及下半年工作计划">' in html or "<h1" in html
    assert re.search(r'<h2 id="s1">一、2021年上半年工作开展情况', html)
    assert re.search(r'<h3 id="s1-2">2\.办学条件不断改善。', html)
    assert re.search(r'<h2 id="s2">二、下阶段工作打算', html)
    # run-in items stay in the paragraph
    assert "<p>一是安全教育常抓不懈。" in html


def test_figures_panel_compares_with_a_year_earlier(sample_site: Path) -> None:
    rows = _rows(_block(page(sample_site, GWR_2016), "annals-figures"))
    by_name: dict[tuple[str, str, str], list[str]] = {}
    for r in rows[1:]:
        by_name.setdefault((r[0], r[1], r[2]), r)  # the year's own figure comes before the five-year total
    assert by_name[("国内生产总值增长", "结果", "2015年")][3:] == ["6.9%", "7.4%", "−0.5个百分点", "—"]
    assert by_name[("城镇新增就业", "结果", "2015年")][3:] == ["1312万人", "1322万人", "−10万人", "−0.8%"]
    assert by_name[("国内生产总值增长", "目标", "2016年")][3] == "6.5%－7%"
    assert by_name[("城镇新增就业", "目标", "2016年")][3] == "1000万人以上"


def test_figures_panel_says_when_there_is_nothing_to_compare(sample_site: Path) -> None:
    rows = _rows(_block(page(sample_site, XUPU), "annals-figures"))
    specials = {r[0]: r for r in rows[1:] if r[1] == "结果"}
    assert specials["招聘特岗教师"][3:5] == ["166名", "无上年同期数据"]
    redacted = _rows(_block(page(sample_site, "reports/2021/county-a-edu-duty-report"), "annals-figures"))
    activists = next(r for r in redacted if r[0] == "培养入党积极分子")
    assert activists[3] == "x人（未公开）"


def test_numbers_in_the_text_link_to_their_indicator(sample_site: Path) -> None:
    html = page(sample_site, GWR_2016)
    assert re.search(
        r'增长<a class="annals-fig" href="\.\./\.\./\.\./indicators/gdp_growth/" id="fig-gdp_growth-2015"[^>]*>6\.9%</a>', html
    )
    xupu = page(sample_site, XUPU)
    assert re.search(r'招聘特岗教师<a class="annals-fig" href="[^"]*special_post_teachers_recruited/"[^>]*>166名</a>', xupu)
    assert re.search(r'<a class="annals-fig"[^>]*>1\.598亿元</a>', xupu)


def test_indicator_page_has_series_chart_and_quotes(sample_site: Path) -> None:
    html = page(sample_site, "indicators/gdp_growth")
    table = re.search(r'<table class="annals-compare annals-stack">(.*?)</table>', html, re.S)
    assert table
    rows = {r[0]: r for r in _rows(table.group(1))[1:]}
    assert list(rows) == [f"{y}年" for y in range(2013, 2020)]
    assert rows["2016年"][1:] == ["6.5%－7%", "6.7%", "−0.2个百分点", "—"]
    assert rows["2019年"][1:3] == ["6%－6.5%", "—"]
    svg = re.search(r'<svg class="annals-chart"[^>]*role="img"[^>]*>(.*?)</svg>', html, re.S)
    assert svg
    assert "<title" in svg.group(1) and "2016年：结果 6.7%，目标 6.5%－7%" in svg.group(1)
    # every quote links back to its number in the report
    assert '<a href="../../reports/2017/state-council-government-work-report/#fig-gdp_growth-2016">“国内生产总值达到74.4万亿元，增长6.7%”</a>' in html


def test_year_bureau_archive_and_home_pages(sample_site: Path) -> None:
    year = page(sample_site, "reports/2021")
    assert "2021年共 4 份报告" in year and 'id="kind-midyear-summary"' in year
    archive = page(sample_site, "reports")
    for text in ("按年份", "按发布机关", "按类型", "溆浦县教育局", "政府工作报告"):
        assert text in archive
    bureau = page(sample_site, "bureaus/state-council")
    assert "共 6 份报告" in bureau
    home = page(sample_site, "")
    assert "annals-latest" in home and "2019年政府工作报告" in home
    headline = re.search(r'<li class="annals-headline">.*?国内生产总值增长.*?</li>', home, re.S)
    assert headline and "6.6%" in headline.group(0) and "2018年" in headline.group(0)


def test_navigation_does_not_grow_with_the_archive(sample_site: Path) -> None:
    """No report is listed in another report's navigation."""
    html = page(sample_site, GWR_2016)
    assert 'class="md-nav md-nav--primary' in html
    navigation = html.split('class="md-content"', 1)[0]  # the page's own text may name other reports (the promises it answers)
    for other in ("2014年政府工作报告", "2019年政府工作报告", "溆浦"):
        assert other not in navigation
    sizes = [len(page(sample_site, f"reports/{y}/state-council-government-work-report")) for y in (2014, 2019)]
    assert sizes[0] < 200_000 and sizes[1] < 200_000


def test_no_request_leaves_the_site(sample_site: Path) -> None:
    # What a page loads; <link rel="canonical"> and the feed's "alternate" only name an address.
    pattern = re.compile(r'<(?:script|img|link(?![^>]*rel="(?:canonical|alternate)")|iframe|source)\b[^>]*(?:src|href)="(https?:)?//', re.I)
    for html_file in sample_site.rglob("*.html"):
        assert not pattern.search(html_file.read_text(encoding="utf-8")), html_file
    for css in sample_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8"), css


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        # Links, what the page loads (stylesheets, scripts, images) and where its forms go (the search box).
        for attr in ("href", "src", "action"):
            if a.get(attr) and tag in ("a", "link", "script", "img", "source", "form"):
                self.links.append(a[attr] or "")


@pytest.fixture(scope="module", params=["directory URLs", "file URLs"])
def any_site(request: pytest.FixtureRequest, sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site as built, and built with `use_directory_urls: false` (pages as reports/2016/a.html)."""
    if request.param == "directory URLs":
        return sample_site
    root = tmp_path_factory.mktemp("flat")
    project = copy_archive(root / "archive")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    result = run_build(project, root / "site")
    assert result.returncode == 0, result.stderr
    assert (root / "site/reports/2016/state-council-government-work-report.html").is_file()
    return root / "site"


def test_every_internal_link_and_anchor_resolves(any_site: Path) -> None:
    sample_site = any_site
    flat = (any_site / "index.html").is_file() and not (any_site / "reports/2016/state-council-government-work-report").is_dir()
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            p = _Links()
            p.feed(path.read_text(encoding="utf-8"))
            parsed[path] = p
        return parsed[path]

    # Links resolve as in a browser at the published address (404.html's are absolute; canonical links too).
    site = urlparse(SITE_URL)
    broken = []
    for html_file in sorted(sample_site.rglob("*.html")):
        base = SITE_URL + html_file.relative_to(sample_site).as_posix()
        for link in parse(html_file).links:
            url = urlparse(urljoin(base, link))
            if url.scheme in ("data", "mailto") or url.netloc != site.netloc:
                continue
            if not url.path.startswith(site.path):
                broken.append(f"{html_file}: {link} (outside {SITE_URL})")
                continue
            target = sample_site / unquote(url.path).removeprefix(site.path)
            if target.is_dir() and flat:
                broken.append(f"{html_file}: {link} (a folder: with use_directory_urls false, pages are .html files)")
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{html_file}: {link}")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parse(target).ids:
                broken.append(f"{html_file}: {link} (no anchor)")
    assert not broken, "\n".join(broken[:20])


def test_the_archive_index_lists_the_reports_and_reports_link_their_neighbours(sample_site: Path) -> None:
    index = page(sample_site, "reports")
    for year, title in ((2021, "2021年溆浦教育工作上半年总结及下半年工作计划"), (2016, "2016年政府工作报告"), (2014, "2014年政府工作报告")):
        section = index.split(f'id="year-{year}"', 1)[1].split("<h3", 1)[0]
        assert f">{title}</a>" in section and "· " in section  # with issuer, kind and period beside it
    gwr = page(sample_site, "reports/2016/state-council-government-work-report")
    nav = gwr.split('class="annals-neighbours"', 1)[1].split("</nav>", 1)[0]
    assert 'rel="prev" href="../../2015/state-council-government-work-report/"><span>上一份</span>2015年政府工作报告' in nav
    assert 'rel="next" href="../../2017/state-council-government-work-report/"><span>下一份</span>2017年政府工作报告' in nav
    first = page(sample_site, "reports/2014/state-council-government-work-report")
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert "annals-neighbours" not in page(sample_site, "reports/2021/xupu-edu-h1-midyear-summary")  # its only one of the kind
