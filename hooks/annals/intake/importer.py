"""``annals import``: a report file in, a faithful page and candidate figures out.

Reading (``read_source``) detects the encoding of text files and pulls text,
headings and tables out of .docx; ``infer`` reads year, period and kind from
the title; the candidate figures come from :mod:`annals.intake.candidates`. Nothing
here writes: the CLI does, atomically.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from charset_normalizer import from_bytes

from annals.data.plaintext import escape_md, plain_line
from annals.data.schema import Bureau, Promise
from annals.data.vocab import KINDS, PARTS, Period, kind_code, part_code
from annals.data.yamlio import CONTROL
from annals.intake.candidates import Found
from annals.intake.promise_candidates import Answer, Proposal
from annals.intake.textprep import Cleaned, clean, outline_kind, split_title, to_markdown

__all__ = ["Given", "ImportError_", "Meta", "Prepared", "Source", "body_of", "answers_yaml", "figures_yaml", "front_matter", "promises_yaml", "infer", "prepare", "read_source"]


class ImportError_(Exception):
    """A file that cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str  # what the user is told: UTF-8, UTF-8 (BOM), GB18030, .docx
    markdown: bool = False  # .md: the text is Markdown already
    blocks: tuple[str, ...] = ()  # .docx: styled headings and tables, kept out of the text


# ------------------------------------------------------------------ reading


def _looks_binary(head: str | bytes) -> bool:
    """NULs, or more than 5% control characters, in the first 4 KB (of the bytes, or of the decoded text)."""
    codes = head[:4096] if isinstance(head, bytes) else [ord(c) for c in head[:4096]]
    controls = sum(1 for b in codes if b < 9 or 13 < b < 32)
    return 0 in codes or controls > len(codes) * 0.05


_BINARY = "这不是文本文件；Word 文件请用 .docx 后缀"

# The largest report file, and the largest text a .docx may unpack to: a 300-page report is ~3 MB of
# document.xml. Past these it is not a report, or it is a zip bomb (1.5 MB that inflates to 1.5 GB).
MAX_FILE = 64 * 2**20
MAX_DOCX_XML = 64 * 2**20


def read_source(path: Path, encoding: str | None = None) -> Source:
    """The text of a report file; ``encoding`` (one of ENCODINGS) when the user names it."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise ImportError_(f"文件超过 {MAX_FILE // 2**20} MB，不像一份报告；请确认选对了文件")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportError_("文件不存在") from None
    except OSError as exc:
        raise ImportError_(f"无法读取：{exc.strerror}") from None
    if not data.strip():
        raise ImportError_("文件是空的")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(data)
    if suffix == ".doc":
        raise ImportError_("不支持旧版 .doc 文件，请在 Word 中另存为 .docx 后再导入（.doc is not supported; save as .docx）")
    if suffix not in (".txt", ".md", ".text", ""):
        raise ImportError_(f"不支持 {suffix} 文件；可导入 .txt、.docx、.md")
    if data.startswith(b"PK\x03\x04"):
        raise ImportError_(_BINARY)
    try:
        text, used = _decode(data, encoding)
    except ImportError_:
        if not encoding and _looks_binary(data):
            raise ImportError_(_BINARY) from None  # no text in any encoding: say so, not "unsure which"
        raise
    if _looks_binary(text):
        raise ImportError_(_BINARY)
    return Source(text, used, markdown=suffix == ".md")


# What Chinese offices send, by the names --encoding takes (Python's codec names) and the names users are told.
ENCODINGS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030/GBK", "big5": "Big5"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8（带 BOM）"), (b"\xff\xfe", "utf-16", "UTF-16"), (b"\xfe\xff", "utf-16", "UTF-16"))
_UNSURE = "无法确定文字编码{why}；请用 --encoding 指定：" + "、".join(ENCODINGS) + ""


def _decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the name of its encoding: a BOM, else strict UTF-8, else charset-normalizer's guess among
    the encodings Chinese offices use, refused when it is not sure (GB18030 decodes almost any bytes: a Big5
    file read as GB18030 is mojibake without an error, so "it decoded" proves nothing)."""
    if encoding:
        codec = encoding.lower().replace("_", "-")
        if codec not in ENCODINGS:
            raise ImportError_(f"不支持的 --encoding “{encoding}”；可用：{'、'.join(ENCODINGS)}")
        try:
            return data.decode(codec), ENCODINGS[codec] + "（--encoding 指定）"
        except UnicodeDecodeError as exc:
            raise ImportError_(f"按 {encoding} 解码失败（第 {exc.start} 字节）；请换一个 --encoding") from None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                raise ImportError_(_UNSURE.format(why="（有 BOM 但内容不符）")) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    guesses = [g for g in from_bytes(data, cp_isolation=_DETECTABLE) if g.chaos <= _MAX_CHAOS]
    if not guesses:
        raise ImportError_(_UNSURE.format(why="（不像 UTF-8、UTF-16、GB18030 或 Big5 文本）"))
    best = guesses[0]
    rivals = [g for g in guesses[1:] if _family(g.encoding) != _family(best.encoding) and g.chaos - best.chaos < _MARGIN]
    if rivals:
        names = "、".join(ENCODINGS[_family(g.encoding)] for g in [best, *rivals])
        raise ImportError_(_UNSURE.format(why=f"（像 {names}，难以区分）"))
    return str(best), ENCODINGS[_family(best.encoding)]


