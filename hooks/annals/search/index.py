"""Full-text search: exact-term semantics for Chinese, in an index of annals' own (SEARCH_INDEX.md).

A word segmenter would cut a term one way in a report and another in a query (Pagefind, which annals used
before, found 党史学习教育 in 2 of 4 seeds), so there is none: every run of letters and digits (a point
between digits included) becomes its characters and its overlapping two-character pieces. A query term
becomes the pairs of its own runs (or a lone character); a report holding all of them is a candidate, and
the browser confirms each candidate against the report's text (``assets/annals-find.js`` mirrors
``normalise`` and ``pieces``). A piece's posting list names the reports that hold it, by their place in date
order; one most reports hold names those without it instead.

The lists are written into buckets, files of ~8 KB (``extra.annals.search_bucket_bytes``), a piece's bucket
its key modulo their number: a query downloads the manifest, then one bucket per piece, and the texts of its
candidates. The whole runs in a process of its own (``IndexJob``), while MkDocs renders the pages (under
``mkdocs serve``, once they are served).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from annals.data.outline import HEADING_LINE, outline_ids
from annals.data.plaintext import ZERO_WIDTH
from annals.data.routes import SEARCH_DIR
from annals.data.schema import Bureau, Report
from annals.data.vocab import KINDS
from annals.pages.links import Links

# Dropped before matching: invisible characters inside words (the cleaner's, and soft hyphens), and white space, so
# that a line break, a paragraph break or a byline spaced with U+3000 (国务院总理　李克强) hides no phrase.
IGNORED = re.compile(f"[{ZERO_WIDTH}\u00ad\\s]")


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


# Characters are told apart by their code modulo SPAN, which is above every code point of the planes that hold
# letters (none above 3). (Its value, 26**4, is the format's: SEARCH_INDEX.md.)
SPAN = 26**4
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


def documents(reports: Iterable[Report], bureaus: Mapping[str, Bureau], links: Links) -> list[Document]:
    """What the index holds of each report: its facts, its page's URL and its sections' text."""
    return [Document(url=links.url(report.src), title=report.title, year=report.year, kind=KINDS[report.kind],
                     issuer=bureaus[report.bureau].name, date=report.date, sections=sections_of(report.body, report.lines))
            for report in reports]


def in_date_order(docs: Iterable[Document]) -> list[Document]:
    """The reports in the order their result ids number them."""
    return sorted(docs, key=lambda d: (d.date, d.url))


def result_id(ordinal: int) -> str:
    """A report's place in date order, in base 36 (short): its text's name."""
    digits = ""
    while True:
        ordinal, digit = divmod(ordinal, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not ordinal:
            return digits


def _searchable(doc: Document) -> str:
    return "\n".join([doc.title, *(f"{s.heading}\n{s.text}" for s in doc.sections)])


FACTS = ("year", "kind", "issuer")  # what results are filtered by


def facts_of(doc: Document) -> tuple[str, ...]:
    return (str(doc.year), doc.kind, doc.issuer)


def text_json(doc: Document) -> str:
    """What a result shows, and the text the browser confirms it against, cut in sections for the excerpt's link."""
    return json.dumps({
        "url": doc.url, "title": doc.title, "year": doc.year, "kind": doc.kind, "issuer": doc.issuer, "date": doc.date,
        "sections": [[s.anchor, s.heading, s.text] for s in doc.sections],
    }, ensure_ascii=False, separators=(",", ":"))


class SearchIndexError(RuntimeError):
    pass


