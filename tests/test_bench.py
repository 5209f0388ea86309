"""The benchmarks are run by hand; this keeps them working (tiny sizes, no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_the_scale_benchmark_builds_both_and_prints_its_figures(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench/scale.py"), "4", "--work", str(tmp_path)],
                            capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr + result.stdout
    rows = {m.group(1): m.group(2).split() for m in re.finditer(r"^\s+4\s+(baseline|annals|index)\s+(.*)$", result.stdout, re.M)}
    assert set(rows) == {"baseline", "annals", "index"}, result.stdout
    for name, (seconds, peak_mb, output_mb, _pages, page_kb) in rows.items():
        assert float(seconds) > 0 and float(peak_mb) > 0 and float(output_mb) > 0, name
        assert (float(page_kb) > 0) == (name != "index"), name  # the index alone writes no pages
    assert int(rows["annals"][3]) > int(rows["baseline"][3]), "annals adds the indicator, year and issuer pages"
    assert re.search(r"^\s+4\s+ratio\s+[\d.]+x time, .* index alone [\d.]+x the baseline's time$", result.stdout, re.M)
    # The generated archive is a valid one: ~20 figures a report, every check passed by the strict build.
    figures = list((tmp_path / "archive-4/data/figures").rglob("*.yml"))
    assert len(figures) == 4 and all(f.read_text(encoding="utf-8").count("- indicator:") == 20 for f in figures)


def test_the_candidate_benchmark_meets_the_targets_on_reports_it_was_not_tuned_on() -> None:
    """Issue 23's bar, on the held-out split: target precision and recall ≥ 0.9; no wrong verdict."""
    result = subprocess.run([sys.executable, str(ROOT / "bench/candidates.py")], capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    rows = {(m.group(1), m.group(2)): (float(m.group(3)), float(m.group(4)))
            for m in re.finditer(r"^(tuned|untuned)\s+(target|result)\s+\d+\s+\d+\s+\d+\s+([\d.]+)\s+([\d.]+)$", result.stdout, re.M)}
    assert len(rows) == 4, result.stdout
    precision, recall = rows[("untuned", "target")]
    assert precision >= 0.9 and recall >= 0.9, result.stdout
    assert re.search(r"accepted as proposed: \d+ of \d+ as the labels give; 0 wrong;", result.stdout), result.stdout