_DETECTABLE = ["gb18030", "big5", "utf_16_le", "utf_16_be"]
_MAX_CHAOS = 0.1  # charset-normalizer's "mess" ratio: above it the guess reads as garbage
_MARGIN = 0.05  # two families this close in mess: a coin toss, not a detection


def _family(codec: str) -> str:
    return "utf-16" if codec.startswith("utf_16") else codec.replace("_", "-")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_TOO_LARGE = f"这个 .docx 解压后超过 {MAX_DOCX_XML // 2**20} MB，不像一份报告（可能是压缩炸弹）；请在 Word 中打开后另存为新文件再导入（.docx inflates too much）"


def _read_docx(data: bytes) -> Source:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            # The size the archive declares, then what really comes out: a forged header cannot lie past the cap.
            if info.file_size > MAX_DOCX_XML:
                raise ImportError_(_TOO_LARGE)
            with zf.open(info) as member:
                xml = member.read(MAX_DOCX_XML + 1)
            if len(xml) > MAX_DOCX_XML:
                raise ImportError_(_TOO_LARGE)
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, zipfile.LargeZipFile, NotImplementedError):
        raise ImportError_("无法读取这个 .docx 文件（文件损坏，或不是 Word 文档）；请在 Word 中打开后重新保存") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise ImportError_("这个 .docx 文件没有正文")
    paragraphs: list[str] = []
    blocks: list[str] = []  # Markdown that to_markdown must not touch: styled headings, tables
    for el in body:
        if el.tag == f"{_W}p":
            text = _para_text(el)
            if not text.strip():
                continue
            style = el.find(f"{_W}pPr/{_W}pStyle")
            level = _heading_level(style.get(f"{_W}val", "") if style is not None else "")
            if level and not paragraphs:
                paragraphs.append(text)  # the document's title
            elif level and not outline_kind(text):  # numbered (一、 （一）): its level is the numbering's, as in a .txt
                blocks.append("#" * level + " " + escape_md(text, line_start=False))
                paragraphs.append(_placeholder(len(blocks) - 1))
            else:
                paragraphs.append(text)
        elif el.tag == f"{_W}tbl":
            blocks.append(_table_md(el))
            paragraphs.append(_placeholder(len(blocks) - 1))
    if not paragraphs:
        raise ImportError_("这个 .docx 文件没有文字")
    return Source("\n\n".join(paragraphs) + "\n", ".docx", blocks=tuple(blocks))


def _placeholder(n: int) -> str:
    return f"\ue000{n}\ue000"


def _fill_placeholders(markdown: str, blocks: tuple[str, ...]) -> str:
    return re.sub(r"\ue000(\d+)\ue000", lambda m: blocks[int(m.group(1))], markdown)


def _para_text(p: ElementTree.Element) -> str:
    parts = []
    for node in p.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append(" ")
    return "".join(parts).strip()


def _heading_level(style: str) -> int:
    m = re.fullmatch(r"(?i)(?:heading|标题)\s*(\d)", style)
    return min(int(m.group(1)) + 1, 6) if m else 0  # Heading 1 is the report's first outline level: ##


def _table_md(tbl: ElementTree.Element) -> str:
    rows = []
    for tr in tbl.findall(f"{_W}tr"):
        cells = [" ".join(_para_text(p) for p in tc.findall(f"{_W}p")).replace("|", "\\|") for tc in tr.findall(f"{_W}tc")]
        rows.append(cells)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


