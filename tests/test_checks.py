"""The bad-input suite: each case breaks a copy of the sample archive in one way.

`annals check` (and so the build, which runs the same checks) must exit 1 and print
``path:line: what is wrong`` with what to do about it, and no traceback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from annals.cli import main as annals_main
from conftest import run_build

REPORT = "docs/reports/2021/xupu-edu-h1-midyear-summary.md"
FIGURES = "data/figures/2021/xupu-edu-h1-midyear-summary.yml"
GWR_2016 = "docs/reports/2016/state-council-government-work-report.md"
GWR_FIGURES = "data/figures/2016/state-council-government-work-report.yml"
GWR_2017_FIGURES = "data/figures/2017/state-council-government-work-report.yml"
INDICATORS = "data/indicators.yml"
BUREAUS = "data/bureaus.yml"


def replace(project: Path, rel: str, old: str, new: str) -> int:
    """Replace text in a file of the archive; the 1-based line where the change starts."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(project: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = annals_main(["check", "--project", str(project), *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # the file the message must name
    message: str  # what is wrong
    advice: str  # what to do
    breaks: Callable[[Path], int]  # breaks a copy of the archive; the line the message must name (0: none)


def edit(rel: str, old: str, new: str, offset: int = 0) -> Callable[[Path], int]:
    return lambda project: replace(project, rel, old, new) + offset


def write(rel: str, content: str | bytes, line: int) -> Callable[[Path], int]:
    def breaks(project: Path) -> int:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return line
    return breaks


def remove(rel: str) -> Callable[[Path], int]:
    def unlink(project: Path) -> int:
        (project / rel).unlink()
        return 0

    return unlink


def reencode(rel: str, encoding: str) -> Callable[[Path], int]:
    def breaks(project: Path) -> int:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.encode(encoding))
        return next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())  # the first line with Chinese
    return breaks


def both(first: Callable[[Path], int], then: Callable[[Path], int]) -> Callable[[Path], int]:
    return lambda project: (first(project), then(project))[1]


FIGURE_166 = "  - indicator: special_post_teachers_recruited\n"
GDP_2015 = "  - indicator: gdp_growth\n    period: 2015\n    value: 6.9\n    quote: 国内生产总值达到67.7万亿元，增长6.9%\n"

