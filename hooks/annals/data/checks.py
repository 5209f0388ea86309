"""The checks a value must pass against the rest of the archive: a quote in its report's text, a value in
its quote and in its indicator's range, a period against its report's date, two reports' results alike.

Plain functions beside the declared keys (``annals.data.schema``), in two calling conventions:

- a check of one value, called where the value is read: ``(…) -> str``, what is wrong in the editor's
  words, or ``""`` (the caller knows the line to tell it at);
- a check of the whole archive's figures, run after every file is read: ``(figures, reports, indicators) ->
  Findings``, its errors (the build stops) and warnings (``annals check --strict`` fails), each with its
  line. ``ARCHIVE_CHECKS`` lists them; the loader runs them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from annals.data.errors import Problem
from annals.data.numbers import MOVES, NUMBER, Stated, Value, foreign_digits, normalise, stated, stated_unit
from annals.data.schema import Figure, Indicator, Report
from annals.data.vocab import KINDS, QUALIFIERS, unit_scale


def quote_not_in(report: Report, quote: str) -> str:
    """What to say of a quote that is not in its report's text, or ''."""
    if report.find_quote(quote) is not None:
        return ""
    return f"引文不在报告 docs/{report.src} 的正文中：“{quote}”；请从报告中逐字复制"


def odd_digits(text: str) -> str:
    """What to say of a text holding digits of another script (a reader sees one number, a program may read
    another), or ''."""
    if found := foreign_digits(text):
        names = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in dict.fromkeys(found))
        return f"引文中有不是阿拉伯数字的数字字符 {names}，看上去是一个数，读出来可能是另一个；请按原件改为 0–9 的数字"
    return ""


DECREASE = re.compile(r"降低|减少|下降")  # an indicator that counts a decrease: 能耗降低, 农村贫困人口减少


def signed(value: float, said: Stated, indicator: Indicator) -> float:
    """A value with the sign its quote gives it: 下降6.9% of a level's change is -6.9; of an indicator that counts a
    decrease (能耗降低), 下降5% is 5 and 上升1% is -1; no word of movement, or 下降到 (a level), leaves it as it is."""
    if said.falls is None or not value:
        return value
    negative = said.falls != bool(DECREASE.search(indicator.name))
    return -abs(value) if negative else abs(value)


def not_as_stated(quote: str, span: tuple[int, int], value: Value, unit: str, qualifier: str | None, ftype: str,
                  indicator: Indicator) -> str:
    """What to say of a figure whose number is in its quote but not as the quote states it, or '': its sign against
    the quote's 下降 or 增长, its qualifier against the quote's word (余, 多: more than the number)."""
    said = stated(quote, span)
    if isinstance(value, float) and (right := signed(value, said, indicator)) != value:
        word = "下降、减少" if said.falls else "增长、增加"
        return f"引文说的是{word}，{indicator.name}的 value 应为 {right:g}，而不是 {value:g}；请按原文改正符号"
    mine = QUALIFIERS.get(qualifier or "")
    if said.qualifiers and mine not in {QUALIFIERS[w] for w in said.qualifiers} and (ftype == "target" or mine is not None):
        return f"引文中的限定词是“{said.qualifiers[0]}”，这条数据写的是“{qualifier or '（无）'}”；请写 qualifier: {said.qualifiers[0]}"
    if said.approximate and mine not in ("at_least", "about"):
        return "引文是约数（“余”“多”：比这个数多一些），请写 qualifier: 以上，或按原文改正"
    return ""


_GAP = 20  # characters a quote may put between the words of a phrase: 国内生产总值达到56.9万亿元，比上年增长7.7%


@lru_cache(maxsize=4096)
def _phrase(words: str) -> re.Pattern[str]:
    """A phrase's characters in order, a few others allowed between them, within a sentence."""
    return re.compile(f"[^。；;！？]{{0,{_GAP}}}?".join(re.escape(ch) for ch in words))


_TO = re.compile(r"[^，,。；;0-9]{0,6}?(?:到|至)")
_DIGITS = re.compile(rf"(?<![0-9.]){NUMBER}")
_STATED = re.compile(rf"{_DIGITS.pattern}|[xX]+")  # a number, or a redaction mark


