"""The archive's options: the block ``extra: annals:`` of mkdocs.yml, declared once here.

Under ``extra``, MkDocs' place for a site's own settings: a top-level key of its own would fail
``mkdocs build --strict``. Each option has a default, so a bureau sets only what it changes; a
wrong value or an unknown name stops the build with what to write instead (README, "Settings").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from annals.data.errors import Problem

WHERE = "mkdocs.yml"


class _Whole(c.BaseConfigOption[int]):
    """A whole number from 1 (``Type(int)`` takes True, 0 and -5)."""

    def __init__(self, default: int) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(f"应为正整数，如 {self.default}（must be a whole number from 1）")
        return value


class Settings(Config):
    """``extra: annals:`` in mkdocs.yml."""

    # Newest reports in the feed (feed.xml): readers poll it, so it stays small.
    feed_entries = _Whole(50)
    # A year's reports listed on the archive's index, newest first; the year's own page lists all.
    archive_per_year = _Whole(12)
    # Above this many promises and targets the tracker (commitments/) shows each issuer's counts and links
    # the issuer's own page, which lists them: one page of every promise would grow with the archive (10,000
    # reports have ~40,000 targets: one page of them all is no page for a phone).
    tracker_list_most = _Whole(1000)
    # The mean size of a file of the search index: what a query downloads per piece of its terms.
    # Smaller: fewer bytes a query, more files (SEARCH_INDEX.md).
    search_bucket_bytes = _Whole(8192)


def read_settings(extra: Mapping[str, Any], source: str = "") -> tuple[Settings, list[Problem]]:
    """The options in ``extra["annals"]``, defaults for the rest; and what is wrong with them (at their line of
    mkdocs.yml, given its text as ``source``)."""

    def line(name: str) -> int:
        found = re.search(rf"^[ \t]+{re.escape(name)}[ \t]*:", source, re.M)
        return source.count("\n", 0, found.start()) + 1 if found else 0

    block = extra.get("annals") or {}
    settings = Settings(config_file_path=None)
    if not isinstance(block, Mapping):
        settings.validate()
        return settings, [Problem(WHERE, line("annals"), "extra.annals 应为键值对（选项名: 值），见 README“设置”（extra.annals must be a mapping）")]
    settings.load_dict(dict(block))
    errors, warnings = settings.validate()
    problems = [Problem(WHERE, line(name), f"extra.annals.{name}: {error}") for name, error in errors]
    if warnings:  # the only warning a Settings gives: a name it does not declare
        known = Settings(config_file_path=None)
        known.validate()
        problems += [Problem(WHERE, line(name), f"extra.annals.{name}: 没有这个选项；可用的选项：{', '.join(known)}（unknown option）")
                     for name, _ in warnings]
    return settings, problems
