"""Time plan-versus-outcome tracking as the archive grows.

    .venv/bin/python bench/plan.py

The sample archive's reports and figures are copied under 10, 100 and 1,000
issuers of their own (so each copy is tracked separately), and the one-per-build
``plan_index`` is timed; the sample's own run is the baseline for the ratios.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from annals.archive.model import Archive, load_archive  # noqa: E402
from annals.data.schema import Bureau  # noqa: E402
from annals.judge.plan import plan_index  # noqa: E402


def copied(archive: Archive, copies: int) -> Archive:
    bureaus, reports, figures = {}, {}, []
    for i in range(copies):
        for src, report in archive.reports.items():
            bureau = f"{report.bureau}-{i}"
            bureaus[bureau] = Bureau(bureau, bureau, bureau)
            reports[f"{src}#{i}"] = dataclasses.replace(report, src=f"{src}#{i}", bureau=bureau)
        figures += [dataclasses.replace(f, report=f"{f.report}#{i}") for f in archive.figures]
    return Archive(bureaus, archive.indicators, reports, figures)


def main() -> None:
    sample = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    base = None
    for copies in (1, 10, 100, 1000):
        archive = copied(sample, copies)
        started = time.perf_counter()
        plan = plan_index(archive.figures, archive.reports, archive.indicators)
        seconds = time.perf_counter() - started
        base = base or seconds
        print(f"{len(archive.reports):6d} reports {len(archive.figures):6d} figures {len(plan.all):6d} targets: "
              f"{seconds * 1000:8.1f} ms ({seconds / base:6.0f}x the sample)")


if __name__ == "__main__":
    main()
