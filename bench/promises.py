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
from typing import Any

import yaml
from annals.archive.model import Archive, load_archive, load_bureaus
from annals.data.vocab import Timing
from annals.intake.importer import Given, prepare, read_source
from annals.intake.promise_candidates import Answer, _terms, evidence_candidates, passages, proposals

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


def _imported(text_file: Path, year: int) -> tuple[str, Timing]:
    """A held-out text as ``annals import`` makes it: its Markdown body and timing."""
    bureaus = load_bureaus(ROOT / "data/bureaus.yml", "data/bureaus.yml")
    page = prepare(read_source(text_file), Given("state-council", year, "全年", "政府工作报告"), bureaus, text_file.name)
    return page.body, Timing(page.meta.period, page.meta.kind, page.meta.date)


def keys() -> None:
    """The hand keys of whole plan parts against the next report (bench/promises/{tune,heldout}/*.yml): the proposer
    was tuned on the tune split only; the held-out figures are the ones to quote."""
    print("\nKeys of whole plan parts against the next report (LABELLING.md): tune, then held-out (never tuned on)")
    for split in ("tune", "heldout"):
        for key_file in sorted((ROOT / "bench" / "promises" / split).glob("*.yml")):
            _key(key_file, split)


def _key(key_file: Path, split: str) -> None:
    key = yaml.safe_load(key_file.read_text(encoding="utf-8"))
    plan_year, answer_year = (int(y) for y in key_file.name.split("-")[:2])
    plan_file, answer_file = (key_file.parent / key["plan"]).resolve(), (key_file.parent / key["answer"]).resolve()
    plan_body, plan_timing = _imported(plan_file, plan_year)
    answer_body, answer_timing = _imported(answer_file, answer_year)
    labelled = key["sentences"]
    commits = {s["text"] for s in labelled if s["commits"]}
    proposed = {p.quote: p for p in proposals(plan_body, plan_timing)}
    in_part = {s["text"] for s in labelled} & set(proposed)
    hits = len(in_part & commits)
    whole = [p.label for q, p in proposed.items() if q in commits and not p.label.endswith("…")]
    name = f"{split:8} {key_file.stem}"
    line = (f"  {name}: commitments: {len(labelled)} sentences labelled, {len(commits)} commit; proposed {len(in_part)}, right {hits}: "
            f"precision {_ratio(hits, len(in_part))}, recall {_ratio(hits, len(commits))}; labels whole (not cut) {_ratio(len(whole), hits)}")
    # One commitment, one promise (or one part): how many each right proposal holds against the label's count.
    counted = [(len(proposed[s["text"]].parts) or 1, s["commits"]) for s in labelled if s["commits"] and s["text"] in proposed]
    line += (f"; commitments a sentence holds: {sum(m for m, _ in counted)} proposed (parts) for {sum(n for _, n in counted)} labelled, "
             f"exact in {_ratio(sum(m == n for m, n in counted), len(counted))} of sentences (one a sentence: "
             f"{_ratio(sum(n == 1 for _, n in counted), len(counted))})")
    if split == "heldout":  # its part starts where the plan part does: what is proposed before it was taken for a plan
        plan_text = plan_file.read_text(encoding="utf-8")
        start = plan_text.index(key["plan_part_starts"])
        line += f"; proposed before the plan part: {sum(0 <= plan_text.find(q) < start for q in proposed)}"
    print(line)
    found = passages(answer_body, answer_timing)
    n = first = some = cards = untied = offered_none = unanswered = 0
    actions = Actions()
    for s in labelled:
        if not s["commits"]:
            continue
        label = proposed[s["text"]].label if s["text"] in proposed else s["labels"][0]
        ranked = evidence_candidates(label, s["text"], found)
        actions.review(ranked, s)
        cards += len(ranked)
        right = {a["text"] for a in s["answers"]}
        if right:
            n += 1
            first += bool(ranked) and ranked[0].passage.text in right
            some += any(a.passage.text in right for a in ranked)
        elif not s.get("restated"):
            unanswered += 1
            offered_none += not ranked
        untied += sum(not _terms(label + "。" + s["text"], a.passage.text) for a in ranked)
        if "-v" in sys.argv and split == "tune" and right and (not ranked or ranked[0].passage.text not in right):
            print(f"      {label}: first “{ranked[0].passage.text[:40] if ranked else '(none)'}”; wanted “{next(iter(right))[:40]}”")
    print(f"  {name}: evidence: {n} committing sentences with an answer; first answers {_ratio(first, n)}, "
          f"some candidate {_ratio(some, n)}; {cards} cards for {len(commits)} sentences; "
          f"of {unanswered} with neither answer nor restatement, {offered_none} offered nothing; tied by no Chinese term: {untied}")
    print(f"  {name}: review: {actions}")


class Actions:
    """A careful reviewer's actions on the review page, scripted from a key: per promise, 按建议接受 when the first
    candidate answers with the right status (one more to change a status), 接受 on a later candidate that answers,
    本报告没有回应它 when none does and none should; the promises offered nothing, confirmed in one action together;
    an answer no candidate offers is written by hand (counted apart: the reviewer must find it)."""

    def __init__(self) -> None:
        self.promises = self.clicks = self.by_hand = 0
        self.unoffered = False

    def review(self, ranked: list[Answer], sentence: dict[str, Any]) -> None:
        self.promises += 1
        answers = {a["text"]: a["status"] for a in sentence["answers"]}
        restated = set(sentence.get("restated") or [])
        if not ranked:
            self.unoffered = True
            self.by_hand += bool(answers)
            return
        taken = next((a for a in ranked if a.passage.text in answers), None)
        if taken is None and not answers:
            taken = next((a for a in ranked if a.passage.text in restated), None)  # 推进中: set again as a task
        wanted = answers.get(taken.passage.text, "推进中") if taken else None
        self.clicks += 1 + bool(taken and taken.status != wanted)
        self.by_hand += bool(answers) and taken is None

    def __str__(self) -> str:
        total = self.clicks + self.unoffered
        return (f"{self.promises} promises, {total} actions ({total / max(self.promises, 1):.2f} a promise); "
                f"{self.by_hand} answers to write by hand (no candidate offers them)")


def main() -> None:
    archive = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    commitments(archive)
    evidence(archive)
    keys()


if __name__ == "__main__":
    main()
