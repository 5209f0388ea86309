"""Which page gets which content: generated pages, report pages, markers.

A hand-written page asks for a generated block with a marker on a line of its
own, e.g. ``<!-- annals:latest -->``. Invisible when the hooks are off,
greppable, and an unknown marker is an error rather than a silent gap.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import render
from .errors import DataError, Problem
from .model import Archive

MARKER_RE = re.compile(r"^<!--\s*annals:([a-z-]+)(?:\s+(\S+?))?\s*-->[ \t]*$", re.M)


def generated_pages(archive: Archive) -> dict[str, str]:
    """Source path → Markdown of every page the archive generates."""
    pages = {render.indicator_src(i): f"<!-- annals:indicator {i} -->\n" for i in archive.indicators}
    pages.update({render.year_src(y): f"<!-- annals:year {y} -->\n" for y in render.years_of(archive)})
    used = {r.bureau for r in archive.reports.values()}
    pages.update({render.bureau_src(b): f"<!-- annals:bureau {b} -->\n" for b in archive.bureaus if b in used})
    return pages


def _blocks(archive: Archive, src: str) -> dict[str, Callable[[str], str]]:
    def need(kind: str, table: dict[str, object]) -> Callable[[str], str]:
        def check(arg: str) -> str:
            if arg not in table:
                raise KeyError(f"{kind} “{arg}” 不存在")
            return arg

        return check

    indicator = need("指标", dict(archive.indicators))
    bureau = need("发布机关", dict(archive.bureaus))
    years = {str(y): y for y in render.years_of(archive)}
    return {
        "indicator": lambda a: render.indicator_page(archive.indicators[indicator(a)], archive),
        "year": lambda a: render.year_page(years[need("年份", dict(years))(a)], archive),
        "bureau": lambda a: render.bureau_page(bureau(a), archive),
        "archive": lambda a: render.archive_index(src, archive),
        "latest": lambda a: render.latest_reports(src, archive),
        "headlines": lambda a: render.headline_indicators(src, archive),
        "indicators": lambda a: render.indicators_index(src, archive),
    }


def expand_markers(markdown: str, src: str, archive: Archive, shown: str) -> str:
    """Replace each ``<!-- annals:… -->`` marker with its block."""
    blocks = _blocks(archive, src)
    problems: list[Problem] = []

    def replace(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2) or ""
        line = markdown.count("\n", 0, m.start()) + 1
        if name not in blocks:
            problems.append(Problem(shown, line, f"未知的标记 annals:{name}；可用：{'、'.join(blocks)}（unknown marker）"))
            return m.group(0)
        try:
            return blocks[name](arg)
        except KeyError as exc:
            problems.append(Problem(shown, line, f"标记 annals:{name} 的参数有误：{exc.args[0]}（bad marker argument）"))
            return m.group(0)

    out = MARKER_RE.sub(replace, markdown)
    if problems:
        raise DataError(problems)
    return out


def render_page(markdown: str, src: str, archive: Archive, shown: str) -> str:
    """The Markdown a page is built from, given its own Markdown and source path."""
    report = archive.reports.get(src)
    if report is not None:
        return render.report_page(markdown, report, archive)
    return expand_markers(markdown, src, archive, shown)
