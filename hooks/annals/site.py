"""Which page gets which content: generated pages, report pages, markers.

A hand-written page asks for a generated block with a marker on a line of its
own, e.g. ``<!-- annals:latest -->``. Invisible when the hooks are off,
greppable, and an unknown marker is an error rather than a silent gap.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import promise_pages, publish, render
from .errors import DataError, Problem
from .model import Archive

MARKER_RE = re.compile(r"^<!--\s*annals:([a-z-]+)(?:\s+(\S+?))?\s*-->[ \t]*$", re.M)


def generated_pages(archive: Archive) -> dict[str, str]:
    """Source path → Markdown of every page the archive generates."""
    pages = {render.indicator_src(i): f"<!-- annals:indicator {i} -->\n" for i in archive.indicators}
    pages.update({render.year_src(y): f"<!-- annals:year {y} -->\n" for y in render.years_of(archive)})
    used = {r.bureau for r in archive.reports.values()}
    pages.update({render.bureau_src(b): f"<!-- annals:bureau {b} -->\n" for b in archive.bureaus if b in used})
    pages[render.SEARCH_SRC] = "<!-- annals:search -->\n"
    pages[render.SAID_SRC] = "<!-- annals:said -->\n"
    pages[render.PLAN_SRC] = "<!-- annals:commitments -->\n"
    pages.update(promise_pages.issuer_pages(archive))
    pages[render.OPEN_DATA_SRC] = "<!-- annals:opendata -->\n"
    return pages


def _block(name: str, arg: str, src: str, archive: Archive) -> str:
    """The content of one marker; KeyError for an unknown marker or argument."""
    if name == "indicator":
        if arg not in archive.indicators:
            raise KeyError(f"指标 “{arg}” 不存在")
        return render.indicator_page(archive.indicators[arg], archive)
    if name == "year":
        if not arg.isdigit() or int(arg) not in render.years_of(archive):
            raise KeyError(f"没有 {arg} 年的报告")
        return render.year_page(int(arg), archive)
    if name == "bureau":
        if arg not in archive.bureaus:
            raise KeyError(f"发布机关 “{arg}” 不存在")
        return render.bureau_page(arg, archive)
    if name == "promises":
        if arg not in archive.bureaus:
            raise KeyError(f"发布机关 “{arg}” 不存在")
        return promise_pages.tracker_page(archive, src, arg)
    page_blocks = {
        "archive": render.archive_index,
        "latest": render.latest_reports,
        "headlines": render.headline_indicators,
        "indicators": render.indicators_index,
        "search": lambda _src, archive: render.search_page(archive),
        "said": lambda _src, archive: render.said_page(archive),
        "commitments": lambda _src, archive: promise_pages.tracker_page(archive),
        "promises-summary": promise_pages.summary,
        "opendata": lambda _src, archive: publish.open_data_page(archive),
    }
    return page_blocks[name](src, archive)


MARKERS = ("indicator", "year", "bureau", "promises", "archive", "latest", "headlines", "indicators", "search", "said", "commitments",
           "promises-summary", "opendata")


def expand_markers(markdown: str, src: str, archive: Archive, shown: str) -> str:
    """Replace each ``<!-- annals:… -->`` marker with its block."""
    problems: list[Problem] = []

    def replace(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2) or ""
        line = markdown.count("\n", 0, m.start()) + 1
        if name not in MARKERS:
            problems.append(Problem(shown, line, f"未知的标记 annals:{name}；可用：{'、'.join(MARKERS)}（unknown marker）"))
            return m.group(0)
        try:
            return _block(name, arg, src, archive)
        except KeyError as exc:
            problems.append(Problem(shown, line, f"标记 annals:{name} 的参数有误：{exc.args[0]}，请改正（bad marker argument）"))
            return m.group(0)

    out = MARKER_RE.sub(replace, markdown)
    if problems:
        raise DataError(problems)
    return out


def render_page(markdown: str, src: str, archive: Archive, shown: str) -> str:
    """The Markdown a page is built from, given its own Markdown and source path."""
    report = archive.reports.get(src)
    if report is not None:
        return render.report_page(markdown, report, archive, tuple(promise_pages.report_sections(report, archive)))
    return expand_markers(markdown, src, archive, shown)


def check_pages(archive: Archive, docs_dir: Path, project_dir: Path) -> list[Problem]:
    """Problems in the markers of the hand-written pages, found before anything is written."""
    problems: list[Problem] = []
    for page in sorted(docs_dir.rglob("*.md")):
        src = page.relative_to(docs_dir).as_posix()
        if src in archive.reports:
            continue
        text = page.read_text(encoding="utf-8-sig")
        if "annals:" in text:
            try:
                expand_markers(text, src, archive, page.relative_to(project_dir).as_posix())
            except DataError as exc:
                problems.extend(exc.problems)
    return problems


# ------------------------------------------------- generated HTML past Markdown

_BLOCK_START = re.compile(r"<(?:div|table|dl|details|figure|svg|p|ul|ol|section|nav|form|h[1-6])\b(?![^>]*\bmarkdown\b)")
_PLACEHOLDER = "ANNALSBLOCK{}X"
# A figure's linked number (render.link_figures) whose text has no Markdown to convert.
_INLINE = re.compile(r'<a class="annals-fig" [^>]*>[^\\`*_\[\]<>&!{}\n]*</a>')
_INLINE_PLACEHOLDER = "ANNALSINLINE{}X"
_PLACEHOLDER_P = re.compile(r"<p>ANNALSBLOCK(\d+)X</p>|ANNALSINLINE(\d+)X")
_ID = re.compile(r"""\sid=["']([^"']+)""")


def stash_blocks(markdown: str) -> tuple[str, list[str]]:
    """Take the HTML blocks the hooks generated out of a page's Markdown.

    Python-Markdown would parse each one with its HTML parser (md_in_html) and
    MkDocs again (to find anchors): most of a page's build time for what is
    already HTML. Each block is a paragraph of its own that starts with a tag;
    a placeholder paragraph stands in for it until ``unstash_blocks``. A
    figure's linked number (``a.annals-fig``) is stashed the same way, in line,
    unless it is in a heading or has Markdown in it.
    """
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


def block_ids(blocks: list[str]) -> set[str]:
    """The anchors inside stashed blocks, for MkDocs' check of links to them."""
    return {m.group(1) for block in blocks for m in _ID.finditer(block)}


_STYLE = re.compile(r"<style data-annals>\n?(.*?)</style>\n?", re.S)


def take_styles(html: str) -> tuple[str, str]:
    """A generated page's HTML without its own style rules (``<style data-annals>``: the tracker's filters), and
    the rules, for the page's <head> (a style element in the body works, but is not HTML)."""
    rules = [m.group(1) for m in _STYLE.finditer(html)]
    return (_STYLE.sub("", html), "".join(rules)) if rules else (html, "")