# ---------------------------------------------------------------- inference


@dataclass(frozen=True)
class Inferred:
    year: int | None
    part: str | None
    kind: str | None


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# How a report with no title line says what it is: 各位代表：现在，我代表国务院，向大会报告政府工作
_KIND_IN_TEXT = (("government-work-report", re.compile(r"向大会(?:作|报告)政府工作|政府工作报告")), ("duty-report", re.compile(r"述职")))


def infer(title: str | None, text: str) -> Inferred:
    """Year, period and kind from a report's title; without one, from its opening and its headings."""
    title = title or ""
    years = _YEAR.findall(title)
    year = int(years[0]) if years else None
    if year is None and title and "政府工作报告" not in title:
        found = _YEAR.findall(text[:300])
        year = int(found[0]) if found else None
    part = "Y"
    for word, code in (("上半年", "H1"), ("下半年", "H2"), ("第一季度", "Q1"), ("第二季度", "Q2"), ("第三季度", "Q3"), ("第四季度", "Q4"), ("一季度", "Q1")):
        if word in title:
            part = code
            break
    if "上半年" in title and "下半年" in title:
        part = "H1"  # 上半年总结及下半年打算: it reports the first half
    kind: str | None = None
    if "政府工作报告" in title:
        kind = "government-work-report"
    elif "述职" in title:
        kind = "duty-report"
    elif "总结" in title or "工作情况" in title:
        kind = "midyear-summary" if part != "Y" else "annual-summary"
    elif re.search(r"计划|要点|思路|打算|安排|设想", title):
        kind = "plan"
    elif not title:
        kind = next((k for k, pattern in _KIND_IN_TEXT if pattern.search(text[:600])), None)
    if year is None:
        year = _year_of_headings(text, reviews_previous=kind == "government-work-report")
    return Inferred(year, part, kind)


def _year_of_headings(markdown: str, reviews_previous: bool) -> int | None:
    """The year the outline speaks of most (一、2024年工作回顾 二、2025年总体要求 三、2025年任务 → 2025), the later on
    a tie; in a report that reviews the year before its own (政府工作报告), a 回顾 of 2024 speaks for 2025."""
    years = [int(y) + (reviews_previous and "回顾" in line) for line in markdown.split("\n") if line.startswith("#") for y in _YEAR.findall(line)]
    return max(set(years), key=lambda y: (years.count(y), y)) if years else None


_TITLE_WORDS = {"annual-summary": "工作总结", "midyear-summary": "工作总结", "plan": "工作计划"}


def made_title(kind: str, period: Period, bureau: Bureau) -> str:
    """The title of a report that has no title line: 2025年政府工作报告, 某县教育局2021年上半年工作总结."""
    if kind == "government-work-report":
        return f"{period.label}政府工作报告"  # the speech's own title; who gave it is on the page
    return f"{bureau.name}{period.label}{_TITLE_WORDS.get(kind, KINDS[kind])}"


def with_year(title: str, period: Period) -> str:
    """A title that names its year: 政府工作报告 → 2025年政府工作报告 (the home page lists titles side by side)."""
    return title if _YEAR.search(title) else f"{period.label}{title}"


def body_for_title(found: str | None, title: str, body: str) -> str:
    """The body of a page titled ``title``: the text's own title line is taken off only when it is that title;
    otherwise (a title given or made, or one with its year added) the line stays, as the first paragraph."""
    if not found or found == title:
        return body
    return to_markdown(found) + "\n" + body


_SPEAKS_FOR = re.compile(r"我代表([^，,。；\n]{2,24}?)[，,]?向")  # 现在，我代表国务院，向大会报告政府工作


def find_bureau(value: str | None, text: str, bureaus: dict[str, Bureau]) -> Bureau | None:
    """A bureau by id or exact name; else the one the report says is its own: named in a byline or signature (a
    short line at its opening or end) or as who it speaks for (我代表国务院). Never from a name in its text: a
    province's report thanks 党中央、国务院 and is not the State Council's."""
    if value:
        by_name = {b.name: b for b in bureaus.values()} | {b.short_name: b for b in bureaus.values()}
        return bureaus.get(value) or by_name.get(value)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    own = [line for line in lines[:15] + lines[-8:] if len(line) <= _BYLINE_CHARS] + _SPEAKS_FOR.findall(text[:800])
    named = [b for b in bureaus.values() if any(b.name in line for line in own)]
    return named[0] if len(named) == 1 else None


