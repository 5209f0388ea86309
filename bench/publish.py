"""Time the open data and the feed as the archive grows.

    .venv/bin/python bench/publish.py

Like bench/plan.py: the sample's reports and figures copied under 10, 100 and
1,000 issuers; the once-per-build downloads and feed are timed and their bytes
printed; the sample's own run is the baseline for the ratios.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "bench"))

from annals.archive.model import load_archive  # noqa: E402
from annals.data.settings import Settings  # noqa: E402
from annals.pages import publish  # noqa: E402
from annals.pages.links import Links  # noqa: E402
from plan import copied  # noqa: E402

SITE_URL = "https://example.gov.cn/archive/"


def main() -> None:
    sample = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    base = None
    for copies in (1, 10, 100, 1000):
        archive = copied(sample, copies)
        _ = (archive.plan, archive.tracker, archive.refs)  # built once per build for the pages anyway: not counted here
        started = time.perf_counter()
        files = publish.open_data_files(archive.figures, archive.tracker.of_target, archive.tracker.all, archive.refs, Links(), SITE_URL)
        feed = publish.atom_feed(archive.reports.values(), archive.refs, Links(), SITE_URL, "annals", Settings().feed_entries)
        seconds = time.perf_counter() - started
        base = base or seconds
        size = sum(len(c.encode("utf-8")) for c in files.values()) / 1e6
        print(f"{len(archive.reports):6d} reports {len(archive.figures):6d} figures: {seconds * 1000:8.1f} ms "
              f"({seconds / base:5.0f}x the sample), downloads {size:7.2f} MB, feed {len(feed.encode()) / 1e3:5.1f} KB")


if __name__ == "__main__":
    main()
