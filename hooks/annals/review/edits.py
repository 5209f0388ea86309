"""``annals review``: check an import's candidates on a page, not in YAML.

The page (served on 127.0.0.1 only) shows a report's text with each candidate highlighted in its
sentence; accept, reject or correct it, or add a figure by selecting its words. The same for the
promises an import proposes (label, topic, period) and its answers to earlier ones (the status). This module holds
what the page does to a figures file, as plain functions: :func:`state` (what the page shows),
:func:`edit` (a figures file with the editor's decisions applied, its comments, key order and
formatting kept: ruamel.yaml round-trips, PyYAML would re-dump it), :func:`check_edit` (the very
problems the build would report) and :func:`save` (under the archive's lock, atomically, never over
a file changed since the page read it). :mod:`annals.review.server` serves them.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from annals.archive.model import load_archive, load_bureaus, load_indicators, load_report
from annals.data import atomic
from annals.data.errors import DataError, Problem
from annals.data.plaintext import plain_line, split_front_matter
from annals.data.routes import FIGURES_DIR, figures_path_for, report_for_figures
from annals.data.vocab import EVIDENCE_STATUS, FIGURE_TYPES, QUALIFIERS

__all__ = ["Conflict", "EDITABLE", "LISTS", "check_edit", "dumped", "edit", "load_data", "pending", "save", "state", "yaml_doc"]

# The fields the page edits, in the order a figures file writes them.
EDITABLE = ("indicator", "type", "period", "basis", "value", "unit", "qualifier", "quote")
_ORDER = ("indicator", "type", "period", "basis", "value", "unit", "qualifier", "quote", "note", "review")
# The same for a data file's other lists: its promises, and its answers to earlier ones.
LISTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # list → (what the page edits, the order of the keys)
    "figures": (EDITABLE, _ORDER),
    "commitments": (("label", "parts", "topic", "period", "quote"),
                    ("id", "label", "quote", "parts", "topic", "indicator", "period", "note", "review")),
    "evidence": (("part", "status", "note", "quote"), ("commitment", "quote", "part", "status", "note", "proposed", "review")),
    "searched": ((), ("commitment", "review")),  # accepted: the editor decided this report's answers to it
}


class Conflict(Exception):
    """The figures file changed on disk since the page read it."""


def yaml_doc() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # as `annals import` writes: "  - indicator: …"
    yaml.width = 4096  # a long quote stays on its line
    return yaml


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def figures_file(project: Path, src: str) -> Path:
    return project / "data" / figures_path_for(src)


def pending(project: Path, docs: Path) -> list[str]:
    """Reports whose figures file still has candidates to review, in path order."""
    out = []
    for file in sorted((project / "data" / FIGURES_DIR).rglob("*.yml")):
        if re.search(r"^\s+review:", file.read_text(encoding="utf-8"), re.M):
            src = report_for_figures(file.relative_to(project / "data" / FIGURES_DIR).as_posix())
            if (docs / src).is_file():
                out.append(src)
    return out


def load_data(text: str) -> CommentedMap:
    """The round-trip document of a figures file, with a figures list to edit."""
    data = yaml_doc().load(text) if text.strip() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise DataError([Problem("", 1, "应为 figures: 后跟数据列表")])
    if data.get("figures") is None:
        data["figures"] = CommentedSeq()
    return data


def _promises_of(project: Path, path: str) -> dict[str, dict[str, Any]]:
    """The promises of a data file (2014/a: data/figures/2014/a.yml), id → label, quote and parts; empty if unreadable."""
    try:
        loaded = load_data((project / "data" / FIGURES_DIR / f"{path}.yml").read_text(encoding="utf-8"))
    except (OSError, YAMLError, DataError):
        return {}
    return {str(e.get("id")): {"label": str(e.get("label", "")), "quote": str(e.get("quote", "")),
                               "parts": [str(p) for p in e.get("parts") or [] if isinstance(e.get("parts"), list)]}
            for e in loaded.get("commitments") or [] if isinstance(e, CommentedMap)}


def _shown(value: Any, key: str = "") -> str:
    if isinstance(value, list):
        return ("；" if key == "parts" else "－").join(_num(v) for v in value)
    return "" if value is None else _num(value)


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def state(project: Path, docs: Path, src: str) -> dict[str, Any]:
    """What the page shows of one report: its text, its figures (candidates marked) and the catalogue."""
    report = load_report(docs / src, src, f"docs/{src}", load_bureaus(project / "data/bureaus.yml", "data/bureaus.yml"))
    _, body, _ = split_front_matter((docs / src).read_text(encoding="utf-8"), f"docs/{src}")
    path = figures_file(project, src)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    loaded = load_data(text)
    blocks = []
    for raw in body.split("\n"):
        if raw.strip():
            level = len(raw) - len(raw.lstrip("#"))
            blocks.append({"level": level if 0 < level <= 6 and raw[level : level + 1] == " " else 0, "text": plain_line(raw)})
    figures = []
    for i, entry in enumerate(loaded["figures"]):
        if isinstance(entry, CommentedMap):
            fields = {k: _shown(entry.get(k)) for k in EDITABLE}
            fields["type"] = fields["type"] or "result"
            figures.append({"index": i, "fields": fields, "review": "review" in entry, "line": entry.lc.line + 1})
    promises = []  # the data file's promises and answers, as cards of their own kind
    earlier: dict[str, dict[str, dict[str, Any]]] = {}  # an import's ~80 answers name promises of a few files: read each once
    for kind in ("commitments", "evidence", "searched"):
        for i, entry in enumerate(loaded.get(kind) or []):
            if isinstance(entry, CommentedMap):
                fields = {k: _shown(entry.get(k), k) for k in LISTS[kind][0]}
                card = {"list": kind, "index": i, "fields": fields, "review": "review" in entry, "line": entry.lc.line + 1}
                if kind == "evidence":
                    card["proposed"] = _shown(entry.get("proposed"))
                if kind != "commitments":
                    ref = str(entry.get("commitment", ""))
                    where, _, pid = ref.partition("#")
                    if where not in earlier:
                        earlier[where] = _promises_of(project, where)
                    card["promise"] = {"ref": ref, **earlier[where].get(pid, {})}
                promises.append(card)
    indicators = load_indicators_of(project)
    return {
        "promises": promises,
        "statuses": list(EVIDENCE_STATUS),
        "src": src,
        "title": report.title,
        "period": report.period.key,
        "figures_path": path.relative_to(project).as_posix(),
        "hash": digest(text),
        "blocks": blocks,
        "figures": figures,
        "indicators": indicators,
        "types": FIGURE_TYPES,
        "qualifiers": list(QUALIFIERS),
    }


def load_indicators_of(project: Path) -> list[dict[str, str]]:
    catalogue = load_indicators(project / "data/indicators.yml", "data/indicators.yml")
    return [{"id": i.id, "name": i.name, "unit": i.unit, "group": i.group} for i in catalogue.values()]


# ------------------------------------------------------------------ editing


def _value(text: str) -> Any:
    """A value as the editor typed it: 166, 1.35, 6.5－7 (a range), xx (not disclosed)."""
    text = text.strip()
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*[－\-—~～至]\s*(-?\d+(?:\.\d+)?)", text)
    if m:
        seq = CommentedSeq([_number(m.group(1)), _number(m.group(2))])
        seq.fa.set_flow_style()
        return seq
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return _number(text)
    return text


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _period(text: str) -> Any:
    text = text.strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else text


def _set(entry: CommentedMap, key: str, value: Any, order: tuple[str, ...] = _ORDER) -> None:
    """Set or remove ``key``, a new key in the data file's order; a comment after it stays."""
    if value in ("", None) or (key == "type" and value == "result"):
        if key in entry:
            _delete(entry, key)
        return
    if key in entry:
        if _shown(entry[key]) != _shown(value):
            entry[key] = value
        return
    later = [k for k in entry if k in order and order.index(k) > order.index(key)]
    entry.insert(list(entry).index(later[0]) if later else len(entry), key, value)


