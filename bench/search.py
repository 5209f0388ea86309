"""Bytes and time of searches in headless Chromium, on a built archive.

    .venv/bin/python bench/generate.py 1000 /tmp/a1000
    (cd /tmp/a1000 && /usr/bin/time -v ../path/to/.venv/bin/mkdocs build -d site)   # index time is logged
    .venv/bin/python bench/search.py /tmp/a1000/site

Runs the queries of tests/search_queries.txt one after another on one search page,
served on localhost with gzip (as static hosts serve text), and prints per query the
bytes the server sent (headers included) and the time from submit to the first
results on screen; then the first query's bytes, the later queries' mean and max.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402


def main() -> None:
    site = Path(sys.argv[1])
    queries = browser.search_queries()
    with browser.serve(site, compress=True) as base, browser.chromium(Path(tempfile.mkdtemp())) as driver:
        driver.get(base + "search/")
        time.sleep(1)
        base.take()  # the page itself is not the query's
        rows = []
        for query in queries:
            result = browser.search(driver, query, all_pages=False)
            rows.append((query, sum(base.take().values()), result["ms"], result["status"]))
            print(f"{query!r:28} {rows[-1][1] / 1024:8.1f} KB {result['ms']:6.0f} ms  {result['status']}")
    later = [b for _, b, _, _ in rows[1:]]
    times = [ms for _, _, ms, _ in rows]
    print(f"first query {rows[0][1] / 1024:.0f} KB; later queries mean {statistics.mean(later) / 1024:.0f} KB, max {max(later) / 1024:.0f} KB")
    print(f"time to first results: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
