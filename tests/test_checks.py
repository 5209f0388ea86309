"""Wrong data stops the build with ``path:line: message`` and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from annals.cli import main as annals_main
from conftest import run_build

REPORT = "docs/reports/2021/xupu-edu-h1-midyear-summary.md"
FIGURES = "data/figures/2021/xupu-edu-h1-midyear-summary.yml"
GWR_FIGURES = "data/figures/2016/state-council-government-work-report.yml"


def edit(project: Path, rel: str, old: str, new: str) -> int:
    """Replace text in a file of the archive; return the 1-based line of the change."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = annals_main(["check", "--project", str(project)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.err


def test_the_sample_archive_is_valid(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = annals_main(["check", "--project", str(archive_copy)])
    assert code == 0
    assert "检查通过：11 份报告" in capsys.readouterr().out


CASES = [
    # (file, old, new, expected message part, line offset from the edit)
    (FIGURES, "indicator: special_post_teachers_recruited", "indicator: special_post_teacher", "未知指标 “special_post_teacher”", 0),
    (FIGURES, "quote: 招聘特岗教师166名", "quote: 招聘特岗教师167名", "引文不在报告", 0),
    (FIGURES, "value: 166", "value: 167", "value 167名 与引文中的数字不符（引文中为：166）", 0),
    (FIGURES, "value: 166", "value: 一百六十六", "不是数字", 0),
    (FIGURES, "value: 166", "value: [166, 170, 180]", "不是数字", 0),
    (FIGURES, "type: target", "type: plan", "type 应为 result（结果）或 target（目标）", 0),
    (FIGURES, "period: 2021-H2", "period: 2021-H3", "period “2021-H3” 无效", 0),
    (FIGURES, "unit: 名", "unit: 万元", "不能换算", 0),
    (GWR_FIGURES, "qualifier: 左右", "qualifier: 大约是", "未知的限定词 “大约是”", 0),
    (REPORT, "bureau: xupu-edu", "bureau: xupu", "未知的发布机关 “xupu”", 0),
    (REPORT, "year: 2021", "year: 2020", "year 为 2020，但文件在 reports/2021/ 下", 0),
    (REPORT, "kind: 半年工作总结", "kind: 年中报告", "未知的报告类型 “年中报告”", 0),
    (REPORT, "period: 上半年", "period: 前半年", "未知的时期 “前半年”", 0),
    (REPORT, "date: 2021-07-19", "date: 2021-13-45", "不是有效日期", 0),
    (REPORT, "date: 2021-07-19", "date: 2015-07-19", "相差一年以上", 0),
    (REPORT, "title: ", "titel: ", "未知的键 “titel”", 0),
]


@pytest.mark.parametrize(("rel", "old", "new", "message", "offset"), CASES, ids=[c[3][:16] for c in CASES])
def test_each_data_error_names_file_line_and_problem(
    archive_copy: Path, capsys: pytest.CaptureFixture[str], rel: str, old: str, new: str, message: str, offset: int
) -> None:
    line = edit(archive_copy, rel, old, new) + offset
    code, err = check(archive_copy, capsys)
    assert code == 1
    assert f"{rel}:{line}: " in err and message in err, err


def test_yaml_syntax_error_and_tab(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(archive_copy, FIGURES, "    value: 166\n", "    value: [166\n")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{FIGURES}:" in err and "YAML 格式错误" in err
    edit(archive_copy, FIGURES, "    value: [166\n", "\tvalue: 166\n")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{FIGURES}:{line}: YAML 缩进不能用 Tab" in err


def test_duplicate_key_is_an_error_not_a_silent_overwrite(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(archive_copy, FIGURES, "    value: 166\n", "    value: 166\n    value: 167\n")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{FIGURES}:{line + 1}: " in err and "重复" in err


def test_front_matter_missing_and_unclosed(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = archive_copy / REPORT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "", 1), encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{REPORT}:1: 缺少开头的 front matter" in err
    path.write_text(text.replace("---\n\n", "\n", 1), encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{REPORT}:1: front matter 没有结束的 ---" in err


def test_gb18030_report_is_named_with_advice(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = archive_copy / REPORT
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{REPORT}:" in err and "GB18030" in err and "UTF-8" in err


def test_duplicate_report_names_both(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = archive_copy / REPORT
    (src.parent / "copy.md").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "duplicate report" in err and "xupu-edu-h1-midyear-summary.md" in err and "copy.md" in err


def test_results_that_disagree_name_both_places(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The 2017 report states the 2016 GDP growth; claim the 2016 report states another one.
    path = archive_copy / GWR_FIGURES
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - indicator: gdp_growth\n    period: 2016\n    value: 6.5\n    quote: 国内生产总值增长6.5%－7%\n",
        encoding="utf-8",
    )
    code, err = check(archive_copy, capsys)
    assert code == 1 and "two results disagree" in err
    assert "data/figures/2017/state-council-government-work-report.yml:" in err


def test_figures_file_without_report(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (archive_copy / "data/figures/2021/nobody.yml").write_text("figures: []\n", encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "data/figures/2021/nobody.yml: 没有对应的报告 docs/reports/2021/nobody.md" in err


def test_empty_catalogue(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (archive_copy / "data/indicators.yml").write_text("# nothing yet\n", encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "data/indicators.yml:1: 指标目录为空" in err


def test_unknown_marker_in_a_page(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(archive_copy, "docs/index.md", "<!-- annals:latest -->", "<!-- annals:lastest -->")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"docs/index.md:{line}: 未知的标记 annals:lastest" in err


def test_build_fails_cleanly_and_publishes_nothing(archive_copy: Path, tmp_path: Path) -> None:
    line = edit(archive_copy, FIGURES, "value: 166", "value: 167")
    site = tmp_path / "site"
    result = run_build(archive_copy, site)
    assert result.returncode != 0
    assert f"{FIGURES}:{line}: value 167名 与引文中的数字不符" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "reports").exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert annals_main(["check", "--project", str(tmp_path)]) == 2
    assert "找不到 mkdocs.yml" in capsys.readouterr().err
    assert annals_main(["nonsense"]) == 2
