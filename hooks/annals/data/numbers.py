"""Finding a figure's number in its quote.

The build refuses a figure whose value is not the number its quote states:
the value (or range, or redaction mark) must appear in the quote followed by
the figure's unit. The span found is where the report text gets its link.
"""

from __future__ import annotations

import re

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
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
    """End of the unit at ``pos`` (after optional 多/余), or None."""
    m = re.match(r"\s*(?:多|余)?", text[pos:])
    at = pos + (m.end() if m else 0)
    for unit in sorted(units, key=len, reverse=True):
        if text.startswith(unit, at):
            return at + len(unit)
    return None


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
        for m in re.finditer(rf"({_NUMBER})(?:\s*%)?{_RANGE_SEP}({_NUMBER})", text):
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
    for m in re.finditer(rf"(?<![\d.]){_NUMBER}", text):
        if _num(m.group(0)) == value:
            end = _unit_follows(text, m.end(), units)
            if end is not None:
                return m.start(), end
    for m in re.finditer(r"[零〇一二两三四五六七八九十百千万]+", text):
        if cn_number(m.group(0)) == value:
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
    return re.findall(rf"{_NUMBER}|{_REDACTED}", normalise(quote))