def _delete(entry: CommentedMap, key: str) -> None:
    """Delete ``key``, handing the comment after it (the unmatched list after the last entry) to the key before."""
    after = entry.ca.items.pop(key, None)
    keys = list(entry)
    at = keys.index(key)
    del entry[key]
    if after and after[2] is not None:
        if at > 0:
            _attach(entry, keys[at - 1], after[2])
        elif len(entry):
            _attach(entry, list(entry)[-1], after[2])


def _attach(entry: CommentedMap, key: str, token: Any) -> None:
    slot = entry.ca.items.setdefault(key, [None, None, None, None])
    if slot[2] is None:
        slot[2] = token
    else:
        slot[2].value = slot[2].value.rstrip("\n") + "\n" + token.value.lstrip("\n")


def _fields(entry: CommentedMap, fields: dict[str, str], figures: CommentedSeq, kind: str = "figures") -> None:
    editable, order = LISTS[kind]
    for key in editable:
        if key not in fields:
            continue
        raw = str(fields[key]).strip()
        if key == "parts":  # typed 推进种业振兴；加强耕地保护: one part each
            value: Any = CommentedSeq([p.strip() for p in re.split(r"[；;\n]", raw) if p.strip()]) or ""
            if value:
                value.fa.set_flow_style()
        elif key == "part":
            value = int(raw) if raw.isdigit() and raw != "0" else ""
        else:
            value = _value(raw) if key == "value" else _period(raw) if key == "period" else _styled(figures, key, raw)
        _set(entry, key, value, order)