# The index's files (SEARCH_INDEX.md specifies them): a manifest, the reports' texts, and the posting lists of every
# piece in buckets, each bucket a file of the keys whose key modulo the number of buckets is its number.
FORMAT = 1  # of those files; part of the texts' folder's name, so that no cached file of another format is read
MANIFEST = "manifest.json"  # in the site's search/ folder: the one file that is not immutable
POSTINGS = "postings"  # the buckets' folder, in the texts' folder
FACT_KEYS = (SPAN + 1) * SPAN  # a fact's key (year, kind, issuer: what results are filtered by): above every piece's
SLICE = 1 << 22  # places encoded at a time (the work arrays take ~20 bytes a place)


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

    keys: npt.NDArray[np.uint64]  # every piece and fact, by its number
    holders: npt.NDArray[np.int64]  # how many reports hold each, by number
    # Per batch: its reports' keys by number, one report after another, and where each report's end. Large
    # blocks, given back to the system as they are used (sets would not fit in memory).
    held: list[tuple[npt.NDArray[np.uint32], list[int]]]
    facts: dict[tuple[str, str], int]  # (fact, value) → key
    count: int  # reports
    version: str  # a hash of the format and all texts: names their folder


def _read(batches: Iterable[list[Document]], texts: Path) -> _Read:
    """Read the reports into numbered pieces and facts, writing each one's text into ``texts`` on the way."""
    numbers = _Numbers()
    read = _Read(np.empty(0, np.uint64), np.zeros(0, np.int64), [], {}, 0, "")
    version = hashlib.sha256(f"annals search index {FORMAT}".encode())
    for batch in batches:
        found = []
        for doc in batch:
            text = text_json(doc)
            version.update(text.encode())
            (texts / f"{result_id(read.count)}.json").write_text(text, encoding="utf-8")
            facts = [read.facts.setdefault(fact, FACT_KEYS + len(read.facts)) for fact in zip(FACTS, facts_of(doc), strict=True)]
            found.append(np.concatenate([pieces(normalise(_searchable(doc))), np.array(facts, np.uint64)]))
            read.count += 1
        if not found:
            continue
        held = numbers.of(np.concatenate(found))
        holders = np.bincount(held, minlength=len(numbers.keys))  # a report holds a key once
        holders[: len(read.holders)] += read.holders
        read.holders = holders
        read.held.append((held, list(itertools.accumulate(map(len, found)))))
    read.keys = np.concatenate([np.empty(0, np.uint64), *numbers.by_number])
    read.version = version.hexdigest()[:12]
    return read


