"""The archive's data contract, declared once: what each file holds, and the records it is read into.

Each kind of entry (a bureau, an indicator, a report's front matter, a figure, a commitment, an
evidence) is a ``Shape``: its keys, which are required, and of what kind. ``read_entry`` is the one
validator of shapes: unknown keys, missing keys, text and true/false values, every problem with its
line. What a value must agree with (a quote with its report's text, a value with its quote, a period
with the report's date, a range) is checked by the plain functions of ``annals.data.checks``; values with a
grammar of their own (dates, periods, numbers) are parsed by the loaders (``annals.archive.model``,
``annals.judge.promises``). README "Contracts" documents the same keys; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from annals.data.errors import Collector
from annals.data.numbers import Value
from annals.data.plaintext import find_in_lines
from annals.data.routes import ref_of
from annals.data.vocab import Period
from annals.data.yamlio import Node

# ------------------------------------------------------------------ the keys of each file

TEXT = "text"  # a string (a number is taken as its text); not a list or mapping
FLAG = "flag"  # true or false
TEXTS = "texts"  # a list of non-empty strings
PARSED = "parsed"  # given to the loader as written: a date, a period, a value, a nested mapping or list


@dataclass(frozen=True)
class Key:
    name: str
    kind: str = TEXT
    required: bool = False
    missing: str = ""  # what to say when it is missing, if not the usual
    refused: str = ""  # a key that belongs elsewhere: what to say when it is written here


@dataclass(frozen=True)
class Shape:
    keys: tuple[Key, ...]
    missing: str = "缺少必填项 “{key}”，请补上"
    missing_at_top: bool = False  # a missing key is told at line 1 of the file (front matter), not the entry's

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys if not key.refused)


BUREAU = Shape((Key("name", required=True), Key("short_name"), Key("note")))

INDICATOR = Shape((
    Key("name", required=True), Key("unit", required=True), Key("group", required=True),
    Key("higher_is_better", FLAG), Key("phrases", TEXTS), Key("headline", FLAG), Key("definition"),
    Key("range", PARSED),  # [low, high], null for no bound
))

FRONT_MATTER = Shape((
    Key("bureau", required=True), Key("year", PARSED, required=True), Key("period", PARSED, required=True),
    Key("kind", PARSED, required=True), Key("title", PARSED, required=True), Key("date", PARSED, required=True),
    Key("source", PARSED),  # a SOURCE
), missing="front matter 缺少 “{key}”；请按 README 中的格式补上", missing_at_top=True)

SOURCE = Shape((Key("file"), Key("url"), Key("number"), Key("note")))

# A report's data file: data/figures/<year>/<slug>.yml, beside docs/reports/<year>/<slug>.md.
DATA_FILE = Shape((Key("figures", PARSED), Key("commitments", PARSED), Key("evidence", PARSED), Key("searched", PARSED)))

FIGURE = Shape((
    Key("indicator", required=True), Key("type", PARSED), Key("period", PARSED),
    Key("value", PARSED, required=True, missing="缺少 value；未公开的数字写作 x"),
    Key("unit"), Key("qualifier", PARSED), Key("quote", required=True), Key("note"), Key("basis"),
    Key("subject"),  # the words of the quote that name the indicator, where none of its phrases does
    Key("review", PARSED),  # an import's candidate, still to review: not published
))

COMMITMENT = Shape((
    Key("id", required=True), Key("label", required=True), Key("quote", required=True), Key("period", PARSED),
    Key("topic"), Key("indicator"), Key("note"), Key("review", PARSED),
    Key("parts", TEXTS),  # a sentence that commits to several things: each part's label, judged on its own
    Key("status", refused="承诺的状态不写在这里：已完成、部分完成、推进中、未完成写在此后报告数据文件的 evidence 中，"
                          "附那份报告的原文；未再提及和尚无后续报告由构建判断"),
))

EVIDENCE = Shape((
    Key("commitment", required=True), Key("quote", required=True), Key("status", required=True), Key("note"),
    Key("proposed"),  # why annals proposed the status: for the editor, never published
    Key("part", PARSED),  # which part of a promise with parts it answers (1 for the first); none: every part
    Key("review", PARSED),
))

# An earlier promise this report was searched for: with no evidence on it here, the report does not answer it
# (once an editor has removed the review mark, having decided the candidates).
SEARCHED = Shape((Key("commitment", required=True), Key("review", PARSED)))


def read_entry(node: Node, shape: Shape, shown: str, out: Collector) -> dict[str, Any]:
    """The entry's values by key, as its shape declares them: text stripped, flags and lists of text checked,
    the rest as written; a key that is missing (or null) or wrong is not in the result, and its problem is in
    ``out``."""
    declared = {key.name: key for key in shape.keys}
    for name in node:
        key = declared.get(name)
        if key is None:
            out.add(shown, node.line_of(name), f"未知的键 “{name}”；可用的键：{'、'.join(sorted(shape.names))}")
        elif key.refused:
            out.add(shown, node.line_of(name), key.refused)
    values: dict[str, Any] = {}
    for key in shape.keys:
        if key.refused:
            continue
        raw = node.get(key.name)
        if raw is None:
            if key.required:
                out.add(shown, 1 if shape.missing_at_top else node.line,
                        key.missing or shape.missing.format(key=key.name))
            continue
        if key.kind == TEXT:
            if isinstance(raw, (dict, list)):
                out.add(shown, node.line_of(key.name), f"“{key.name}” 应为文字，不能是列表或映射（'{key.name}' must be text）")
            else:
                values[key.name] = str(raw).strip()
        elif key.kind == FLAG:
            if isinstance(raw, bool):
                values[key.name] = raw
            else:
                out.add(shown, node.line_of(key.name), f"{key.name} 应为 true、false 或不填")
        elif key.kind == TEXTS:
            if isinstance(raw, list) and all(isinstance(p, str) and p for p in raw):
                values[key.name] = tuple(raw)
            else:
                out.add(shown, node.line_of(key.name), f"{key.name} 应为文字列表，如 [城镇新增就业]")
        else:
            values[key.name] = raw
    return values


# ------------------------------------------------------------------ the records they are read into


@dataclass(frozen=True)
class Bureau:
    id: str
    name: str
    short_name: str
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    group: str
    higher_is_better: bool | None
    phrases: tuple[str, ...]
    headline: bool = False
    definition: str = ""
    # What values can be: a share in % is within [0, 100]; a count or amount is never negative.
    bounds: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class Report:
    src: str  # docs-relative, e.g. reports/2021/xupu-edu-h1-midyear-summary.md
    bureau: str
    year: int
    period: Period
    kind: str
    title: str
    date: str  # as written: YYYY-MM-DD, YYYY-MM or YYYY
    source: dict[str, str]
    lines: tuple[str, ...] = field(repr=False)  # the body as plain text, line by line
    body: str = field(default="", repr=False, compare=False)  # the Markdown body, as MkDocs reads it

    @property
    def slug(self) -> str:
        return PurePosixPath(self.src).stem

    def find_quote(self, quote: str) -> tuple[int, int] | None:
        """(line index, offset) of the quote in the plain body, or None."""
        return find_in_lines(self.lines, quote)


@dataclass(frozen=True)
class Figure:
    path: str  # the figures file, repo-relative
    line: int
    report: str  # Report.src
    indicator: str
    type: str  # result | target
    period: Period
    value: Value  # number, (low, high), or a redaction mark such as "xx"
    unit: str  # as stated in the quote
    scale: float  # multiply value by this to get the indicator's unit
    qualifier: str | None
    quote: str
    span: tuple[int, int]  # of the number within the quote
    note: str = ""
    basis: str = ""  # 口径 when it is not the indicator's own definition, e.g. 2013—2017年年均

    @property
    def measures(self) -> tuple[str, str, str]:
        """What the figure measures: indicator, period and basis (two reports may state the same)."""
        return (self.indicator, self.period.key, self.basis)

    @property
    def disclosed(self) -> bool:
        return not isinstance(self.value, str)

    @cached_property  # asked for ~800 times a report's worth of pages: comparisons, tables, charts
    def number(self) -> float | None:
        """The value in the indicator's unit (a range's midpoint), or None if not disclosed."""
        if isinstance(self.value, str):
            return None
        if isinstance(self.value, tuple):
            return (self.value[0] + self.value[1]) / 2 * self.scale
        return self.value * self.scale

    @property
    def stated(self) -> str:
        """The number as the report states it, e.g. ``6.5%－7%`` or ``1.35万亿元``."""
        return self.quote[self.span[0] : self.span[1]]


@dataclass(frozen=True)
class Promise:
    """A commitment in words of one report."""

    path: str  # the figures file, repo-relative
    line: int
    report: str  # Report.src of the plan
    id: str  # unique in its file
    label: str
    quote: str
    period: Period
    topic: str = ""
    indicator: str = ""
    note: str = ""
    parts: tuple[str, ...] = ()  # the labels of its parts, each judged on its own; () one whole promise

    @property
    def ref(self) -> str:
        """How evidence names it: the figures file's path under data/figures without .yml, then #id."""
        return ref_of(self.report, self.id)


@dataclass(frozen=True)
class Evidence:
    """A passage of a later report that answers a commitment, with the status it supports."""

    path: str
    line: int
    report: str  # Report.src of the answering report
    commitment: str  # Promise.ref
    quote: str
    status: str  # kept, partly, underway or missed: the codes of annals.data.vocab.EVIDENCE_STATUS
    note: str = ""
    part: int = 0  # the part of the promise it answers, from 1; 0 the whole promise (every part)


@dataclass(frozen=True)
class Searched:
    """An earlier promise a report was searched for, decided by an editor: with no evidence, it is not answered there."""

    path: str
    line: int
    report: str  # Report.src of the report searched
    commitment: str  # Promise.ref


@dataclass(frozen=True)
class Refs:
    """What a page may name by id: issuers, indicators and reports, and where each figure's number is in its
    report's page (its anchor). The catalogues a block looks names up in, not the archive's figures or indexes."""

    bureaus: Mapping[str, Bureau]
    indicators: Mapping[str, Indicator]
    reports: Mapping[str, Report]
    anchors: Mapping[Figure, str]

    def report_of(self, figure: Figure) -> Report:
        return self.reports[figure.report]
