"""Layout in templates: the HTML blocks annals generates are Jinja templates a bureau can override.

Python computes what a block shows (rows, cells, statuses, links: a view) and a
template ``annals/<block>.html`` lays it out. The templates annals ships are in
``templates/annals/`` beside this file; a build looks for each one first through
the theme's own template folders, so ``overrides/annals/<block>.html`` in a
bureau's repository (the theme's ``custom_dir``) wins. Every string of a view is
escaped before any template sees it, so a string from the data is text whatever
a template does with it (escaping the view once, in plain Python, cost less than
Jinja's autoescaping of every output: rendering the blocks of 1,000 reports took
~1.4 s less).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, cast

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from annals.pages.labels import LABELS
from annals.pages.links import Links, relative

TEMPLATES = Path(__file__).parent.parent / "templates"
# A template is written over many lines to be read; the block is one paragraph of HTML to Markdown (no
# blank line inside, or it would be cut in two): the line breaks and indents between two tags, or a tag and a
# template statement, go. Done to the template's source, once, rather than to every block it renders.
_BETWEEN_TAGS = re.compile(r"(>|%\})[ \t]*\n\s*(?=<|\{%)")


class _Compact(BaseLoader):
    """A loader that hands Jinja each template without the white space between its tags."""

    def __init__(self, loader: BaseLoader):
        self.loader = loader

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        return _BETWEEN_TAGS.sub(r"\1", source), filename, uptodate


class _Views(Environment):
    """Views are dicts: ``row.name`` looks the key up first. (Jinja tries an attribute first and falls back on
    the key through an exception: ~18% of rendering the blocks of 1,000 reports.)"""

    def getattr(self, obj: object, attribute: str) -> object:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class Layout:
    """The block templates: a theme's first (its loader, custom_dir before the theme), then annals' own."""

    def __init__(self, theme_loader: BaseLoader | None = None):
        own = FileSystemLoader(str(TEMPLATES))
        self.env = _Views(loader=_Compact(ChoiceLoader([theme_loader, own]) if theme_loader else own), autoescape=False,
                          trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
        self.env.globals["labels"] = _escaped(LABELS)

    def render(self, block: str, **view: object) -> str:
        return self.env.get_template(f"annals/{block}.html").render(_escaped(view)).strip()


@dataclass
class Canvas:
    """The page a block is drawn on: its source path, the site's addresses and the templates. A render function
    receives what it shows and a canvas to draw it on, never the archive."""

    src: str
    links: Links
    layout: Layout
    url: str = field(init=False)  # the page's own URL (MkDocs'), where every link on it starts

    def __post_init__(self) -> None:
        self.url = self.links.url(self.src)

    def href(self, to_src: str, anchor: str = "") -> str:
        """Relative link from this page to a page (or an anchor on it)."""
        if to_src == self.src and anchor:
            return "#" + anchor
        return relative(self.url, self.links.url(to_src)) + ("#" + anchor if anchor else "")

    def file(self, path: str) -> str:
        """Relative link from this page to a file of the site that is not a page (``opendata/figures.csv``)."""
        return relative(self.url, path)

    def render(self, block: str, **view: object) -> str:
        return self.layout.render(block, **view)


_SPECIAL = re.compile("[&<>\"']")  # most strings of a view (Chinese text, addresses) have none of them


def _escaped(view: object) -> Any:
    """The view with every string in it escaped for HTML (text and attribute values alike)."""
    kind = type(view)  # type() before isinstance(): this runs for every value of every view
    if kind is str:
        text = cast(str, view)
        return escape(text) if _SPECIAL.search(text) else text
    if kind is dict:
        return {key: _escaped(value) for key, value in cast(dict[str, object], view).items()}
    if kind is list or kind is tuple:
        return [_escaped(value) for value in cast(list[object], view)]
    if isinstance(view, str):  # a str subclass
        return escape(view)
    return view  # numbers, True/False, None
