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
from annals.archive.model import Archive, load_archive, load_bureaus
from annals.data.vocab import Timing
from annals.intake.importer import Given, prepare, read_source
from annals.intake.promise_candidates import _terms as _HAN_TERMS
from annals.intake.promise_candidates import evidence_candidates, passages, proposals

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "promises" / "labels.yml"
TUNE_YEARS = (2014, 2015)
HELDOUT = ROOT / "bench" / "promises" / "heldout"


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


def _imported(text_file: Path, year: int) -> tuple[str, Timing]:
    """A held-out text as ``annals import`` makes it: its Markdown body and timing."""
    bureaus = load_bureaus(ROOT / "data/bureaus.yml", "data/bureaus.yml")
    page = prepare(read_source(text_file), Given("state-council", year, "全年", "政府工作报告"), bureaus, text_file.name)
    return page.body, Timing(page.meta.period, page.meta.kind, page.meta.date)


def heldout() -> None:
    """The held-out keys (bench/promises/heldout/*.yml): commitments and answers on reports never tuned on."""
    print("\nHeld-out keys (bench/promises/heldout): reports the proposer was never tuned on")
    for key_file in sorted(HELDOUT.glob("*.yml")):
        key = yaml.safe_load(key_file.read_text(encoding="utf-8"))
        plan_year, answer_year = (int(y) for y in key_file.name.split("-")[:2])
        plan_body, plan_timing = _imported(HELDOUT / key["plan"], plan_year)
        answer_body, answer_timing = _imported(HELDOUT / key["answer"], answer_year)
        labelled = key["sentences"]
        commits = {s["text"] for s in labelled if s["commits"]}
        proposed = {p.quote: p for p in proposals(plan_body, plan_timing)}
        in_part = {s["text"] for s in labelled} & set(proposed)
        hits = len(in_part & commits)
        whole = [p.label for q, p in proposed.items() if q in commits and not p.label.endswith("…")]
        plan_text = (HELDOUT / key["plan"]).read_text(encoding="utf-8")
        start = plan_text.index(key["plan_part_starts"])
        before = sum(0 <= plan_text.find(q) < start for q in proposed)  # proposed from the review: never commitments
        print(f"  {key_file.stem}: commitments: {len(labelled)} sentences labelled, {len(commits)} commit; proposed {len(in_part)}, "
              f"right {hits}: precision {_ratio(hits, len(in_part))}, recall {_ratio(hits, len(commits))}; "
              f"labels whole (not cut) {_ratio(len(whole), hits)}; proposed before the plan part: {before}")
        found = passages(answer_body, answer_timing)
        n = first = some = cards = only_number = 0
        offered_none = unanswered = 0
        for s in labelled:
            if not s["commits"]:
                continue
            label = proposed[s["text"]].label if s["text"] in proposed else s["labels"][0]
            ranked = evidence_candidates(label, s["text"], found)
            cards += len(ranked)
            right = {a["text"] for a in s["answers"]}
            if right:
                n += 1
                first += bool(ranked) and ranked[0].passage.text in right
                some += any(a.passage.text in right for a in ranked)
            elif not s.get("restated"):
                unanswered += 1
                offered_none += not ranked
            only_number += sum(not _HAN_TERMS(s["text"], a.passage.text) for a in ranked)
        print(f"  {key_file.stem}: evidence: {n} committing sentences with an answer; first answers {_ratio(first, n)}, "
              f"some candidate {_ratio(some, n)}; {cards} cards for {len(commits)} sentences; "
              f"of {unanswered} with neither answer nor restatement, {offered_none} offered nothing; tied by a number only: {only_number}")


def main() -> None:
    archive = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    commitments(archive)
    evidence(archive)
    heldout()


if __name__ == "__main__":
    main()
