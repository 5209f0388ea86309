"""Candidate promises and evidence measured against hand labels.

    .venv/bin/python bench/promises.py [-v]

**Commitments.** ``bench/promises/labels.yml`` names five plan parts and, for each, the sentences that do
not commit (every other sentence of the part does; README.md there has the rule). A proposal is right
when its sentence is a labelled commitment. Precision and recall per part and per split:

* tune: the parts the proposer's rules were written against;
* held-out: labelled before the proposer existed and not looked at while writing it, so their scores say
  how the rules do on a report they have not seen.

The line "every sentence" is what proposing every sentence of the part would score: the floor.

**Evidence.** The sample's reviewed evidence (data/figures/…: a later report's passage that answers a
commitment, judged by hand) is the label: for each, the later report's sentences are ranked for the
commitment, and it is found when the labelled passage is in the first one or three. Tune: promises of
2014 and 2015; held-out: 2016 onwards. ``-v`` prints the misses of the tune split only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from annals.archive.model import Archive, load_archive
from annals.data.vocab import Timing
from annals.intake.promise_candidates import evidence_candidates, passages, proposals

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "promises" / "labels.yml"
TUNE_YEARS = (2014, 2015)


def part_sentences(body: str, start: str) -> list[str]:
    """The sentences of the part whose heading starts with ``start``, to the next heading of its level or above."""
    level = len(start) - len(start.lstrip("#"))
    on, out = False, []
    for line in body.split("\n"):
        if line.startswith("#"):
            depth = len(line) - len(line.lstrip("#"))
            on = line.startswith(start) or (on and depth > level)
            continue
        if on:
            out += [s.strip() for s in re.findall(r"[^。！？；]+[。！？；]?", line) if s.strip()]
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def commitments(archive: Archive) -> None:
    parts = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["parts"]
    totals: dict[str, list[int]] = {}
    print("Commitments: proposals against hand labels (precision, recall)")
    print(f"  {'split':9} {'part':58} {'sents':>5} {'label':>5} {'prop':>5} {'right':>5} {'prec':>6} {'recall':>6} {'every sentence: prec':>21}")
    for part in parts:
        src = part["report"].removeprefix("docs/")
        report = archive.reports[src]
        sentences = part_sentences(report.body, part["part"])
        assert len(sentences) == part["sentences"], f"{src}: the part has changed; relabel it"
        no = set(part["not_commitments"])
        labelled = set(sentences) - no
        proposed = {p.quote for p in proposals(report.body, Timing(report.period, report.kind, report.date))} & set(sentences)
        hits = len(proposed & labelled)
        row = totals.setdefault(part["split"], [0, 0, 0, 0])
        for i, n in enumerate((len(sentences), len(labelled), len(proposed), hits)):
            row[i] += n
        name = f"{report.year} {archive.bureaus[report.bureau].short_name} {part['part'].lstrip('# ')}"[:56]
        print(f"  {part['split']:9} {name:58} {len(sentences):5} {len(labelled):5} {len(proposed):5} {hits:5} "
              f"{_ratio(hits, len(proposed)):>6} {_ratio(hits, len(labelled)):>6} {_ratio(len(labelled), len(sentences)):>21}")
        if "-v" in sys.argv and part["split"] == "tune":
            for s in sorted(proposed - labelled):
                print(f"      proposed, not a commitment: {s[:70]}")
            for s in sorted(labelled - proposed):
                print(f"      missed: {s[:70]}")
    for split, (n_sentences, n_labelled, n_proposed, n_right) in totals.items():
        print(f"  {split:9} {'all':58} {n_sentences:5} {n_labelled:5} {n_proposed:5} {n_right:5} {_ratio(n_right, n_proposed):>6} "
              f"{_ratio(n_right, n_labelled):>6} {_ratio(n_labelled, n_sentences):>21}")


def evidence(archive: Archive) -> None:
    by_ref = {p.ref: p for p in archive.promises}
    found: dict[str, list[int]] = {}
    print("\nEvidence: is the hand-judged passage among the first candidates?")
    cache = {}
    for e in archive.evidence:
        promise = by_ref[e.commitment]
        plan_year = archive.reports[promise.report].year
        split = "tune" if plan_year in TUNE_YEARS else "held-out"
        report = archive.reports[e.report]
        if e.report not in cache:
            cache[e.report] = passages(report.body, Timing(report.period, report.kind, report.date))
        ranked = [a.passage.text for a in evidence_candidates(promise.label, promise.quote, cache[e.report])]
        rank = next((n for n, text in enumerate(ranked, 1) if e.quote in text), 0)
        row = found.setdefault(split, [0, 0, 0])
        row[0] += 1
        row[1] += rank == 1
        row[2] += 1 <= rank <= 3
        if "-v" in sys.argv and split == "tune" and rank != 1:
            print(f"    {promise.ref} {promise.label}: rank {rank or '>3'}; wanted “{e.quote[:40]}”, first “{ranked[0][:40] if ranked else ''}”")
    print(f"  {'split':9} {'pairs':>5} {'first':>6} {'top 3':>6}")
    for split, (n, first, top3) in found.items():
        print(f"  {split:9} {n:5} {_ratio(first, n):>6} {_ratio(top3, n):>6}")


def main() -> None:
    archive = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    commitments(archive)
    evidence(archive)


if __name__ == "__main__":
    main()
