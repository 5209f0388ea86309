"""Build time of the sample archive with and without the annals hooks, same run.

    .venv/bin/python bench/sample_build.py [--rounds 5]

Runs are interleaved (hooks, no hooks, hooks, …) so machine noise hits both;
the figure to quote is the ratio of medians. The baseline is the same
mkdocs.yml with the hooks removed: the same hand-written and report pages,
without the generated indicator/year/issuer pages and panels.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(config: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   check=True, capture_output=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = ROOT / "mkdocs.nohooks.bench.yml"
        text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        plain.write_text(re.sub(r"^hooks:\n(  - .*\n)+", "", text, flags=re.M), encoding="utf-8")
        try:
            times: dict[str, list[float]] = {"hooks": [], "no hooks": []}
            for _ in range(args.rounds):
                times["hooks"].append(build(ROOT / "mkdocs.yml", Path(tmp) / "a"))
                times["no hooks"].append(build(plain, Path(tmp) / "b"))
        finally:
            plain.unlink()
        for name, values in times.items():
            pages = sum(1 for _ in (Path(tmp) / ("a" if name == "hooks" else "b")).rglob("index.html"))
            print(f"{name:9} median {statistics.median(values):.2f} s  (min {min(values):.2f}, max {max(values):.2f}), {pages} pages")
        ratio = statistics.median(times["hooks"]) / statistics.median(times["no hooks"])
        print(f"ratio hooks / no hooks: {ratio:.2f}")


if __name__ == "__main__":
    main()