def _subject_of(name: str) -> str:
    """What a name or phrase names, without its word of movement: 国内生产总值增长 names 国内生产总值, which may
    also 下降 (the sign is checked apart)."""
    bare = MOVES.sub("", name)
    return bare if len(bare) >= 2 else name


def not_named(quote: str, span: tuple[int, int], unit: str, indicator: Indicator, subject: str) -> str:
    """What to say of a figure whose quote does not name its indicator (by its name, a phrase, or the editor's
    ``subject``), or whose number is not the one the quote gives it: the first number in its unit after the naming
    words (招聘特岗教师166名，其中音乐教师12名: 166 is the teachers recruited). '' when it holds."""
    text = normalise(quote)
    names = (subject,) if subject else tuple(dict.fromkeys(_subject_of(n) for n in (indicator.name, *indicator.phrases)))
    ends = sorted({m.end() for words in names for m in _phrase(words).finditer(text)})
    if not ends:
        if subject:
            return f"subject “{subject}” 不在引文中；请从引文中逐字复制说到这项指标的词"
        said = "、".join(dict.fromkeys(names))
        return (f"引文没有说到{indicator.name}（它的说法：{said}）；请引用说到它的句子，或换一个指标；引文用别的词说到它时，"
                f"写 subject: 引文中的那个词")
    if not text[span[0] : span[0] + 1].isdigit() and text[span[0] : span[0] + 1] not in "xX":
        return ""  # 零, 清零, 二十二: no digits to tell apart
    base = unit_scale(unit)[0]
    units = {m.start(): stated_unit(text, m.end()) for m in _STATED.finditer(text, ends[0])}  # text is normalised already
    first = None
    for end in ends:
        numbers = [m for m in _STATED.finditer(text, end) if unit_scale(units[m.start()])[0] == base]
        if not numbers:
            return ""
        # 从去年的2.1%提高到2.3%: a number moved from is the indicator's too, and so is the one it moved to.
        chain = 1
        while chain < len(numbers) and _TO.match(text, numbers[chain - 1].end() + len(units[numbers[chain - 1].start()])):
            chain += 1
        if any(m.start() == span[0] for m in numbers[:chain]):
            return ""
        first = first or numbers[0]
    assert first is not None
    return (f"引文中说到{indicator.name}的数字是 {first.group(0)}{units[first.start()]}，不是这条数据的 {text[span[0]:span[1]]}；"
            f"请改正 value，或换一个指标")


def other_unit(quote: str, value: Value, unit: str) -> str:
    """What to say when the quote states the value in another unit than the figure's (50人次 filed in 人), or ''."""
    if not isinstance(value, float):
        return ""
    text = normalise(quote)
    for m in _DIGITS.finditer(text):
        if float(m.group(0).replace(",", "")) == abs(value) and (written := stated_unit(text, m.end())) and written != unit:
            return (f"引文中 {m.group(0)} 的单位是“{written}”，不是“{unit}”；请把 unit 写作 {written}（它须能换算为指标的单位），"
                    "或换一个单位相同的指标")
    return ""


def last_day(date: str) -> str:
    """The latest ISO date a report date as written (2021, 2021-07, 2021-07-19) can mean."""
    return date + "-12-31"[len(date) - 4:] if len(date) < 10 else date


def out_of_range(value: Value, unit: str, scale: float, indicator: Indicator) -> str:
    """What to say of a value (in ``unit``, ``scale`` times the indicator's) that the indicator cannot take, or ''."""
    low, high = indicator.bounds
    for v in value if isinstance(value, tuple) else (value,) if isinstance(value, float) else ():
        if (low is not None and v * scale < low) or (high is not None and v * scale > high):
            return (f"value {v:g}{unit} 超出指标 {indicator.id}（{indicator.name}）可能的范围（{_bounds_text(indicator)}）；"
                    "请核对原文和数据，或 data/indicators.yml 中的 range")
    return ""