def _styled(figures: CommentedSeq, key: str, text: str) -> Any:
    """A text in the style the file writes ``key`` in: "万元" in an imported file, 万元 in a hand-written one."""
    quoted = any(isinstance(e, CommentedMap) and isinstance(e.get(key), DoubleQuotedScalarString) for e in figures)
    return DoubleQuotedScalarString(text) if quoted and text else text


def edit(text: str, decisions: list[dict[str, Any]]) -> str:
    """The data file ``text`` with the editor's decisions applied: ``{"index": i, "action": "accept",
    "fields": {…}}`` (corrected fields, the review mark removed), ``{"index": i, "action": "reject"}``
    (the entry removed), ``{"action": "add", "fields": {…}}`` (a new figure at the end). A decision on a
    promise or an answer names its list: ``"list": "commitments"`` or ``"evidence"`` (default: figures)."""
    loaded = load_data(text)
    figures = loaded["figures"]
    rejected: list[tuple[str, int]] = []
    for decision in decisions:
        action = decision.get("action")
        kind = decision.get("list", "figures")
        if kind not in LISTS or (kind != "figures" and action == "add"):
            raise ValueError(f"no list {kind!r} to {action}")
        if action == "add":
            entry = CommentedMap()
            _fields(entry, decision.get("fields", {}), figures)
            _hand_on_trailer(figures, entry)
            figures.append(entry)
            continue
        entries: CommentedSeq = loaded.get(kind) or CommentedSeq()
        index = int(decision["index"])
        if not 0 <= index < len(entries) or not isinstance(entries[index], CommentedMap):
            raise ValueError(f"no {kind} entry {index}")
        if action == "accept":
            _fields(entries[index], decision.get("fields", {}), entries, kind)
            if "review" in entries[index]:
                _delete(entries[index], "review")
        elif action == "reject":
            rejected.append((kind, index))
        else:
            raise ValueError(f"unknown action {action!r}")
    for kind, index in sorted(rejected, reverse=True):
        _remove_entry(loaded[kind], index)
    return dumped(loaded)


def dumped(data: CommentedMap) -> str:
    """A round-trip document as text, in the layout `annals import` writes."""
    out = io.StringIO()
    yaml_doc().dump(data, out)
    return out.getvalue()


def _hand_on_trailer(figures: CommentedSeq, entry: CommentedMap) -> None:
    """The comment after the last entry (import's list of unmatched numbers) stays last: it moves to ``entry``."""
    if not len(figures) or not isinstance(figures[-1], CommentedMap) or not len(figures[-1]) or not len(entry):
        return
    last = figures[-1]
    slot = last.ca.items.get(list(last)[-1])
    if slot and slot[2] is not None:
        token, slot[2] = slot[2], None
        _attach(entry, list(entry)[-1], token)


def _remove_entry(figures: CommentedSeq, index: int) -> None:
    """Remove an entry; the comment after its last key (the unmatched list) goes to the entry before."""
    entry = figures[index]
    last = list(entry)[-1] if len(entry) else None
    after = entry.ca.items.get(last) if last else None
    del figures[index]
    if after and after[2] is not None and index > 0:
        before = figures[index - 1]
        if isinstance(before, CommentedMap) and len(before):
            _attach(before, list(before)[-1], after[2])


# ------------------------------------------------------------------ checking and saving


def check_edit(project: Path, docs: Path, src: str, new_text: str) -> tuple[list[str], list[str]]:
    """(problems, warnings) the build would report with ``new_text`` as the report's figures file: every
    problem of the archive (an edit can clash with another report's figure), this file's warnings."""
    try:
        yaml_doc().load(new_text)
    except YAMLError as exc:
        return [f"YAML 格式错误：{exc}"], []
    path = figures_file(project, src)
    try:
        archive = load_archive(project, docs, project / "data", unsaved={path: new_text})
    except DataError as exc:
        return [str(p) for p in exc.problems], []
    shown = path.relative_to(project).as_posix()
    return [], [str(w) for w in archive.warnings if w.path == shown]  # this file's: the archive's others are not this edit's


def save(project: Path, src: str, base: str, new_text: str) -> str:
    """Write ``new_text`` as the report's figures file, under the archive's lock, if the file is still the
    one the page read (its digest ``base``); its new digest."""
    path = figures_file(project, src)
    with atomic.archive_lock(project):
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if digest(current) != base:
            raise Conflict(str(path.relative_to(project)))
        atomic.write_all(project, [(path, new_text)], force=False)
    return digest(new_text)
