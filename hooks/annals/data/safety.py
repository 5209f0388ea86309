"""Report text is text: what in it would become markup, and the last line of defence.

Markdown is not only HTML. An attribute list (``{: onfocus=… }``) puts any
attribute on the element before it, a link can go to ``javascript:``, an image
makes the reader's browser ask another host. ``markup_in`` finds these in a
line of report text, so that the checks refuse them with their line.
``SafeMarkdown`` is a Python-Markdown extension that the build adds to every
page: after all other tree work, it keeps only attributes that cannot run or
fetch anything, drops links to other schemes and turns images from other hosts
into their words, and says what it did (a warning: ``--strict`` fails). It sees
what Markdown made, not the HTML blocks the hooks generate (those escape every
string), nor raw HTML a bureau wrote in its own pages.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from annals.data.errors import Problem

# An unescaped brace pair on one line: attr_list reads one after a heading, at a paragraph's end, or
# right after an inline element. Reports written by `annals import` have every brace escaped.
_ATTR_LIST = re.compile(r"(?<!\\)\{[^{}\n]*\}")
# [text](target) and ![alt](target); [label]: target (a reference definition).
_INLINE_TARGET = re.compile(r"(?<!\\)(!?)\[(?:[^\[\]\n]|\\.)*\]\(\s*<?([^)\s>]*)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[(?:[^\[\]\n]|\\.)+\]:\s*<?([^\s>]+)")
_IMAGE_REF = re.compile(r"(?<!\\)!\[(?:[^\[\]\n]|\\.)*\]\s*\[")
LINK_SCHEMES = {"http", "https", "mailto"}

# What Markdown may leave on an element: none of these runs script or fetches anything by itself.
SAFE_ATTRIBUTES = {"id", "class", "href", "src", "alt", "title", "colspan", "rowspan"}
_ALIGN = re.compile(r"text-align:\s*(left|right|center);?")  # the tables extension's only style


def _scheme(target: str) -> str:
    """The scheme a browser would see in a link target ('' for a relative one), after entities and the
    whitespace and controls browsers strip: ``&#106;avascript:`` and ``java\\tscript:`` are javascript."""
    url = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(target))
    return urlsplit(url).scheme.lower() if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url) else ""


def _remote(target: str) -> bool:
    """A target elsewhere than the site's own origin: any scheme, or ``//host``."""
    url = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(target)).replace("\\", "/")
    return bool(_scheme(target)) or url.startswith("//")


def markup_in(line: str) -> str | None:
    """What in one line of report text Markdown would turn into attributes, a link to another scheme or
    an image from another host, as the reader should be told; None when the line is text."""
    if m := _ATTR_LIST.search(line):
        return f"属性列表 “{m.group()}”（Markdown 会把它变成 HTML 属性）"
    for m in _INLINE_TARGET.finditer(line):
        image, target = m.group(1), m.group(2)
        if image and _remote(target):
            return f"外部图片 “{m.group()}”（读者的浏览器会向其他网站请求它）"
        if not image and _scheme(target) not in LINK_SCHEMES | {""}:
            return f"链接 “{m.group()}”（只能链接到 http、https 或 mailto）"
    if (m := _REFERENCE.match(line)) and _scheme(m.group(1)) not in LINK_SCHEMES | {""}:
        return f"链接定义 “{m.group()}”（只能链接到 http、https 或 mailto）"
    if m := _IMAGE_REF.search(line):  # its target is defined elsewhere: an image by reference is refused
        return f"图片引用 “{m.group()}”"
    return None


class _Neutralise(Treeprocessor):
    def __init__(self, md: Markdown, found: list[str]):
        super().__init__(md)
        self.found = found

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for name in list(el.attrib):
                value = el.attrib[name]
                if name == "style" and _ALIGN.fullmatch(value.strip()):
                    continue
                if name not in SAFE_ATTRIBUTES:
                    self.found.append(f"<{el.tag} {name}=…>")
                    del el.attrib[name]
                elif name == "href" and _scheme(value) not in LINK_SCHEMES | {""}:
                    self.found.append(f"<{el.tag} href=“{value[:40]}”>")
                    del el.attrib[name]
            if el.tag == "img" and _remote(el.get("src", "")):
                self.found.append(f"<img src=“{el.get('src', '')[:60]}”>")
                alt = el.get("alt", "")
                el.tag, el.text = "span", alt
                el.attrib.clear()


