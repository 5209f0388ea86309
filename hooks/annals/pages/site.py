"""Which page gets which content: generated pages, report pages, markers.

A hand-written page asks for a generated block with a marker on a line of its
own, e.g. ``<!-- annals:latest -->``. Invisible when the hooks are off,
greppable, and an unknown marker is an error rather than a silent gap.

This is the one place that picks from the archive what a page shows (a year's
reports, an indicator's series by issuer, a report's targets and promises);
the render functions (annals.pages.render, annals.pages.promise_pages, annals.pages.publish)
are handed that, never the archive.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annals.archive.compare import change_of, latest_results, series
from annals.archive.model import Archive, load_archive
from annals.data.errors import DataError, Problem
from annals.data.plaintext import heading_text
from annals.data.routes import HOME_SRC, OPEN_DATA_SRC, PLAN_SRC, SAID_SRC, SEARCH_SRC, bureau_src, indicator_src, year_src
from annals.data.safety import nesting_problems
from annals.data.settings import Settings
from annals.pages import promise_pages, publish, render
from annals.pages.layout import Canvas, Layout
from annals.pages.links import Links

MARKER_RE = re.compile(r"^<!--\s*annals:([a-z-]+)(?:\s+(\S+?))?\s*-->[ \t]*$", re.M)


@dataclass
class Site:
    """One build's archive and how its pages are made: its settings, the block templates (the theme's
    folders first) and the pages' addresses (MkDocs' own, once it has them)."""

    archive: Archive
    settings: Settings
    layout: Layout = field(default_factory=Layout)
    links: Links = field(default_factory=Links)

    def canvas(self, src: str) -> Canvas:
        return Canvas(src, self.links, self.layout)


def prepare(project: Path, docs_dir: Path, settings: Settings, layout: Layout, read_only: list[Path]) -> Site:
    """The archive read and checked, and the hand-written pages' markers and nesting: one DataError with every
    problem, before anything is written. ``read_only``: other folders the build reads (the theme's custom_dir)."""
    site = Site(load_archive(project, docs_dir, project / "data", read_only), settings, layout)
    if problems := check_pages(site, docs_dir, project):
        raise DataError(problems)
    return site


_FIRST_HEADING = re.compile(r"\A\s*#[ \t]+(.*?)[ \t]*(?:\{[^{}\n]*\})?[ \t]*#*[ \t]*$", re.M)


def page_meta(src: str, site: Site, markdown: str, given: Mapping[str, object]) -> dict[str, object]:
    """What annals sets in a page's meta, whichever engine builds it (the hooks in page.meta, ``annals render`` in
    front matter), given the page's final Markdown and its own front matter: a report's title and the mark of an
    article; any other page's title from its first heading, as MkDocs takes it, unless the page names one; a
    description for a report or an indicator. Escaped: Material prints a meta title as HTML, and a title it
    takes itself through ``striptags``, which unescapes ``&lt;script&gt;`` into a tag."""
    archive = site.archive
    meta: dict[str, object] = {}
    report = archive.reports.get(src)
    if report is not None:
        meta["title"] = html.escape(report.title)
        meta["annals_report"] = True  # og:type article (overrides/main.html)
    elif "title" not in given and src not in HOME_SRC and (heading := _FIRST_HEADING.match(markdown)):
        meta["title"] = html.escape(heading_text(heading.group(1)))
    if described := publish.description(src, archive.refs, len(archive.figures_of(src))):
        meta["description"] = html.escape(described)
    return meta


def generated_pages(archive: Archive) -> dict[str, str]:
    """Source path → Markdown of every page the archive generates."""
    pages = {indicator_src(i): f"<!-- annals:indicator {i} -->\n" for i in archive.indicators}
    pages.update({year_src(y): f"<!-- annals:year {y} -->\n" for y in render.years_of(archive.reports.values())})
    used = {r.bureau for r in archive.reports.values()}
    pages.update({bureau_src(b): f"<!-- annals:bureau {b} -->\n" for b in archive.bureaus if b in used})
    pages[SEARCH_SRC] = "<!-- annals:search -->\n"
    pages[SAID_SRC] = "<!-- annals:said -->\n"
    pages[PLAN_SRC] = "<!-- annals:commitments -->\n"
    pages.update(promise_pages.issuer_pages(archive.tracker.all))
    pages[OPEN_DATA_SRC] = "<!-- annals:opendata -->\n"
    return pages


# ------------------------------------------------------------------ markers

# A marker's block: (its argument, "" if none; the build's Site; the page's Canvas) → Markdown. KeyError, with
# what to say, for an argument that names nothing.
Block = Callable[[str, Site, Canvas], str]
MARKERS: dict[str, Block] = {}  # in the order an unknown marker's message lists them


def marker(name: str) -> Callable[[Block], Block]:
    """Register a function as the block of ``<!-- annals:name -->``."""
    def register(block: Block) -> Block:
        MARKERS[name] = block
        return block
    return register


def _bureau(arg: str, site: Site) -> str:
    if arg not in site.archive.bureaus:
        raise KeyError(f"发布机关 “{arg}” 不存在")
    return arg


@marker("indicator")
def _indicator(arg: str, site: Site, canvas: Canvas) -> str:
    archive = site.archive
    if arg not in archive.indicators:
        raise KeyError(f"指标 “{arg}” 不存在")
    issuers = [render.IssuerSeries(archive.bureaus[b], series(archive, arg, b), archive.on_tracker(archive.plan.of_indicator.get((arg, b), [])))
               for b in archive.bureaus_stating(arg)]
    return render.indicator_page(archive.indicators[arg], issuers, archive.refs, canvas)


@marker("year")
def _year(arg: str, site: Site, canvas: Canvas) -> str:
    archive = site.archive
    of_year = [r for r in archive.reports.values() if str(r.year) == arg]
    if not of_year:
        raise KeyError(f"没有 {arg} 年的报告")
    results = {f: change_of(f, archive.report_of(f).bureau, archive) for f in archive.results_in(of_year[0].year)}
    return render.year_page(of_year[0].year, of_year, results, archive.refs, canvas)


@marker("bureau")
def _bureau_page(arg: str, site: Site, canvas: Canvas) -> str:
    archive, bureau = site.archive, _bureau(arg, site)
    stated = [ind for i, ind in archive.indicators.items() if archive.figures_for(i, bureau)]
    return render.bureau_page(archive.bureaus[bureau], archive.reports_of(bureau), stated, archive.refs, canvas)


@marker("promises")
def _issuer_promises(arg: str, site: Site, canvas: Canvas) -> str:
    bureau = _bureau(arg, site)
    items = [i for i in site.archive.tracker.all if i.bureau == bureau]
    if not items:
        raise KeyError(f"发布机关 “{bureau}” 没有承诺")
    return promise_pages.tracker_page(items, [], site.settings.tracker_list_most, site.archive.refs, canvas, bureau)


@marker("archive")
def _archive(arg: str, site: Site, canvas: Canvas) -> str:
    return render.archive_index(site.archive.reports.values(), site.settings.archive_per_year, site.archive.refs, canvas)


@marker("latest")
def _latest(arg: str, site: Site, canvas: Canvas) -> str:
    return render.latest_reports(site.archive.reports.values(), site.archive.refs, canvas)


@marker("headlines")
def _headlines(arg: str, site: Site, canvas: Canvas) -> str:
    archive = site.archive
    return render.headline_indicators(latest_results(archive, [i for i in archive.indicators.values() if i.headline]), archive.refs, canvas)


@marker("indicators")
def _indicators(arg: str, site: Site, canvas: Canvas) -> str:
    return render.indicators_index(Counter(f.indicator for f in site.archive.figures), site.archive.refs, canvas)


@marker("search")
def _search(arg: str, site: Site, canvas: Canvas) -> str:
    return render.search_page(site.archive.reports.values(), site.archive.wordings, site.archive.refs, canvas)


@marker("said")
def _said(arg: str, site: Site, canvas: Canvas) -> str:
    return render.said_page(site.archive.reports.values(), site.archive.wordings, site.archive.refs, canvas)


@marker("commitments")
def _tracker(arg: str, site: Site, canvas: Canvas) -> str:
    archive = site.archive
    return promise_pages.tracker_page(archive.tracker.all, archive.on_tracker(archive.plan.all), site.settings.tracker_list_most, archive.refs, canvas)


@marker("promises-summary")
def _promises_summary(arg: str, site: Site, canvas: Canvas) -> str:
    return promise_pages.summary(site.archive.tracker.all, canvas)


@marker("opendata")
def _opendata(arg: str, site: Site, canvas: Canvas) -> str:
    archive = site.archive
    return publish.open_data_page(archive.figures, archive.tracker.all, archive.refs, canvas)


def expand_markers(markdown: str, src: str, site: Site, shown: str) -> str:
    """Replace each ``<!-- annals:… -->`` marker with its block."""
    problems: list[Problem] = []

    def replace(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2) or ""
        line = markdown.count("\n", 0, m.start()) + 1
        if name not in MARKERS:
            problems.append(Problem(shown, line, f"未知的标记 annals:{name}；可用：{'、'.join(MARKERS)}"))
            return m.group(0)
        try:
            return MARKERS[name](arg, site, site.canvas(src))
        except KeyError as exc:
            problems.append(Problem(shown, line, f"标记 annals:{name} 的参数有误：{exc.args[0]}，请改正"))
            return m.group(0)

    out = MARKER_RE.sub(replace, markdown)
    if problems:
        raise DataError(problems)
    return out


def render_page(markdown: str, src: str, site: Site, shown: str) -> str:
    """The Markdown a page is built from, given its own Markdown and source path."""
    archive = site.archive
    report = archive.reports.get(src)
    if report is None:
        return expand_markers(markdown, src, site, shown)
    refs, canvas = archive.refs, site.canvas(src)
    figures = archive.figures_of(src)
    shown_there = render.ReportShown(
        figures=figures,
        changes={f: change_of(f, report.bureau, archive) for f in figures if f.type == "result"},
        targets_set=archive.on_tracker(archive.plan.set_by.get(src, [])),
        targets_answered=archive.on_tracker(archive.plan.answered_by.get(src, [])),
        neighbours=archive.neighbours[src],
        promises=promise_pages.report_sections(archive.tracker.set_by.get(src, []), archive.tracker.answered_by.get(src, []), refs, canvas),
    )
    return render.report_page(markdown, report, shown_there, refs, canvas)


def check_pages(site: Site, docs_dir: Path, project_dir: Path) -> list[Problem]:
    """Problems in the hand-written pages (their markers, their nesting), found before anything is written."""
    archive = site.archive
    problems: list[Problem] = []
    for page in sorted(docs_dir.rglob("*.md")):
        src = page.relative_to(docs_dir).as_posix()
        if src in archive.reports:  # checked as they were loaded
            continue
        text, shown = page.read_text(encoding="utf-8-sig"), page.relative_to(project_dir).as_posix()
        problems.extend(nesting_problems(text, 1, shown))
        if "annals:" in text:
            try:
                expand_markers(text, src, site, shown)
            except DataError as exc:
                problems.extend(exc.problems)
    return problems


# ------------------------------------------------- generated style rules

_STYLE = re.compile(r"<style data-annals>\n?(.*?)</style>\n?", re.S)


def take_styles(html: str) -> tuple[str, str]:
    """A generated page's HTML without its own style rules (``<style data-annals>``: the tracker's filters), and
    the rules, for the page's <head> (a style element in the body works, but is not HTML)."""
    rules = [m.group(1) for m in _STYLE.finditer(html)]
    return (_STYLE.sub("", html), "".join(rules)) if rules else (html, "")
