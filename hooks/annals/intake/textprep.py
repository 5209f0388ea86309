"""Plain report text in, faithful Markdown out.

Two steps, both pure functions:

* :func:`clean` removes scraping debris (document-site banners, page markers
  that cut sentences, page footers, "read more" tails, zero-width spaces) and
  returns a list of what it removed, so the user can be told.
* :func:`to_markdown` turns the Chinese outline (一、 （一） 1. （1）) into
  Markdown headings and every other line into a paragraph. It never changes a
  word: the only characters it adds are Markdown syntax (``#``, escapes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annals.data.plaintext import escape_md
from annals.data.yamlio import CONTROL, INVISIBLE  # the one definition of what no text may hold

__all__ = ["Cleaned", "Removal", "clean", "to_markdown", "split_title", "cjk_runs"]


_ZW_RE = INVISIBLE  # zero-width characters, bidi controls, the soft hyphen: no report means them

# A document-sharing site's header: 《name.docx》由会员分享,可在线阅读,……上搜索。
_SITE_HEADER_RE = re.compile(r"^《(?P<name>[^》]+?)(?:\.docx?|\.pdf|\.txt)?》由会员分享.*$")
_PAGE_FOOTER_RE = re.compile(r"第\s*\d+\s*页\s*共\s*\d+\s*页")
_SOURCE_FOOTER_RE = re.compile(r"本文来源[:：][^\n]*?(?:谢谢[!！。]?|$)")
_TIMESTAMP_LINE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+\d+)?$")
_URL = r"(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org)(?:/\S*)?"
# A line that is only a site's name and address, e.g. 某某范文宝典:www.example.com
_BANNER_LINE_RE = re.compile(rf"^[^。，,；;]{{0,30}}[:：]?\s*{_URL}$")
_READ_MORE = "阅读全文"
_TEASER = "文章导读"
_PAGE_MARKER_RE = re.compile(r"^(\d{1,3})、")


@dataclass(frozen=True)
class Removal:
    """One kind of debris removed, every piece of it."""

    what: str
    items: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def example(self) -> str:
        return self.items[0]


@dataclass
class Cleaned:
    text: str
    removals: list[Removal] = field(default_factory=list)

    def summary(self) -> str:
        if not self.removals:
            return "未发现需清理的内容"
        parts = [f"{r.what} ×{r.count}（如：{_short(r.example)}）" for r in self.removals]
        return "已清理：" + "；".join(parts)


def _short(s: str, n: int = 30) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[:n] + "…"


def clean(raw: str) -> Cleaned:
    """Remove scraping debris from a report's plain text.

    Only debris goes: what is left is the report, every word in order.
    """
    removals: list[Removal] = []

    def note(what: str, items: list[str]) -> None:
        if items:
            removals.append(Removal(what, tuple(items)))

    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    zw = _ZW_RE.findall(text)
    text = _ZW_RE.sub("", text)
    note("看不见的字符：零宽字符、BOM、双向文字控制符", [f"U+{ord(c):04X}" for c in zw])
    controls = CONTROL.findall(text)  # a form feed between pages, a stray escape: no reader sees them, XML cannot hold them
    text = CONTROL.sub("", text)
    note("控制字符", [f"U+{ord(c):04X}" for c in controls])

    lines = [line.rstrip() for line in text.split("\n")]

    # Everything from a bare 阅读全文 on is the site's page, not the report.
    for i, line in enumerate(lines):
        if line.strip() == _READ_MORE:
            tail = [x for x in lines[i:] if x.strip()]
            note("“阅读全文”及其后的网站内容", ["\n".join(tail)])
            lines = lines[:i]
            break

    site_names: list[str] = []
    kept: list[str] = []
    dropped_header: list[str] = []
    dropped_banner: list[str] = []
    dropped_stamp: list[str] = []
    dropped_teaser: list[str] = []
    skip_next_teaser = False
    for line in lines:
        stripped = line.strip()
        if skip_next_teaser and stripped:
            dropped_teaser.append(stripped)
            skip_next_teaser = False
            continue
        m = _SITE_HEADER_RE.match(stripped)
        if m:
            site_names.append(m.group("name"))
            dropped_header.append(stripped)
            continue
        if stripped == _TEASER:
            dropped_teaser.append(stripped)
            skip_next_teaser = True
            continue
        if _BANNER_LINE_RE.match(stripped):
            dropped_banner.append(stripped)
            continue
        if _TIMESTAMP_LINE_RE.match(stripped):
            dropped_stamp.append(stripped)
            continue
        kept.append(line)
    note("文档网站页头", dropped_header)
    note("网站横幅", dropped_banner)
    note("网站时间戳/阅读数", dropped_stamp)
    note("网站“文章导读”摘要", dropped_teaser)

    kept, markers = _join_page_markers(kept)
    note("切断句子的页码标记", markers)

    text = "\n".join(kept)
    footers = _SOURCE_FOOTER_RE.findall(text)
    text = _SOURCE_FOOTER_RE.sub("", text)
    note("网站来源声明", footers)
    pages = _PAGE_FOOTER_RE.findall(text)
    text = _PAGE_FOOTER_RE.sub("", text)
    note("“第N页 共N页”页脚", pages)

    # A document site repeats the file name before the document's own title.
    lines = text.split("\n")
    dup_titles: list[str] = []
    for name in site_names:
        for i, line in enumerate(lines):
            if line.strip():
                if line.startswith(name + " ") or line.startswith(name + "\u3000"):
                    dup_titles.append(name)
                    lines[i] = line[len(name) :].lstrip()
                break
    lines = _drop_prefixed_title_copies(lines, dup_titles)
    note("网站重复的文件名标题", dup_titles)

    text = "\n".join(line.rstrip() for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return Cleaned(text, removals)


def _drop_prefixed_title_copies(lines: list[str], dropped: list[str]) -> list[str]:
    """Drop a site's page title such as ``20210530:TITLE`` above the real ``TITLE``."""
    firsts = [i for i, line in enumerate(lines) if line.strip()][:12]
    for i in firsts:
        line = lines[i].strip()
        for j in firsts:
            other = lines[j].strip()
            if j > i and 4 <= len(other) < len(line) and line.endswith(other):
                prefix = line[: -len(other)]
                if re.fullmatch(r"[\d\s:：_\-.]+", prefix):
                    dropped.append(line)
                    lines[i] = ""
                    break
    return lines


