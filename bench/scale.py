"""Build generated archives of growing size, with annals and without, same run.

    .venv/bin/python bench/scale.py                 # 100, 1,000 and 10,000 reports
    .venv/bin/python bench/scale.py 100 1000 --rounds 3 --work /tmp/annals-scale

For each size, an archive of ~12,000-character reports with ~20 figures each
(bench/generate.py) is built twice, and its search index written alone,
interleaved round by round so that machine noise hits all three:

- baseline: the same pages with plain MkDocs + Material: no hooks (so no
  generated pages, panels or search index), Material's search off, the
  navigation pruned to the sections (as annals' own mkdocs.yml has it);
- annals: the full build, hooks and the search index;
- index: the build's search index process alone, given the reports, to compare
  with the MkDocs build of the same pages.

Printed per size and build: median wall time, peak memory (the build and
everything it starts, e.g. the search index process, summed; sampled every
0.2 s), output bytes, pages, mean bytes of a report page; then the ratios that
the targets are stated in. Run by hand, never in CI (tests/test_bench.py runs a
tiny one to keep it working).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import copy_code, generate  # noqa: E402


@dataclass
class Build:
    seconds: float
    peak_mb: float
    output_mb: float
    pages: int
    report_page_kb: float


def _baseline_config(project: Path) -> Path:
    """mkdocs.yml without the hooks: the plain MkDocs + Material build of the same pages."""
    config = project / "mkdocs.baseline.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(re.sub(r"^hooks:\n(  - .*\n)+", "", text, flags=re.M), encoding="utf-8")
    return config


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, summed (they run at the same time)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:  # the process ended while we looked
            continue
        pid = int(status.parent.name)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def _run(command: list[str], env: dict[str, str], what: str) -> tuple[float, float]:
    """Run a command to its end: wall seconds, and peak memory in MB summed over it and what it starts."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"{what}: failed\n{log.read().decode(errors='replace')[-3000:]}")
    return seconds, peak_kb / 1024


ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def build(config: Path, site: Path) -> Build:
    """One `mkdocs build`: wall time, and peak memory summed over the build and what it starts (the index process)."""
    # The baseline's home and nav name pages only the hooks make: not strict there.
    strict = "--no-strict" if config.name == "mkdocs.baseline.yml" else "--strict"
    seconds, peak_mb = _run([sys.executable, "-m", "mkdocs", "build", strict, "-f", str(config), "-d", str(site)], ENV, str(config))
    files = [p for p in site.rglob("*") if p.is_file()]
    reports = [p for p in (site / "reports").glob("*/*/index.html")]
    return Build(seconds, peak_mb, sum(p.stat().st_size for p in files) / 1e6,
                 sum(1 for p in files if p.name == "index.html"),
                 statistics.mean(p.stat().st_size for p in reports) / 1024 if reports else 0.0)


# The reports handed to the index process as the build hands them (search.IndexJob).
HAND_OVER = """
import sys
from pathlib import Path
from annals.search import index as search
from annals.pages.links import Links
from annals.archive.model import load_archive
from annals.data.settings import Settings
project, work = Path(sys.argv[1]), Path(sys.argv[2])
archive = load_archive(project, project / "docs", project / "data")
search.hand_over(search.documents(archive.reports.values(), archive.bureaus, Links()), work)
print(Settings().search_bucket_bytes)
"""


def index_alone(project: Path, work: Path) -> Build:
    """The build's index process on its own, given the reports: wall time, peak memory, and the bytes of the
    index and texts."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**ENV, "PYTHONPATH": str(project / "hooks")}
    bucket_bytes = subprocess.run([sys.executable, "-c", HAND_OVER, str(project), str(work)], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    seconds, peak_mb = _run([sys.executable, "-m", "annals.search.index", str(work), bucket_bytes, str(os.getpid())], env, "search index")
    size = sum(p.stat().st_size for p in (work / "out").rglob("*") if p.is_file()) / 1e6
    shutil.rmtree(work)
    return Build(seconds, peak_mb, size, 0, 0.0)


def median_build(runs: list[Build]) -> Build:
    ordered = sorted(runs, key=lambda b: b.seconds)
    middle = ordered[len(ordered) // 2]
    return Build(statistics.median(b.seconds for b in runs), max(b.peak_mb for b in runs), middle.output_mb,
                 middle.pages, middle.report_page_kb)


def measure(n: int, work: Path, rounds: int) -> dict[str, Build]:
    project = work / f"archive-{n}"
    if not (project / "mkdocs.yml").exists():
        generate(n, project)
    copy_code(project)
    configs = {"baseline": _baseline_config(project), "annals": project / "mkdocs.yml"}
    runs: dict[str, list[Build]] = {name: [] for name in [*configs, "index"]}
    for _ in range(rounds):
        for name, config in configs.items():
            runs[name].append(build(config, work / f"site-{n}-{name}"))
        runs["index"].append(index_alone(project, work / f"index-{n}"))
    return {name: median_build(r) for name, r in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=1, help="builds of each kind per size (the median is shown)")
    parser.add_argument("--work", type=Path, help="where archives and sites go (kept, so a second run reuses the archives)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="annals-scale-"))
    print(f"{'reports':>8} {'build':>8} {'time s':>8} {'peak MB':>8} {'output MB':>10} {'pages':>6} {'KB/report page':>15}")
    results: dict[int, dict[str, Build]] = {}
    for n in args.sizes:
        results[n] = measure(n, work, args.rounds)
        for name, b in results[n].items():
            print(f"{n:8d} {name:>8} {b.seconds:8.1f} {b.peak_mb:8.0f} {b.output_mb:10.1f} {b.pages:6d} {b.report_page_kb:15.1f}", flush=True)
        base, full = results[n]["baseline"], results[n]["annals"]
        print(f"{n:8d} {'ratio':>8} {full.seconds / base.seconds:8.2f}x time, {full.peak_mb / base.peak_mb:.2f}x memory, "
              f"{full.report_page_kb / base.report_page_kb:.2f}x report page bytes; "
              f"index alone {results[n]['index'].seconds / base.seconds:.2f}x the baseline's time", flush=True)
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        growth = results[large]["annals"].seconds / results[small]["annals"].seconds
        page = results[large]["annals"].report_page_kb / results[small]["annals"].report_page_kb
        print(f"{small} → {large} reports ({large / small:.0f}x): annals build time {growth:.1f}x, report page bytes {page:.2f}x")


if __name__ == "__main__":
    main()
