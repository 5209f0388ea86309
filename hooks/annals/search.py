"""Full-text search: exact-term semantics for Chinese on top of Pagefind.

Pagefind cuts Chinese into words with one segmenter when indexing (jieba) and
another when querying (the browser's Intl.Segmenter); where they disagree a
report that contains a term is missed (党史学习教育 found in 2 of 4 seeds). So
annals does its own, trivial, cutting on both sides: every run of letters and
digits (a point between digits included) becomes its characters and its
overlapping two-character pieces, each written as an ASCII token Pagefind
indexes verbatim. A query term becomes the pairs of its own runs (or a lone
character); a report holding all of them is a candidate, and the browser
confirms each candidate against the report's text (``assets/annals-search.js``
mirrors ``normalise``, ``token`` and ``part_of``). A piece most reports hold is
written the other way round, for the reports without it (``write_index``).

A report lists each token once. Pagefind's cost while indexing grows with the
(token, page) pairs it is given, and with the pages (each a fragment written
and read back): so a page of the index holds a group of reports (``GROUP``),
each report's tokens after a ``MARKER``, and a location Pagefind reports for a
token is in the report of the last marker before it. A large archive's index
is also cut by piece, to bound Pagefind's memory: part k holds the pieces whose
characters' codes give k (``part_of``), as a language of the one bundle
(Pagefind picks an index by language); a query loads only the parts its pieces
are in. The whole runs in a process of its own (``IndexJob``), while MkDocs
renders the pages (under ``mkdocs serve``, once they are served).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import itertools
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
import numpy as np
import numpy.typing as npt

from .model import Archive, Report
from .render import HEADING_LINE, outline_ids
from .textprep import ZERO_WIDTH
from .vocab import KINDS

# Dropped before matching: invisible characters inside words (the cleaner's, and soft hyphens), and white space, so
# that a line break, a paragraph break or a byline spaced with U+3000 (国务院总理　李克强) hides no phrase.
IGNORED = re.compile(f"[{ZERO_WIDTH}\u00ad\\s]")
BASE = 26
WIDTH = 4  # letters per character: 26**4 > every code point of the CJK planes
LANGUAGE = "x-annals"  # no Pagefind stemmer or segmenter touches the tokens
BUNDLE = "pagefind"  # the bundle's folder in the site
TEXTS = "search"  # folder of the reports' texts the browser checks candidates against


# NFKC leaves a CJK ideograph as it is and never joins it to a neighbour, nor does lower-casing, so
# text can be normalised between them: the runs between ideographs are short and recur (，。2021),
# each normalised once: 1.2 ms a report, against 4 for the whole text.
_BETWEEN_IDEOGRAPHS = re.compile(r"([^\u4e00-\u9fff]+)")


@functools.lru_cache(maxsize=1 << 16)
def _normalise_run(run: str) -> str:
    return IGNORED.sub("", unicodedata.normalize("NFKC", run)).lower()


def normalise(text: str) -> str:
    """What matching compares: full- and half-width forms alike, no zero-width characters, no white space
    (queries are split into terms at white space before), lower case."""
    runs = _BETWEEN_IDEOGRAPHS.split(text)  # ideographs, then what is between, and so on
    runs[1::2] = map(_normalise_run, runs[1::2])
    return "".join(runs)


# Characters are told apart by their code modulo SPAN: all of the planes that hold letters (none above 3).
SPAN = BASE**WIDTH
POINT = ord(".")


@functools.cache
def _classes() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For every code point: is it in a run (a letter or digit: ``str.isalnum``, the browser's ``\\p{L}``
    and ``\\p{N}``), and is it a decimal digit (``str.isdecimal``, ``\\p{Nd}``)."""
    chars = [chr(c) for c in range(sys.maxunicode + 1)]
    return (np.fromiter(map(str.isalnum, chars), np.bool_, len(chars)),
            np.fromiter(map(str.isdecimal, chars), np.bool_, len(chars)))


