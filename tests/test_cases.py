"""Expected-output pairs: input text → the page and the candidates `annals import` makes.

Regenerate after an intended change, then review the diff:

    ANNALS_UPDATE=1 .venv/bin/python -m pytest tests/test_cases.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from annals.archive.model import load_bureaus, load_indicators
from annals.data.vocab import Period, Timing
from annals.intake.candidates import candidates
from annals.intake.importer import Given, Source, body_of, figures_yaml, front_matter, infer, prepare
from annals.intake.sample import SAMPLE, page_for
from conftest import ROOT, SHARED

CASES = Path(__file__).parent / "import_cases"
UPDATE = os.environ.get("ANNALS_UPDATE") == "1"
INDICATORS = load_indicators(ROOT / "data/indicators.yml", "data/indicators.yml")
BUREAUS = load_bureaus(ROOT / "data/bureaus.yml", "data/bureaus.yml")


def _compare(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == actual, f"{path.name} differs; regenerate with ANNALS_UPDATE=1 and review the diff"


ISSUER = {"time-span-subject": "state-council", "no-title-salutation": "state-council", "change-and-start": "state-council"}  # the others: a county bureau


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.txt")))
def test_tricky_case(case: str) -> None:
    """What `annals import` makes of the case (page and candidates), as the CLI decides it."""
    source = Source((CASES / f"{case}.txt").read_text(encoding="utf-8"), "UTF-8")
    page = prepare(source, Given(bureau=ISSUER.get(case, "county-a-edu")), BUREAUS, f"{case}.txt")
    meta = page.meta
    _compare(CASES / f"{case}.md", front_matter(meta) + page.body)
    found = candidates(page.body, Timing(meta.period, meta.kind, meta.date), INDICATORS)
    _compare(CASES / f"{case}.yml", figures_yaml(f"docs/reports/{case}.md", meta.title, found))


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repository")
@pytest.mark.parametrize("doc", SAMPLE, ids=[d.file for d in SAMPLE])
def test_seed_candidates(doc) -> None:
    """The pages are compared in test_textprep; here, the candidates each would get."""
    page, _ = page_for(doc, (SHARED / doc.file).read_text(encoding="utf-8"))
    body = page.split("\n---\n", 1)[1]
    name = Path(doc.file).stem + ("-" + str(doc.period.year) if "gwr" in doc.file else "")
    _compare(CASES / "seeds" / f"{name}.yml", figures_yaml(f"docs/reports/{doc.period.year}/{doc.slug}.md", "", candidates(body, Timing(doc.period, doc.kind, doc.date), INDICATORS)))


def _sources() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.txt"))]
    if SHARED.is_dir():
        found += [(d.file, (SHARED / d.file).read_text(encoding="utf-8")) for d in SAMPLE]
    return found


@pytest.mark.parametrize(("name", "raw"), _sources(), ids=[n for n, _ in _sources()])
def test_no_line_of_the_source_is_dropped(name: str, raw: str) -> None:
    """Every Chinese character the cleaned source has is on the page, in order: in the body, or in the
    title when the page's title is the text's own title line (各位代表： stays as the first paragraph)."""
    from annals.data.schema import Bureau
    from annals.intake.importer import body_for_title, made_title, with_year
    from annals.intake.textprep import cjk_runs, clean

    found, body, _ = body_of(Source(raw, "UTF-8"))
    guess = infer(found, body)
    period = Period(guess.year or 2021, guess.part or "Y")  # what the editor gives with --year, --kind
    title = with_year(found, period) if found else made_title(guess.kind or "annual-summary", period, Bureau("b", "某局", "某局"))
    page = body_for_title(found, title, body)
    shown = (found if title == found else "") + page
    assert "".join(cjk_runs(shown)) == "".join(cjk_runs(clean(raw).text)), name
