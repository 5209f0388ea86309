"""`annals import`: files in, faithful pages and reviewable candidates out, nothing lost."""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from annals.archive.model import load_indicators
from annals.cli import main as annals_main
from annals.data import atomic
from annals.data.vocab import Period, Timing
from annals.intake.candidates import candidates
from annals.intake.importer import infer
from conftest import SHARED, copy_archive, run_build

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
        ("latin1.txt", "Résumé à la carte, déjà vu: naïve façade".encode("latin-1"), "请用 --encoding 指定"),
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
    err = run(fresh, capsys, str(no_title))[2]
    assert "原文没有标题行" in err and "请用 --year 指定" in err and "--title" in err
    err = run(fresh, capsys, "--year", "2021", str(no_title))[2]
    assert "无法从正文（原文没有标题行）判断报告类型，请用 --kind 指定" in err
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
    found = {(c.indicator, c.type, c.period.key, c.value) for c in candidates(md, Timing(Period(2016), "government-work-report", "2016-03-05"), indicators).matched}
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


def _files(project: Path) -> dict[str, bytes]:
    """Every file of the archive but the lock (it stays, empty, for the next import)."""
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file() and p.name != ".annals.lock"}


def _annals(project: Path, *args: str, env: dict[str, str] | None = None, **popen: Any) -> subprocess.CompletedProcess[str]:
    """`annals …` as its own process, as a user (or a killer) meets it."""
    return subprocess.run([sys.executable, "-m", "annals.cli", "--project", str(project), *args], capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, **(env or {})}, check=False, timeout=120, **popen)


# Every point between two writes of an import that overwrites both of a report's files (--force).
STEPS = ["written:0", "written:1", "journal", "backup:0", "renamed:0", "backup:1", "renamed:1"]
DECIDED = STEPS.index("journal")


