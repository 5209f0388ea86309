"""Generated HTML past Markdown: a Python-Markdown extension that keeps annals' blocks out of the parser.

Each block annals generates is a paragraph of its own that starts with a tag (``<div class="annals-…``,
``<table``, ``<svg`` …). Python-Markdown would parse each one with its HTML parser (md_in_html) and, where
it is not a block-level tag, wrap it in ``<p>``: most of a page's conversion for what is already HTML. The
extension puts a placeholder paragraph in its place before Markdown reads the page and the block back after,
as written. A figure's linked number (``a.annals-fig``) is kept the same way, in line, unless it is in a
heading or has Markdown in it.

The build with annals' hooks adds it to every page; a hook-less engine loads it by name from the
``mkdocs.yml`` that ``annals render`` writes (``- annals.pages.blocks``), so both make the same HTML. The
hooks run it before MkDocs scans the page's raw HTML for anchors (and add the blocks' ids themselves, which
is cheaper); by name it runs after that scan, which then finds them.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

_BLOCK_START = re.compile(r"<(?:div|table|dl|details|figure|svg|p|ul|ol|section|nav|form|h[1-6])\b(?![^>]*\bmarkdown\b)")
_PLACEHOLDER = "ANNALSBLOCK{}X"
# A figure's linked number (pages.render.link_figures) whose text has no Markdown to convert.
_INLINE = re.compile(r'<a class="annals-fig" [^>]*>[^\\`*_\[\]<>&!{}\n]*</a>')
_INLINE_PLACEHOLDER = "ANNALSINLINE{}X"
_PLACEHOLDER_P = re.compile(r"<p>ANNALSBLOCK(\d+)X</p>|ANNALSINLINE(\d+)X")
_ID = re.compile(r"""\sid=["']([^"']+)""")

# After Python-Markdown's whitespace normalisation (30) and, by default, MkDocs' scan of raw HTML for anchors
# (21); before the raw HTML parser (20).
AFTER_ANCHOR_SCAN = 20.5
BEFORE_ANCHOR_SCAN = 25


def stash_blocks(markdown: str) -> tuple[str, list[str]]:
    """A page's Markdown with annals' blocks and linked figures taken out, and what was taken."""
    blocks: list[str] = []

    def stash_inline(m: re.Match[str]) -> str:
        blocks.append(m.group())
        return _INLINE_PLACEHOLDER.format(len(blocks) - 1)

    chunks = markdown.split("\n\n")
    for n, chunk in enumerate(chunks):
        if _BLOCK_START.match(chunk):
            chunks[n] = _PLACEHOLDER.format(len(blocks))
            blocks.append(chunk)
        elif 'class="annals-fig"' in chunk:  # headings stay as they are: the outline shows their text
            chunks[n] = "\n".join(line if line.startswith("#") else _INLINE.sub(stash_inline, line) for line in chunk.split("\n"))
    return "\n\n".join(chunks), blocks


def unstash_blocks(html: str, blocks: list[str]) -> str:
    return _PLACEHOLDER_P.sub(lambda m: blocks[int(m.group(1) or m.group(2))], html) if blocks else html


def anchor_ids(html: str) -> set[str]:
    """The ids in a page's HTML (for MkDocs' check of links to anchors that its scan did not see)."""
    return set(_ID.findall(html))


class _Stash(Preprocessor):
    def __init__(self, md: Markdown, kept: list[str]):
        super().__init__(md)
        self.kept = kept

    def run(self, lines: list[str]) -> list[str]:
        stashed, blocks = stash_blocks("\n".join(lines))
        self.kept[:] = blocks
        return stashed.split("\n")


class _Unstash(Postprocessor):
    def __init__(self, md: Markdown, kept: list[str]):
        super().__init__(md)
        self.kept = kept

    def run(self, text: str) -> str:
        return unstash_blocks(text, self.kept)


class GeneratedBlocks(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"priority": [AFTER_ANCHOR_SCAN, "when the blocks are taken out, among the preprocessors"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        kept: list[str] = []  # one page's blocks: a Markdown instance converts one page at a time
        md.preprocessors.register(_Stash(md, kept), "annals-blocks", float(self.getConfig("priority")))
        md.postprocessors.register(_Unstash(md, kept), "annals-blocks", 0)  # the last: the blocks as written


def makeExtension(**kwargs: Any) -> GeneratedBlocks:  # noqa: N802 (Python-Markdown's name)
    return GeneratedBlocks(**kwargs)
