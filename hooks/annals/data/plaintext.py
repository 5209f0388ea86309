"""Markdown lines as a reader sees them: a report's front matter split off, each line's plain words
(no heading marks, ids or escapes) and, where a link must go round a number, where each character came from.

Quotes are looked up in these plain lines, the search indexes them and the importer writes them back: one
definition for all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from annals.data.errors import DataError, Problem
from annals.data.outline import HEADING_MARKS

# Characters of no width: a reader sees nothing where they stand.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
_ATTR_RE = re.compile(r"\s*\{[^{}]*\}\s*$")


def plain_map(md: str) -> tuple[str, list[int]]:
    """A Markdown line as the reader sees its words (no heading marks, ids or
    escapes), and for each of its characters the index it has in ``md``."""
    heading = HEADING_MARKS.match(md)
    i = heading.end() if heading else 0
    attr = _ATTR_RE.search(md)
    end = attr.start() if attr else len(md)
    chars: list[str] = []
    index: list[int] = []
    while i < end:
        entity = _ENTITY.match(md, i) if md[i] == "&" else None
        if entity and entity.end() <= end:
            chars.append(html.unescape(entity.group()))
            index.append(i)
            i = entity.end()
            continue
        if md[i] == "\\" and i + 1 < end:
            i += 1
        chars.append(md[i])
        index.append(i)
        i += 1
    return "".join(chars), index


_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_ESCAPED = re.compile(r"\\(.)|" + _ENTITY.pattern, re.S)


def _unescape(m: re.Match[str]) -> str:
    return m.group(1) if m.group(1) is not None else html.unescape(m.group())


def plain_line(md: str) -> str:
    """``plain_map(md)[0]``, without the index: the hot path of loading and indexing."""
    text = md
    if "{" in md or md.startswith("#"):  # most lines have neither heading marks nor ids: no regexes for them
        heading = HEADING_MARKS.match(md)
        attr = _ATTR_RE.search(md)
        text = md[heading.end() if heading else 0 : attr.start() if attr else len(md)]
    return _ESCAPED.sub(_unescape, text) if "\\" in text or "&" in text else text


_TAG = re.compile(r"<[^>]*>")


def heading_text(md: str) -> str:
    """A heading's words as a reader sees them, and as MkDocs takes a title or a table of contents entry:
    escapes undone, tags (a figure's link) dropped."""
    return _TAG.sub("", plain_line(md))


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter YAML, body, body's first line number)."""
    if not text.startswith("---"):
        raise DataError([Problem(shown, 1, "缺少开头的 front matter；请在文件开头写上 --- 包围的 bureau、year 等信息（见 README）")])
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        raise DataError([Problem(shown, 1, "front matter 没有结束的 ---；请在 front matter 最后一行之后加一行 ---")])
    yaml_text = m.group(1) or ""
    return yaml_text, text[m.end() :], text[: m.end()].count("\n") + 1


def find_in_lines(lines: Sequence[str], quote: str) -> tuple[int, int] | None:
    """(line index, offset) of the first occurrence of a quote; quotes never span lines."""
    for i, line in enumerate(lines):
        at = line.find(quote)
        if at >= 0:
            return i, at
    return None


_MD_LINE_START = re.compile(r"^(\s*)([#>+*-]|\d+(?=[.)]))")
# Braces too: attr_list reads "{: onfocus=… }" after a heading or paragraph as attributes.
_MD_INLINE = re.compile(r"([\\`*_\[\]{}>|])")


def escape_md(text: str, *, line_start: bool = True) -> str:
    """Escape what Markdown would read as syntax, so the text shows as written.

    ``<`` and ``&`` become entities: Python-Markdown has no backslash escape for
    ``<``, and ``\\<script>`` would reach the page as a tag.
    """
    text = _MD_INLINE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    if not line_start:
        return text
    # "- x" as \- x; "1. x" as 1\. x (a backslash before the digit would show)
    return _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit() else m.group(2) + "\\"), text)
