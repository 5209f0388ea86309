"""`annals import`: files in, faithful pages and reviewable candidates out, nothing lost."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from annals.cli import main as annals_main
from annals.importer import candidates, infer
from annals.model import load_indicators
from annals.vocab import Period
from conftest import SHARED, run_build

XUPU = "docs/reports/2021/xupu-edu-h1-midyear-summary.md"
XUPU_FIGURES = "data/figures/2021/xupu-edu-h1-midyear-summary.yml"
REPORT = "2021年溆浦教育工作上半年总结及下半年工作计划\n\n溆浦县教育局\n\n（2021年7月19日）\n\n一、上半年工作\n1.办学条件不断改善。新建学校二十二所，招聘特岗教师１６６名。\n"


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = annals_main(["--project", str(project), "import", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


@pytest.fixture
def fresh(archive_copy: Path) -> Path:
    """The sample archive without the Xupu report, ready to import it again."""
    (archive_copy / XUPU).unlink()
    (archive_copy / XUPU_FIGURES).unlink()
    return archive_copy


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "told"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带 BOM）"), ("gb18030", "GB18030/GBK"), ("gbk", "GB18030/GBK")],
)
def test_encodings_are_detected_and_told(fresh: Path, tmp_path: Path, capsys, encoding: str, told: str) -> None:
    src = _write(tmp_path, "r.txt", REPORT.replace("\n", "\r\n").encode(encoding))
    code, out, _ = run(fresh, capsys, str(src))
    assert code == 0 and f"编码：{told}" in out
    page = (fresh / XUPU).read_text(encoding="utf-8")
    assert "title: \"2021年溆浦教育工作上半年总结及下半年工作计划\"" in page
    assert "period: 上半年" in page and "kind: 半年工作总结" in page and "date: 2021-07-19" in page
    assert "\r" not in page and "### 1.办学条件不断改善。" in page


def test_candidates_read_chinese_numerals_and_fullwidth_digits(fresh: Path, tmp_path: Path, capsys) -> None:
    run(fresh, capsys, str(_write(tmp_path, "r.txt", REPORT.encode())))
    figures = (fresh / XUPU_FIGURES).read_text(encoding="utf-8")
    assert "indicator: special_post_teachers_recruited" in figures and "value: 166" in figures
    assert "review: 待核对" in figures
    assert "# - 新建学校二十二所" in figures  # no indicator for it: listed for the editor


def test_candidates_are_not_published_and_do_not_break_the_build(fresh: Path, tmp_path: Path, capsys) -> None:
    run(fresh, capsys, str(_write(tmp_path, "r.txt", REPORT.encode())))
    assert annals_main(["check", "--project", str(fresh)]) == 0
    assert "待核对" in capsys.readouterr().out
    site = tmp_path / "site"
    result = run_build(fresh, site)
    assert result.returncode == 0, result.stderr
    html = (site / "reports/2021/xupu-edu-h1-midyear-summary/index.html").read_text(encoding="utf-8")
    assert "annals-figures" not in html and "招聘特岗教师１６６名" in html


def test_docx_text_headings_and_tables(fresh: Path, tmp_path: Path, capsys) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    def para(text: str, style: str = "") -> str:
        props = '<w:pPr><w:pStyle w:val="' + style + '"/></w:pPr>' if style else ""
        return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"

    def cell(text: str) -> str:
        return f"<w:tc>{para(text)}</w:tc>"

    table = f"<w:tbl><w:tr>{cell('项目')}{cell('数量')}</w:tr><w:tr>{cell('特岗教师')}{cell('166名')}</w:tr></w:tbl>"
    body = para("2021年溆浦教育工作上半年总结及下半年工作计划", "Title") + para("溆浦县教育局") + para("党建工作", "Heading1") + para("一、上半年工作") + table
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")
    code, out, _ = run(fresh, capsys, str(_write(tmp_path, "r.docx", buf.getvalue())))
    assert code == 0 and "编码：.docx" in out
    page = (fresh / XUPU).read_text(encoding="utf-8")
    assert "## 党建工作" in page and "## 一、上半年工作" in page
    assert "| 项目 | 数量 |\n| --- | --- |\n| 特岗教师 | 166名 |" in page


def test_markdown_file(fresh: Path, tmp_path: Path, capsys) -> None:
    md = "# 2021年溆浦教育工作上半年总结及下半年工作计划\n\n溆浦县教育局\n\n## 一、上半年工作\n\n招聘特岗教师166名。\n"
    code, _, _ = run(fresh, capsys, str(_write(tmp_path, "r.md", md.encode())))
    assert code == 0
    assert (fresh / XUPU).read_text(encoding="utf-8").endswith("溆浦县教育局\n\n## 一、上半年工作\n\n招聘特岗教师166名。\n")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n", "文件是空的"),
        ("bin.txt", bytes(range(256)) * 4, "这不是文本文件"),
        ("bad.docx", b"PK\x03\x04 not really a zip", "无法读取这个 .docx 文件"),
        ("latin.txt", "Résumé".encode("utf-16"), "这不是文本文件"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "不支持旧版 .doc"),
    ],
)
def test_bad_input_names_the_file(fresh: Path, tmp_path: Path, capsys, name: str, data: bytes, message: str) -> None:
    src = _write(tmp_path, name, data)
    code, _, err = run(fresh, capsys, str(src))
    assert code == 1 and f"{src}: " in err and message in err


def test_missing_file(fresh: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(fresh, capsys, str(tmp_path / "nope.txt"))
    assert code == 1 and "nope.txt: 文件不存在" in err


def test_what_cannot_be_inferred_names_the_option(fresh: Path, tmp_path: Path, capsys) -> None:
    no_title = _write(tmp_path, "a.txt", "今年以来，我局认真落实各项工作。\n".encode())
    assert "请用 --title 指定" in run(fresh, capsys, str(no_title))[2]
    no_bureau = _write(tmp_path, "b.txt", "2021年某某局上半年工作总结\n\n正文。\n".encode())
    err = run(fresh, capsys, str(no_bureau))[2]
    assert "请用 --bureau 指定" in err and "xupu-edu（溆浦县教育局）" in err
    assert "未知的发布机关 “某某局”" in run(fresh, capsys, "--bureau", "某某局", str(no_bureau))[2]


def test_never_overwrites_without_force_and_keeps_a_backup(archive_copy: Path, tmp_path: Path, capsys) -> None:
    before = (archive_copy / XUPU).read_text(encoding="utf-8")
    src = _write(tmp_path, "r.txt", REPORT.encode())
    code, _, err = run(archive_copy, capsys, str(src))
    assert code == 1 and "已存在，未覆盖" in err and "--force" in err
    assert (archive_copy / XUPU).read_text(encoding="utf-8") == before
    code, out, _ = run(archive_copy, capsys, "--force", str(src))
    assert code == 0 and "覆盖（旧文件存为 .bak）" in out
    assert (archive_copy / (XUPU + ".bak")).read_text(encoding="utf-8") == before


def test_dry_run_writes_nothing(fresh: Path, tmp_path: Path, capsys) -> None:
    code, out, _ = run(fresh, capsys, "--dry-run", str(_write(tmp_path, "r.txt", REPORT.encode())))
    assert code == 0 and "将写入 docs/reports/2021/xupu-edu-h1-midyear-summary.md" in out and "试运行" in out
    assert not (fresh / XUPU).exists() and not (fresh / XUPU_FIGURES).exists()


def test_many_files_show_progress_and_one_failure_does_not_stop_the_rest(fresh: Path, tmp_path: Path, capsys) -> None:
    bad = _write(tmp_path, "empty.txt", b"")
    good = _write(tmp_path, "r.txt", REPORT.encode())
    code, out, err = run(fresh, capsys, str(bad), str(good))
    assert code == 1 and "[1/2]" in out and "[2/2]" in out and (fresh / XUPU).exists()
    assert "完成 1 个，失败 1 个" in err


@pytest.mark.parametrize(
    ("title", "year", "part", "kind"),
    [
        ("2021年上半年工作总结及下半年工作计划", 2021, "H1", "midyear-summary"),
        ("2016年政府工作报告", 2016, "Y", "government-work-report"),
        ("县教育局2022年工作要点", 2022, "Y", "plan"),
        ("2021年度述职报告", 2021, "Y", "duty-report"),
        ("教育局2020年工作总结", 2020, "Y", "annual-summary"),
    ],
)
def test_inference_from_titles(title: str, year: int, part: str, kind: str) -> None:
    found = infer(title, "")
    assert (found.year, found.part, found.kind) == (year, part, kind)


def test_targets_are_told_from_results() -> None:
    indicators = load_indicators(Path(__file__).parent.parent / "data/indicators.yml", "indicators.yml")
    md = "## 一、2015年工作回顾\n\n城镇新增就业1312万人。\n\n## 二、2016年工作\n\n今年发展的主要预期目标是：国内生产总值增长6.5%－7%，城镇新增就业1000万人以上，居民消费价格涨幅3%左右。\n"
    found = {(c.indicator, c.type, c.period.key, c.value) for c in candidates(md, Period(2016), indicators).matched}
    assert ("urban_new_jobs", "result", "2015", 1312.0) in found
    assert ("urban_new_jobs", "target", "2016", 1000.0) in found
    assert ("gdp_growth", "target", "2016", (6.5, 7.0)) in found
    assert ("cpi", "target", "2016", 3.0) in found


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repository")
def test_redactions_become_not_disclosed_candidates(fresh: Path, capsys) -> None:
    code, _, _ = run(fresh, capsys, "--bureau", "county-a-edu", "--title", "县教育局局长2021年度述职报告", "--force",
                     str(SHARED / "seeds/000_420ba36b4cda1aaa.txt"))
    assert code == 0
    figures = (fresh / "data/figures/2021/county-a-edu-duty-report.yml").read_text(encoding="utf-8")
    assert "indicator: party_activists_trained\n    period: 2021\n    value: x\n" in figures


def _fail_on_second(monkeypatch: pytest.MonkeyPatch, method: str, error: BaseException) -> None:
    """Make the second call of Path.<method> fail, as a full disk or a Ctrl-C would."""
    real = getattr(Path, method)
    calls = []

    def flaky(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(self)
        if len(calls) == 2:
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, flaky)


def _files(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("method", ["write_text", "replace"])
def test_a_failed_write_leaves_the_archive_as_it_was(archive_copy: Path, tmp_path: Path, capsys, monkeypatch, method: str) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    before = _files(archive_copy)
    _fail_on_second(monkeypatch, method, OSError(28, "No space left on device", "x"))
    code, _, err = run(archive_copy, capsys, "--force", str(src))
    assert code == 1 and f"{src}: 无法写入 x：No space left on device；这份报告的文件都没有写入" in err
    assert _files(archive_copy) == before, "no half-written, temporary or backup file is left"


def test_ctrl_c_during_an_import_leaves_no_half_written_file(fresh: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    before = _files(fresh)
    _fail_on_second(monkeypatch, "replace", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        annals_main(["--project", str(fresh), "import", str(src)])
    assert _files(fresh) == before


def test_force_keeps_every_earlier_backup(archive_copy: Path, tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    original = (archive_copy / XUPU).read_bytes()
    assert run(archive_copy, capsys, "--force", str(src))[0] == 0
    first_import = (archive_copy / XUPU).read_bytes()
    assert run(archive_copy, capsys, "--force", str(src))[0] == 0
    assert (archive_copy / (XUPU + ".bak")).read_bytes() == original
    assert (archive_copy / (XUPU + ".2.bak")).read_bytes() == first_import
