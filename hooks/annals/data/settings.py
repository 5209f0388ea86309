"""The archive's options: the block ``extra: annals:`` of mkdocs.yml, declared once here.

Under ``extra``, MkDocs' place for a site's own settings: a top-level key of its own would fail
``mkdocs build --strict``. Each option has a default, so a bureau sets only what it changes; a
wrong value or an unknown name stops the build with what to write instead (README, "Settings").
Plain Python: the engine hands over the mapping and the file's text; any engine can.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from annals.data.errors import Problem

WHERE = "mkdocs.yml"


@dataclass(frozen=True)
class Settings:
    """``extra: annals:`` in mkdocs.yml. Every option is a whole number from 1."""

    # Newest reports in the feed (feed.xml): readers poll it, so it stays small.
    feed_entries: int = 50
    # A year's reports listed on the archive's index, newest first; the year's own page lists all.
    archive_per_year: int = 12
    # Above this many promises and targets the tracker (commitments/) shows each issuer's counts and links
    # the issuer's own page, which lists them: one page of every promise would grow with the archive (10,000
    # reports have ~40,000 targets: one page of them all is no page for a phone).
    tracker_list_most: int = 1000
    # The mean size of a file of the search index: what a query downloads per piece of its terms.
    # Smaller: fewer bytes a query, more files (SEARCH_INDEX.md).
    search_bucket_bytes: int = 8192


def read_settings(extra: Mapping[str, Any], source: str = "") -> tuple[Settings, list[Problem]]:
    """The options in ``extra["annals"]``, defaults for the rest; and what is wrong with them (at their line of
    mkdocs.yml, given its text as ``source``)."""

    def line(name: str) -> int:
        found = re.search(rf"^[ \t]+{re.escape(name)}[ \t]*:", source, re.M)
        return source.count("\n", 0, found.start()) + 1 if found else 0

    block = extra.get("annals") or {}
    if not isinstance(block, Mapping):
        return Settings(), [Problem(WHERE, line("annals"), "extra.annals 应为键值对（选项名: 值），见 README“设置”")]
    defaults = {f.name: f.default for f in fields(Settings)}
    given: dict[str, int] = {}
    problems: list[Problem] = []
    for name, value in block.items():
        if name not in defaults:
            problems.append(Problem(WHERE, line(str(name)), f"extra.annals.{name}: 没有这个选项；可用的选项：{', '.join(defaults)}"))
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:  # YAML's true is an int to Python
            problems.append(Problem(WHERE, line(name), f"extra.annals.{name}: 应为正整数，如 {defaults[name]}"))
        else:
            given[name] = value
    return replace(Settings(), **given), problems
