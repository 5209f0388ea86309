"""Candidate extraction measured against hand-labelled figures.

    .venv/bin/python bench/candidates.py

The labels are the sample's reviewed figures files (data/figures/…): seed 003 and
the 2016 and 2017 government work reports. A candidate matches a label when
indicator, period and value (in the indicator's unit) agree; its type
(result/target) is scored separately among the matches.
"""

from __future__ import annotations

from pathlib import Path

from annals.importer import candidates
from annals.model import load_archive
from annals.vocab import unit_scale

ROOT = Path(__file__).resolve().parent.parent
LABELLED = (
    "reports/2021/xupu-edu-h1-midyear-summary.md",
    "reports/2016/state-council-government-work-report.md",
    "reports/2017/state-council-government-work-report.md",
)


def score() -> list[tuple[str, int, int, int, int, int]]:
    archive = load_archive(ROOT, ROOT / "docs", ROOT / "data")
    rows = []
    for src in LABELLED:
        report = archive.reports[src]
        labels = {(f.indicator, f.period.key, round(f.number, 6) if f.number is not None else f.value): f.type for f in archive.figures_of(src)}
        body = (ROOT / "docs" / src).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        found = candidates(body, report.period, archive.indicators).matched
        keys = {}
        for c in found:
            ind = archive.indicators[c.indicator] if c.indicator else None
            raw = (c.value[0] + c.value[1]) / 2 if isinstance(c.value, tuple) else c.value
            value = raw if isinstance(raw, str) or ind is None else round(raw * unit_scale(c.unit)[1] / unit_scale(ind.unit)[1], 6)
            keys[(c.indicator, c.period.key, value)] = c.type
        hits = [k for k in keys if k in labels]
        typed = sum(1 for k in hits if keys[k] == labels[k])
        rows.append((src, len(keys), len(labels), len(hits), typed, len(found)))
    return rows


def main() -> None:
    print(f"{'report':56} {'cand':>5} {'label':>5} {'hit':>4} {'prec':>5} {'recall':>6} {'type ok':>7}")
    total = [0, 0, 0, 0]
    for src, n_cand, n_label, hits, typed, _ in score():
        total = [total[0] + n_cand, total[1] + n_label, total[2] + hits, total[3] + typed]
        print(f"{src:56} {n_cand:5} {n_label:5} {hits:4} {hits / n_cand:5.2f} {hits / n_label:6.2f} {typed / max(hits, 1):7.2f}")
    c, lab, h, t = total
    print(f"{'all':56} {c:5} {lab:5} {h:4} {h / c:5.2f} {h / lab:6.2f} {t / max(h, 1):7.2f}")


if __name__ == "__main__":
    main()
