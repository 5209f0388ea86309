"""Plan versus outcome: each qualifier and status, and the sample archive's targets checked by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from annals.data.numbers import find_value
from annals.data.schema import Figure, Indicator
from annals.data.vocab import Period, unit_scale
from annals.judge.plan import judge
from conftest import page, run_build

GROWTH = Indicator("gdp_growth", "国内生产总值增长", "%", "宏观经济", True, ())
CPI = Indicator("cpi", "居民消费价格涨幅", "%", "价格", False, ())
DEFICIT = Indicator("deficit_ratio", "赤字率", "%", "财政", None, ())
JOBS = Indicator("urban_new_jobs", "城镇新增就业", "万人", "就业", True, ())
DROWNED = Indicator("student_drowning_deaths", "学生溺亡", "人", "安全", False, ())


def figure(quote: str, value: object, *, kind: str = "target", qualifier: str | None = None,
           unit: str = "%", indicator: Indicator = GROWTH, basis: str = "") -> Figure:
    """A figure as the loader makes it: its number found in its quote."""
    parsed = tuple(float(v) for v in value) if isinstance(value, list) else (value if isinstance(value, str) else float(value))  # type: ignore[arg-type]
    span = find_value(quote, parsed, (unit,))  # type: ignore[arg-type]
    assert span is not None, quote
    scale = unit_scale(unit)[1] / unit_scale(indicator.unit)[1]
    return Figure("f.yml", 1, "r.md", indicator.id, kind, Period(2015), parsed, unit, scale,  # type: ignore[arg-type]
                  qualifier or ("区间" if isinstance(value, list) else None), quote, span, basis=basis)


def result(quote: str, value: object, **kw: object) -> Figure:
    return figure(quote, value, kind="result", **kw)  # type: ignore[arg-type]


# (target quote, value, qualifier, indicator, unit, result number, expected status)
CASES = [
    # at least: 以上, 不低于 include the bound; 超过 does not
    ("城镇新增就业1000万人以上", 1000, "以上", JOBS, "万人", 1000, "met"),
    ("城镇新增就业1000万人以上", 1000, "以上", JOBS, "万人", 999, "missed"),
    ("城镇新增就业不低于1000万人", 1000, "不低于", JOBS, "万人", 1000, "met"),
    ("城镇新增就业超过1000万人", 1000, "超过", JOBS, "万人", 1000, "missed"),
    ("城镇新增就业超过1000万人", 1000, "超过", JOBS, "万人", 1001, "met"),
    # at most: 以内, 以下, 不超过, 控制在 include the bound
    ("居民消费价格涨幅3%以内", 3, "以内", CPI, "%", 3, "met"),
    ("居民消费价格涨幅3%以内", 3, "以内", CPI, "%", 3.1, "missed"),
    ("居民消费价格涨幅不超过3%", 3, "不超过", CPI, "%", 2, "met"),
    ("居民消费价格涨幅控制在3%", 3, "控制在", CPI, "%", 3.01, "missed"),
    ("居民消费价格涨幅3%以下", 3, "以下", CPI, "%", 3, "met"),
    # about: the indicator says which side is good; 0.3 points (or 3%) allowed on the other
    ("国内生产总值增长7.5%左右", 7.5, "左右", GROWTH, "%", 7.6, "met"),
    ("国内生产总值增长7.5%左右", 7.5, "左右", GROWTH, "%", 7.4, "about-met"),
    ("国内生产总值增长7.5%左右", 7.5, "左右", GROWTH, "%", 7.2, "about-met"),  # exactly on the tolerance
    ("国内生产总值增长7.5%左右", 7.5, "左右", GROWTH, "%", 7.1, "missed"),
    ("居民消费价格涨幅3%左右", 3, "左右", CPI, "%", 2, "met"),  # a CPI ceiling is met by less
    ("居民消费价格涨幅3%左右", 3, "左右", CPI, "%", 3.3, "about-met"),
    ("居民消费价格涨幅3%左右", 3, "左右", CPI, "%", 3.4, "missed"),
    ("城镇新增就业约1000万人", 1000, "约", JOBS, "万人", 970, "about-met"),  # 3% of the target
    ("城镇新增就业约1000万人", 1000, "约", JOBS, "万人", 969, "missed"),
    ("赤字率2.8%左右", 2.8, "左右", DEFICIT, "%", 2.9, "about-met"),  # neither side is better
    # ranges: inside (ends included) is met; beyond the good end too
    ("国内生产总值增长6.5%－7%", [6.5, 7], None, GROWTH, "%", 6.7, "met"),
    ("国内生产总值增长6.5%－7%", [6.5, 7], None, GROWTH, "%", 6.5, "met"),
    ("国内生产总值增长6.5%－7%", [6.5, 7], None, GROWTH, "%", 7, "met"),
    ("国内生产总值增长6.5%－7%", [6.5, 7], None, GROWTH, "%", 7.3, "met"),
    ("国内生产总值增长6.5%－7%", [6.5, 7], None, GROWTH, "%", 6.4, "missed"),
    ("赤字率2.5%－3%", [2.5, 3], None, DEFICIT, "%", 3.2, "missed"),
    # zero targets
    ("确保继续实现零溺亡", 0, None, DROWNED, "人", 0, "met"),
    ("确保继续实现零溺亡", 0, None, DROWNED, "人", 1, "missed"),
    # a plain number: equal, or better when the indicator has a direction
    ("赤字率稳定在2.1%", 2.1, None, DEFICIT, "%", 2.1, "met"),
    ("赤字率稳定在2.1%", 2.1, None, DEFICIT, "%", 2.3, "missed"),
    ("城镇新增就业1100万人", 1100, None, JOBS, "万人", 1200, "met"),
]


@pytest.mark.parametrize(("quote", "value", "qualifier", "indicator", "unit", "number", "status"), CASES)
def test_each_qualifier_judged_from_the_indicator(quote: str, value: object, qualifier: str | None,
                                                   indicator: Indicator, unit: str, number: float, status: str) -> None:
    target = figure(quote, value, qualifier=qualifier, unit=unit, indicator=indicator)
    stated = f"结果为{number:g}{unit}"
    assert judge(target, result(stated, number, unit=unit, indicator=indicator), indicator)[0] == status


def test_units_are_converted_before_judging() -> None:
    target = figure("城镇新增就业1000万人以上", 1000, qualifier="以上", unit="万人", indicator=JOBS)
    assert judge(target, result("新增就业10000000人", 10000000, unit="人", indicator=JOBS), JOBS)[0] == "met"


def test_reasons_say_by_how_much() -> None:
    target = figure("国内生产总值增长7.5%左右", 7.5, qualifier="左右")
    status, reason = judge(target, result("增长7.4%", 7.4), GROWTH)
    assert status == "about-met" and "0.1个百分点" in reason and "±0.3个百分点" in reason
    jobs = figure("城镇新增就业1000万人以上", 1000, qualifier="以上", unit="万人", indicator=JOBS)
    assert judge(jobs, result("新增就业900万人", 900, unit="万人", indicator=JOBS), JOBS) == ("missed", "低于目标100万人")


def test_not_disclosed_and_not_comparable() -> None:
    target = figure("城镇新增就业1100万人以上", 1100, qualifier="以上", unit="万人", indicator=JOBS)
    assert judge(target, result("新增就业xx万人", "xx", unit="万人", indicator=JOBS), JOBS)[0] == "not-disclosed"
    hidden = figure("新增就业x万人以上", "x", qualifier="以上", unit="万人", indicator=JOBS)
    assert judge(hidden, result("新增就业1200万人", 1200, unit="万人", indicator=JOBS), JOBS)[0] == "not-disclosed"
    # A result that is itself a bound decides only when every value it allows agrees.
    vague = result("新增就业1000万人以上", 1000, qualifier="以上", unit="万人", indicator=JOBS)
    assert judge(target, vague, JOBS)[0] == "not-comparable"
    clear = result("新增就业1200万人以上", 1200, qualifier="以上", unit="万人", indicator=JOBS)
    assert judge(target, clear, JOBS)[0] == "met"
    # Another basis (口径) is never compared, and the reason names both.
    cpi = figure("居民消费价格涨幅3%左右", 3, qualifier="左右", indicator=CPI)
    average = result("年均上涨1.9%", 1.9, indicator=CPI, basis="2013—2017年年均")
    status, reason = judge(cpi, average, CPI)
    assert status == "not-comparable" and "2013—2017年年均" in reason


# ------------------------------------------------------- the sample archive

STATUS_OF_LABEL = {"已完成": "kept", "基本完成": "nearly", "未完成": "missed", "未给出结果": "unreported",
                   "尚无后续报告": "awaiting", "未公开": "undisclosed", "无法比较": "incomparable"}
_ROW = re.compile(r'<tr class="annals-plan-([a-z-]+)"><td[^>]*><a [^>]*>([^<]+)</a></td><td[^>]*>(\d{4})年</td>(.*?)</tr>', re.S)

# Checked by hand against the texts: each target of the 2014–2019 government work reports and the
# result the following year's report states. unreported: that report (its figures reviewed) states none;
# awaiting: no report reviews that year yet. The words are the tracker's: one word for one state everywhere.
HAND_CHECKED = {
    "国内生产总值增长": {2014: "nearly",  # 7.5%左右 → 7.4%
                         2015: "nearly",  # 7%左右 → 6.9%
                         2016: "kept",  # 6.5%－7% → 6.7%
                         2017: "kept",  # 6.5%左右 → 6.9%
                         2018: "kept",  # 6.5%左右 → 6.6%
                         2019: "awaiting"},
    "城镇新增就业": {2014: "kept", 2015: "kept", 2016: "kept", 2017: "kept", 2018: "kept",  # 1322, 1312, 1314, 1351, 1361万人
                     2019: "awaiting"},
    "居民消费价格涨幅": {2014: "kept",  # 3.5%左右 → 2%
                         2015: "unreported",  # 2016: 保持较低水平, no number
                         2016: "kept",  # 3%左右 → 2%
                         2017: "incomparable",  # 2018 gives only the five-year average 1.9%
                         2018: "kept",  # 3%左右 → 2.1%
                         2019: "awaiting"},
    "城镇登记失业率": {2014: "unreported", 2015: "unreported", 2016: "kept",  # 4.5%以内 → 4.02%
                       2017: "unreported",  # 2018: 失业率为多年来最低, no number
                       2018: "unreported", 2019: "awaiting"},
    "城镇调查失业率": {2018: "kept",  # 5.5%以内 → 5%左右
                       2019: "awaiting"},
    "单位国内生产总值能耗降低": {2015: "kept",  # 3.1%以上 → 5.6%
                                 2016: "kept",  # 3.4%以上 → 5%
                                 2017: "unreported",  # 2018 gives only 能耗、水耗均下降20%以上 over five years
                                 2018: "kept",  # 3%以上 → 3.1%
                                 2019: "awaiting"},
    "农村贫困人口减少": {2014: "kept", 2015: "kept", 2016: "kept",  # 1000万人以上 → 1232, 1442, 1240万
                         2017: "unreported",  # 2018 gives only 贫困人口减少6800多万 over five years
                         2018: "kept",  # 1000万以上 → 1386万
                         2019: "awaiting"},
    "进出口增长": {2014: "unreported", 2015: "unreported"},  # 7.5%左右, 6%左右: the next reports give no number
    "赤字率": {2014: "kept",  # 2.1% → 2015: 从去年的2.1%提高到2.3%
               2015: "unreported", 2016: "unreported", 2017: "unreported", 2018: "unreported",
               2019: "awaiting"},
}


def test_sample_targets_have_the_hand_checked_statuses(sample_site: Path) -> None:
    html = page(sample_site, "commitments")
    assert '<table class="annals-plan annals-stack">' in html
    found: dict[str, dict[int, str]] = {}
    for status, name, year, _cells in _ROW.findall(html):
        found.setdefault(name, {})[int(year)] = status
    for name, expected in HAND_CHECKED.items():
        assert found.get(name) == expected, name


def test_2019_targets_wait_for_a_later_report(sample_site: Path) -> None:
    html = page(sample_site, "commitments")
    rows = [cells for _s, _n, year, cells in _ROW.findall(html) if year == "2019"]
    assert len(rows) >= 6 and all("尚无后续报告" in cells and "还没有国务院回顾2019年的报告" in cells for cells in rows)


def test_target_and_result_link_to_their_sentences(sample_site: Path) -> None:
    html = page(sample_site, "commitments")
    row = next(cells for status, name, year, cells in _ROW.findall(html) if name == "国内生产总值增长" and year == "2016")
    assert 'href="../reports/2016/state-council-government-work-report/#fig-gdp_growth-2016-target"' in row
    assert 'href="../reports/2017/state-council-government-work-report/#fig-gdp_growth-2016"' in row
    assert "6.5%－7%" in row and "6.7%" in row and "在目标区间内" in row


def test_indicator_and_report_pages_show_the_same_tracking(sample_site: Path) -> None:
    indicator = page(sample_site, "indicators/gdp_growth")
    assert 'id="plan-state-council"' in indicator and indicator.count('<tr class="annals-plan-') == 6
    setting = page(sample_site, "reports/2018/state-council-government-work-report")
    plan = setting.split('id="annals-plan"', 1)[1].split('id="annals-answers"', 1)[0]
    assert "这些目标完成得怎样" in setting and plan.count('<tr class="annals-plan-') == 10
    answers = setting.split('id="annals-answers"', 1)[1]
    assert "本报告的结果对应的目标" in setting and 'annals-plan-incomparable' in answers  # the 1.9% average
    assert "2013—2017年年均" in answers


MIDYEAR = """---
bureau: state-council
year: 2019
period: 上半年
kind: 半年工作总结
title: 2019年上半年工作总结
date: 2019-07-20
---

