"""Finding a figure's number in its quote.

The build refuses a figure whose value is not the number its quote states:
the value (or range, or redaction mark) must appear in the quote followed by
the figure's unit. The span found is where the report text gets its link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annals.data.vocab import QUALIFIERS, STATED_UNITS

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
# ASCII digits only (full-width ones are made ASCII first): Python's \d also takes ৪ (a Bengali 4 drawn like an 8).
NUMBER = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_RANGE_SEP = r"\s*[－\-—–~～至到]\s*"
_REDACTED = r"[xX]+(?:\.[xX]+)?"
_ZERO_WORDS = ("零", "无一", "未发生", "清零", "没有发生")

Value = float | tuple[float, float] | str  # a number, a range, or a redaction mark


def normalise(text: str) -> str:
    """Full-width digits and signs as ASCII; same length, so spans carry over."""
    return text.translate(_FULLWIDTH)


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _unit_follows(text: str, pos: int, units: tuple[str, ...]) -> int | None:
    """End of the unit at ``pos`` (after optional 多/余), or None: the unit to its end, so that 人 is not read
    from 50人次 nor 万 from 1000万元."""
    m = _MORE.match(text, pos)
    at = m.end() if m else pos
    for unit in sorted(units, key=len, reverse=True):
        if text.startswith(unit, at):
            longest = _unit_at(text, at)
            return at + len(unit) if len(unit) >= len(longest) else None
    return None


_MORE = re.compile(r"\s*(?:多|余)?")
_UNIT_AT = re.compile("|".join(re.escape(u) for u in STATED_UNITS))  # longest first: the longest that stands there


def _unit_at(text: str, at: int) -> str:
    m = _UNIT_AT.match(text, at)
    return m.group() if m else ""


def stated_unit(text: str, pos: int) -> str:
    """The unit the text states after a number ending at ``pos`` (after 多/余), to its end; '' if none."""
    text = normalise(text)
    m = _MORE.match(text, pos)
    return _unit_at(text, m.end() if m else pos)


def foreign_digits(text: str) -> list[str]:
    """The characters of ``text`` that are decimal digits of another script (Bengali ৪, Arabic-Indic ١,
    mathematical bold 𝟏): a reader sees one number, a program may read another."""
    return _OTHER_DIGIT.findall(text)


_OTHER_DIGIT = re.compile(r"[^\D0-9０-９]")  # \d is every script's decimal digit (Unicode Nd)


# The words before a number that say which way it moved, the nearest deciding; …到/至 states a level, not a change.
MOVES = re.compile(r"(负增长|下降|减少|降低|回落|下滑|萎缩|收窄|缩小|下跌|减)|(增长|增加|上升|提高|上涨|扩大|提升|增)")
_CLAUSE = re.compile(r"[，,。；;：:！？、]")
# A qualifier the quote gives the number: a word before it, or after its unit.
_BEFORE = re.compile(r"(约|超过|突破|不低于|不少于|至少|不超过|控制在)\s*$")
_AFTER = re.compile(r"\s*(以上|以下|以内|左右)")


@dataclass(frozen=True)
class Stated:
    """How a quote states the number at a span: which way it moved (True fell, False rose, None not said), its own
    qualifier word, and whether it is approximate (166余名, 166多名)."""

    falls: bool | None
    qualifiers: tuple[str, ...]  # the quote's words (控制在3.5%左右: both), '' none
    approximate: bool


def stated(quote: str, span: tuple[int, int]) -> Stated:
    """What the quote says around the number at ``span`` (as ``find_value`` gives it)."""
    text = normalise(quote)
    start, end = span
    clause = text[max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0) : start]
    falls = None
    if (moves := list(MOVES.finditer(clause))) and not re.match(r"\s*(?:到|至)", clause[moves[-1].end():]):
        falls = moves[-1].group(1) is not None
    before, after = _BEFORE.search(text[:start]), _AFTER.match(text[end:])
    words = tuple(m.group(1) for m in (after, before) if m and m.group(1) in QUALIFIERS)
    number_end = re.match(rf"[-−]?{NUMBER}(?:{_RANGE_SEP}{NUMBER})?", text[start:])
    approximate = bool(number_end and re.match(r"\s*(?:余|多)", text[start + number_end.end():]))
    return Stated(falls, words, approximate)


def find_value(quote: str, value: Value, units: tuple[str, ...]) -> tuple[int, int] | None:
    """Span of ``value`` + unit in ``quote``, or None if the quote does not state it."""
    text = normalise(quote)
    units = tuple(normalise(u) for u in units)
    if isinstance(value, str):
        for m in re.finditer(rf"(?<![A-Za-z]){_REDACTED}", text):
            if m.group(0).lower() == value.lower():
                end = _unit_follows(text, m.end(), units)
                if end is not None:
                    return m.start(), end
        return None
    if isinstance(value, tuple):
        low, high = value
        for m in re.finditer(rf"({NUMBER})(?:\s*%)?{_RANGE_SEP}({NUMBER})", text):
            if _num(m.group(1)) == low and _num(m.group(2)) == high:
                end = _unit_follows(text, m.end(), units)
                if end is not None:
                    return m.start(), end
        return None
    if value == 0 and not re.search(r"\d", text):
        for word in _ZERO_WORDS:
            i = text.find(word)
            if i >= 0:
                return i, i + len(word)
        return None
    for m in re.finditer(rf"(?<![0-9.]){NUMBER}", text):
        if _num(m.group(0)) == abs(value):  # a fall's sign is in its words (下降6.9%): checked by the caller
            end = _unit_follows(text, m.end(), units)
            if end is not None:
                return m.start(), end
    for m in re.finditer(r"[零〇一二两三四五六七八九十百千万]+", text):
        if cn_number(m.group(0)) == abs(value):
            end = _unit_follows(text, m.end(), units)
            if end is not None:
                return m.start(), end
    return None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_number(text: str) -> float | None:
    """A count in Chinese numerals: 二十二 → 22, 一百零五 → 105; None if it is not one."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
        else:
            return None
    return float(total + section + digit)


def fmt(x: float) -> str:
    """A number as a reader expects it: no float noise, no needless ``.0``."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def numbers_in(quote: str) -> list[str]:
    """The numbers a quote states, for error messages."""
    return re.findall(rf"{NUMBER}|{_REDACTED}", normalise(quote))