_BYLINE_CHARS = 40  # a byline, a date line or a signature; a sentence of the text is longer


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


# ------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Meta:
    bureau: str
    period: Period
    kind: str
    title: str
    date: str
    source: dict[str, str]


def front_matter(meta: Meta) -> str:
    label = "全年" if meta.period.part == "Y" else PARTS[meta.period.part]
    lines = [
        "---",
        f"bureau: {meta.bureau}",
        f"year: {meta.period.year}",
        f"period: {label}",
        f"kind: {KINDS[meta.kind]}",
        f"title: {_yaml_str(meta.title)}",
        f"date: {meta.date}",
    ]
    if meta.source:
        lines.append("source:")
        lines += [f"  {k}: {_yaml_str(v)}" for k, v in meta.source.items()]
    return "\n".join(lines + ["---"]) + "\n\n"


def body_of(source: Source) -> tuple[str | None, str, Cleaned]:
    """(title found in the text, Markdown body, what cleaning removed)."""
    cleaned = clean(source.text)
    lines = cleaned.text.split("\n")
    if source.markdown:
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if lines and lines[first].startswith("# "):
            return plain_line(lines[first]), "\n".join(lines[first + 1 :]).strip() + "\n", cleaned
        title, rest = split_title(lines)
        return title, "\n".join(rest).strip() + "\n", cleaned
    title, rest = split_title(lines)
    return title, _fill_placeholders(to_markdown("\n".join(rest)), source.blocks), cleaned


@dataclass(frozen=True)
class Given:
    """What the editor said on the command line; None: read it from the report."""

    bureau: str | None = None
    year: int | None = None
    period: str | None = None
    kind: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Prepared:
    meta: Meta
    body: str  # the page's Markdown body
    cleaned: Cleaned  # what cleaning removed, to tell the editor
    title_note: str  # how the title was made, when it is neither the text's own nor given


def prepare(source: Source, given: Given, bureaus: dict[str, Bureau], file_name: str) -> Prepared:
    """The page a report becomes: its front matter read from the text and the options, and its body.
    Raises ImportError_ naming the option to pass when the text does not say."""
    found_title, body, cleaned = body_of(source)
    if given.title and ("\n" in given.title or CONTROL.search(given.title)):
        raise ImportError_("--title 中有换行或控制字符；标题请写在一行")
    named = given.title or found_title
    where = f"标题“{named}”" if named else "正文（原文没有标题行）"
    guess = infer(named, body)
    year = given.year or guess.year
    if year is None:
        raise ImportError_(f"无法从{where}确定年份，请用 --year 指定{'' if named else '，或用 --title 给出带年份的标题'}")
    part = part_code(given.period) if given.period else guess.part
    if part is None:
        raise ImportError_(f"未知的时期 “{given.period}”；--period 可用：{'、'.join(PARTS.values())}")
    kind = kind_code(given.kind) if given.kind else guess.kind
    if kind is None:
        raise ImportError_(f"无法从{where}判断报告类型，请用 --kind 指定：{'、'.join(KINDS.values())}")
    bureau = find_bureau(given.bureau, body, bureaus)
    if bureau is None:
        known = "；".join(f"{b.id}（{b.name}）" for b in bureaus.values())
        what = f"未知的发布机关 “{given.bureau}”" if given.bureau else "无法从正文判断发布机关，请用 --bureau 指定"
        raise ImportError_(f"{what}；已有：{known}。新的发布机关请先加入 data/bureaus.yml")
    period = Period(year, part)
    title = given.title or (with_year(found_title, period) if found_title else made_title(kind, period, bureau))
    note = ""
    if not given.title and title != found_title:
        note = f"原文标题“{found_title}”没有年份，已加上；原标题保留为正文第一段" if found_title else "原文没有标题行，按类型、年份和发布机关拟定；需要时用 --title 指定"
    body = body_for_title(found_title, title, body)
    meta = Meta(bureau.id, period, kind, title, date_in(body, year), {"file": file_name})
    return Prepared(meta, body, cleaned, note)


def date_in(text: str, year: int) -> str:
    """The document's date if its opening states one (（2021年7月19日）), else its year."""
    m = re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text[:400])
    if m and abs(int(m.group(1)) - year) <= 1:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return str(year)


def slug_for(bureau: str, period: Period, kind: str) -> str:
    return "-".join([bureau] + ([period.part.lower()] if period.part != "Y" else []) + [kind])