全年国内生产总值增长目标调整为6%左右。上半年国内生产总值增长6.3%。
"""


def test_a_target_restated_mid_year_shows_both(archive_copy: Path, tmp_path: Path) -> None:
    (archive_copy / "docs/reports/2019/state-council-midyear.md").write_text(MIDYEAR, encoding="utf-8")
    (archive_copy / "data/figures/2019/state-council-midyear.yml").write_text(
        "figures:\n  - indicator: gdp_growth\n    type: target\n    period: 2019\n    value: 6\n"
        "    qualifier: 左右\n    quote: 全年国内生产总值增长目标调整为6%左右\n", encoding="utf-8")
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    rows = [cells for _s, name, year, cells in _ROW.findall(page(tmp_path / "site", "commitments"))
            if name == "国内生产总值增长" and year == "2019"]
    assert len(rows) == 2
    original = next(r for r in rows if "6%－6.5%" in r)
    assert "后于 2019-07-20 调整为" in original and "#fig-gdp_growth-2019-target" in original
    assert "调整为" not in next(r for r in rows if r is not original)


def test_two_results_for_one_period_that_disagree_stop_the_build(archive_copy: Path, tmp_path: Path) -> None:
    text = MIDYEAR.replace("year: 2019", "year: 2019").replace("全年国内生产总值增长目标调整为6%左右。", "2018年国内生产总值增长6.7%。")
    (archive_copy / "docs/reports/2019/state-council-midyear.md").write_text(text, encoding="utf-8")
    (archive_copy / "data/figures/2019/state-council-midyear.yml").write_text(
        "figures:\n  - indicator: gdp_growth\n    period: 2018\n    value: 6.7\n"
        "    quote: 2018年国内生产总值增长6.7%\n", encoding="utf-8")
    built = run_build(archive_copy, tmp_path / "site")
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "data/figures/2019/state-council-midyear.yml:2:" in built.stderr
    assert "data/figures/2019/state-council-government-work-report.yml:" in built.stderr and "6.6%" in built.stderr
    assert not (tmp_path / "site" / "commitments").exists()
