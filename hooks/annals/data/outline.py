"""A report's outline: its Markdown headings and the ids the site gives them, in one place.

``## 一、…`` is ``s1``, the ``### （二）…`` under it ``s1-2``: short, shareable, and stable because a report's
text never changes. The page's headings (pages.render), the search index's sections (search) and a quote's
landing section (pages.promise_pages) all read the outline here; so does a line's plain text (plaintext).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

HEADING_MARKS = re.compile(r"^#{1,6}\s+")  # a heading line's marks, any level
HEADING_LINE = re.compile(r"^(#{2,6})\s+(.*?)\s*$")  # a heading of the outline (# is the page's title)


def _heading_ids(lines: list[str]) -> Iterator[str | None]:
    """Each line's heading id (``## 一、…`` is ``s1``, the ``### （二）…`` under it ``s1-2``), None for other lines."""
    counters: list[int] = []
    for line in lines:
        m = HEADING_LINE.match(line)
        if m and not m.group(2).endswith("}"):
            depth = len(m.group(1)) - 1
            counters = counters[:depth] + [0] * (depth - len(counters))
            counters[depth - 1] += 1
            yield "s" + "-".join(str(c) for c in counters)
        else:
            yield None


def outline_ids(body: str) -> str:
    """Give each heading of a report an id from its place in the outline: short, shareable, and stable
    because a report's text never changes."""
    lines = body.split("\n")
    return "\n".join(line if hid is None else f"{line.rstrip()} {{: #{hid} }}" for line, hid in zip(lines, _heading_ids(lines), strict=True))


@lru_cache(maxsize=256)
def section_lines(src: str, body: str) -> list[str]:
    """The id of the section each line of a report's body is in ("" before the first heading). ``src``
    names the report in the cache; a promise's evidence links many sentences of a few reports."""
    anchors, anchor = [], ""
    for hid in _heading_ids(body.split("\n")):
        anchor = hid or anchor
        anchors.append(anchor)
    return anchors
