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
from annals.data.schema import Promise, Report
from annals.data.vocab import Timing
from annals.intake.importer import answers_yaml
from annals.intake.promise_candidates import Answer, evidence_candidates, passages
from annals.judge.promises import to_search
from annals.review.edits import dumped, load_data, yaml_doc

__all__ = ["search_all", "search_new", "with_answers"]


def _search(report: Report, body: str, promises: list[Promise]) -> list[tuple[Promise, list[Answer]]]:
    found = passages(body, Timing(report.period, report.kind, report.date))
    return [(p, evidence_candidates(p.label, p.quote, found, parts=p.parts)) for p in promises]


def search_all(archive: Archive) -> dict[str, list[tuple[Promise, list[Answer]]]]:
    """Report src → each accepted promise it was never searched for, though it reviews its period, with the
    candidate answers its text offers."""
    due = to_search(archive.promises, archive.evidence, list(archive.reports.values()), archive.looks)
    return {src: _search(archive.reports[src], archive.reports[src].body, promises) for src, promises in sorted(due.items())}


def search_new(archive: Archive, report: Report, body: str) -> list[tuple[Promise, list[Answer]]]:
    """The earlier promises a report being imported is to be searched for (not settled, their period reviewed by
    it), each with the candidate answers its text offers."""
    others = [r for r in archive.reports.values() if r.src != report.src]
    due = to_search(archive.promises, archive.evidence, [*others, report], archive.looks).get(report.src, [])
    return _search(report, body, due)


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
