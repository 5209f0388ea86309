"""Generate an archive of N reports with figures for benchmarks, from the sample archive's own text.

    .venv/bin/python bench/generate.py 1000 /tmp/archive-1000

Each report is ~12,000 Chinese characters of paragraphs and headings drawn
(seeded, so the same N gives the same archive) from the sample reports, under
a title, issuer, year and kind of its own; issuers grow with N so that no two
reports share issuer, year, period and kind. Each states ~20 figures of the
catalogue's indicators in a paragraph of its own (targets in work plans, results
elsewhere), with a figures file quoting them; a figure's number depends only on
its issuer, indicator, period and type, so reports that state the same result agree. The project has the repository's
configuration, hooks, theme overrides and assets, and its home, archive and
indicator pages.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from annals.archive.model import load_indicators  # noqa: E402
from annals.data.numbers import fmt  # noqa: E402
from annals.data.plaintext import plain_line  # noqa: E402
from annals.data.schema import Indicator  # noqa: E402

CHARS_PER_REPORT = 12_000
FIGURES_PER_REPORT = 20
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


def _value(key: str, indicator: Indicator) -> float:
    """A number that depends only on ``key``: every report stating a result states the same one."""
    h = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
    return round(h % 1000 / 10, 1) if indicator.unit == "%" else float(h % 5000 + 1)


def report_figures(rng: random.Random, bureau: str, year: int, period: str, kind: str,
                   indicators: dict[str, Indicator]) -> tuple[str, str]:
    """A paragraph stating the figures, and the figures file quoting it."""
    by_words = {(i.phrases[0], i.unit): i for i in indicators.values() if i.phrases}  # no two quotes alike
    chosen = rng.sample(sorted(by_words.values(), key=lambda i: i.id), min(FIGURES_PER_REPORT, len(by_words)))
    target = kind == "plan"
    quotes, entries = [], []
    for indicator in chosen:
        value = _value(f"{bureau}|{indicator.id}|{year}|{period}|{target}", indicator)
        qualifier = ("左右" if indicator.unit == "%" else "以上") if target else ""
        quote = f"{indicator.phrases[0]}{fmt(value)}{indicator.unit}{qualifier}"
        quotes.append(quote)
        entries.append(f"  - indicator: {indicator.id}\n    value: {fmt(value)}\n    quote: {quote}\n"
                       + (f"    type: target\n    qualifier: {qualifier}\n" if target else ""))
    lead = "主要预期目标：" if target else "主要数据："
    return lead + "；".join(quotes) + "。", "figures:\n" + "".join(entries)


def copy_code(dest: Path) -> None:
    """Today's configuration, hooks, theme overrides, assets and hand-written pages into a generated project:
    an archive kept from an earlier run then builds (and searches) with the code under test."""
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("hooks", "overrides", "docs/assets"):
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    for page in ("index.md", "reports/index.md", "indicators/index.md", "about.md"):
        (dest / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / page, dest / "docs" / page)


def generate(n: int, dest: Path, seed: int = 1) -> Path:
    """Write a project of n reports into dest (which must not exist); returns dest."""
    paragraphs, headings = _pool()
    issuers = _issuers(n)
    slots = [(b, y, k) for b in issuers for y in YEARS for k in KINDS]
    rng = random.Random(seed)
    rng.shuffle(slots)
    dest.mkdir(parents=True)
    copy_code(dest)
    docs = dest / "docs"
    data = dest / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "indicators.yml", data / "indicators.yml")
    (data / "bureaus.yml").write_text("".join(f"{bid}:\n  name: {name}\n" for bid, name in issuers), encoding="utf-8")
    indicators = load_indicators(data / "indicators.yml", "data/indicators.yml")
    for (bid, name), year, (kind, period, label) in slots[:n]:
        title = f"{name}{year}年{label}"
        month = "07" if period == "H1" else "12"
        front = (f"---\nbureau: {bid}\nyear: {year}\nperiod: {period}\nkind: {kind}\ntitle: \"{title}\"\n"
                 f"date: {year}-{month}-{rng.randint(1, 28):02d}\n---\n\n")
        path = docs / "reports" / str(year) / f"{bid}-{kind}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        stated, figures = report_figures(rng, bid, year, period, kind, indicators)
        text = report_text(rng, paragraphs, headings)
        first_section_end = text.index("\n\n", text.index("\n\n") + 2)  # after the first heading's first paragraph
        path.write_text(front + text[:first_section_end] + "\n\n" + stated + text[first_section_end:] + "\n", encoding="utf-8")
        figures_file = data / "figures" / str(year) / f"{bid}-{kind}.yml"
        figures_file.parent.mkdir(parents=True, exist_ok=True)
        figures_file.write_text(figures, encoding="utf-8")
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