CASES = [
    # --- YAML itself
    Case("yaml syntax", FIGURES, "YAML 格式错误", "请检查", edit(FIGURES, "    value: 166\n", "    value: [166\n", 1)),  # where PyYAML notices
    Case("yaml tab", FIGURES, "YAML 缩进不能用 Tab", "请改用空格", edit(FIGURES, "    value: 166\n", "\tvalue: 166\n")),
    Case("yaml duplicate key", FIGURES, "重复", "", edit(FIGURES, "    value: 166\n", "    value: 166\n    value: 167\n", 1)),
    Case("front matter yaml syntax", REPORT, "YAML 格式错误", "请检查", edit(REPORT, "year: 2021\n", "year: [2021\n", 1)),
    Case("catalogue yaml syntax", INDICATORS, "YAML 格式错误", "请检查", edit(INDICATORS, "  name: 招聘特岗教师\n", "  name: 招聘特岗教师: [\n")),
    # --- wrong types
    Case("word for a number", FIGURES, "不是数字", "可写数字", edit(FIGURES, "value: 166", "value: 一百六十六")),
    Case("list for a number", FIGURES, "不是数字", "可写数字", edit(FIGURES, "value: 166", "value: [166, 170, 180]")),
    Case("boolean for a number", FIGURES, "不是数字", "可写数字", edit(FIGURES, "value: 166", "value: true")),
    Case("reversed range", GWR_FIGURES, "不是数字", "区间 [6.5, 7]", edit(GWR_FIGURES, "value: [6.5, 7]", "value: [7, 6.5]")),
    Case("list for a mapping (figure)", FIGURES, "每一项应为", "如 “- indicator", edit(FIGURES, FIGURE_166, "  - [special_post_teachers_recruited, 166]\n" + FIGURE_166)),
    Case("list for a mapping (file)", FIGURES, "应为 figures: 后跟数据列表", "", write(FIGURES, "- indicator: x\n", 1)),
    Case("list for a mapping (front matter)", REPORT, "front matter 应为", "", write(REPORT, "---\n- xupu-edu\n---\n\n正文\n", 2)),
    Case("list for a mapping (catalogue entry)", INDICATORS, "应为 name 等键的映射", "", edit(INDICATORS, "special_post_teachers_recruited:\n  name: 招聘特岗教师\n  unit: 人\n  group: 教师队伍\n  phrases: [特岗教师]\n", "special_post_teachers_recruited: [招聘特岗教师, 人]\n")),
    Case("mapping for a text", FIGURES, "应为文字", "", edit(FIGURES, "quote: 招聘特岗教师166名", "quote: {text: 招聘特岗教师166名}")),
    Case("text for a year", REPORT, "year 应为四位年份", "如 2021", edit(REPORT, "year: 2021", "year: 二〇二一")),
    Case("text for true/false", INDICATORS, "higher_is_better 应为 true、false", "", edit(INDICATORS, "  higher_is_better: true\n  headline: true\n  phrases: [国内生产总值增长", "  higher_is_better: 是\n  headline: true\n  phrases: [国内生产总值增长")),
    Case("bad range", INDICATORS, "range", "如 [0, 100]", edit(INDICATORS, "  range: [0, 100]", "  range: [100, 0]")),
    # --- periods a report cannot state (issue 23)
    Case("result before its year ended", GWR_FIGURES, "报告日期为 2016-03-05，早于2016年结束", "请把 period 改为报告回顾的时期",
         edit(GWR_FIGURES, "  - indicator: gdp_total\n    period: 2015\n", "  - indicator: gdp_total\n    period: 2016\n")),
    Case("a span filed as one year", GWR_FIGURES, "引文有“年均”，是多年的合计或平均", "请写明 basis",
         edit(GWR_FIGURES, "  - indicator: urban_new_jobs\n    period: 2015\n    basis: 2011—2015年累计\n    value: 6400\n    quote: 城镇新增就业人数超过6400万人\n",
              "  - indicator: gdp_growth\n    period: 2015\n    value: 7.8\n    quote: 国内生产总值年均增长7.8%\n")),
    # --- unknown names
    Case("unknown indicator", FIGURES, "未知指标 “special_post_teacher”", "请先在 data/indicators.yml 中定义", edit(FIGURES, "indicator: special_post_teachers_recruited", "indicator: special_post_teacher")),
    Case("unknown bureau", REPORT, "未知的发布机关 “xupu”", "请先在 data/bureaus.yml 中添加", edit(REPORT, "bureau: xupu-edu", "bureau: xupu")),
    Case("unknown kind", REPORT, "未知的报告类型 “年中报告”", "可用：", edit(REPORT, "kind: 半年工作总结", "kind: 年中报告")),
    Case("unknown period (report)", REPORT, "未知的时期 “前半年”", "可用：", edit(REPORT, "period: 上半年", "period: 前半年")),
    Case("unknown period (figure)", FIGURES, "period “2021-H3” 无效", "写作 2021", edit(FIGURES, "period: 2021-H2", "period: 2021-H3")),
    Case("unknown figure type", FIGURES, "type 应为 result（结果）或 target（目标）", "", edit(FIGURES, "type: target", "type: plan")),
    Case("unknown qualifier", GWR_FIGURES, "未知的限定词 “大约是”", "可用：", edit(GWR_FIGURES, "qualifier: 左右", "qualifier: 大约是")),
    Case("unknown key", REPORT, "未知的键 “titel”", "可用的键", edit(REPORT, "title: ", "titel: ")),
    Case("unknown marker", "docs/index.md", "未知的标记 annals:lastest", "可用：", edit("docs/index.md", "<!-- annals:latest -->", "<!-- annals:lastest -->")),
    Case("bad id", BUREAUS, "编号 “Xupu Edu” 只能用", "请改名", edit(BUREAUS, "xupu-edu:", "Xupu Edu:")),
    Case("unit that does not convert", FIGURES, "不能换算", "请改用", edit(FIGURES, "unit: 名", "unit: 万元")),
    # --- figures against the report's words
    Case("quote not in the report", FIGURES, "引文不在报告", "请从报告中逐字复制", edit(FIGURES, "quote: 招聘特岗教师166名", "quote: 招聘特岗教师167名")),
    Case("value differs from its quote", FIGURES, "value 167名 与引文中的数字不符（引文中为：166）", "请按原文改正", edit(FIGURES, "value: 166", "value: 167")),
    Case("missing quote", FIGURES, "缺少必填项 “quote”", "请补上", edit(FIGURES, "    quote: 招聘特岗教师166名\n", "", -3)),  # the figure's first line
    Case("missing value", FIGURES, "缺少 value", "写作 x", edit(FIGURES, "    value: 166\n", "", -1)),
    Case("duplicated figure", GWR_FIGURES, "与第 12 行的数据重复", "请删去其中一条", edit(GWR_FIGURES, GDP_2015, GDP_2015 * 2, 4)),
    # --- numbers that make no sense
    Case("infinite number", FIGURES, "不是数字", "可写数字", edit(FIGURES, "value: 166", "value: .inf")),
    Case("not a number", FIGURES, "不是数字", "可写数字", edit(FIGURES, "value: 166", "value: .nan")),
    Case("negative count", FIGURES, "value -166名 超出指标 special_post_teachers_recruited（招聘特岗教师）可能的范围（不能为负）", "请核对原文和数据", edit(FIGURES, "value: 166", "value: -166")),
    Case("percentage over 100", GWR_2017_FIGURES, "value 104.02% 超出指标 urban_registered_unemployment（城镇登记失业率）可能的范围（0%–100%）", "range",
         both(edit("docs/reports/2017/state-council-government-work-report.md", "年末城镇登记失业率4.02%", "年末城镇登记失业率104.02%"),
              edit(GWR_2017_FIGURES, "    value: 4.02\n    quote: 年末城镇登记失业率4.02%", "    value: 104.02\n    quote: 年末城镇登记失业率104.02%"))),
    # --- targets and results
    Case("target for an earlier period", GWR_FIGURES, "目标的时期 2015年 早于报告所属的 2016年", "请核对 period",
         edit(GWR_FIGURES, "  - indicator: gdp_growth\n    type: target\n", "  - indicator: gdp_growth\n    type: target\n    period: 2015\n", 2)),
    Case("result for a period not yet begun", FIGURES, "结果的时期 2022年 在报告日期 2021-07-19 之后才开始", "请写 type: target",
         edit(FIGURES, "    type: target\n    period: 2021-H2\n", "    period: 2022\n")),
    Case("result that quotes its own target (circular)", GWR_FIGURES, "与第 25 行的目标引用同一句话", "或删去这一条",
         edit(GWR_FIGURES, "  # 2016年的预期目标（targets for 2016）\n", "  # 2016年的预期目标（targets for 2016）\n  - indicator: gdp_growth\n    period: 2016\n    value: [6.5, 7]\n    quote: 国内生产总值增长6.5%－7%\n", 1)),
    # --- the report file and its front matter
    Case("front matter missing", REPORT, "缺少开头的 front matter", "请在文件开头", edit(REPORT, "---\n", "")),
    Case("front matter unclosed", REPORT, "front matter 没有结束的 ---", "请在 front matter 最后一行之后加一行 ---", edit(REPORT, "---\n\n", "\n", -9)),
    Case("front matter missing a key", REPORT, "front matter 缺少 “title”", "请按 README", edit(REPORT, 'title: "2021年溆浦教育工作上半年总结及下半年工作计划"\n', "", -5)),
    Case("year contradicts the path", REPORT, "year 为 2020，但文件在 reports/2021/ 下", "请移动文件或改正年份", edit(REPORT, "year: 2021", "year: 2020")),
    Case("impossible date", REPORT, "date “2021-02-30” 不是有效日期", "写作 2021-07-19", edit(REPORT, "date: 2021-07-19", "date: 2021-02-30")),
    Case("impossible month", REPORT, "date “2021-13-45” 不是有效日期", "写作 2021-07-19", edit(REPORT, "date: 2021-07-19", "date: 2021-13-45")),
    Case("date far from the year", REPORT, "相差一年以上", "请核对日期或年份", edit(REPORT, "date: 2021-07-19", "date: 2015-07-19")),
    Case("source url not a web address", GWR_2016, "source.url “javascript:alert(1)” 应为 http:// 或 https:// 开头的网址", "",
         edit(GWR_2016, '  file: "samples/gwr/2016.txt"\n', '  file: "samples/gwr/2016.txt"\n  url: "javascript:alert(1)"\n', 1)),
    Case("HTML in a report's text", REPORT, "正文中有 HTML “<script”", "请写作 &lt;", edit(REPORT, "溆浦县教育局\n", "溆浦县教育局<script>alert(1)</script>\n")),
    Case("report in GB18030", REPORT, "文件不是 UTF-8 编码", "请另存为 UTF-8", reencode(REPORT, "gb18030")),
    Case("figures file in GBK", FIGURES, "文件不是 UTF-8 编码", "请另存为 UTF-8", reencode(FIGURES, "gbk")),
    Case("empty report file", REPORT, "缺少开头的 front matter", "请在文件开头", write(REPORT, "", 1)),
    Case("figures file without its report", "data/figures/2021/nobody.yml", "没有对应的报告 docs/reports/2021/nobody.md", "请改名或删去", write("data/figures/2021/nobody.yml", "figures: []\n", 0)),
    # --- the catalogue
    Case("empty catalogue", INDICATORS, "指标目录为空", "应为“编号: 信息”的映射", write(INDICATORS, "# nothing yet\n", 1)),
    Case("missing catalogue", INDICATORS, "文件不存在", "请从样例档案复制", remove(INDICATORS)),
    Case("missing bureaus", BUREAUS, "文件不存在", "请从样例档案复制", remove(BUREAUS)),
    Case("empty bureaus", BUREAUS, "发布机关列表为空", "应为“编号: 信息”的映射", write(BUREAUS, "", 1)),
    Case("indicator missing its unit", INDICATORS, "缺少必填项 “unit”", "请补上", edit(INDICATORS, "  name: 招聘特岗教师\n  unit: 人\n", "  name: 招聘特岗教师\n")),
]


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_named_with_file_line_and_what_to_do(archive_copy: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    line = case.breaks(archive_copy)
    code, err = check(archive_copy, capsys)
    assert code == 1, err
    where = f"{case.path}:{line}: " if line else f"{case.path}: "
    lines = [x for x in err.splitlines() if x.startswith(where)]
    assert any(case.message in x and case.advice in x for x in lines), f"want {where}…{case.message}…{case.advice}\n{err}"


# ------------------------------------------------------------------ beyond one file


def test_the_sample_archive_is_valid(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = annals_main(["check", "--project", str(archive_copy)])
    assert code == 0
    assert "检查通过：11 份报告" in capsys.readouterr().out


def test_duplicate_report_names_both(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = archive_copy / REPORT
    shutil.copy(src, src.parent / "copy.md")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "请删去重复的一份" in err
    assert "docs/reports/2021/xupu-edu-h1-midyear-summary.md" in err and "docs/reports/2021/copy.md" in err


def test_results_that_disagree_name_both_places(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The 2017 report states the 2016 GDP growth; claim the 2016 report states another one.
    path = archive_copy / GWR_FIGURES
    path.write_text(path.read_text(encoding="utf-8").replace(
        "figures:\n", "figures:\n  - indicator: gdp_growth\n    period: 2016\n    value: 6.9\n    quote: 国内生产总值达到67.7万亿元，增长6.9%\n", 1),
        encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "的结果为" in err and "请核对" in err
    assert "data/figures/2017/state-council-government-work-report.yml:" in err


def test_every_problem_is_reported_at_once(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(archive_copy, FIGURES, "value: 166", "value: 167")
    replace(archive_copy, "docs/reports/2018/state-council-government-work-report.md", "kind: 政府工作报告", "kind: 年中报告")
    replace(archive_copy, GWR_FIGURES, "qualifier: 左右", "qualifier: 大约是")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "发现 3 个问题" in err


def test_a_gap_in_a_series_is_a_warning_and_strict_fails_on_it(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The sample's CPI: 2014 and 2016 are stated, 2015 is not (the 2016 report says only 保持较低水平).
    code = annals_main(["check", "--project", str(archive_copy)])
    out = capsys.readouterr()
    assert code == 0 and "5 条警告（不影响发布）" in out.out
    assert f"{GWR_2017_FIGURES}:16: 警告：居民消费价格涨幅2016年的结果没有上一年（2015年）的数字可比" in out.err
    code, err = check(archive_copy, capsys, "--strict")
    assert code == 1 and "--strict 下视为问题" in err
    # Give 2015 a figure and 2016's warning goes.
    replace(archive_copy, "docs/reports/2016/state-council-government-work-report.md", "居民消费价格涨幅保持较低水平", "居民消费价格上涨1.4%")
    replace(archive_copy, GWR_FIGURES, "  # 2016年的预期目标", "  - indicator: cpi\n    period: 2015\n    value: 1.4\n    quote: 居民消费价格上涨1.4%\n  # 2016年的预期目标")
    code, err = check(archive_copy, capsys)
    assert code == 0 and "居民消费价格涨幅2016年" not in err


@pytest.mark.parametrize(("rel", "old", "new", "message"), [
    (FIGURES, "value: 166", "value: 167", "value 167名 与引文中的数字不符"),
    ("docs/index.md", "<!-- annals:latest -->", "<!-- annals:lastest -->", "未知的标记 annals:lastest"),
], ids=["data", "marker"])
def test_build_fails_cleanly_and_publishes_nothing(archive_copy: Path, tmp_path: Path, rel: str, old: str, new: str, message: str) -> None:
    line = replace(archive_copy, rel, old, new)
    site = tmp_path / "site"
    result = run_build(archive_copy, site)
    assert result.returncode != 0
    assert f"{rel}:{line}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists(), "the build stops before MkDocs writes anything"


def test_check_reads_mkdocs_yml_as_mkdocs_does(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (archive_copy / "docs").rename(archive_copy / "pages")
    replace(archive_copy, "mkdocs.yml", "docs_dir: docs\n", "docs_dir: !ENV [ANNALS_TEST_UNSET_DOCS, pages]\n")
    code = annals_main(["check", "--project", str(archive_copy)])
    assert code == 0 and "检查通过：11 份报告" in capsys.readouterr().out
    replace(archive_copy, "mkdocs.yml", "strict: true\n", "strict: maybe\n")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "mkdocs.yml: MkDocs 无法读取配置" in err and "strict" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert annals_main(["check", "--project", str(tmp_path)]) == 2
    assert "找不到 mkdocs.yml" in capsys.readouterr().err
    assert annals_main(["nonsense"]) == 2


def test_a_target_restated_in_its_report_is_one_target(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 2016: 国内生产总值增长6.5%－7% in the 主要预期目标, again where the report explains it.
    text = (archive_copy / "docs/reports/2016/state-council-government-work-report.md").read_text(encoding="utf-8")
    assert text.count("国内生产总值增长6.5%－7%") == 1
    replace(archive_copy, "docs/reports/2016/state-council-government-work-report.md", "居民消费价格涨幅3%左右", "居民消费价格涨幅3%左右。经济增长预期目标为国内生产总值增长6.5%－7%，是综合考虑的")
    replace(archive_copy, GWR_FIGURES, "  - indicator: cpi\n    type: target", "  - indicator: gdp_growth\n    type: target\n    value: [6.5, 7]\n    quote: 经济增长预期目标为国内生产总值增长6.5%－7%\n  - indicator: cpi\n    type: target")
    code, err = check(archive_copy, capsys)
    assert code == 0, err
    from annals.archive.model import load_archive
    archive = load_archive(archive_copy, archive_copy / "docs", archive_copy / "data")
    assert sum(1 for f in archive.figures if (f.indicator, f.type, f.period.key) == ("gdp_growth", "target", "2016")) == 1


def test_a_result_for_the_year_a_government_work_report_plans_is_a_warning(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = "data/figures/2019/state-council-government-work-report.yml"  # the newest: no later report states 2019
    replace(archive_copy, "docs/reports/2019/state-council-government-work-report.md", "date: 2019-03-05", "date: 2019")  # no day: no date check
    line = replace(archive_copy, figures, "  - indicator: rural_poverty_reduction\n    period: 2018\n", "  - indicator: rural_poverty_reduction\n    period: 2019\n")
    code, err = check(archive_copy, capsys)
    assert code == 0 and f"{figures}:{line}: 警告：政府工作报告回顾的是上一年，这条结果却记为报告当年（2019年）；请核对 period" in err, err
    code, err = check(archive_copy, capsys, "--strict")
    assert code == 1


@pytest.mark.parametrize(("date", "ok"), [("2021-12-04", True), ("2021-10-15", True), ("2021-07-01", False)])
def test_a_year_end_summary_may_state_its_year_a_mid_year_one_may_not(archive_copy: Path, capsys: pytest.CaptureFixture[str], date: str, ok: bool) -> None:
    replace(archive_copy, "docs/reports/2021/county-a-edu-duty-report.md", "date: 2021\n", f"date: {date}\n")
    code, err = check(archive_copy, capsys)
    assert (code == 0) == ok, err
    assert ok or f"报告日期为 {date}，早于2021年结束（2021-12-31）" in err
