"""``annals answers``: search later reports for the promises they may answer, whichever arrived first.

An import searches the new report for the earlier promises already accepted; a promise accepted after the
reports that review its period were imported is searched for here, by a command the editor runs after
reviewing commitments (and the review page's save says when it is due). Each search appends candidate
answers and a ``searched`` entry to the report's data file, all marked 待核对: until an editor decides them,
the promise reads 尚未核对, never 未再提及.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedSeq

from annals.archive.model import Archive
from annals.data.schema import Promise
from annals.data.vocab import Timing
from annals.intake.importer import answers_yaml
from annals.intake.promise_candidates import Answer, evidence_candidates, passages
from annals.judge.promises import to_search
from annals.review.edits import dumped, load_data, yaml_doc

__all__ = ["due", "search_all", "with_answers"]


def due(archive: Archive) -> dict[str, list[Promise]]:
    """Report src → the accepted promises it was never searched for, though it reviews their period."""
    return to_search(archive.promises, archive.evidence, list(archive.reports.values()), archive.looks)


def search_all(archive: Archive) -> dict[str, list[tuple[Promise, list[Answer]]]]:
    """Report src → each promise due and the candidate answers its text offers."""
    out = {}
    for src, promises in sorted(due(archive).items()):
        report = archive.reports[src]
        found = passages(report.body, Timing(report.period, report.kind, report.date))
        out[src] = [(p, evidence_candidates(p.label, p.quote, found)) for p in promises]
    return out


def with_answers(text: str, answers: list[tuple[Promise, list[Answer]]]) -> str:
    """A data file with candidate answers and ``searched`` entries appended, its comments and layout kept."""
    data = load_data(text)
    added = yaml_doc().load(answers_yaml(answers))
    for key in ("evidence", "searched"):
        items = added.get(key) or []
        if not items:
            continue
        have = data.get(key)
        if not isinstance(have, CommentedSeq) or have.fa.flow_style():  # `evidence: []` as an import writes it
            have = CommentedSeq(list(have or []))
            data[key] = have
        have.extend(items)
    return dumped(data)