@pytest.fixture(scope="module")
def overwritten(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The archive after an uninterrupted `import --force` of a new text over the Xupu report."""
    project = copy_archive(tmp_path_factory.mktemp("done") / "archive")
    src = _write(tmp_path_factory.mktemp("src"), "r.txt", REPORT.encode())
    assert _annals(project, "import", "--force", str(src)).returncode == 0
    return _files(project)


@pytest.mark.parametrize("step", STEPS)
def test_an_import_killed_at_any_step_leaves_the_old_files_or_the_new_ones(archive_copy: Path, tmp_path: Path, step: str,
                                                                         overwritten: dict[str, bytes]) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    before = _files(archive_copy)
    killed = _annals(archive_copy, "import", "--force", str(src), env={"ANNALS_TEST_KILL_AT": step})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    checked = _annals(archive_copy, "check")
    if STEPS.index(step) < DECIDED:  # not decided: the archive is as it was (its temporary files are dot-files)
        assert checked.returncode == 0, checked.stderr
        assert {k: v for k, v in _files(archive_copy).items() if ".annals-tmp-" not in k} == before
    else:  # decided: nothing is built from the half-renamed archive until it is finished
        assert checked.returncode == 1 and ".annals-journal.json: 上次的 annals import 被中断" in checked.stderr
        assert "annals recover" in checked.stderr
    recovered = _annals(archive_copy, "recover")
    assert recovered.returncode == 0 and "Traceback" not in recovered.stderr
    assert _files(archive_copy) == (before if STEPS.index(step) < DECIDED else overwritten)
    assert _annals(archive_copy, "check").returncode == 0


def test_the_next_import_finishes_an_interrupted_one_and_says_so(archive_copy: Path, tmp_path: Path,
                                                                 overwritten: dict[str, bytes]) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    _annals(archive_copy, "import", "--force", str(src), env={"ANNALS_TEST_KILL_AT": "renamed:0"})
    again = _annals(archive_copy, "import", str(src))  # without --force: the finished files now exist
    assert "上次被中断的导入已完成：docs/reports/2021/xupu-edu-h1-midyear-summary.md、data/figures/2021/xupu-edu-h1-midyear-summary.yml" in again.stdout
    assert again.returncode == 1 and "已存在，未覆盖" in again.stderr
    assert _files(archive_copy) == overwritten


@pytest.mark.parametrize("step", ["written:0", "written:1", "journal", "renamed:0"])
def test_ctrl_c_leaves_no_half_written_file_and_no_traceback(fresh: Path, tmp_path: Path, step: str) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    before = _files(fresh)
    # As from a terminal, where Ctrl-C is not ignored: a job started in the background (CI's, a `cmd &`) inherits
    # SIGINT ignored, and Python keeps it so.
    result = _annals(fresh, "import", str(src), env={"ANNALS_TEST_KILL_AT": step, "ANNALS_TEST_SIGNAL": "SIGINT"},
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert result.returncode == 130 and "已中断" in result.stderr and "Traceback" not in result.stderr
    after = _files(fresh)
    assert not any(".annals-tmp-" in name or "journal" in name for name in after), after.keys()
    if STEPS.index(step) < DECIDED:
        assert after == before
    else:  # Ctrl-C after the decision waits for the renames: the import is whole
        assert XUPU in after and XUPU_FIGURES in after and _annals(fresh, "check").returncode == 0


def test_a_write_that_fails_leaves_the_archive_as_it_was(archive_copy: Path, tmp_path: Path) -> None:
    """A real write error (the file-size limit, as a full disk would), not a simulated one."""
    src = _write(tmp_path, "r.txt", (REPORT + "正文。" * 2000).encode())
    before = _files(archive_copy)

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so that the write fails with EFBIG instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = _annals(archive_copy, "import", "--force", str(src), preexec_fn=small_files)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{src}: 无法写入" in result.stderr and "这份报告的文件都没有写入" in result.stderr
    assert _files(archive_copy) == before, "no half-written, temporary or backup file is left"


def test_one_import_at_a_time_and_the_refused_one_is_told_who_holds_the_archive(fresh: Path, tmp_path: Path) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    with atomic.archive_lock(fresh):  # another import, in this process
        refused = _annals(fresh, "import", str(src))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f".annals.lock: 另一个导入正在进行：进程 {os.getpid()}" in refused.stderr and "请等它结束后再运行" in refused.stderr
    assert not (fresh / XUPU).exists()
    assert _annals(fresh, "import", str(src)).returncode == 0, "the lock goes with its holder"


def test_two_imports_at_once_lose_nothing(fresh: Path, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.txt", REPORT.encode())
    second = _write(tmp_path, "b.txt", REPORT.replace("2021年溆浦", "2020年溆浦").replace("2021年7月", "2020年7月").encode())
    runs = [subprocess.Popen([sys.executable, "-m", "annals.cli", "--project", str(fresh), "import", str(f)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8") for f in (first, second)]
    results = [(r.wait(timeout=120), *r.communicate()) for r in runs]
    for (code, out, err), year in zip(results, (2021, 2020), strict=True):
        page = fresh / f"docs/reports/{year}/xupu-edu-h1-midyear-summary.md"
        if code == 0:
            assert "完成 1 个" in out and page.is_file() and page.with_suffix(".md").read_text(encoding="utf-8").startswith("---")
        else:
            assert "另一个导入正在进行" in err and not page.exists()
    assert any(code == 0 for code, _, _ in results)
    assert not list(fresh.rglob("*.annals-tmp-*")) and not (fresh / ".annals-journal.json").exists()


def test_two_imports_of_one_report_at_once_never_mix_their_files(fresh: Path, tmp_path: Path) -> None:
    """Two files of the same slug, imported at once with --force, round after round: the page and the figures file
    always come from the same import."""
    files = [_write(tmp_path, f"{n}.txt", REPORT.replace("１６６", n).encode()) for n in ("166", "177")]
    for _ in range(3):
        runs = [subprocess.Popen([sys.executable, "-m", "annals.cli", "--project", str(fresh), "import", str(f), "--force"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8") for f in files]
        for r in runs:
            r.communicate(timeout=120)
        page = (fresh / XUPU).read_text(encoding="utf-8")
        figures = (fresh / XUPU_FIGURES).read_text(encoding="utf-8")
        number = "177" if "177名" in page else "166"
        assert f"招聘特岗教师{number}名" in page and f"value: {number}" in figures and f"value: {'166' if number == '177' else '177'}" not in figures


def test_a_docx_that_inflates_past_any_report_is_refused_at_once(fresh: Path, tmp_path: Path, capsys) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("word/document.xml", b"<w:document>" + b"\x20" * (300 * 2**20) + b"</w:document>")
    src = _write(tmp_path, "bomb.docx", buffer.getvalue())
    started = time.perf_counter()
    code, _, err = run(fresh, capsys, str(src))
    assert code == 1 and "解压后超过 64 MB" in err and "请在 Word 中打开后另存为新文件" in err
    assert time.perf_counter() - started < 5


def test_force_keeps_every_earlier_backup(archive_copy: Path, tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "r.txt", REPORT.encode())
    original = (archive_copy / XUPU).read_bytes()
    assert run(archive_copy, capsys, "--force", str(src))[0] == 0
    first_import = (archive_copy / XUPU).read_bytes()
    assert run(archive_copy, capsys, "--force", str(src))[0] == 0
    assert (archive_copy / (XUPU + ".bak")).read_bytes() == original
    assert (archive_copy / (XUPU + ".2.bak")).read_bytes() == first_import


GWR_NO_TITLE = "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。\n\n一、2024年工作回顾\n\n过去一年，国内生产总值达到134.9万亿元，增长5%。\n"


def test_a_report_without_a_title_line_is_titled_and_keeps_its_salutation(archive_copy: Path, tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "gwr.txt", GWR_NO_TITLE.encode())
    code, out, _ = run(archive_copy, capsys, str(src))
    assert code == 0 and "原文没有标题行，按类型、年份和发布机关拟定" in out and "“2025年政府工作报告”" in out
    page = (archive_copy / "docs/reports/2025/state-council-government-work-report.md").read_text(encoding="utf-8")
    assert 'title: "2025年政府工作报告"' in page and "---\n\n各位代表：\n\n现在，我代表国务院" in page
    figures = (archive_copy / "data/figures/2025/state-council-government-work-report.yml").read_text(encoding="utf-8")
    assert "indicator: gdp_growth\n    period: 2024\n    value: 5\n" in figures  # the growth after the total, a year before the report


def test_a_given_title_keeps_the_texts_own_title_line(archive_copy: Path, tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "gwr.txt", ("政府工作报告（摘要）\n" + GWR_NO_TITLE).encode())
    code, out, _ = run(archive_copy, capsys, "--title", "2025年国务院政府工作报告", str(src))
    assert code == 0
    page = (archive_copy / "docs/reports/2025/state-council-government-work-report.md").read_text(encoding="utf-8")
    assert "---\n\n政府工作报告（摘要）\n\n各位代表：\n\n现在" in page


GWR_BIG5 = "各位代表：\n\n現在，我代表國務院，向大會報告政府工作，請予審議。\n\n一、2024年工作回顧\n\n過去一年，國內生產總值達到134.9萬億元，增長5%。\n"


@pytest.mark.parametrize(("encoding", "told"), [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("big5", "Big5")])
def test_utf16_and_big5_are_read(archive_copy: Path, tmp_path: Path, capsys, encoding: str, told: str) -> None:
    text = GWR_BIG5 if encoding == "big5" else GWR_NO_TITLE
    src = _write(tmp_path, "gwr.txt", text.encode(encoding))
    code, out, err = run(archive_copy, capsys, "--bureau", "state-council", "--year", "2025", "--kind", "政府工作报告", str(src))
    assert code == 0, err
    assert f"编码：{told}" in out
    page = (archive_copy / "docs/reports/2025/state-council-government-work-report.md").read_text(encoding="utf-8")
    assert text.split("\n")[2] in page  # the words, not mojibake


def test_an_unsure_encoding_names_the_option_and_the_option_works(fresh: Path, tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "r.txt", "Résumé à la carte, déjà vu: naïve façade".encode("latin-1"))
    code, _, err = run(fresh, capsys, str(src))
    assert code == 1 and "无法确定文字编码" in err and "请用 --encoding 指定：utf-8、utf-16、gb18030、big5" in err
    code, _, err = run(fresh, capsys, "--encoding", "koi8-r", str(src))
    assert code == 1 and "不支持的 --encoding “koi8-r”" in err
    gbk = _write(tmp_path, "g.txt", REPORT.encode("gb18030"))
    code, out, _ = run(fresh, capsys, "--encoding", "gb18030", str(gbk))
    assert code == 0 and "编码：GB18030/GBK（--encoding 指定）" in out


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    def para(text: str, style: str) -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"

    body = "".join(para(text, style) for text, style in paragraphs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def test_outline_levels_follow_the_numbering_not_the_word_styles(fresh: Path, tmp_path: Path, capsys) -> None:
    doc = _docx([("2021年溆浦教育工作上半年总结及下半年工作计划", "Title"), ("溆浦县教育局", ""), ("一、上半年工作", "Heading1"),
                 ("（一）办学条件", ""), ("1.新建学校", "Heading1"), ("招聘特岗教师166名。", ""), ("二、下半年打算", "Heading2")])
    code, _, err = run(fresh, capsys, str(_write(tmp_path, "r.docx", doc)))
    assert code == 0, err
    page = (fresh / XUPU).read_text(encoding="utf-8")
    assert "## 一、上半年工作\n\n### （一）办学条件\n\n#### 1.新建学校\n\n招聘特岗教师166名。\n\n## 二、下半年打算" in page


def test_an_import_writes_into_the_folder_mkdocs_reads(fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bureau that renamed docs_dir gets the report where MkDocs looks for it, not in a docs/ no page reads."""
    (fresh / "docs").rename(fresh / "pages")
    config = fresh / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: docs\n", "docs_dir: pages\n"), encoding="utf-8")
    code, out, _ = run(fresh, capsys, str(_write(tmp_path, "r.txt", REPORT.encode())))
    assert code == 0 and f"写入 {XUPU.replace('docs/', 'pages/')}" in out
    assert (fresh / XUPU.replace("docs/", "pages/")).is_file() and not (fresh / "docs").exists()
    assert f"by `annals import` in {XUPU.replace('docs/', 'pages/')} (" in (fresh / XUPU_FIGURES).read_text(encoding="utf-8")


PROVINCE = ("2025年政府工作报告\n\n——2025年1月14日在某省第十四届人民代表大会第三次会议上\n\n某省省长 某某\n\n各位代表：\n\n"
            "现在，我代表省人民政府，向大会报告工作，请予审议。\n\n一、2024年工作回顾\n\n"
            "过去一年，在以习近平同志为核心的党中央坚强领导下，在党中央、国务院的亲切关怀下，全省上下攻坚克难。"
            "国务院出台的一揽子增量政策在我省落地见效，城镇新增就业56万人。\n")


def test_the_issuer_is_never_guessed_from_a_name_in_the_text(archive_copy: Path, tmp_path: Path) -> None:
    """A province's report thanks 党中央、国务院 in its text: without --bureau it is not filed as the State
    Council's; the import asks which issuer it is, naming the option."""
    source = _write(tmp_path, "province.txt", PROVINCE.encode())
    refused = _annals(archive_copy, "import", str(source), "--kind", "政府工作报告", "--year", "2025", "--period", "全年")
    assert refused.returncode == 1 and "--bureau" in refused.stderr and "Traceback" not in refused.stderr
    assert not (archive_copy / "docs/reports/2025").exists()
    speaks = PROVINCE.replace("我代表省人民政府", "我代表国务院").replace("某省省长 某某", "国务院总理 某某")
    source.write_text(speaks, encoding="utf-8")
    assert _annals(archive_copy, "import", str(source), "--kind", "政府工作报告", "--year", "2025", "--period", "全年").returncode == 0
    assert (archive_copy / "docs/reports/2025/state-council-government-work-report.md").is_file()
