"""Candidate figures measured against hand labels, and the verdicts they would publish.

    .venv/bin/python bench/candidates.py [-v] [--against REV]

``--against REV`` scores the candidate code of an earlier commit on the same labels and catalogue, in
the same run (REV before annals/candidates.py existed: its importer.candidates(body, period, catalogue)).
``-v`` lists every wrong and missed figure of the tuned split only: the untuned split stays unseen.

The labels are the sample's reviewed figures files (data/figures/…): every figure of a catalogue
indicator that the report states for one period, checked by hand against the text. A candidate is
right when indicator, period, value (in the indicator's unit) and type all agree with a label; a
labelled figure no candidate proposes is missed. Scored per split:

* tuned: the reports the extraction rules and the catalogue's phrases were worked out on;
* untuned: reports held out while doing so, so their scores say how the rules do on a report they have
  not seen (the catalogue's indicators for their 主要预期目标 were added, as issue 23 asks, but no phrase
  or rule was changed to suit them).

Then the verdicts: every candidate of the 2015–2019 government work reports accepted as proposed (the
editor trusting the import), judged plan against outcome, compared with the verdicts of the labels.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import types
from collections import Counter
from pathlib import Path

from annals.archive.model import Archive, load_archive
from annals.data.errors import DataError
from annals.data.routes import figures_path_for
from annals.data.schema import Figure
from annals.data.vocab import Timing, unit_scale
from annals.intake.candidates import Candidate, Found, candidates
from annals.intake.importer import figures_yaml

ROOT = Path(__file__).resolve().parent.parent
GWR = "reports/{}/state-council-government-work-report.md"
SPLITS = {
    "tuned": ("reports/2021/xupu-edu-h1-midyear-summary.md", GWR.format(2015), GWR.format(2016), GWR.format(2017)),
    "untuned": ("reports/2021/county-a-edu-duty-report.md", GWR.format(2014), GWR.format(2018), GWR.format(2019)),
}
VERDICT_REPORTS = tuple(GWR.format(y) for y in range(2015, 2020))

Key = tuple[str, str, str, object]  # indicator, period, basis, value in the indicator's unit


def _value(number: float | tuple[float, float] | str, unit: str, indicator_unit: str) -> object:
    if isinstance(number, str):
        return number
    if isinstance(number, tuple):
        return tuple(round(v * unit_scale(unit)[1] / unit_scale(indicator_unit)[1], 6) for v in number)
    return round(number * unit_scale(unit)[1] / unit_scale(indicator_unit)[1], 6)


def proposed(archive: Archive, src: str) -> list[Candidate]:
    report = archive.reports[src]
    body = (ROOT / "docs" / src).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return candidates(body, Timing(report.period, report.kind, report.date), archive.indicators).matched


def _label_key(f: Figure) -> Key:
    value = f.value if isinstance(f.value, (str, tuple)) else f.number
    if isinstance(value, list):
        value = tuple(value)
    return (f.indicator, f.period.key, f.basis, value if isinstance(value, (str, tuple)) else round(float(value or 0), 6))


def _cand_key(archive: Archive, c: Candidate) -> Key:
    assert c.indicator is not None
    return (c.indicator, c.period.key, c.basis, _value(c.value, c.unit, archive.indicators[c.indicator].unit))


def _cause(c: Candidate, key: Key, labels: dict[Key, str]) -> str:
    """Why a wrong candidate is wrong: the first part of it that no label with the rest agreeing has."""
    same_value = [k for k in labels if k[3] == key[3]]
    if c.basis or any(k[2] for k in same_value):
        return "span"
    if any(k[0] == key[0] and k[1] != key[1] for k in same_value):
        return "time"
    if any(k[0] != key[0] for k in same_value):
        return "subject"
    if key in labels:
        return "type"
    return "not a label (a figure the labels leave out, or a wrong reading)"


def score(archive: Archive, srcs: tuple[str, ...], verbose: bool) -> tuple[Counter[str], Counter[str]]:
    totals: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    for src in srcs:
        labels = {_label_key(f): f.type for f in archive.figures_of(src)}
        cands: dict[Key, Candidate] = {}
        for c in proposed(archive, src):
            cands.setdefault(_cand_key(archive, c), c)
        right = {k for k, c in cands.items() if labels.get(k) == c.type}
        for kind in ("target", "result"):
            totals[f"{kind} proposed"] += sum(c.type == kind for c in cands.values())
            totals[f"{kind} right"] += sum(cands[k].type == kind for k in right)
            totals[f"{kind} labels"] += sum(1 for t in labels.values() if t == kind)
        for k, c in cands.items():
            if k not in right:
                causes[_cause(c, k, labels)] += 1
                if verbose:
                    print(f"  wrong  {src}: {c.indicator} {c.type} {c.period.key} {c.basis} {c.value} ← {c.quote}")
        for k, t in labels.items():
            if k not in right:
                causes["missed"] += 1
                if verbose:
                    print(f"  missed {src}: {k} {t}")
    return totals, causes


def verdicts(archive: Archive) -> str:
    """How many of the labels' plan-versus-outcome verdicts for the 2015–2019 targets come out the same when
    every candidate of those reports is accepted as proposed: the archive is copied, their figures files
    replaced by `annals import`'s with the review lines deleted, and loaded and judged as a build would."""
    def statuses(a: Archive) -> dict[tuple[str, str], str]:
        return {(c.target.indicator, c.target.period.key): c.status for c in a.plan.all
                if c.target.report in VERDICT_REPORTS and c.status != "not-reported"}

    truth = statuses(archive)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "archive"
        for part in ("docs", "data", "overrides"):
            if (ROOT / part).exists():
                shutil.copytree(ROOT / part, copy / part)
        for src in VERDICT_REPORTS:
            found = Found(proposed(archive, src))
            text = figures_yaml(f"docs/{src}", "", found).replace("    review: 待核对\n", "")
            (copy / "data" / figures_path_for(src)).write_text(text, encoding="utf-8")
        try:
            trusting = statuses(load_archive(copy, copy / "docs", copy / "data"))
        except DataError as exc:
            return f"the build stops: {len(exc.problems)} problems, e.g. {exc.problems[0]}"
    same = sum(1 for k, v in truth.items() if trusting.get(k) == v)
    unjudged = sum(1 for k in truth if k not in trusting)  # 尚未报告: the result was not proposed
    wrong = len(truth) - same - unjudged + sum(1 for k in trusting if k not in truth)
    return f"{same} of {len(truth)} as the labels give; {wrong} wrong; {unjudged} left 尚未报告 (a result no candidate proposes)"


