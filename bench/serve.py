"""How long an editor waits, under `mkdocs serve`, to see an edit.

    .venv/bin/python bench/serve.py 100 [--work /tmp/annals-serve]

Serves a generated archive (bench/generate.py), then: (1) adds a sentence to a
report and times until the report's page serves it; (2) changes a figure (the
number in the report's text and in its figures file) and times until the
indicator page serves the new number. Run by hand; prints seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import copy_code, generate  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page at url, or "" while it is not served."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float = 600) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if text in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit(f"{url}: “{text}” not served after {limit:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", type=int, nargs="?", default=100)
    parser.add_argument("--work", type=Path, help="keep the generated archive here (reused next time)")
    args = parser.parse_args()
    if args.work:
        measure(args.work / f"archive-{args.reports}", args.reports)
    else:
        with tempfile.TemporaryDirectory(prefix="annals-serve-") as work:  # gone afterwards
            measure(Path(work) / f"archive-{args.reports}", args.reports)


def measure(project: Path, reports: int) -> None:
    if not (project / "mkdocs.yml").exists():
        generate(reports, project)
    copy_code(project)
    port = free_port()
    base = f"http://127.0.0.1:{port}/archive/"  # the sample's site_url has the sub-path /archive/
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = wait_for(base, "工作报告档案")
        print(f"{reports} reports: first build served after {first:.1f} s")
        report = sorted((project / "docs/reports").glob("*/*.md"))[0]
        page = base + report.relative_to(project / "docs").with_suffix("").as_posix() + "/"
        marker = f"编辑测试{int(time.time())}号"
        report.write_text(report.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}。\n", encoding="utf-8")
        print(f"edit a report's text → its page shows it after {wait_for(page, marker):.1f} s")
        figures = project / "data/figures" / report.parent.name / (report.stem + ".yml")
        # A count, not a share: a new number with more digits must stay possible.
        entry = re.search(r"- indicator: (\w+)\n    value: ([\d.]+)\n    quote: ([^\n%]+)$", figures.read_text(encoding="utf-8"), re.M)
        assert entry, figures
        indicator, value, quote = entry.groups()
        new_value = value.split(".")[0] + "9876" + ("." + value.split(".")[1] if "." in value else "")
        new_quote = quote.replace(value, new_value, 1)
        report.write_text(report.read_text(encoding="utf-8").replace(quote, new_quote, 1), encoding="utf-8")
        figures.write_text(figures.read_text(encoding="utf-8").replace(f"value: {value}\n    quote: {quote}",
                                                                       f"value: {new_value}\n    quote: {new_quote}", 1), encoding="utf-8")
        print(f"change a figure → its indicator page shows it after {wait_for(base + f'indicators/{indicator}/', new_value):.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
