"""``annals render``: the site's complete source, for an engine that runs no annals hooks.

The hooks make the site inside a MkDocs build; this makes the same pages as files, with the same functions:
every report page with its blocks, the generated pages (indicators, years, issuers, the tracker, search,
open data), the hand-written pages with their markers expanded, the open data, the feed and the search
index, and a ``mkdocs.yml`` without ``hooks:``. Any engine that reads ``mkdocs.yml`` and renders
Python-Markdown with the archive's extensions (MkDocs, ProperDocs; Zensical as far as it goes, README
"Which engine") builds it into the site the hooks build. The checks are the build's: a problem stops the
step with every ``path:line``, and the output folder keeps its last complete tree.

No MkDocs here: ``mkdocs.yml`` is read with a YAML loader that resolves ``!ENV`` and leaves Python tags
(a slugify function) unresolved, as nothing of them is needed to write the pages.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml
from jinja2 import FileSystemLoader

from annals.build import staging
from annals.data.errors import DataError, Problem
from annals.data.routes import FEED
from annals.data.safety import SafeMarkdown
from annals.data.settings import read_settings
from annals.pages import publish
from annals.pages.layout import Layout
from annals.pages.links import Links, page_url
from annals.pages.site import Site, generated_pages, page_meta, prepare, render_page, take_styles
from annals.search import index as search

# MkDocs' own reading of front matter (mkdocs.utils.meta): what follows it loses its leading blank lines.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
# The top-level keys of mkdocs.yml that name what only a build with the hooks has.
_HOOKS_ONLY = ("hooks", "watch")
_EXTENSIONS = ("annals.pages.blocks", "annals.data.safety")  # what the hooks add to every page's Markdown


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, as far as annals needs: ``!ENV`` resolved, Python tags left as None."""


def _env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)  # type: ignore[arg-type]
    *variables, default = names if len(names) > 1 else [*names, None]
    return next((os.environ[v] for v in variables if v in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    """What annals needs of a project's mkdocs.yml."""

    config_file: Path
    text: str
    docs_dir: Path
    custom_dir: Path | None
    site_url: str
    site_name: str
    use_directory_urls: bool
    extra: Mapping[str, Any]

    @property
    def root(self) -> Path:
        return self.config_file.parent


def read_project(config_file: Path) -> Project:
    text = config_file.read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_ConfigLoader) or {}  # noqa: S506 (a SafeLoader)
    root = config_file.parent
    custom_dir = (config.get("theme") or {}).get("custom_dir")
    return Project(config_file, text, root / config.get("docs_dir", "docs"), root / custom_dir if custom_dir else None,
                   config.get("site_url") or "", config.get("site_name") or "", config.get("use_directory_urls", True),
                   config.get("extra") or {})


def _config_for(project: Project, docs: str) -> str:
    """The project's mkdocs.yml for the rendered tree: no hooks and nothing they watch, its pages in ``docs``,
    and the two Markdown extensions the hooks add (annals' blocks kept as written; the last line of defence)."""
    text = project.text
    for key in _HOOKS_ONLY:  # a top-level block: its key line and every indented or blank line under it
        text = re.sub(rf"^{key}:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", "", text, flags=re.M)
    text, found = re.subn(r"^docs_dir:[^\n]*$", f"docs_dir: {docs}", text, flags=re.M)
    text = text if found else f"docs_dir: {docs}\n" + text
    ours = [f"- {name}" for name in _EXTENSIONS]
    if m := re.search(r"^markdown_extensions:[ \t]*\n([ \t]*)-", text, re.M):
        return text[: m.start(1)] + "".join(f"{m.group(1)}{line}\n" for line in ours) + text[m.start(1):]
    return text.rstrip("\n") + "\n\nmarkdown_extensions:\n" + "".join(f"  {line}\n" for line in ours)


def _split(text: str) -> tuple[dict[str, Any], str]:
    """A page's front matter and its Markdown, as MkDocs splits them."""
    m = _FRONT_MATTER.match(text)
    if m:
        meta = yaml.safe_load(m.group(1))
        if isinstance(meta, dict):
            return meta, text[m.end():].lstrip("\n")
    return {}, text


def _page(meta: Mapping[str, Any], body: str) -> str:
    if not meta:
        return body
    return "---\n" + yaml.safe_dump(dict(meta), allow_unicode=True, sort_keys=False, width=10**6) + "---\n\n" + body


def _neutralised(body: str, shown: str) -> Problem | None:
    """What the build's last line of defence (data.safety) would take out of a hand-written page. The engine
    runs it too (by name, from the rendered mkdocs.yml) but cannot say what it removed; as the hooks' warning
    fails a strict build, the step refuses the page."""
    safe = SafeMarkdown()
    markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "toc", safe]).convert(body)
    if not safe.found:
        return None
    return Problem(shown, 0, f"有会执行脚本或向其他网站请求的标记：{'、'.join(sorted(set(safe.found)))}；页面只能是文字和安全的链接，请删去")


