"""Addresses of pages: the engine's URLs in, relative links out.

The build hands over every page's URL as MkDocs made it (``File.url``: it knows
``use_directory_urls`` and quotes what needs quoting), so a link annals writes
(``layout.Canvas.href``, from the page it is on) points where MkDocs put the page. Outside a build (the command line, unit tests)
a page not handed over gets MkDocs' default, directory URLs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath


def directory_url(src: str) -> str:
    """MkDocs' URL of a page with ``use_directory_urls`` (its default): reports/2016/a.md → reports/2016/a/."""
    path = PurePosixPath(src)
    if path.stem in ("index", "README"):
        parent = str(path.parent)
        return "" if parent == "." else parent + "/"
    return str(path.with_suffix("")) + "/"


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """MkDocs' URL of a page: directory URLs, or without them reports/2016/a.md → reports/2016/a.html."""
    if use_directory_urls:
        return directory_url(src)
    path = PurePosixPath(src)
    return str(path.with_name("index.html") if path.stem == "README" else path.with_suffix(".html")).removeprefix("./")


def relative(frm: str, to: str) -> str:
    """Relative URL from a page's URL to another URL, both from the site's root ("" is the root itself;
    a URL ending in "/" is a folder, one that does not a file).

    By segments, not posixpath.relpath: an archive's pages link to ~50 pages each, most pairs once, and
    relpath was a tenth of the hooks' rendering.
    """
    frm_parts = frm.split("/")[:-1]
    *to_parts, to_name = to.split("/")
    common = 0
    for a, b in zip(frm_parts, to_parts, strict=False):  # the paths may differ in length
        if a != b:
            break
        common += 1
    return "../" * (len(frm_parts) - common) + "".join(part + "/" for part in to_parts[common:]) + to_name or "./"


class Links:
    """The site's page URLs, by source path (``reports/2016/a.md``)."""

    def __init__(self, urls: Mapping[str, str] | None = None):
        # MkDocs names the home page "./"; from the root it is "".
        self._urls = {src: "" if url in ("./", ".") else url for src, url in (urls or {}).items()}

    def url(self, src: str) -> str:
        """The page's URL from the site's root."""
        url = self._urls.get(src)
        if url is None:
            url = self._urls[src] = directory_url(src)
        return url