def _join_page_markers(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove ``1、`` ``2、`` … that a site put at the start of each page.

    They come in an unbroken run 1, 2, 3 … on consecutive non-blank lines and
    cut sentences in half, so the lines are joined back without a break.
    """
    numbered = [(i, _PAGE_MARKER_RE.match(line)) for i, line in enumerate(lines)]
    run = [(i, m) for i, m in numbered if m]
    if len(run) < 3 or [int(m.group(1)) for _, m in run] != list(range(1, len(run) + 1)):
        return lines, []
    first, last = run[0][0], run[-1][0]
    if [i for i, _ in run] != list(range(first, last + 1)):  # a list has blank lines between items
        return lines, []
    between = lines[first : last + 1]
    cut = sum(1 for line in between[:-1] if line and line[-1] not in "。！？；：”」）)…")
    if cut * 2 < len(between) - 1:  # page breaks fall mid-sentence; list items end sentences
        return lines, []
    joined = "".join(line[m.end() :] for (_, m), line in zip(run, between, strict=True))
    markers = [m.group(0) for _, m in run]
    return lines[:first] + [joined] + lines[last + 1 :], markers


# ---------------------------------------------------------------- outline

_CN_NUM = "一二三四五六七八九十"
OUTLINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^[{_CN_NUM}]+、")),
    ("pcn", re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    ("num", re.compile(r"^\d{1,2}[.．、](?!\d)")),
    ("pnum", re.compile(r"^[（(]\d{1,2}[）)]")),
)
# Where a heading that runs into its text ends.
_SENTENCE_END = "。！？；："
_RUN_IN_RE = re.compile(r"一是|一要|一方面|首先")
_SECTION_WORD_RE = re.compile(r"工作(?:总结|回顾|重点|思路|设想|打算|计划|要点|安排)")
_INLINE_MARKER_RE = re.compile(rf"(?<=[。！？；])(?=[{_CN_NUM}]+、|[（(][{_CN_NUM}]+[）)])")
MAX_HEADING = 60
RUN_TOGETHER = 80  # a "line" this long may be paragraphs run together (split only after 。 before 一、/（一）)


def outline_kind(line: str) -> str | None:
    for kind, pattern in OUTLINE_PATTERNS:
        if pattern.match(line):
            return kind
    return None


def _split_heading(line: str, kind: str) -> tuple[str, str] | None:
    """Split ``（一）Heading。Text…`` into heading and text; None if not a heading."""
    marker_end = OUTLINE_PATTERNS[[k for k, _ in OUTLINE_PATTERNS].index(kind)][1].match(line)
    assert marker_end is not None
    start = marker_end.end()
    ends = [len(line)]
    for i, ch in enumerate(line[start:], start):
        if ch in _SENTENCE_END:
            ends.append(i + 1)
            break
    run_in = _RUN_IN_RE.search(line, start)
    if run_in and run_in.start() > start + 1:
        ends.append(run_in.start())
    nested = re.search(rf"[（(][{_CN_NUM}]+[）)]", line[start:])
    if nested and nested.start() > 1:
        ends.append(start + nested.start())
    if kind == "cn":
        word = _SECTION_WORD_RE.search(line, start)
        if word and word.end() < len(line) and line[word.end()] not in "，,、和及与":
            ends.append(word.end())
    end = min(ends)
    if end > MAX_HEADING:
        return None
    return line[:end].rstrip(), line[end:].lstrip()


_TITLE_WORD_RE = re.compile(r"总结|计划|报告|要点|打算|设想|思路|安排")


def split_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """Take the title off the top of a report, joining one broken over two lines."""
    idx = [i for i, line in enumerate(lines) if line.strip()]
    if not idx:
        return None, lines
    first = lines[idx[0]].strip()
    if outline_kind(first) or first[-1] in "：:！!":  # 各位代表！ addresses the hearers; it is not a title
        return None, lines
    if len(first) > MAX_HEADING or any(c in first for c in "。，,；：:"):
        # A title run into the first sentence: 某局年度工作总结一年来，……
        head = re.split(r"[。，,；：:]", first, maxsplit=1)[0][:MAX_HEADING]
        words = list(_TITLE_WORD_RE.finditer(head))
        if not words or words[-1].end() == len(first):
            return None, lines
        end = words[-1].end()
        rest = list(lines)
        rest[idx[0]] = first[end:]
        return first[:end], rest
    title, used = first, [idx[0]]
    if len(idx) > 1 and not _TITLE_WORD_RE.search(first[-2:]):
        second = lines[idx[1]].strip()
        if len(second) <= 10 and not re.search(r"[。，,；：:！!（(\d]", second):  # not 各位代表：
            title += second
            used.append(idx[1])
    rest = [line for i, line in enumerate(lines) if i not in used]
    return title, rest


# Paragraphs packed on one line, each opening with its indent: 。\u3000\u3000第二段
_PACKED_INDENT_RE = re.compile(r"[ \t]*\u3000{2,}[ \t\u3000]*")
_HIERARCHY = [kind for kind, _ in OUTLINE_PATTERNS]  # 一、 > （一） > 1. > （1）


def to_markdown(text: str) -> str:
    """Paragraphs and outline headings of cleaned text, as a Markdown body.

    Levels follow the numbering, 一、 above （一） above 1. above （1）, over the
    kinds the report uses: the highest is ``##`` (the title is the page's ``#``),
    the next ``###``, so a report of 一、 and 1. has no level missing.
    """
    paragraphs: list[str] = []
    for raw in text.split("\n"):
        for line in _PACKED_INDENT_RE.split(raw.strip()):
            line = line.strip()
            if not line:
                continue
            if len(line) > RUN_TOGETHER:
                paragraphs.extend(p for p in _INLINE_MARKER_RE.split(line) if p)
            else:
                paragraphs.append(line)

    blocks: list[tuple[str | None, str]] = []  # (outline kind of a heading, or None for a paragraph; its text)
    queue = list(paragraphs)
    while queue:
        para = queue.pop(0)
        kind = outline_kind(para)
        split = _split_heading(para, kind) if kind else None
        if kind and split:
            heading, rest = split
            blocks.append((kind, heading))
            if rest:
                queue.insert(0, rest)
            continue
        blocks.append((None, para))
    used = sorted({kind for kind, _ in blocks if kind}, key=_HIERARCHY.index)
    out = ["#" * (used.index(kind) + 2) + " " + escape_md(text, line_start=False) if kind else escape_md(text) for kind, text in blocks]
    return "\n\n".join(out) + "\n"


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def cjk_runs(text: str) -> list[str]:
    """Runs of Chinese characters, in order: what faithfulness is measured on."""
    return _CJK_RUN.findall(text)