def _use_revision(rev: str) -> None:
    """Make ``proposed`` use the candidate code of commit ``rev``."""
    global proposed
    for path in ("hooks/annals/candidates.py", "hooks/annals/importer.py"):
        code = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True)
        if code.returncode == 0 and "def candidates(" in code.stdout:
            break
    else:
        sys.exit(f"{rev}: no candidates() in hooks/annals/candidates.py or importer.py")
    module = types.ModuleType(f"annals._at_{rev}")
    module.__package__ = "annals"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(code.stdout, f"{rev}:{path}", "exec"), module.__dict__)
    new_api = path.endswith("candidates.py")

    def proposed_then(archive: Archive, src: str) -> list[Candidate]:
        report = archive.reports[src]
        body = (ROOT / "docs" / src).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        when = module.Timing(report.period, report.kind, report.date) if new_api else report.period
        found = module.candidates(body, when, archive.indicators).matched
        return [Candidate(c.indicator, c.value, c.unit, c.type, c.period, c.qualifier, c.quote, getattr(c, "basis", "")) for c in found]

    proposed = proposed_then


def main() -> None:
    verbose = "-v" in sys.argv
    if "--against" in sys.argv:
        rev = sys.argv[sys.argv.index("--against") + 1]
        _use_revision(rev)
        print(f"candidates of {rev}, on today's labels and catalogue:")
    archive = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    print(f"{'split':8} {'type':7} {'proposed':>8} {'labels':>6} {'right':>5} {'precision':>9} {'recall':>6}")
    for split, srcs in SPLITS.items():
        totals, causes = score(archive, srcs, verbose and split == "tuned")
        for kind in ("target", "result"):
            p, lab, r = totals[f"{kind} proposed"], totals[f"{kind} labels"], totals[f"{kind} right"]
            print(f"{split:8} {kind:7} {p:8} {lab:6} {r:5} {r / max(p, 1):9.2f} {r / max(lab, 1):6.2f}")
        print(f"{'':8} errors by cause: " + ("; ".join(f"{c} {n}" for c, n in causes.most_common()) or "none"))
    print(f"verdicts, every candidate of the 2015–2019 reports accepted as proposed: {verdicts(archive)}")


if __name__ == "__main__":
    main()