@dataclass(frozen=True)
class Rendered:
    pages: int
    files: int
    reports: int
    epoch: int  # SOURCE_DATE_EPOCH: the date the engine should give the sitemap, for the same bytes


def render_source(project: Project, out: Path) -> Rendered:
    """Write the site's complete source into ``out`` (replaced only once complete); DataError on any problem."""
    settings, wrong = read_settings(project.extra, project.text)
    if wrong:
        raise DataError(wrong)
    theme = FileSystemLoader(str(project.custom_dir)) if project.custom_dir else None
    read_only = [project.custom_dir] if project.custom_dir else []
    site = prepare(project.root, project.docs_dir, settings, Layout(theme), read_only)
    archive = site.archive
    generated = generated_pages(archive)
    hand_written = sorted(p.relative_to(project.docs_dir).as_posix() for p in project.docs_dir.rglob("*.md"))
    site.links = Links({src: page_url(src, project.use_directory_urls) for src in {*hand_written, *generated}})

    staged = staging.begin(out)
    try:
        docs = staged / "docs"
        shutil.copytree(project.docs_dir, docs, ignore=shutil.ignore_patterns("*.md"))
        problems = _write_pages(site, project, docs, generated, hand_written)
        if problems:
            raise DataError(problems)
        downloads = publish.open_data_files(archive.figures, archive.tracker.of_target, archive.tracker.all, archive.refs, site.links,
                                            project.site_url)
        downloads[FEED] = publish.atom_feed(archive.reports.values(), archive.refs, site.links, project.site_url, project.site_name,
                                            settings.feed_entries)
        for path, content in downloads.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(content, encoding="utf-8")
        job = search.IndexJob(search.documents(archive.reports.values(), archive.bureaus, site.links), settings.search_bucket_bytes)
        indexed = job.finish(docs)
        if project.custom_dir:
            shutil.copytree(project.custom_dir, staged / project.custom_dir.relative_to(project.root))
        (staged / "mkdocs.yml").write_text(_config_for(project, "docs"), encoding="utf-8")
        staging.commit(staged, out)
    except BaseException:
        staging.discard(staged)
        raise
    return Rendered(len({*hand_written, *generated}), len(downloads), indexed or 0, archive.epoch)


def _write_pages(site: Site, project: Project, docs: Path, generated: Mapping[str, str], hand_written: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    for src in hand_written:
        shown = (project.docs_dir / src).relative_to(project.root).as_posix()
        meta, body = _split((project.docs_dir / src).read_text(encoding="utf-8-sig"))
        meta.pop("annals_style", None)  # printed raw in <head>: only what annals generates, never a page's own
        rendered = render_page(body, src, site, shown)
        if src not in site.archive.reports and (problem := _neutralised(rendered, shown)):
            problems.append(problem)
        _write(docs / src, _page(meta | page_meta(src, site, rendered, meta), rendered))
    for src, marker in generated.items():
        if src in hand_written:  # a hand-written page wins, as in the build
            continue
        rendered, style = take_styles(render_page(marker, src, site, src))
        meta = page_meta(src, site, rendered, {}) | ({"annals_style": style} if style else {})
        _write(docs / src, _page(meta, rendered))
    return problems


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
