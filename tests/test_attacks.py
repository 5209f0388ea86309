"""Attacks and faults, by class: markup in data and report text, content from outside the repository,
data that is hostile in size or shape, builds that fail half-way, a server during a data error.

Each class is generated from what makes it a class (every Markdown construct that makes attributes,
links or images; every way a file can point out of the repository), not from one example. What holds
is what a user sees: built HTML, exit codes, messages, the last good site.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from annals.cli import main as annals_main
from annals.data.safety import SafeMarkdown, markup_in
from conftest import MKDOCS, page, run_build
from test_checks import BUREAUS, FIGURES, INDICATORS, REPORT, check, replace

REPORT_PAGE = "reports/2021/xupu-edu-h1-midyear-summary/"

# ------------------------------------------------------------------ what may never be in the built site

RESOURCE_TAGS = {"img", "script", "iframe", "frame", "audio", "video", "source", "track", "embed", "object", "input", "image", "use"}
SCRIPT_SCHEMES = {"javascript", "vbscript", "data", "file"}


class _Scan(HTMLParser):
    """Every start tag's attributes, as the browser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            elif name in ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset") and value.split(":", 1)[0] in SCRIPT_SCHEMES and ":" in value:
                self.found.append(f"<{tag} {name}={value[:40]}>")
            elif name in ("src", "srcset", "poster", "data") and tag in RESOURCE_TAGS and (value.startswith("//") or "://" in value):
                self.found.append(f"<{tag} {name}={value[:40]}> (another origin)")
            elif name == "style" and "url(" in value:
                self.found.append(f"<{tag} style=url(…)>")
            elif name in ("autofocus", "formaction"):
                self.found.append(f"<{tag} {name}>")
            elif tag == "link" and name == "href" and (value.startswith("//") or "://" in value) and ("stylesheet" in str(attrs) or "icon" in str(attrs)):
                self.found.append(f"<link href={value[:40]}> (another origin)")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append("<script>alert(…)</script>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def dangers(site: Path) -> dict[str, list[str]]:
    """Per built file, every attribute or element that could run script or fetch from another origin."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        scan = _Scan()
        scan.feed(path.read_text(encoding="utf-8"))
        if scan.found:
            out[path.relative_to(site).as_posix()] = scan.found
    return out


def test_the_scanner_sees_what_it_must(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<h1 onfocus="x">t</h1><a href="&#106;avascript:1">a</a><img src="//evil.test/a.png">'
                                     '<p style="background:url(http://e.test/)">p</p><script>alert(1)</script>', encoding="utf-8")
    assert len(dangers(tmp_path)["a.html"]) == 5


# ------------------------------------------------------------------ markup: every construct, every place

ATTRIBUTE_LISTS = ["{: autofocus tabindex=0 onfocus=alert(1) }", "{#x onclick=alert(2)}", "{.c onmouseover=alert(3) }",
                   "{ style=background:url(http://evil.test/x) }", "{:onload=alert(4)}"]
SCRIPT_LINKS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "java&#x09;script:alert(1)",
                "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", " javascript:alert(1)"]
REMOTE_IMAGES = ["![图](http://evil.test/a.png)", "![图](//evil.test/a.png)", "![图](https://evil.test/a.png \"t\")",
                 "![图](<http://evil.test/a b.png>)"]
MARKUP = (ATTRIBUTE_LISTS + [f"[这里]({t})" for t in SCRIPT_LINKS] + REMOTE_IMAGES
          + ["[这里][r]\n\n[r]: javascript:alert(5)", "![图][r]\n\n[r]: http://evil.test/a.png", "<javascript:alert(6)>",
             "<img src=x onerror=alert(7)>", "<!-- hidden -->"])


def _as_yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON is YAML: a double-quoted string that keeps every character


def _inject_data_strings(project: Path) -> dict[str, str]:
    """One payload in every data string a reader sees; the page each should show on, as text."""
    payloads = iter(ATTRIBUTE_LISTS + [f"[这里]({t})" for t in SCRIPT_LINKS[:3]] + REMOTE_IMAGES[:2] + ["<img src=x onerror=alert(8)>"])
    shown: dict[str, str] = {}

    def put(rel: str, old: str, new_template: str, where: str) -> None:
        payload = next(payloads)
        replace(project, rel, old, new_template.format(_as_yaml("名称" + payload)))
        shown["名称" + payload] = where

    put(REPORT, 'title: "2021年溆浦教育工作上半年总结及下半年工作计划"', "title: {}", REPORT_PAGE)
    put(BUREAUS, "  name: 溆浦县教育局\n", "  name: {}\n", "bureaus/xupu-edu/")
    put(BUREAUS, "  name: 国务院\n", "  name: 国务院\n  short_name: {}\n", "")
    put(INDICATORS, "  name: 国内生产总值增长\n", "  name: {}\n", "indicators/gdp_growth/")
    put(INDICATORS, "  definition: 国内生产总值（GDP）按可比价格计算的年增长率。\n", "  definition: {}\n", "indicators/gdp_growth/")
    put(INDICATORS, "  group: 宏观经济\n", "  group: {}\n", "indicators/")
    put(REPORT, '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n', '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n  note: {}\n', REPORT_PAGE)
    put(REPORT, '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n', '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n  number: {}\n', REPORT_PAGE)
    put("docs/reports/2016/state-council-government-work-report.md", 'title: "2016年政府工作报告"', "title: {}",
        "reports/2016/state-council-government-work-report/")
    put(FIGURES, "    value: 62\n", "    value: 62\n    basis: {}\n", "indicators/probationary_party_members/")
    put(BUREAUS, "  note: 湖南省怀化市溆浦县。\n", "  note: {}\n", "bureaus/xupu-edu/")
    return shown


def test_every_data_string_is_shown_as_text_and_nothing_runs(archive_copy: Path, tmp_path: Path) -> None:
    shown = _inject_data_strings(archive_copy)
    site = tmp_path / "site"
    result = run_build(archive_copy, site)
    assert result.returncode == 0, result.stderr  # text is text: nothing to refuse, nothing neutralised (strict)
    assert not dangers(site)
    for text, url in shown.items():
        visible = _visible_text(page(site, url))
        assert text in visible or text.replace("  ", " ") in visible, (text, url)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


PLACES = {  # where in a report's text a construct can stand, as a line of the body
    "own line": "{m}",
    "after a heading": "## 五、附记 {m}",
    "end of a paragraph": "全县各校开展了安全教育。{m}",
    "after emphasis": "全县各校*开展*{m}安全教育。",
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("construct", MARKUP, ids=range(len(MARKUP)))
def test_report_text_with_markup_is_refused_with_its_line(archive_copy: Path, capsys: pytest.CaptureFixture[str], construct: str, place: str) -> None:
    line = replace(archive_copy, REPORT, "溆浦县教育局\n", "溆浦县教育局\n\n" + PLACES[place].format(m=construct) + "\n") + 2
    code, err = check(archive_copy, capsys)
    assert code == 1
    problems = [x for x in err.splitlines() if x.startswith(f"{REPORT}:")]
    lines = {f"{REPORT}:{n}: 正文中有" for n in range(line, line + construct.count("\n") + 1)}  # the construct's own lines
    assert problems and any(problems[0].startswith(at) for at in lines), err
    assert "报告正文只能是文字" in problems[0] and "请写作" in problems[0]


def test_a_build_with_markup_in_report_text_stops_before_writing(archive_copy: Path, tmp_path: Path) -> None:
    replace(archive_copy, REPORT, "溆浦县教育局\n", "溆浦县教育局\n\n## 附记 {: autofocus onfocus=alert(1) }\n")
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 1 and "报告正文只能是文字" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_text_that_only_looks_like_markup_is_not_refused() -> None:
    for text in ("（一）抓好“三个一”工程", "\\{: 转义的 \\}", "比上年增长[3%]", "\\[这里\\](javascript:x)", "[链接](https://www.gov.cn/)",
                 "[本站](../2020/a.md)", "![图](../../assets/a.png)"):
        assert markup_in(text) is None, text


@pytest.mark.parametrize("construct", MARKUP[: len(ATTRIBUTE_LISTS) + len(SCRIPT_LINKS) + len(REMOTE_IMAGES) + 2])
def test_the_last_line_of_defence_neutralises_what_markdown_makes(construct: str) -> None:
    """Whatever the checks may miss, the build's Markdown keeps nothing that runs or fetches."""
    safe = SafeMarkdown()
    for place in PLACES.values():
        html = markdown.markdown(place.format(m=construct), extensions=["attr_list", "md_in_html", "tables", "toc", safe])
        scan = _Scan()
        scan.feed(html)
        assert not scan.found, (construct, html)
    assert safe.found, "it says what it removed"


def test_a_hand_written_page_with_markup_fails_strict_and_is_neutralised_otherwise(archive_copy: Path, tmp_path: Path) -> None:
    about = archive_copy / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n点这里。\n{: onclick=alert(1) }\n\n![图](http://evil.test/a.png)\n", encoding="utf-8")
    strict = run_build(archive_copy, tmp_path / "strict")
    assert strict.returncode == 1 and "docs/about.md: 已去掉会执行脚本或向其他网站请求的标记" in strict.stderr
    assert not (tmp_path / "strict").exists(), "a build that fails publishes nothing"
    lenient = run_build(archive_copy, tmp_path / "lenient", "--no-strict")
    assert lenient.returncode == 0, lenient.stderr
    assert not dangers(tmp_path / "lenient") and "点这里。" in page(tmp_path / "lenient", "about")


def test_an_imported_text_with_markup_is_published_as_text(archive_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [f"第{n}条：{c}" for n, c in enumerate(MARKUP, 1)]
    source = tmp_path / "r.txt"
    source.write_text("2021年溆浦教育工作下半年工作总结\n\n溆浦县教育局\n\n（2021年12月20日）\n\n一、工作情况\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    before = set((archive_copy / "docs/reports/2021").glob("*.md"))
    assert annals_main(["--project", str(archive_copy), "import", str(source)]) == 0
    capsys.readouterr()
    [imported] = set((archive_copy / "docs/reports/2021").glob("*.md")) - before
    code, err = check(archive_copy, capsys)
    assert code == 0, err
    site = tmp_path / "site"
    result = run_build(archive_copy, site)
    assert result.returncode == 0, result.stderr
    assert not dangers(site)
    text = _visible_text(page(site, f"reports/2021/{imported.stem}"))
    for n, construct in enumerate(MARKUP, 1):  # every word of the source, as written
        assert f"第{n}条：" + construct.replace("\n\n", "") in text.replace("\n", ""), construct


@pytest.mark.parametrize("title", ["2021年工作总结\"\nbureau: state-council", "2021年\x07工作总结", "2021年工作总结\x1b[2J"])
def test_an_import_title_cannot_break_out_of_its_line(archive_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    source = tmp_path / "r.txt"
    source.write_text("一、工作\n\n新建学校5所。\n", encoding="utf-8")
    code = annals_main(["--project", str(archive_copy), "import", "--bureau", "xupu-edu", "--year", "2021", "--kind", "年度工作总结",
                        "--title", title, str(source)])
    err = capsys.readouterr().err
    assert code == 1 and "--title 中有换行或控制字符" in err
    assert not (archive_copy / "docs/reports/2021/xupu-edu-annual-summary.md").exists()


def test_control_characters_in_imported_text_are_removed_and_told(archive_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.txt"
    source.write_text("2021年溆浦县教育局工作总结\n\n一、工作\n\n新建\x07学校\x1b5所。\x0c\n\n二、计划\n\n继续。\n", encoding="utf-8")
    assert annals_main(["--project", str(archive_copy), "import", "--bureau", "xupu-edu", str(source)]) == 0
    out = capsys.readouterr().out
    assert "控制字符 ×3" in out
    page_text = (archive_copy / "docs/reports/2021/xupu-edu-annual-summary.md").read_text(encoding="utf-8")
    assert "新建学校5所。" in page_text and "继续。" in page_text
    assert check(archive_copy, capsys)[0] == 0


# ------------------------------------------------------------------ content from outside the repository


def _link(target: str | Path, at: str) -> callable:  # type: ignore[valid-type]
    def make(project: Path) -> str:
        path = project / at
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target if isinstance(target, str) else project / target)
        return at
    return make


def _file(at: str, content: str = "文字\n") -> callable:  # type: ignore[valid-type]
    def make(project: Path) -> str:
        path = project / at
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        return at
    return make


TREE = {
    "file outside the repository": (_link("/etc/hostname", "docs/assets/host.txt"), "是符号链接"),
    "report outside the repository": (_link("/etc/hostname", "docs/reports/2021/outside.md"), "是符号链接"),
    "report linked inside the repository": (_link(Path(REPORT), "docs/reports/2020/again.md"), "是符号链接"),
    "dangling link": (_link("/nonexistent/annals-test", "docs/assets/gone.png"), "是符号链接"),
    "linked folder": (_link("/etc", "docs/assets/etc"), "是符号链接"),
    "figures file linked": (_link("/etc/hostname", "data/figures/2021/county-a-edu-duty-report.yaml"), "是符号链接"),
    "theme file linked": (_link("/etc/hostname", "overrides/partials/x.html"), "是符号链接"),
    "hash in a report's name": (_file("docs/reports/2021/a#b.md"), "网址会断开"),
    "question mark in an asset's name": (_file("docs/assets/a?.png"), "网址会断开"),
    "percent in a folder's name": (_file("docs/assets/100%/a.png"), "网址会断开"),
    "space in a page's name": (_file("docs/about us.md"), "网址会断开"),
    "report named as a dot-file": (_file("docs/reports/2021/...md"), "报告须放在 docs/reports/"),
    "report outside a year folder": (_file("docs/reports/misc.md"), "报告须放在 docs/reports/"),
    "report one folder too deep": (_file("docs/reports/2021/old/a.md"), "报告须放在 docs/reports/"),
    "year folder that is no year": (_file("docs/reports/21/a.md"), "报告须放在 docs/reports/"),
    "the data folder itself linked": (lambda project: (shutil.move(project / "data", project.parent / "elsewhere"),
                                                       (project / "data").symlink_to(project.parent / "elsewhere"), "data")[-1], "整个文件夹是符号链接"),
    "figures twice, .yml and .yaml": (_file("data/figures/2021/xupu-edu-h1-midyear-summary.yaml", "figures: []\n"), "会把每条数据读两遍"),
}


@pytest.mark.parametrize("case", TREE)
def test_the_file_tree_holds_only_the_repositorys_own_publishable_files(archive_copy: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    make, message = TREE[case]
    at = make(archive_copy)
    code, err = check(archive_copy, capsys)
    assert code == 1
    named = [at] + [p.as_posix() for p in Path(at).parents]  # the file, or the folder whose name is wrong
    assert any(x.split(": ", 1)[0] in named and message in x for x in err.splitlines()), err


# ------------------------------------------------------------------ data hostile in size or shape

BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f'{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n' for p, c in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize(("rel", "old", "new", "message"), [
    (FIGURES, "    value: 50\n", "    value: 1" + "0" * 400 + "\n", "太大"),
    (FIGURES, "    value: 50\n", "    value: [1, 1" + "0" * 400 + "]\n", "太大"),
    (FIGURES, "    value: 50\n", "    value: -1" + "0" * 30 + "\n", "太大"),
    (REPORT, "year: 2021\n", "year: 2021" + "0" * 400 + "\n", "太大"),
    (INDICATORS, "  higher_is_better: true\n  headline: true\n", "  higher_is_better: true\n  headline: true\n  range: [0, 9" + "9" * 400 + "]\n", "太大"),
    (FIGURES, "figures:\n", "x: &x [1]\ny: *x\nfigures:\n", "不支持 YAML 锚点与别名"),
    (BUREAUS, "xupu-edu:\n", BOMB + "xupu-edu:\n", "不支持 YAML 锚点与别名"),
    (REPORT, "year: 2021\n", "year: 2021\nx: &x a\ny: *x\n", "不支持 YAML 锚点与别名"),
    (REPORT, 'title: "2021年溆浦', 'title: "\\u0007 2021年溆浦', "控制字符 U+0007"),
    (FIGURES, "    quote: 培养积极分子50人\n", '    quote: "培养积极分子50人\\x1b[31m"\n', "控制字符 U+001B"),
    (REPORT, "溆浦县教育局\n", "溆浦县\x0c教育局\n", "控制字符 U+000C"),
    (REPORT, "溆浦县教育局\n", "溆浦县\u0085教育局\n", "控制字符 U+0085"),
    (REPORT, '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n', '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n  note: {a: [1, 2, {b: c}]}\n', "应为文字"),
    (REPORT, '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n', '  file: "seeds/003_a2250ef0bda6fe1b.txt"\n  url: [http://a.test/]\n', "应为文字"),
], ids=["huge value", "huge range end", "huge negative", "huge year", "huge indicator range", "alias", "alias bomb",
        "alias in front matter", "bell in a title", "escape in a quote", "form feed in text", "NEL in text", "nested note", "list as url"])
def test_data_hostile_in_size_or_shape_is_named_at_once(archive_copy: Path, capsys: pytest.CaptureFixture[str], rel: str, old: str, new: str, message: str) -> None:
    line = replace(archive_copy, rel, old, new)
    started = time.perf_counter()
    code, err = check(archive_copy, capsys)
    assert time.perf_counter() - started < 10
    assert code == 1
    named = [x for x in err.splitlines() if x.startswith(f"{rel}:")]
    assert any(message in x for x in named), err
    assert all(abs(int(x.split(":")[1]) - line) <= 3 for x in named if message in x), err


# Values of every YAML shape, for every key the contracts declare: each must be a problem with its line or be
# accepted, never a traceback.
ODD_VALUES = ["[1, 2]", "{a: 1}", "123", "true", "null", "''", "-1", "1.5e300", '"' + "长" * 5000 + '"', "[[[[1]]]]",
              "!!binary aGVsbG8=", "!!python/name:os.system", "2021-13-45", "[]", "{}", "0x1F", ".inf", "~"]
SCHEMA_KEYS = {  # file → (the entry to put the key in, its keys)
    REPORT: ("---\n", ["bureau", "year", "period", "kind", "title", "date", "source"]),
    FIGURES: ("  - indicator: party_activists_trained\n", ["type", "period", "value", "unit", "qualifier", "quote", "note", "basis", "review"]),
    INDICATORS: ("gdp_growth:\n", ["name", "unit", "group", "higher_is_better", "phrases", "headline", "definition", "range"]),
    BUREAUS: ("xupu-edu:\n", ["name", "short_name", "note"]),
}


def test_no_value_of_any_shape_in_any_key_gives_a_traceback(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracebacks = []
    for rel, (entry, keys) in SCHEMA_KEYS.items():
        path = archive_copy / rel
        original = path.read_text(encoding="utf-8")
        indent = "" if rel == REPORT else "    " if rel == FIGURES else "  "
        for key in keys:
            # The key's own line (and what is indented under it) goes; the odd value comes first in the entry.
            start = original.index(entry) + len(entry)
            end = original.index("\n\n", start) if rel in (INDICATORS, BUREAUS) else original.index("---" if rel == REPORT else "  - ", start)
            kept = "".join(line for line in original[start:end].splitlines(keepends=True)
                           if not line.startswith(f"{indent}{key}:") and not (key == "source" and line.startswith("  ")))
            for value in ODD_VALUES:
                path.write_text(original[:start] + f"{indent}{key}: {value}\n" + kept + original[end:], encoding="utf-8")
                try:
                    annals_main(["check", "--project", str(archive_copy)])
                except Exception as exc:  # noqa: BLE001 (any of them is the failure this test is for)
                    tracebacks.append(f"{rel} {key}: {value[:20]}: {type(exc).__name__}: {exc}"[:200])
                out = capsys.readouterr()
                assert "Traceback" not in out.out + out.err
        path.write_text(original, encoding="utf-8")
    assert not tracebacks, "\n".join(tracebacks)


def test_a_report_with_windows_line_endings_is_read_as_written(archive_copy: Path, tmp_path: Path, sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = archive_copy / REPORT
    report.write_bytes(report.read_bytes().replace(b"\n", b"\r\n"))
    code, err = check(archive_copy, capsys)
    assert code == 0, err
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert page(tmp_path / "site", REPORT_PAGE) == page(sample_site, REPORT_PAGE)


def test_one_bad_bureau_id_is_one_problem(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(archive_copy, BUREAUS, "xupu-edu:\n  name: 溆浦县教育局\n", "xupu-edu:\n  name: 溆浦县教育局\n\nXupu-Edu:\n  name: 溆浦县教育局（重复）\n")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "发现 1 个问题" in err and f"{BUREAUS}:" in err and "只能用小写字母" in err, err


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5", "true", "[1]", "{a: 1}"])
def test_a_setting_set_wrong_is_named_before_the_build_begins(archive_copy: Path, tmp_path: Path, value: str) -> None:
    config = archive_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", f"extra:\n  annals:\n    search_bucket_bytes: {value}\n", 1),
                      encoding="utf-8")
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = config.read_text(encoding="utf-8").splitlines().index(f"    search_bucket_bytes: {value}") + 1
    assert f"mkdocs.yml:{line}: extra.annals.search_bucket_bytes: 应为正整数，如 8192" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_config_named_relative_to_another_folder_builds(archive_copy: Path, tmp_path: Path) -> None:
    result = subprocess.run([*MKDOCS, "build", "--strict", "-f", "archive/mkdocs.yml", "-d", str(tmp_path / "site")], cwd=archive_copy.parent,
                            capture_output=True, text=True, encoding="utf-8", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]


# ------------------------------------------------------------------ a failed build leaves the last good site


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def built(archive_copy: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """The archive, its site built once, and the site's files."""
    site = tmp_path / "site"
    result = run_build(archive_copy, site)
    assert result.returncode == 0, result.stderr
    return archive_copy, site, _digests(site)


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if ".annals-" in p.name)


def test_a_build_failing_on_data_leaves_the_last_good_site(built: tuple[Path, Path, dict[str, str]]) -> None:
    project, site, before = built
    replace(project, FIGURES, "value: 166", "value: 167")
    result = run_build(project, site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _digests(site) == before and not _leftovers(site)


def test_a_build_failing_on_a_dangling_link_leaves_the_last_good_site(built: tuple[Path, Path, dict[str, str]]) -> None:
    project, site, before = built
    (project / "docs/assets/gone.png").symlink_to("/nonexistent/annals-test")
    result = run_build(project, site)
    assert result.returncode == 1 and "docs/assets/gone.png: 是符号链接" in result.stderr and "Traceback" not in result.stderr
    assert _digests(site) == before


def test_a_build_failing_on_a_strict_warning_leaves_the_last_good_site(built: tuple[Path, Path, dict[str, str]]) -> None:
    project, site, before = built
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[断开的链接](nowhere.md)\n", encoding="utf-8")
    result = run_build(project, site)
    assert result.returncode == 1 and "in strict mode" in result.stdout + result.stderr
    assert _digests(site) == before and not _leftovers(site)


def test_a_build_that_cannot_write_says_so_and_leaves_the_last_good_site(built: tuple[Path, Path, dict[str, str]]) -> None:
    """A real write error half-way through writing the pages (the file-size limit, as a full disk)."""
    project, site, before = built

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))  # the home page fits, a government work report does not

    result = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(site)], cwd=project, capture_output=True, text=True,
                            encoding="utf-8", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, preexec_fn=small_files, check=False)
    assert result.returncode == 1, result.stderr
    assert "无法写入网站" in result.stderr and "上一次生成的网站保持不变" in result.stderr and "Traceback" not in result.stderr
    assert _digests(site) == before and not _leftovers(site)


def test_a_linked_site_directory_stays_a_link_and_gets_the_new_site(archive_copy: Path, tmp_path: Path) -> None:
    served = tmp_path / "srv" / "site"
    served.mkdir(parents=True)
    (served / ".well-known").mkdir()  # a dot-file of the host's, kept as MkDocs keeps it
    link = tmp_path / "site"
    link.symlink_to(served)
    for _ in range(2):
        result = run_build(archive_copy, link)
        assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (served / "index.html").is_file() and (served / ".well-known").is_dir()
    assert not _leftovers(link) and not _leftovers(served)


def test_a_site_directory_that_cannot_be_replaced_gets_the_new_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mount point cannot be renamed (EBUSY, EXDEV): the new site is moved into it once it is complete."""
    from annals.build import staging

    site, staged = tmp_path / "site", tmp_path / ".site.annals-new-1"
    (site / "old").mkdir(parents=True)
    (site / "old" / "page.html").write_text("old", encoding="utf-8")
    (site / ".git").mkdir()
    (staged / "new").mkdir(parents=True)
    (staged / "new" / "page.html").write_text("new", encoding="utf-8")

    def busy(*_: object) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(staging, "_swap", busy)
    staging.commit(staged, site)
    assert sorted(p.name for p in site.iterdir()) == [".git", "new"] and (site / "new/page.html").read_text(encoding="utf-8") == "new"
    assert not staged.exists()


def _append(path: Path, text: str) -> int:
    """Append a paragraph to a page; the line it starts on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


NESTED_TOO_DEEP = {  # page, what is appended, the line told after the first appended one, what is said
    "3,000 list markers": ("docs/about.md", "- " * 3000 + "层层嵌套", 0, "列表或引用套了 3000 层，超过了 10 层"),
    "1,000 quote marks in a report": ("docs/reports/2016/state-council-government-work-report.md", "> " * 1000 + "层层引用", 0,
                                      "列表或引用套了 1000 层，超过了 10 层"),
    "indented lists in a report": ("docs/reports/2017/state-council-government-work-report.md",
                                   "".join("    " * i + "- 层层缩进\n" for i in range(12)), 10,
                                   "列表或引用套了 12 层，超过了 10 层，读者无法看清（此后还有 1 行）"),
    "1,000 emphasis marks": ("docs/index.md", "*一 " * 1000 + "层层强调" + "*" * 1000, 0, "强调符号 * 或 _ 套了 1000 层没有结束，超过了 20 层"),
}


@pytest.mark.parametrize("case", NESTED_TOO_DEEP, ids=list(NESTED_TOO_DEEP))
def test_markdown_nested_deeper_than_a_page_can_show_is_refused_by_annals_own_rule(
        case: str, built: tuple[Path, Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    """annals' limit, not Python-Markdown's: its releases truncate silently (1,000 levels published as 223),
    take minutes on indented lists, or overflow the stack, and the next release may do otherwise."""
    project, site, before = built
    rel, text, offset, said = NESTED_TOO_DEEP[case]
    told = f"{rel}:{_append(project / rel, text) + offset}: {said}"
    result = run_build(project, site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert told in result.stderr
    assert _digests(site) == before and not _leftovers(site)
    code, err = check(project, capsys)
    assert code == 1 and told in err


def test_nesting_a_page_can_show_builds(archive_copy: Path, tmp_path: Path) -> None:
    """Ten levels of lists and quotes, emphasis twenty marks deep and form blanks (____) are not refused."""
    about = archive_copy / "docs/about.md"
    _append(about, "- " * 10 + "十层\n\n" + "".join("    " * i + "- 第" + str(i + 1) + "层\n" for i in range(10))
            + "\n" + "*" * 20 + "强调" + "*" * 20 + "\n\n填写____年____月____日（____________________________）")
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = page(tmp_path / "site", "about")
    assert "十层" in html and "第10层" in html and "____年____月" in html


def test_a_build_killed_half_way_leaves_the_last_good_site_and_the_next_cleans_up(built: tuple[Path, Path, dict[str, str]]) -> None:
    project, site, before = built
    build = subprocess.Popen([*MKDOCS, "build", "--strict", "-d", str(site)], cwd=project, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    deadline = time.monotonic() + 60
    while not any((d / "reports").is_dir() for d in site.parent.glob(".site.annals-new-*")) and time.monotonic() < deadline:
        time.sleep(0.01)  # until it writes pages
    build.kill()
    build.wait()
    assert _digests(site) == before
    assert _leftovers(site), "the killed build's folder is there"
    result = run_build(project, site)
    assert result.returncode == 0 and _digests(site) == before and not _leftovers(site)


# ------------------------------------------------------------------ serving during a data error


def test_serve_keeps_serving_the_last_good_site_during_a_data_error(archive_copy: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from serve import fetch, free_port, wait_for

    port = free_port()
    base = f"http://127.0.0.1:{port}/archive/"
    server = subprocess.Popen([*MKDOCS, "serve", "-a", f"127.0.0.1:{port}"], cwd=archive_copy, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        wait_for(base + REPORT_PAGE, "溆浦", limit=120)
        replace(archive_copy, FIGURES, "value: 166", "value: 167")
        time.sleep(3)  # the rebuild runs and fails
        started = time.monotonic()
        assert "溆浦" in fetch(base + REPORT_PAGE)  # served at once, not held until the data is fixed
        assert time.monotonic() - started < 5
        replace(archive_copy, REPORT, "溆浦县教育局\n", "溆浦县教育局\n\n改正后的新句子。\n")
        replace(archive_copy, FIGURES, "value: 167", "value: 166")
        wait_for(base + REPORT_PAGE, "改正后的新句子", limit=120)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "value 167名 与引文中的数字不符" in err and "仍是上一次正确的网站" in err