def figures_yaml(report_path: str, title: str, found: Found) -> str:
    """The figures file of an imported report: every candidate marked 待核对."""
    out = [
        f"# Candidate figures found by `annals import` in {report_path} ({' '.join(title.split())}).",  # one line: a comment
        "# Read by: the annals hooks and `annals check`. Candidates marked `review: 待核对` are NOT published:",
        "# check each against the report, fix it, then delete its review line. Delete candidates that are wrong.",
        "# 候选数据：逐条核对原文后删除 review 一行才会发布；不对的整条删除。",
        "",
        "figures:" + ("" if found.matched else " []"),
    ]
    for c in found.matched:
        value: object = c.value
        if isinstance(c.value, tuple):
            value = "[" + ", ".join(f"{v:g}" for v in c.value) + "]"
        elif isinstance(c.value, float):
            value = f"{c.value:g}"
        out += [f"  - indicator: {c.indicator}"]
        if c.type == "target":
            out.append("    type: target")
        out.append(f"    period: {c.period.key}")
        if c.basis:
            out.append(f"    basis: {_yaml_str(c.basis)}")
        out.append(f"    value: {value}")
        out.append(f"    unit: {_yaml_str(c.unit)}")
        if c.qualifier:
            out.append(f"    qualifier: {c.qualifier}")
        out.append(f"    quote: {_yaml_str(c.quote)}")
        out.append("    review: 待核对")
    if found.unmatched:
        out += ["", "# 以下数字没有匹配到指标；如需要，请先在 data/indicators.yml 中添加指标："]
        out += [f"# - {line}" for line in dict.fromkeys(c.quote + (f"（{c.why}）" if c.why else "") for c in found.unmatched)]  # a clause once
    return "\n".join(out) + "\n"


def promises_yaml(proposed: list[Proposal], answers: list[tuple[Promise, list[Answer]]]) -> str:
    """The commitments and evidence an import proposes, every one marked 待核对 (appended to the figures file)."""
    out = ["", "# 候选承诺：计划部分里说要做什么的句子。逐条核对：改写 label（几个字概括），可加 topic（领域），不是承诺的整条删除；",
           "# 一句承诺了几件事时，parts 列出各部分（每部分分别判断），不对的部分删去，只剩一件事时删去 parts；",
           "# 核对后删除 review 一行才会发布。",
           "commitments:" + ("" if proposed else " []")]
    for n, p in enumerate(proposed, 1):
        out += [f"  - id: c{n}", f"    label: {_yaml_str(p.label)}", f"    quote: {_yaml_str(p.quote)}", f"    period: {p.period.key}"]
        if p.parts:
            out.append(f"    parts: [{', '.join(_yaml_str(part) for part in p.parts)}]")
        out.append("    review: 待核对")
    return "\n".join(out) + "\n" + answers_yaml(answers)


def answers_yaml(answers: list[tuple[Promise, list[Answer]]]) -> str:
    """The candidate answers to earlier promises found in a report, and the record that it was searched for each,
    every one marked 待核对."""
    out = ["", "# 候选回应：此前的承诺在本报告中可能的回应，按相关程度排列，status 是建议的判断（proposed 是理由）。留下真正回应它的一句，",
           "# 核对 status（已完成、部分完成、推进中、未完成），删除 review 一行；其余整条删除。",
           "# (evidence candidates: keep the passage that answers, check its status, delete the review line; delete the rest)",
           "evidence:" + ("" if any(found for _, found in answers) else " []")]
    for promise, found in answers:
        for a in found:
            out += [f"  - commitment: {promise.ref}  # {' '.join(promise.label.split())}", f"    quote: {_yaml_str(a.passage.text)}"]
            if a.part:
                out.append(f"    part: {a.part}  # {' '.join(promise.parts[a.part - 1].split())}")
            out += [f"    status: {a.status}", f"    proposed: {_yaml_str(a.why)}", "    review: 待核对"]
    out += ["", "# 已查找回应的承诺：核对完它的候选回应（或确认本报告没有回应它）后删除 review 一行。没有保留回应、review 已删除的承诺，",
            "# 网站才会说本报告“没有提到”它。",
            "searched:" + ("" if answers else " []")]
    for promise, _ in answers:
        out += [f"  - commitment: {promise.ref}  # {' '.join(promise.label.split())}", "    review: 待核对"]
    return "\n".join(out) + "\n"