def _places(read: _Read) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Every key's reports, by their places in date order: ``places[starts[n]:starts[n + 1]]`` are key n's,
    ascending. Consumes ``read.held``."""
    starts = np.concatenate([[0], np.cumsum(read.holders)])
    places = np.empty(int(starts[-1]), np.uint32)
    free = starts[:-1].copy()  # where each key's next place goes
    place = 0
    read.held.reverse()
    while read.held:
        held, ends = read.held.pop()
        for start, end in itertools.pairwise([0, *ends]):
            mine = held[start:end]
            places[free[mine]] = place
            free[mine] += 1
            place += 1
    return places, starts


def varints(values: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """``values`` as unsigned LEB128 (seven bits a byte, least significant first, the high bit set on all but a
    value's last byte), one after another; and the bytes each takes."""
    widths = np.ones(len(values), np.int64)
    rest = values >> np.uint64(7)
    while rest.any():
        widths += rest > 0
        rest >>= np.uint64(7)
    ends = np.cumsum(widths)
    owner = np.repeat(np.arange(len(values)), widths)
    shift = ((np.arange(len(owner)) - (ends - widths)[owner]) * 7).astype(np.uint64)
    out = ((values[owner] >> shift) & np.uint64(0x7F)).astype(np.uint8)
    more = np.ones(len(out), np.bool_)
    more[ends - 1] = False
    out[more] |= 0x80
    return out, widths


def _bitmap(places: npt.NDArray[np.uint32]) -> bytes:
    """Bit p set (byte p // 8, least significant bit first) for each place p; no bytes past the last place's."""
    bits = np.zeros(int(places[-1]) + 1 if places.size else 0, np.bool_)
    bits[places] = True
    return np.packbits(bits, bitorder="little").tobytes()


def _shorter(places: npt.NDArray[np.uint32], listed: bytes) -> tuple[bytes, bool]:
    """A list of places as the shorter of its encodings: ``listed`` (varints: the first place, then each one's
    distance from the one before) or a bitmap; and whether it is the bitmap."""
    if places.size and int(places[-1]) // 8 + 1 < len(listed):
        return _bitmap(places), True
    return listed, False


def _payloads(read: _Read) -> tuple[list[bytes], npt.NDArray[np.int64]]:
    """Each key's list, by number, as its bucket holds it: its holders', or for a key more than half the
    reports hold (的, 工作, 教育), the others' (so that no list names more than half the archive); and its flags
    (2: the list names the reports *without* the key, 1: the list is a bitmap)."""
    places, starts = _places(read)
    inverted = read.holders * 2 > read.count
    payloads: list[bytes] = []
    flags = np.zeros(len(read.keys), np.int64)
    everyone = np.arange(read.count, dtype=np.uint32)
    first = 0
    while first < len(read.keys):  # a slice of keys at a time: the arrays below are ~20 bytes a place
        last = int(np.searchsorted(starts, starts[first] + SLICE, side="right")) - 1
        last = max(last, first + 1)
        mine = places[starts[first] : starts[last]].astype(np.uint64)
        gaps = np.diff(mine, prepend=np.uint64(0))
        gaps[starts[first:last] - starts[first]] = mine[starts[first:last] - starts[first]]  # a list's first place
        stream, widths = varints(gaps)
        ends = np.cumsum(widths)[starts[first + 1 : last + 1] - starts[first] - 1]
        for n, (a, b) in enumerate(itertools.pairwise([0, *ends.tolist()]), start=first):
            held = places[starts[n] : starts[n + 1]]
            if inverted[n]:
                lacking = np.setdiff1d(everyone, held, assume_unique=True)
                payload, bitmap = _shorter(lacking, varints(np.diff(lacking, prepend=0).astype(np.uint64))[0].tobytes())
            else:
                payload, bitmap = _shorter(held, stream[a:b].tobytes())
            payloads.append(payload)
            flags[n] = 2 * inverted[n] + bitmap
        first = last
    return payloads, flags


def bucket_count(total: int, bucket_bytes: int) -> int:
    """Buckets for an index of ``total`` bytes: ~``bucket_bytes`` each (what a query downloads per piece it asks
    for), a number sharing no factor with SPAN (2, 13), so that both characters of a pair decide its bucket."""
    buckets = max(1, -(-total // bucket_bytes))
    while buckets % 2 == 0 or buckets % 13 == 0:
        buckets += 1
    return buckets


def _write_buckets(keys: npt.NDArray[np.uint64], payloads: list[bytes], flags: npt.NDArray[np.int64], folder: Path,
                   bucket_bytes: int) -> int:
    """Write each key's entry into its bucket, ``folder/<bucket>.bin``; the number of buckets. An entry:
    the key's distance from the bucket's key before it (the first: the key), the payload's length·4 + its
    flags, the payload; all varints but the payload, keys ascending."""
    lengths = np.array([len(p) for p in payloads], np.int64)
    buckets = bucket_count(int(lengths.sum()) + 4 * len(keys), bucket_bytes)
    bucket = (keys % np.uint64(buckets)).astype(np.int64)
    order = np.lexsort((keys, bucket))
    ordered = keys[order]
    gaps = np.diff(ordered, prepend=np.uint64(0))
    new = np.flatnonzero(np.diff(bucket[order], prepend=-1))  # each bucket's first entry
    gaps[new] = ordered[new]
    heads = np.empty(2 * len(keys), np.uint64)
    heads[0::2], heads[1::2] = gaps, (lengths[order] * 4 + flags[order]).astype(np.uint64)
    stream, widths = varints(heads)
    bounds = [0, *np.cumsum(widths)[1::2].tolist()]  # where each entry's two varints begin and end
    folder.mkdir(parents=True)
    entries: list[list[bytes]] = [[] for _ in range(buckets)]  # a bucket no key falls in is an empty file, not a 404
    for i, (n, k) in enumerate(zip(order.tolist(), bucket[order].tolist(), strict=True)):
        entries[k] += [stream[bounds[i] : bounds[i + 1]].tobytes(), payloads[n]]
    for k, held in enumerate(entries):
        (folder / f"{k}.bin").write_bytes(b"".join(held))
    return buckets


def write_index(batches: Iterable[list[Document]], out: Path, bucket_bytes: int) -> None:
    """Write the search index of the reports, given in date order, under ``out``: ``search/<version>/`` (their texts,
    named by place, and the buckets) and ``search/manifest.json``. Nothing for an archive without reports."""
    texts = out / SEARCH_DIR / "new"
    texts.mkdir(parents=True)
    read = _read(batches, texts)
    if not read.count:
        shutil.rmtree(out / SEARCH_DIR)
        return
    payloads, flags = _payloads(read)
    buckets = _write_buckets(read.keys, payloads, flags, texts / POSTINGS, bucket_bytes)
    texts.rename(texts.with_name(read.version))
    facts: dict[str, dict[str, int]] = {name: {} for name in FACTS}
    for (name, value), key in sorted(read.facts.items()):
        facts[name][value] = key
    manifest = {"format": FORMAT, "reports": read.count, "buckets": buckets, "texts": f"{SEARCH_DIR}/{read.version}/", "facts": facts}
    (out / SEARCH_DIR / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


BATCH = 300  # reports the index process reads at a time (each batch a file from MkDocs)
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

    def __init__(self, docs: list[Document], bucket_bytes: int) -> None:
        self.count = len(docs)
        self.lock = threading.Lock()  # a cancel never meets a half-moved index
        self.cancelled = False
        sweep_abandoned_work()
        self.work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        (self.work / OWNER).write_text(str(os.getpid()), encoding="ascii")
        hand_over(docs, self.work)
        package_root = str(Path(__file__).resolve().parents[2])  # the child runs this very code
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.log = (self.work / "log.txt").open("w", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, "-m", "annals.search.index", str(self.work), str(bucket_bytes), str(os.getpid())],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def finish(self, site_dir: Path) -> int | None:
        """The number of reports indexed, once moved into site_dir; None if cancelled."""
        code = self.process.wait()
        with self.lock:
            if self.cancelled:
                return None
            self.log.close()
            if code != 0:
                raise SearchIndexError((self.work / "log.txt").read_text(encoding="utf-8").strip()
                                       or f"搜索索引生成失败，退出码 {code}")
            new, texts = self.work / "out" / SEARCH_DIR, site_dir / SEARCH_DIR  # beside the search page, search/index.html
            (texts / MANIFEST).unlink(missing_ok=True)
            for old in texts.glob("*/"):  # an earlier index (under mkdocs serve)
                shutil.rmtree(old)
            if new.exists():
                texts.mkdir(parents=True, exist_ok=True)
                for folder in new.glob("*/"):
                    shutil.move(folder, texts / folder.name)
                shutil.move(new / MANIFEST, texts / MANIFEST)  # last: it names the folder
            shutil.rmtree(self.work, ignore_errors=True)
            self.cancelled = True  # done: a later cancel has nothing to stop
            return self.count

    def cancel(self) -> None:
        """Stop the index process (else it runs on, a core and ~40 bytes a report's piece)."""
        self.process.kill()
        with self.lock:
            if not self.cancelled:
                self.cancelled = True
                self.process.wait()
                self.log.close()
                shutil.rmtree(self.work, ignore_errors=True)


def _stop_with(parent: int) -> None:
    """Stop once MkDocs is gone: killed, it cannot cancel the job."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _child(work: Path, bucket_bytes: int, parent: int) -> None:
    threading.Thread(target=_stop_with, args=(parent,), daemon=True).start()  # given: it may be gone already
    write_index((pickle.loads(batch.read_bytes()) for batch in sorted(work.glob("batch-*.pickle"))), work / "out", bucket_bytes)


if __name__ == "__main__":  # IndexJob's process; imported by name so the pickled documents' class is this module's
    from annals.search.index import _child as child

    child(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
