"""Full-text search: exact-term semantics for Chinese on top of Pagefind.

Pagefind cuts Chinese into words with one segmenter when indexing (jieba) and
another when querying (the browser's Intl.Segmenter); where they disagree a
report that contains a term is missed (党史学习教育 found in 2 of 4 seeds). So
annals does its own, trivial, cutting on both sides: every run of letters and
digits (a point between digits included) becomes its overlapping two-character
pieces (plus the run's last character alone), each written as an ASCII token
Pagefind indexes verbatim. A query term becomes the pieces of its own runs; a
report holding all of them is a candidate, and the browser confirms each
candidate against the report's text (``assets/annals-search.js`` mirrors
``normalise`` and ``tokens``).

A report lists each token once, so an index entry costs one position per
report however often its words recur, which keeps the bytes of a query small.
Pagefind's memory while indexing grows with the reports it is given (~3.3 MB
each), so it indexes parts of ``PART_REPORTS`` at a time; the whole runs in a
process of its own (``IndexJob``), while MkDocs renders the pages (under
``mkdocs serve``, once they are served).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import cbor2

from .model import Archive, Report
from .render import HEADING_LINE, outline_ids, page_url
from .textprep import ZERO_WIDTH
from .vocab import KINDS

# Invisible characters inside words (the cleaner's, and soft hyphens): dropped before matching.
INVISIBLE = dict.fromkeys(map(ord, ZERO_WIDTH + "\u00ad"))
BASE = 26
WIDTH = 4  # letters per character: 26**4 > every code point of the CJK planes
LANGUAGE = "x-annals"  # no Pagefind stemmer or segmenter touches the tokens
BUNDLE = "pagefind"  # the bundle's folder in the site
TEXTS = "search"  # folder of the reports' texts the browser checks candidates against
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def normalise(text: str) -> str:
    """What matching compares: full- and half-width forms alike, no zero-width characters, lower case."""
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE).lower()


# Runs of letters and digits (/[\p{L}\p{N}]/u in the browser), with a point between digits:
# "6.5%" is then the run "6.5", whose pieces few reports have, not "6" and "5", which all have.
RUN = re.compile(r"(?:[^\W_]|(?<=\d)\.(?=\d))+")


class _Letters(dict[int, str]):
    """A ``str.translate`` table: each code point as four lowercase letters (base 26), made on first use."""

    def __missing__(self, code: int) -> str:
        n, out = code % BASE**WIDTH, []
        for _ in range(WIDTH):
            n, r = divmod(n, BASE)
            out.append(chr(97 + r))
        self[code] = letters = "".join(reversed(out))
        return letters


_LETTERS = _Letters()


def tokens(text: str) -> set[str]:
    """The tokens of already normalised text: each run's two-character pieces and its last character.

    A one-character query token matches by prefix, so with the run's last
    character on its own every occurrence of any character is found.
    """
    out: set[str] = set()
    for run in RUN.findall(text):
        letters = run.translate(_LETTERS)  # WIDTH letters per character, so pieces are slices
        out.update(letters[i : i + 2 * WIDTH] for i in range(0, len(letters) - WIDTH, WIDTH))
        out.add(letters[-WIDTH:])
    return out


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
        url=page_url(report.src), title=report.title, year=report.year, kind=KINDS[report.kind],
        issuer=archive.bureaus[report.bureau].name, date=report.date, sections=sections_of(report.body, report.lines),
    )


def result_id(doc: Document, text: str) -> str:
    """The id of a report's search result, and the name of its text: the report's date first, so that
    results from every part sort by date, then a hash of the text, so that the name changes with it."""
    return doc.date.replace("-", "").ljust(8, "0") + "-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _searchable(doc: Document) -> str:
    return "\n".join([doc.title, *(f"{s.heading}\n{s.text}" for s in doc.sections)])


def index_html(doc: Document) -> str:
    """The page Pagefind indexes for a report: its tokens, and the facts to filter and sort by."""
    filters = "".join(f'<span data-pagefind-filter="{key}:{escape(value)}"></span>'
                      for key, value in (("year", str(doc.year)), ("kind", doc.kind), ("issuer", doc.issuer)))
    return (f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{escape(doc.title)}</title></head>'
            f'<body data-pagefind-body>{filters}'
            f'<p>{" ".join(sorted(tokens(normalise(_searchable(doc)))))}</p></body></html>')


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


PAGEFIND_VERSION = "1.5.2"  # the layout _finish_bundle rewrites; pinned in pyproject.toml
_SIGNATURE = b"pagefind_dcd"  # what every Pagefind index file starts with, once decompressed


def _read_index_file(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path}: 不是 Pagefind 索引文件（not a Pagefind index file）")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write_index_file(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    """Write ``value`` as Pagefind does, named by its content; the name's hash part."""
    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{LANGUAGE}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def _finish_bundle(bundle: Path, ids: dict[str, str]) -> None:
    """Make a bundle the same bytes for the same reports, its results named by ``result_id``.

    Pagefind 1.5 lists each filter's values in hash-map order, which changes from
    run to run (Pagefind issue #638): they are sorted and each filter file named by
    its new content. Its pages are named by a hash of their fragment, which the
    browser never needs here (a result's text is ``search/<id>.json``): they are
    renamed to their result ids, sortable by date across parts, and the fragments
    dropped. The metadata and the entry file then point at the new names.
    """
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    language = entry["languages"][LANGUAGE]
    meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
    meta = _read_index_file(meta_file)
    if entry["version"] != PAGEFIND_VERSION or meta[0] != PAGEFIND_VERSION:
        raise SearchIndexError(f"Pagefind {entry['version']}：annals 需要 {PAGEFIND_VERSION}（pip install -e . 重新安装）")
    filters = []
    for name, old in meta[3]:
        old_file = bundle / "filter" / f"{old}.pf_filter"
        filter_name, values = _read_index_file(old_file)
        old_file.unlink()
        filters.append([name, _write_index_file(bundle / "filter", "", ".pf_filter", [filter_name, sorted(values)], 7)])
    meta[3] = sorted(filters)
    for page in meta[1]:  # [fragment hash, word count], in page-number order
        data = gzip.decompress((bundle / "fragment" / f"{page[0]}.pf_fragment").read_bytes())
        page[0] = ids[json.loads(data[data.index(b"{"):])["url"]]  # after Pagefind's short signature
    shutil.rmtree(bundle / "fragment")
    meta_file.unlink()
    language["hash"] = _write_index_file(bundle, "pagefind.", ".pf_meta", meta, 16)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


