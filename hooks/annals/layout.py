"""Layout in templates: the HTML blocks annals generates are Jinja templates a bureau can override.

Python computes what a block shows (rows, cells, statuses, links: a view) and a
template ``annals/<block>.html`` lays it out. The templates annals ships are in
``templates/annals/`` beside this file; a build looks for each one first through
the theme's own template folders, so ``overrides/annals/<block>.html`` in a
bureau's repository (the theme's ``custom_dir``) wins. Autoescaped: a string
from the data is text whatever a template does with it, unless the view marks
it as HTML annals made (``Markup``).
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from .labels import LABELS

TEMPLATES = Path(__file__).parent / "templates"
# A template is written over many lines to be read; the block is one paragraph of HTML to Markdown (no
# blank line inside, or it would be cut in two): the white space between two tags goes.
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


class Layout:
    """The block templates: a theme's first (its loader, custom_dir before the theme), then annals' own."""

    def __init__(self, theme_loader: BaseLoader | None = None):
        own = FileSystemLoader(str(TEMPLATES))
        self.env = Environment(loader=ChoiceLoader([theme_loader, own]) if theme_loader else own, autoescape=True,
                               trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
        self.env.globals["labels"] = LABELS

    def render(self, block: str, **view: object) -> str:
        html = self.env.get_template(f"annals/{block}.html").render(**view).strip()
        return _BETWEEN_TAGS.sub("><", html)