def _bounds_text(indicator: Indicator) -> str:
    low, high = indicator.bounds
    unit = indicator.unit
    if low is not None and high is not None:
        return f"{low:g}{unit}–{high:g}{unit}"
    if high is None:
        return "不能为负" if low == 0 else f"不小于 {low:g}{unit}"
    return f"不大于 {high:g}{unit}"


REVIEWS_PREVIOUS = {"government-work-report"}  # kinds given early in a year, about the year before
_SPAN_WORDS = re.compile(r"年均|年平均|过去五年|五年来|近五年|五年间|五年累计|五年共")
# Days: a result for a period that ends more than this after the report's date is a misfiled period. A
# quarter: a year-end summary written in November or early December states its year (the sample
# generator's are dated 12-04); a 政府工作报告 of March cannot.
_WELL_BEFORE = 92


@dataclass
class Findings:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check_time(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> Findings:
    """Periods a report cannot state: errors, and warnings where a real report might."""
    found = Findings()
    for fig in figures:
        if fig.type != "result":
            continue
        report = reports[fig.report]
        if not fig.basis and (words := _SPAN_WORDS.search(fig.quote)):
            found.errors.append(Problem(fig.path, fig.line, f"引文有“{words.group(0)}”，是多年的合计或平均，不是{fig.period.label}一年的数字；请写明 basis（如 basis: 2013—2017年年均），或删去这一条"))
        elif len(report.date) == 10 and _days_before(report.date, fig.period.end) > _WELL_BEFORE:
            found.errors.append(Problem(fig.path, fig.line, f"报告日期为 {report.date}，早于{fig.period.label}结束（{fig.period.end}），不可能已有{fig.period.label}的结果；请把 period 改为报告回顾的时期（如上一年），或改为 type: target"))
        elif report.kind in REVIEWS_PREVIOUS and fig.period == report.period and not fig.basis:
            found.warnings.append(Problem(fig.path, fig.line, f"警告：{KINDS[report.kind]}回顾的是上一年，这条结果却记为报告当年（{fig.period.label}）；请核对 period"))
    return found


def _days_before(date: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(date)).days


def check_agreement(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> Findings:
    """Two reports may state the same result; they must state the same number."""
    found = Findings()
    first: dict[tuple[str, str, str, str], Figure] = {}
    for fig in figures:
        if fig.type != "result":
            continue
        key = (reports[fig.report].bureau, *fig.measures)
        other = first.setdefault(key, fig)
        if other is not fig and other.number != fig.number:
            found.errors.append(Problem(fig.path, fig.line, f"{fig.period.label}的结果为 “{fig.stated}”，但 {other.path}:{other.line} 为 “{other.stated}”，请核对"))
    return found


def check_gaps(figures: list[Figure], reports: dict[str, Report], indicators: dict[str, Indicator]) -> Findings:
    """Warnings: a result with no figure a year earlier although earlier years have one
    (a figure someone may have missed), once per series and year."""
    years: dict[tuple[str, str, str], set[int]] = {}
    for fig in figures:
        if fig.type == "result" and not fig.basis:
            years.setdefault((reports[fig.report].bureau, fig.indicator, fig.period.part), set()).add(fig.period.year)
    warned = set()
    found = Findings()
    for fig in sorted(figures, key=lambda f: (f.path, f.line)):
        key = (reports[fig.report].bureau, fig.indicator, fig.period.part)
        have = years.get(key, set()) if fig.type == "result" and not fig.basis else set()
        earlier = fig.period.year_earlier()
        if have and earlier.year not in have and min(have) < earlier.year and (key, fig.period) not in warned:
            warned.add((key, fig.period))
            found.warnings.append(Problem(fig.path, fig.line, f"警告：{indicators[fig.indicator].name}{fig.period.label}的结果没有上一年（{earlier.label}）的数字可比，而更早的年份有；如有报告写了{earlier.label}的数字，请补上"))
    return found


ArchiveCheck = Callable[[list[Figure], dict[str, Report], dict[str, Indicator]], Findings]
ARCHIVE_CHECKS: tuple[ArchiveCheck, ...] = (check_agreement, check_time, check_gaps)