# Reports per Pagefind run. Pagefind holds ~550 bytes per (piece, report) while
# indexing, ~6,000 pieces a report: 500 reports peak at ~2 GB, however large the
# archive. The browser merges the parts (pagefind.mergeIndex). ANNALS_SEARCH_PART
# sets another size (fewer reports: less memory, more bytes per query).
PART_REPORTS = 500


def part_count(reports: int) -> int:
    size = int(os.environ.get("ANNALS_SEARCH_PART") or PART_REPORTS)
    return max(1, -(-reports // max(size, 1)))


def part_folder(k: int) -> str:
    """Where part k of the index goes in the site: the first is the bundle itself."""
    return BUNDLE if k == 0 else f"{BUNDLE}/part-{k + 1}"


def parts_of(docs: Iterable[Document]) -> list[list[Document]]:
    """The reports of each part of the index, by date (none for an archive without reports: Pagefind
    refuses an empty site, and there is nothing to find)."""
    ordered = sorted(docs, key=lambda d: (d.date, d.url))
    parts = part_count(len(ordered))
    return [ordered[k * len(ordered) // parts : (k + 1) * len(ordered) // parts] for k in range(parts)] if ordered else []


def write_part(docs: list[Document], k: int, site_dir: Path) -> None:
    """Write part k of the Pagefind bundle, and the texts of its reports, under site_dir."""
    texts = {doc.url: text_json(doc) for doc in docs}
    ids = {"/" + doc.url: result_id(doc, texts[doc.url]) for doc in docs}
    with tempfile.TemporaryDirectory(prefix="annals-search-") as tmp:
        for doc in docs:
            page = Path(tmp, doc.url, "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(index_html(doc), encoding="utf-8")
        bundle = site_dir / part_folder(k)
        _run_pagefind(Path(tmp), bundle)
        _finish_bundle(bundle, ids)
    (site_dir / TEXTS).mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (site_dir / TEXTS / f"{ids['/' + doc.url]}.json").write_text(texts[doc.url], encoding="utf-8")


class IndexJob:
    """The search index, written by another process (a second core's work).

    ``finish`` waits for it and moves it into the site; ``cancel`` stops it.
    """

    def __init__(self, docs: list[Document]) -> None:
        self.count = len(docs)
        self.lock = threading.Lock()  # a cancel never meets a half-moved index
        self.cancelled = False
        self.work = Path(tempfile.mkdtemp(prefix="annals-index-"))
        for k, part in enumerate(parts_of(docs)):  # the process holds one part at a time
            (self.work / f"part-{k:04}.pickle").write_bytes(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
        package_root = str(Path(__file__).resolve().parent.parent)  # the child runs this very code
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.log = (self.work / "log.txt").open("w", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, "-m", "annals.search", str(self.work)],
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
                                       or f"搜索索引生成失败（search index failed, exit {code}）")
            out = self.work / "out"
            shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
            if (out / BUNDLE).exists():
                shutil.move(out / BUNDLE, site_dir / BUNDLE)
            (site_dir / TEXTS).mkdir(parents=True, exist_ok=True)  # beside the search page, search/index.html
            for text in (out / TEXTS).glob("*.json"):
                shutil.move(text, site_dir / TEXTS / text.name)
            shutil.rmtree(self.work, ignore_errors=True)
            self.cancelled = True  # done: a later cancel has nothing to stop
            return self.count

    def cancel(self) -> None:
        self.process.kill()
        with self.lock:
            if not self.cancelled:
                self.cancelled = True
                self.process.wait()
                self.log.close()
                shutil.rmtree(self.work, ignore_errors=True)


def _child(work: Path) -> None:
    try:
        for k, part in enumerate(sorted(work.glob("part-*.pickle"))):
            write_part(pickle.loads(part.read_bytes()), k, work / "out")
    except SearchIndexError as exc:
        print(exc)
        raise SystemExit(1) from None


if __name__ == "__main__":  # IndexJob's process; imported by name so the pickled documents' class is this module's
    from annals.search import _child as child

    child(Path(sys.argv[1]))
