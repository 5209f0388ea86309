"""The fixed vocabularies of the data: periods, kinds, qualifiers and units.

Each has a code (used in URLs and CSS) and a Chinese label (shown to readers).
Front matter and figures files may use either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARTS: dict[str, str] = {
    "Y": "全年",
    "H1": "上半年",
    "H2": "下半年",
    "Q1": "第一季度",
    "Q2": "第二季度",
    "Q3": "第三季度",
    "Q4": "第四季度",
}
_PART_ALIASES = {**{label: code for code, label in PARTS.items()}, "year": "Y", "": "Y", "年度": "Y"}
_PART_ORDER = {"Y": 0, "H1": 1, "Q1": 2, "Q2": 3, "H2": 4, "Q3": 5, "Q4": 6}
_PART_START = {"Y": "01-01", "H1": "01-01", "H2": "07-01", "Q1": "01-01", "Q2": "04-01", "Q3": "07-01", "Q4": "10-01"}
_PART_END = {"Y": "12-31", "H1": "06-30", "H2": "12-31", "Q1": "03-31", "Q2": "06-30", "Q3": "09-30", "Q4": "12-31"}

KINDS: dict[str, str] = {
    "annual-summary": "年度工作总结",
    "midyear-summary": "半年工作总结",
    "plan": "工作计划",
    "duty-report": "述职报告",
    "government-work-report": "政府工作报告",
    "special-report": "专项报告",
}

# Qualifier words of a figure and what they mean for a target.
QUALIFIERS: dict[str, str] = {
    "以上": "at_least",
    "不低于": "at_least",
    "不少于": "at_least",
    "超过": "at_least",
    "至少": "at_least",
    "突破": "at_least",
    "以内": "at_most",
    "以下": "at_most",
    "不超过": "at_most",
    "控制在": "at_most",
    "左右": "about",
    "约": "about",
    "区间": "range",
}

# Units that are the same quantity at another scale: unit -> (base unit, factor).
UNITS: dict[str, tuple[str, float]] = {
    "人": ("人", 1),
    "名": ("人", 1),
    "万人": ("人", 1e4),
    "万": ("人", 1e4),  # 减少农村贫困人口1000万以上: a bare 万 in these reports counts people
    "人次": ("人次", 1),
    "万人次": ("人次", 1e4),
    "元": ("元", 1),
    "万元": ("元", 1e4),
    "亿元": ("元", 1e8),
    "万亿元": ("元", 1e12),
    "%": ("%", 1),
    "％": ("%", 1),
}

# Every unit a report states a number in that annals reads, longest first (万亿元 before 亿元): where a number's
# unit ends (a figure in 人 is not read from 50人次).
STATED_UNITS = tuple(sorted((
    "万亿元", "亿元", "万元", "元", "万人次", "亿人次", "人次", "万人", "个百分点", "人", "名", "所", "个", "套", "万套", "节", "次", "件",
    "家", "%", "％", "台", "起", "篇", "场次", "项", "分钟", "公里", "万公里", "平方米", "亩", "万亩", "亿亩", "户", "万户",
    "万亿斤", "亿斤", "斤", "万吨", "亿吨", "吨", "亿千瓦", "万千瓦", "千瓦", "万亿美元", "亿美元", "美元", "万辆", "辆", "公顷", "万公顷",
), key=len, reverse=True))

FIGURE_TYPES = {"result": "结果", "target": "目标"}


def part_code(value: str) -> str | None:
    value = value.strip()
    if value in PARTS:
        return value
    return _PART_ALIASES.get(value)


def kind_code(value: str) -> str | None:
    if value in KINDS:
        return value
    return {label: code for code, label in KINDS.items()}.get(value)


def unit_scale(unit: str) -> tuple[str, float]:
    return UNITS.get(unit, (unit, 1.0))


def is_percent(unit: str) -> bool:
    return unit_scale(unit)[0] == "%"


@dataclass(frozen=True, order=True)
class Period:
    """A year, or a half or quarter of it."""

    year: int
    part: str = "Y"

    @property
    def key(self) -> str:
        return str(self.year) if self.part == "Y" else f"{self.year}-{self.part}"

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.part == "Y" else f"{self.year}年{PARTS[self.part]}"

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.year, _PART_ORDER[self.part])

    @property
    def start(self) -> str:
        """The first day of the period, as an ISO date."""
        return f"{self.year}-{_PART_START[self.part]}"

    @property
    def end(self) -> str:
        """The last day of the period, as an ISO date."""
        return f"{self.year}-{_PART_END[self.part]}"

    def year_earlier(self) -> Period:
        return Period(self.year - 1, self.part)


_PERIOD_RE = re.compile(r"^(\d{4})\s*年?\s*[-_ ]?\s*(.*)$")


def parse_period(value: object) -> Period | None:
    """``2021``, ``"2021-H1"``, ``"2021年上半年"`` → Period; None if not a period."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Period(value) if 1900 <= value <= 2200 else None
    if not isinstance(value, str):
        return None
    m = _PERIOD_RE.match(value.strip())
    if not m:
        return None
    code = part_code(m.group(2))
    year = int(m.group(1))
    return Period(year, code) if code and 1900 <= year <= 2200 else None


@dataclass(frozen=True)
class Timing:
    """When a report was written and what it looks back on and forward to, from its period, kind and date."""

    period: Period
    kind: str
    date: str = ""  # ISO date or bare year, as in the front matter

    @property
    def written(self) -> int:
        """The year 今年 means: a summary dated January looks back on the year before."""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            return int(self.date[:4])
        return self.period.year

    @property
    def review(self) -> Period:
        """The period a result without words of time belongs to."""
        if self.kind == "government-work-report":
            return Period(self.period.year - 1)  # given in March: the year before is reviewed
        return self.period

    @property
    def plan(self) -> Period:
        """The period a target without words of time is set for."""
        if self.kind == "government-work-report" or self.kind == "plan":
            return self.period
        if self.period.part == "H1":
            return Period(self.period.year, "H2")
        return Period(self.period.year + 1) if self.period.part == "Y" else self.period


# What an editor writes as an answer's ``status:`` in an evidence file, and the code annals judges with. The
# words are the file format: rewording what the site shows (annals.pages.labels) changes no file.
EVIDENCE_STATUS: dict[str, str] = {"已完成": "kept", "部分完成": "partly", "推进中": "underway", "未完成": "missed"}