def pieces(text: str) -> npt.NDArray[np.uint64]:
    """The pieces of already normalised text, as sorted distinct keys: each character of a run (a
    character's key is its code modulo SPAN) and each two adjacent ones (``(first + 1) * SPAN + second``).

    A run is letters and digits, with a point between digits: "6.5%" is then the run "6.5", whose pieces
    few reports have, not "6" and "5", which all have. A term of two characters or more is in a report
    only if all its pairs are; a term of one, only if that character is.
    """
    alnum, decimal = _classes()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    in_run = alnum[codes]
    point = codes[1:-1] == POINT
    if point.any():
        digit = decimal[codes]
        in_run[1:-1] |= point & digit[:-2] & digit[2:]
    short = (codes % SPAN).astype(np.uint64)
    pair = in_run[:-1] & in_run[1:]
    keys = np.sort(np.concatenate([short[in_run], (short[:-1][pair] + 1) * SPAN + short[1:][pair]]))
    return _distinct_sorted(keys)


def _distinct_sorted(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Sorted keys once each (np.unique sorts them again, and took ten times as long)."""
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if keys.size else keys


def is_pair(key: int) -> bool:
    return key >= SPAN


def letters(code: int) -> str:
    """A character's code as WIDTH lowercase letters (base 26): Pagefind indexes such words verbatim."""
    out = ""
    for _ in range(WIDTH):
        code, digit = divmod(code, BASE)
        out = chr(97 + digit) + out
    return out


def token(key: int) -> str:
    """A piece as the index writes it, and the browser asks for it."""
    return letters(key // SPAN - 1) + letters(key % SPAN) if is_pair(key) else letters(key)


def lacking_token(key: int) -> str:
    """The token that lists the reports *without* a common piece (see ``write_index``): a digit in front,
    one for pairs and another for characters, so that no token is a prefix of another's. (Pagefind matches
    the end of a word by prefix: a character's own token also finds its pairs', which is harmless, as a
    report with a pair has its first character.)"""
    return ("0" if is_pair(key) else "1") + token(key)


def part_of(keys: npt.NDArray[np.uint64], parts: int) -> npt.NDArray[np.int64]:
    """The part of the index each piece is in, from the codes of all its characters (a pair's
    first·31 + second): by the first alone, the part of a character that starts many pairs (的, 教) held
    twice the mean."""
    first, second = np.divmod(keys.astype(np.int64), SPAN)
    return np.where(first > 0, (first - 1) * 31 + second, second) % parts


@dataclass(frozen=True)
class Section:
    anchor: str  # "" for the text before the first heading
    heading: str
    text: str


@dataclass(frozen=True)
class Document:
    """One report as search sees it."""

    url: str  # site-relative, e.g. reports/2021/xupu-edu-h1-midyear-summary/
    title: str
    year: int
    kind: str
    issuer: str
    date: str
    sections: tuple[Section, ...]


def sections_of(body: str, plain: tuple[str, ...]) -> tuple[Section, ...]:
    """A report's Markdown body cut at its headings, with the ids the page gives them.

    ``plain`` is the body as plain text line by line (``Report.lines``), read once when the report was loaded.
    """
    sections: list[Section] = []
    anchor, heading = "", ""
    lines: list[str] = []
    for line, text in zip(outline_ids(body).split("\n"), plain, strict=True):
        m = HEADING_LINE.match(line)
        if m and m.group(2).endswith("}"):
            sections.append(Section(anchor, heading, "\n".join(lines).strip()))
            anchor = m.group(2).rsplit("#", 1)[1].rstrip(" }")
            heading, lines = text, []
        else:
            lines.append(text)
    sections.append(Section(anchor, heading, "\n".join(lines).strip()))
    return tuple(s for s in sections if s.heading or s.text)


def document(report: Report, archive: Archive) -> Document:
    return Document(
        url=archive.links.url(report.src), title=report.title, year=report.year, kind=KINDS[report.kind],
        issuer=archive.bureaus[report.bureau].name, date=report.date, sections=sections_of(report.body, report.lines),
    )


def in_date_order(docs: Iterable[Document]) -> list[Document]:
    """The reports in the order their result ids number them."""
    return sorted(docs, key=lambda d: (d.date, d.url))


def result_id(ordinal: int) -> str:
    """A place in date order, in base 36 (short, and sorts by date): a report's (its text's name), or a
    page's of the index (a group of reports)."""
    digits = ""
    while True:
        ordinal, digit = divmod(ordinal, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not ordinal:
            return digits


def _searchable(doc: Document) -> str:
    return "\n".join([doc.title, *(f"{s.heading}\n{s.text}" for s in doc.sections)])


MARKER = "9m"  # begins each report's words on a page of the index (a digit in front: no piece's token)
FACTS = ("year", "kind", "issuer")  # what results are filtered by


def facts_of(doc: Document) -> tuple[str, ...]:
    return (str(doc.year), doc.kind, doc.issuer)


def fact_token(name: str, place: int) -> str:
    """The token of the ``place``th value of the fact ``name`` (in the manifest's order): a digit in front, so
    no piece's token, and of one width, so no other fact's prefix (Pagefind matches a word's end by prefix)."""
    return "2" + name[0] + letters(place)


def index_html(words: Iterable[str]) -> str:
    """A page Pagefind indexes: words, in the order their locations number them."""
    return (f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head>'
            f'<body data-pagefind-body><p>{" ".join(words)}</p></body></html>')


def text_json(doc: Document) -> str:
    """What a result shows, and the text the browser confirms it against, cut in sections for the excerpt's link."""
    return json.dumps({
        "url": doc.url, "title": doc.title, "year": doc.year, "kind": doc.kind, "issuer": doc.issuer, "date": doc.date,
        "sections": [[s.anchor, s.heading, s.text] for s in doc.sections],
    }, ensure_ascii=False, separators=(",", ":"))


class SearchIndexError(RuntimeError):
    pass


def _run_pagefind(pages: Path, bundle: Path) -> None:
    # The command line, not the Python API: the API's service wrapper answers one
    # record per 0.1 s (an hour for 10,000 reports); the command line indexes in parallel.
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle),
               "--force-language", LANGUAGE, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
    if result.returncode != 0 or not (bundle / "pagefind.js").exists():
        raise SearchIndexError(f"搜索索引生成失败（search index failed）：{result.stdout}{result.stderr}".strip())


PAGEFIND_VERSION = "1.5.2"  # the layout _merge_part rewrites; pinned in pyproject.toml
_SIGNATURE = b"pagefind_dcd"  # what every Pagefind index file starts with, once decompressed


def _read_index_file(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path}: 不是 Pagefind 索引文件（not a Pagefind index file）")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write_index_file(folder: Path, stem: str, suffix: str, value: Any, digits: int) -> str:
    """Write ``value`` as Pagefind does, named ``<stem>_<hash of the content><suffix>``; the name without suffix."""
    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{stem}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


PAGEFIND_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")  # the same in every part


def _merge_part(part: Path, k: int, bundle: Path, entry: dict[str, Any]) -> None:
    """Move part k of the index, as Pagefind wrote it in ``part``, into ``bundle`` as the language
    ``x-annals-k``, and add it to ``entry``; the same bytes for the same reports.

    Its pages are named by their file's name, the group's id (Pagefind names them by a hash of a fragment
    the browser never needs: a result's text is ``search/<version>/<id>.json``), and weigh the same
    (results are listed by date). Its index chunks are named by part, as the parts share a folder.
    """
    part_entry = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
    language = part_entry["languages"][LANGUAGE]
    meta = _read_index_file(part / f"pagefind.{language['hash']}.pf_meta")
    if part_entry["version"] != PAGEFIND_VERSION or meta[0] != PAGEFIND_VERSION:
        raise SearchIndexError(f"Pagefind {part_entry['version']}：annals 需要 {PAGEFIND_VERSION}（pip install -e . 重新安装）")
    for page in meta[1]:  # [fragment hash, word count], in page-number order
        data = gzip.decompress((part / "fragment" / f"{page[0]}.pf_fragment").read_bytes())
        url = json.loads(data[data.index(b"{"):])["url"]  # after Pagefind's short signature
        page[:] = [url.strip("/").removesuffix(".html"), 1]
    (bundle / "index").mkdir(parents=True, exist_ok=True)
    for chunk in meta[2]:  # [first word, last word, hash]
        old, chunk[2] = chunk[2], f"{k}-{chunk[2]}"
        shutil.move(part / "index" / f"{old}.pf_index", bundle / "index" / f"{chunk[2]}.pf_index")
    if k == 0:
        for name in PAGEFIND_FILES:
            shutil.copyfile(part / name, bundle / name)
        entry["version"] = part_entry["version"]
    name = f"{LANGUAGE}-{k}"
    entry.setdefault("languages", {})[name] = {
        **language, "hash": _write_index_file(bundle, f"pagefind.{name}", ".pf_meta", meta, 16).removeprefix("pagefind.")}


# Pagefind holds ~140 bytes per word it is given while indexing (measured: 733 MB
# for the 5.3 million of 1,000 reports of 12,000 characters, with pages of 100),
# so a part of 4 million peaks at ~0.6 GB, however large the archive; there are
# ~5,300 words a report of that size (common pieces inverted). Parts of that size
# also give two runs to do at once from 1,000 reports on (one took 19.5 s, two 13.9).
# ANNALS_SEARCH_PARTS sets the number of parts instead.
WORDS_PER_PART = 4_000_000
# Reports per page of the index. Fewer, larger pages cost Pagefind less time and
# memory (1,000 reports: 1.9 GB with pages of 10, 0.7 GB with pages of 100); a
# result's locations grow with the page. ANNALS_SEARCH_GROUP sets another size.
GROUP = 100
BATCH = 300  # reports the index process reads at a time (each batch a file from MkDocs)
MANIFEST = "annals.json"  # in the bundle: the parts, the page size, the reports, the common pieces, the facts, the texts' folder


# Pagefind indexes a part on one core, in ~0.6 GB. While MkDocs renders the pages
# (a core, and ~0.2 MB a report) one part is indexed at a time; once it has
# written them and given its memory back (``IndexJob.pages_written``), two.
# ANNALS_SEARCH_RUNS sets another number for then.
PAGES_WRITTEN = "pages-written"  # in IndexJob's folder: MkDocs is done with the pages


KNOBS = ("ANNALS_SEARCH_RUNS", "ANNALS_SEARCH_PARTS", "ANNALS_SEARCH_GROUP")  # environment variables for tuning


def _knob(name: str) -> int | None:
    """A tuning knob's whole number, None when unset; anything else is a SearchIndexError saying so."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise SearchIndexError(f"环境变量 {name}={value!r} 应为正整数，如 {name}=2；或删去它，用默认值（{name} must be a whole number from 1）")
    return int(value)


def check_knobs() -> None:
    """Raise SearchIndexError for a tuning knob that is set wrong, before a build begins."""
    for name in KNOBS:
        _knob(name)


def pagefind_runs() -> int:
    return _knob("ANNALS_SEARCH_RUNS") or 2


class _Runs:
    """Pagefind runs allowed at a time: one, or ``most`` once the file ``more_runs`` exists (at once if None)."""

    def __init__(self, most: int, more_runs: Path | None) -> None:
        self.most, self.more_runs, self.running = most, more_runs, 0
        self.changed = threading.Condition()

    def __enter__(self) -> None:
        with self.changed:
            while self.running >= (self.most if self.more_runs is None or self.more_runs.exists() else 1):
                self.changed.wait(0.5)  # a file: looked at twice a second
            self.running += 1

    def __exit__(self, *_: object) -> None:
        with self.changed:
            self.running -= 1
            self.changed.notify_all()


def part_count(words: int) -> int:
    """Parts for an index of ``words`` words (see ``WORDS_PER_PART``)."""
    return _knob("ANNALS_SEARCH_PARTS") or max(1, -(-words // WORDS_PER_PART))


def group_size() -> int:
    return _knob("ANNALS_SEARCH_GROUP") or GROUP


class _Numbers:
    """Numbers for pieces, in the order first seen (a batch's new ones in key order), looked up a batch at once."""

    def __init__(self) -> None:
        self.keys = np.empty(0, np.uint64)  # sorted
        self.numbers = np.empty(0, np.uint32)  # of those keys
        self.by_number: list[npt.NDArray[np.uint64]] = []  # the keys, a batch's new ones after another's

    def of(self, keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
        distinct = _distinct_sorted(np.sort(keys))
        new = distinct[~np.isin(distinct, self.keys, assume_unique=True)]
        if new.size:
            self.by_number.append(new)
            merged = np.concatenate([self.keys, new])
            order = np.argsort(merged, kind="stable")
            self.keys = merged[order]
            self.numbers = np.concatenate([self.numbers, np.arange(len(self.numbers), len(merged), dtype=np.uint32)])[order]
        return self.numbers[np.searchsorted(self.keys, keys)]


@dataclass
class _Read:
    """The reports as the index needs them, after one pass over them all."""

    keys: npt.NDArray[np.uint64]  # every piece, by its number
    holders: npt.NDArray[np.int64]  # how many reports hold each piece, by number
    # Per batch: its reports' pieces by number, one report after another, and where each report's end. Large
    # blocks, given back to the system when dropped, before Pagefind runs (sets would not fit in memory).
    held: list[tuple[npt.NDArray[np.uint32], list[int]]]
    facts: list[tuple[str, ...]]  # each report's, by FACTS
    version: str  # a hash of all texts: names their folder


def _read(batches: Iterable[list[Document]], texts: Path) -> _Read:
    """Read the reports into numbered pieces, writing each one's text into ``texts`` on the way."""
    numbers = _Numbers()
    read = _Read(np.empty(0, np.uint64), np.zeros(0, np.int64), [], [], "")
    version = hashlib.sha256()
    for batch in batches:
        found = []
        for doc in batch:
            text = text_json(doc)
            version.update(text.encode())
            (texts / f"{result_id(len(read.facts))}.json").write_text(text, encoding="utf-8")
            found.append(pieces(normalise(_searchable(doc))))
            read.facts.append(facts_of(doc))
        if not found:
            continue
        held = numbers.of(np.concatenate(found))
        holders = np.bincount(held, minlength=len(numbers.keys))  # a report holds a piece once
        holders[: len(read.holders)] += read.holders
        read.holders = holders
        read.held.append((held, list(itertools.accumulate(map(len, found)))))
    read.keys = np.concatenate([np.empty(0, np.uint64), *numbers.by_number])
    read.version = version.hexdigest()[:12]
    return read


def _write_pages(read: _Read, common: npt.NDArray[np.bool_], parts: int, facts: list[str], folder: Path) -> list[Path]:
    """Write each part's pages into its folder: one a group of reports in date order, each report's words
    after a MARKER: its facts' tokens (in the first part), its tokens for the pieces of the part."""
    part = part_of(read.keys, parts)
    # What a page says for a piece: its token, or for a common one, the token of its absence.
    words = [lacking_token(k) if c else token(k) for k, c in zip(read.keys.tolist(), common.tolist(), strict=True)]
    lacking = np.flatnonzero(common)
    holds = np.zeros(len(words), np.bool_)  # the current report's pieces
    folders = [folder / f"part-{k}" for k in range(parts)]
    pages: list[list[str]] = [[] for _ in folders]  # the current page's words, by part
    group, count, ordinal = group_size(), len(read.facts), 0
    for held, ends in read.held:
        for start, end in itertools.pairwise([0, *ends]):
            mine = held[start:end]
            holds[mine] = True
            said = np.concatenate([mine[~common[mine]], lacking[~holds[lacking]]])
            holds[mine] = False
            said = said[np.argsort(part[said], kind="stable")]
            bounds = np.searchsorted(part[said], np.arange(parts + 1)).tolist()
            for k, page in enumerate(pages):
                page.append(MARKER)
                if k == 0:
                    page.append(facts[ordinal])
                page.extend(map(words.__getitem__, said[bounds[k] : bounds[k + 1]].tolist()))
            ordinal += 1
            if ordinal % group == 0 or ordinal == count:
                for page, pages_folder in zip(pages, folders, strict=True):
                    pages_folder.mkdir(exist_ok=True)  # one file a page, no folder: half the files to write and delete
                    (pages_folder / f"{result_id((ordinal - 1) // group)}.html").write_text(index_html(page), encoding="utf-8")
                    page.clear()
    return folders


def _index_parts(pages: list[Path], folder: Path, bundle: Path, more_runs: Path | None) -> dict[str, Any]:
    """Run Pagefind on each part's pages and merge them into ``bundle``; its entry."""
    entry = dict[str, Any]()
    allowed = _Runs(pagefind_runs(), more_runs)

    def index_part(k: int) -> None:
        with allowed:
            _run_pagefind(pages[k], folder / f"bundle-{k}")

    with ThreadPoolExecutor(allowed.most) as pool:
        runs = [pool.submit(index_part, k) for k in range(len(pages))]
        try:
            for k, run in enumerate(runs):  # merged in order: the same bytes however the runs interleave
                run.result()
                shutil.rmtree(pages[k])
                _merge_part(folder / f"bundle-{k}", k, bundle, entry)
                shutil.rmtree(folder / f"bundle-{k}")
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return entry


def write_index(batches: Iterable[list[Document]], count: int, out: Path, more_runs: Path | None = None) -> None:
    """Write the Pagefind bundle of ``count`` reports, given in date order, and their texts under ``out``.

    A piece most reports hold (a common one: 的, 工作, 教育) is written, for the reports *without* it, as
    its ``lacking_token``; the manifest lists the common pieces, and the browser takes the reports a search
    for that token names away. No token then lists more than half the reports: less to index and to
    download. Hence two passes: which pieces are common is known only once every report has been read.
    A report's facts (year, kind, issuer) are tokens too, named in the manifest: a filter is one more
    token to hold.

    Pagefind runs on one part at a time until ``more_runs`` exists (if given), then on ``pagefind_runs()``.
    Nothing is written for an archive without reports: Pagefind refuses an empty site, and there is nothing
    to find.
    """
    if not count:
        return
    texts = out / TEXTS / "new"
    texts.mkdir(parents=True)
    read = _read(batches, texts)
    common = read.holders * 2 > count
    parts = part_count(int(read.holders[~common].sum() + (count - read.holders[common]).sum()))
    facts = {name: {value: fact_token(name, place) for place, value in enumerate(sorted({f[i] for f in read.facts}))}
             for i, name in enumerate(FACTS)}
    said = [" ".join(facts[name][value] for name, value in zip(FACTS, of, strict=True)) for of in read.facts]
    bundle = out / BUNDLE
    bundle.mkdir()
    with tempfile.TemporaryDirectory(prefix="pages-", dir=out) as tmp:  # in IndexJob's folder, which a cancel removes
        pages = _write_pages(read, common, parts, said, Path(tmp))
        read.held = []  # given back before Pagefind runs
        entry = _index_parts(pages, Path(tmp), bundle, more_runs)
    texts.rename(texts.with_name(read.version))
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
    manifest = {"parts": parts, "group": group_size(), "texts": f"{TEXTS}/{read.version}/", "reports": count,
                "common": " ".join(sorted(map(token, read.keys[common].tolist()))), "facts": facts}
    (bundle / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


WORK_PREFIX = "annals-index-"  # IndexJob's folder in the system's temporary folder
OWNER = "owner.pid"  # in it: the process (MkDocs) that made it
OWNERLESS_AGE = 3600  # seconds a folder without its owner's file is left alone (it has one a moment after it is made)


def sweep_abandoned_work() -> None:
    """Remove the folders of index jobs whose MkDocs is gone: a killed `mkdocs serve` cleans nothing up, and a
    large archive's folder holds gigabytes. Only where a process can be asked whether it lives (POSIX)."""
    if os.name != "posix":
        return
    for work in Path(tempfile.gettempdir()).glob(WORK_PREFIX + "*"):
        try:
            os.kill(int((work / OWNER).read_text(encoding="ascii")), 0)
        except ProcessLookupError:
            shutil.rmtree(work, ignore_errors=True)
        except FileNotFoundError:  # being made (a moment), or its owner's file lost: then long abandoned
            with contextlib.suppress(OSError):
                if time.time() - work.stat().st_mtime > OWNERLESS_AGE:
                    shutil.rmtree(work, ignore_errors=True)
        except (OSError, ValueError):  # someone else's, or not ours to judge
            continue


def hand_over(docs: list[Document], work: Path) -> None:
    """Write the reports into ``work`` as the index process reads them (``_child``): in date order, a file
    a batch, so that it holds one batch at a time."""
    ordered = in_date_order(docs)
    for i in range(0, len(ordered), BATCH):
        (work / f"batch-{i:07}.pickle").write_bytes(pickle.dumps(ordered[i : i + BATCH], protocol=pickle.HIGHEST_PROTOCOL))


class IndexJob:
    """The search index, written by another process (a second core's work).

    ``finish`` waits for it and moves it into the site; ``cancel`` stops it.
    """

    def __init__(self, docs: list[Document]) -> None:
        self.count = len(docs)
        self.lock = threading.Lock()  # a cancel never meets a half-moved index
        self.cancelled = False
        sweep_abandoned_work()
        self.work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        (self.work / OWNER).write_text(str(os.getpid()), encoding="ascii")
        hand_over(docs, self.work)
        package_root = str(Path(__file__).resolve().parent.parent)  # the child runs this very code
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.log = (self.work / "log.txt").open("w", encoding="utf-8")
        # A session of its own, so that a cancel stops the Pagefind runs it started too (POSIX).
        self.process = subprocess.Popen([sys.executable, "-m", "annals.search", str(self.work), str(self.count), str(os.getpid())],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def pages_written(self) -> None:
        """MkDocs is done with the pages (and has given its memory back): Pagefind may run on more parts at once."""
        (self.work / PAGES_WRITTEN).touch()

    def finish(self, site_dir: Path) -> int | None:
        """The number of reports indexed, once moved into site_dir; None if cancelled."""
        code = self.process.wait()
        with self.lock:
            if self.cancelled:
                return None
            self.log.close()
            if code != 0:
                raise SearchIndexError((self.work / "log.txt").read_text(encoding="utf-8").strip()
                                       or f"搜索索引生成失败（search index failed, exit {code}）")
            out = self.work / "out"
            shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
            texts = site_dir / TEXTS  # beside the search page, search/index.html
            for old in texts.glob("*/"):  # the texts of an earlier index (under mkdocs serve)
                shutil.rmtree(old)
            if (out / BUNDLE).exists():
                shutil.move(out / BUNDLE, site_dir / BUNDLE)
                texts.mkdir(parents=True, exist_ok=True)
                for new in (out / TEXTS).iterdir():
                    shutil.move(new, texts / new.name)
            shutil.rmtree(self.work, ignore_errors=True)
            self.cancelled = True  # done: a later cancel has nothing to stop
            return self.count

    def cancel(self) -> None:
        """Stop the index process and the Pagefind runs it started (else they run on, a core and ~0.6 GB each)."""
        try:
            if os.name == "posix":
                os.killpg(self.process.pid, signal.SIGKILL)
            else:
                self.process.kill()
        except ProcessLookupError:  # already gone
            pass
        with self.lock:
            if not self.cancelled:
                self.cancelled = True
                self.process.wait()
                self.log.close()
                shutil.rmtree(self.work, ignore_errors=True)


def _stop_with(parent: int) -> None:
    """Stop, with the Pagefind runs, once MkDocs is gone: killed, it cannot cancel the job."""
    while os.getppid() == parent:
        time.sleep(1)
    if os.name == "posix" and os.getpgid(0) == os.getpid():  # its own group (IndexJob's): it and its Pagefind runs
        os.killpg(0, signal.SIGKILL)
    os._exit(1)


def _child(work: Path, count: int, parent: int) -> None:
    threading.Thread(target=_stop_with, args=(parent,), daemon=True).start()  # given: it may be gone already
    batches = (pickle.loads(batch.read_bytes()) for batch in sorted(work.glob("batch-*.pickle")))
    try:
        write_index(batches, count, work / "out", work / PAGES_WRITTEN)
    except SearchIndexError as exc:
        print(exc)
        raise SystemExit(1) from None


if __name__ == "__main__":  # IndexJob's process; imported by name so the pickled documents' class is this module's
    from annals.search import _child as child

    child(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
