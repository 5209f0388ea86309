"""Under ``mkdocs serve``, a page whose Markdown did not change is not converted again.

An edit rebuilds the whole site, and converting every page's Markdown is most of
that rebuild. MkDocs converts in ``Page.render``; a page whose final Markdown is
the one of the last build (with the same files and Markdown settings) gets a
``render`` that restores that build's result. ``mkdocs build`` always converts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class _Rendered:
    markdown: str
    content: str
    toc: Any
    title: str | None
    anchors: frozenset[str]
    links: dict[str, dict[str, str]] | None  # by source path: a build's File objects are its own


class RenderCache:
    def __init__(self) -> None:
        self._site: tuple[object, ...] = ()
        self._pages: dict[str, _Rendered] = {}

    def start_build(self, config: MkDocsConfig, files: Files) -> None:
        """Forget every page if what a conversion depends on beyond its Markdown changed: settings, links' targets."""
        site = (repr(config.markdown_extensions), repr(config.mdx_configs), config.use_directory_urls,
                tuple(sorted(f.src_uri for f in files)))
        if site != self._site:
            self._site, self._pages = site, {}

    def attach(self, page: Page, markdown: str) -> None:
        """Make ``page.render`` restore the last conversion of ``markdown``, or convert and keep it."""
        kept = self._pages.get(page.file.src_uri)
        if kept is not None and kept.markdown == markdown:
            page.render = lambda config, files: _restore(page, kept, files)  # type: ignore[method-assign]
        else:
            page.render = lambda config, files: self._convert(page, config, files)  # type: ignore[method-assign]

    def _convert(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        assert page.markdown is not None
        Page.render(page, config, files)
        assert page.content is not None
        links = page.links_to_anchors
        self._pages[page.file.src_uri] = _Rendered(
            page.markdown, page.content, page.toc, page._title_from_render, frozenset(page.present_anchor_ids or ()),
            None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()})


def _restore(page: Page, kept: _Rendered, files: Files) -> None:
    page.content, page.toc = kept.content, kept.toc
    page._title_from_render = kept.title  # what MkDocs' render leaves for page.title
    page.present_anchor_ids = set(kept.anchors)  # a set of the page's own: on_page_content adds to it
    if kept.links is not None:  # MkDocs checks these anchors after every page is rendered
        page.links_to_anchors = {file: dict(anchors) for src, anchors in kept.links.items()
                                 if (file := files.get_file_from_path(src)) is not None}
