"""Generate an archive of N reports for benchmarks, from the sample archive's own text.

    .venv/bin/python bench/generate.py 1000 /tmp/archive-1000

Each report is ~12,000 Chinese characters of paragraphs and headings drawn
(seeded, so the same N gives the same archive) from the sample reports, under
a title, issuer, year and kind of its own; issuers grow with N so that no two
reports share issuer, year, period and kind. The project has the repository's
configuration, hooks, theme overrides and assets, and its home, archive and
indicator pages.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from annals.model import plain_line  # noqa: E402

CHARS_PER_REPORT = 12_000
KINDS = [("annual-summary", "Y", "年度工作总结"), ("midyear-summary", "H1", "上半年工作总结"), ("plan", "Y", "工作计划"),
         ("duty-report", "Y", "述职报告"), ("special-report", "Y", "专项工作报告")]
YEARS = range(2006, 2026)
PLACES = "青白云山河湖安平兴宁东西南北长乐清泉石桥金华溪阳新和永丰"
NUMERALS = "一二三四五六七八九十"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _pool() -> tuple[list[str], list[str]]:
    """Paragraphs and section headings of the sample reports, as plain text."""
    paragraphs, headings = [], []
    for path in sorted((ROOT / "docs" / "reports").glob("*/*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for line in body.splitlines():
            if line.startswith("## "):
                headings.append(re.sub(r"^[一二三四五六七八九十]+、", "", plain_line(line)))
            elif len(_CJK.findall(line)) >= 20 and not line.startswith(("#", "|", "<")):
                paragraphs.append(line)
    return paragraphs, headings


def _issuers(n: int) -> list[tuple[str, str]]:
    count = max(4, -(-n // (len(YEARS) * len(KINDS))) + 1)
    rng = random.Random(7)
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(PLACES) + rng.choice(PLACES) + rng.choice("县区") + "教育局"
        if name not in names:
            names.append(name)
    return [(f"gen-{i:03d}", name) for i, name in enumerate(names)]


def report_text(rng: random.Random, paragraphs: list[str], headings: list[str]) -> str:
    out, chars, section = [], 0, 0
    while chars < CHARS_PER_REPORT:
        if chars >= section * 2000:
            out.append(f"## {NUMERALS[section % 10]}、{rng.choice(headings)}")
            section += 1
        paragraph = rng.choice(paragraphs)
        out.append(paragraph)
        chars += len(_CJK.findall(paragraph))
    return "\n\n".join(out)


def generate(n: int, dest: Path, seed: int = 1) -> Path:
    """Write a project of n reports into dest (which must not exist); returns dest."""
    paragraphs, headings = _pool()
    issuers = _issuers(n)
    slots = [(b, y, k) for b in issuers for y in YEARS for k in KINDS]
    rng = random.Random(seed)
    rng.shuffle(slots)
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, dest / name)
    for name in ("hooks", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    docs = dest / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for page in ("index.md", "reports/index.md", "indicators/index.md", "about.md"):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / page, docs / page)
    data = dest / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "indicators.yml", data / "indicators.yml")
    (data / "bureaus.yml").write_text("".join(f"{bid}:\n  name: {name}\n" for bid, name in issuers), encoding="utf-8")
    for (bid, name), year, (kind, period, label) in slots[:n]:
        title = f"{name}{year}年{label}"
        month = "07" if period == "H1" else "12"
        front = (f"---\nbureau: {bid}\nyear: {year}\nperiod: {period}\nkind: {kind}\ntitle: \"{title}\"\n"
                 f"date: {year}-{month}-{rng.randint(1, 28):02d}\n---\n\n")
        path = docs / "reports" / str(year) / f"{bid}-{kind}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front + report_text(rng, paragraphs, headings) + "\n", encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()
    generate(args.reports, args.dest)
    print(f"{args.reports} reports → {args.dest}")


if __name__ == "__main__":
    main()