class SafeMarkdown(Extension):
    """Add to a page's Markdown; ``found`` lists what was neutralised since it was last emptied."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After attr_list (8) and toc (5), before MkDocs makes links relative (0).
        md.treeprocessors.register(_Neutralise(md, self.found), "annals-safe", 2)


def makeExtension(**kwargs: object) -> SafeMarkdown:  # noqa: N802 (Python-Markdown's name: `- annals.data.safety` in mkdocs.yml)
    return SafeMarkdown()


# ------------------------------------------------------------------ nesting

# How deep a page may nest: a report's outline has four levels (一、 （一） 1. （1））; a hand-written page's
# lists and quotes need a few. Past this a page shows nothing a reader can follow, and Python-Markdown,
# depending on its release, truncates silently (1,000 list levels publish as 223), takes minutes (indented
# lists are quadratic) or overflows the stack: annals' own rule refuses it first, whatever the release.
MOST_LEVELS = 10
MOST_OPEN_EMPHASIS = 20  # * and _ not yet closed in one paragraph (*** opens two levels with three marks)

# A line's leading containers: list markers and quote marks, after its indentation.
_CONTAINERS = re.compile(r"[ \t]*((?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]*)*)")
_CONTAINER = re.compile(r"[-*+](?:[ \t]+|$)|\d{1,9}[.)](?:[ \t]+|$)|>[ \t]*")
# Lines that could be nested at all: indented, or opening with two containers. Most reports have none.
_MAYBE_NESTED = re.compile(r"^(?: {4}|\t|[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*){2})", re.M)
_DELIMITER_RUN = re.compile(r"(?<!\\)(?:\*+|_+)")


def _levels(line: str) -> int:
    """How many lists and quotes a line sits in: its indentation (four columns a level) and the markers opening it."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    markers = _CONTAINERS.match(expanded)
    return indent // 4 + (len(_CONTAINER.findall(markers.group(1))) if markers else 0)


def _open_emphasis(line: str, carried: int) -> tuple[int, int]:
    """The most * and _ open at once in a line, and how many are open at its end, from ``carried`` open
    before it: a run that can only open adds its marks, one that can only close takes them away, one
    between two words closes what is open or else opens."""
    most = opened = carried
    for m in _DELIMITER_RUN.finditer(line):
        before = line[m.start() - 1] if m.start() else " "
        after = line[m.end()] if m.end() < len(line) else " "
        opens, closes = not after.isspace(), not before.isspace()
        if closes and (opened or not opens):
            opened = max(0, opened - len(m.group()))
        elif opens:
            opened += len(m.group())
            most = max(most, opened)
    return most, opened


def nesting_problems(body: str, first_line: int, shown: str) -> list[Problem]:
    """The lines of a page's Markdown that nest deeper than a page can sanely show, each once."""
    problems: list[Problem] = []
    if _MAYBE_NESTED.search(body):
        deep = [(n, levels) for n, line in enumerate(body.split("\n"), first_line) if (levels := _levels(line)) > MOST_LEVELS]
        if deep:
            n, _ = deep[0]
            more = f"（此后还有 {len(deep) - 1} 行）" if len(deep) > 1 else ""
            problems.append(Problem(shown, n, f"列表或引用套了 {max(d for _, d in deep)} 层，超过了 {MOST_LEVELS} 层，读者无法看清{more}；"
                                              "请检查行首连续的 - * + > 1. 符号和缩进（每 4 个空格算一层）"))
    if "*" in body or "_" in body:
        opened = 0
        for n, line in enumerate(body.split("\n"), first_line):
            if not line.strip():
                opened = 0  # a blank line ends the paragraph and what it left open
            elif "*" in line or "_" in line:
                most, opened = _open_emphasis(line, opened)
                if most > MOST_OPEN_EMPHASIS:
                    problems.append(Problem(shown, n, f"强调符号 * 或 _ 套了 {most} 层没有结束，超过了 {MOST_OPEN_EMPHASIS} 层；"
                                                      "请删去多余的 * _，或在原文的 * _ 前加 \\"))
                    opened = 0  # told once; the rest of the paragraph is judged afresh
    return problems
