"""The archive: every file read into the records of ``annals.data.schema``, checked, and indexed for the pages.

Everything is read and checked here, once per build (and by ``annals check``). Every problem is
collected with its file and line, so a user fixes them all in one go instead of one per build.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from annals.data.anchors import figure_anchors
from annals.data.atomic import JOURNAL, interrupted
from annals.data.checks import (
    ARCHIVE_CHECKS,
    last_day,
    not_as_stated,
    not_named,
    odd_digits,
    other_unit,
    out_of_range,
    quote_not_in,
)
from annals.data.errors import Collector, DataError, Problem
from annals.data.numbers import Value, find_value, numbers_in
from annals.data.plaintext import plain_line, split_front_matter
from annals.data.routes import FIGURES_DIR, REPORTS_DIR, figures_path_for, report_for_figures
from annals.data.safety import markup_in, nesting_problems
from annals.data.schema import (
    BUREAU,
    DATA_FILE,
    FIGURE,
    FRONT_MATTER,
    INDICATOR,
    SOURCE,
    Bureau,
    Evidence,
    Figure,
    Indicator,
    Promise,
    Refs,
    Report,
    Searched,
    read_entry,
)
from annals.data.tree import tree_problems
from annals.data.vocab import (
    FIGURE_TYPES,
    KINDS,
    PARTS,
    QUALIFIERS,
    Period,
    kind_code,
    parse_period,
    part_code,
    unit_scale,
)
from annals.data.yamlio import Node, Seq, parse_yaml, read_text
from annals.judge.plan import Commitment, PlanIndex, plan_index
from annals.judge.promises import (
    Looks,
    Tracked,
    Tracker,
    check_evidence,
    check_searched,
    read_commitment,
    read_evidence,
    read_searched,
    to_search,
    tracker,
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Archive:
    """Everything one build reads (the data, not how it is shown); derived indexes are computed once, on first use."""

    bureaus: dict[str, Bureau]
    indicators: dict[str, Indicator]
    reports: dict[str, Report]
    figures: list[Figure]
    pending: list[Problem] = field(default_factory=list)  # candidates still to review: not published
    warnings: list[Problem] = field(default_factory=list)  # not wrong, but likely a gap: `annals check --strict` fails on them
    promises: list[Promise] = field(default_factory=list)  # commitments in words, in the order of the data files
    evidence: list[Evidence] = field(default_factory=list)  # later reports' answers to them
    looks: Looks = field(default_factory=Looks)  # which later reports were searched for which promises
    wordings: tuple[tuple[str, ...], ...] = ()  # groups of wordings of one thing (data/wordings.yml)

    @property
    def epoch(self) -> int:
        """The archive's date, for builds that must not read the clock: the newest report's, as a Unix time."""
        newest = max((r.date for r in self.reports.values()), default="1970")
        year, month, day = (newest.split("-") + ["1", "1"])[:3]
        return int(dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC).timestamp())

    @cached_property
    def _by_report(self) -> dict[str, list[Figure]]:
        by: dict[str, list[Figure]] = {src: [] for src in self.reports}
        for fig in self.figures:
            by[fig.report].append(fig)
        return by

    def figures_of(self, report_src: str) -> list[Figure]:
        return self._by_report.get(report_src, [])

    @cached_property
    def _by_indicator(self) -> dict[str, dict[str, list[Figure]]]:
        """indicator → bureau (catalogue order) → its figures. Indicator pages ask for every pair of them:
        scanning all figures for each made those pages grow with the archive's square."""
        by: dict[str, dict[str, list[Figure]]] = {}
        for fig in self.figures:
            if fig.indicator not in by:
                by[fig.indicator] = {b: [] for b in self.bureaus}
            by[fig.indicator][self.reports[fig.report].bureau].append(fig)
        return {i: {b: figs for b, figs in bureaus.items() if figs} for i, bureaus in by.items()}

    def figures_for(self, indicator: str, bureau: str) -> list[Figure]:
        """The figures one bureau states for one indicator, in archive order."""
        return self._by_indicator.get(indicator, {}).get(bureau, [])

    def bureaus_stating(self, indicator: str) -> list[str]:
        """Bureaus that state figures for an indicator, in catalogue order of bureaus."""
        return list(self._by_indicator.get(indicator, {}))

    @cached_property
    def _reports_by_bureau(self) -> dict[str, list[Report]]:
        by: dict[str, list[Report]] = {b: [] for b in self.bureaus}
        for report in self.reports.values():
            by[report.bureau].append(report)
        return by

    def reports_of(self, bureau: str) -> list[Report]:
        return self._reports_by_bureau.get(bureau, [])

    @cached_property
    def _results_by_year(self) -> dict[int, list[Figure]]:
        by: dict[int, list[Figure]] = {}
        for fig in self.figures:
            if fig.type == "result":
                by.setdefault(fig.period.year, []).append(fig)
        return by

    def results_in(self, year: int) -> list[Figure]:
        """The results stated for periods of a year, in archive order."""
        return self._results_by_year.get(year, [])

    @cached_property
    def results_index(self) -> dict[tuple[str, str, str, str], Figure]:
        """(bureau, indicator, period key, basis) → the first result stated for it."""
        index: dict[tuple[str, str, str, str], Figure] = {}
        for fig in self.figures:
            if fig.type == "result":
                index.setdefault((self.reports[fig.report].bureau, *fig.measures), fig)
        return index

    @cached_property
    def anchors(self) -> dict[Figure, str]:
        """The anchor of every figure's number in its report's page."""
        anchors: dict[Figure, str] = {}
        for src, report in self.reports.items():
            anchors.update(figure_anchors(report, self.figures_of(src)))
        return anchors

    @cached_property
    def neighbours(self) -> dict[str, tuple[Report | None, Report | None]]:
        """Report src → the issuer's report of the same kind before it and after it, by date."""
        series: dict[tuple[str, str], list[Report]] = {}
        for report in self.reports.values():
            series.setdefault((report.bureau, report.kind), []).append(report)
        out: dict[str, tuple[Report | None, Report | None]] = {}
        for reports in series.values():
            reports.sort(key=lambda r: (r.date, r.src))
            for i, report in enumerate(reports):
                out[report.src] = (reports[i - 1] if i else None, reports[i + 1] if i + 1 < len(reports) else None)
        return out

    @cached_property
    def plan(self) -> PlanIndex:
        """Every target with its status, indexed for the pages that show them."""
        return plan_index(self.figures, self.reports, self.indicators)

    @cached_property
    def tracker(self) -> Tracker:
        """Every promise, in words or a number, on one scale with the later words behind its status."""
        return tracker(self.promises, self.evidence, targets=self.plan, reports=self.reports, bureaus=self.bureaus,
                       indicators=self.indicators, anchors=self.anchors, looks=self.looks)

    def on_tracker(self, targets: list[Commitment]) -> list[Tracked]:
        """Numeric targets as the tracker places them: the one status and reason every page gives each."""
        return [self.tracker.of_target[c.target] for c in targets]

    def report_of(self, figure: Figure) -> Report:
        return self.reports[figure.report]

    @cached_property
    def refs(self) -> Refs:
        return Refs(self.bureaus, self.indicators, self.reports, self.anchors)


# ------------------------------------------------- bureaus and indicators


def _entries(file: Path, shown: str, what: str, out: Collector) -> Iterator[tuple[str, Node]]:
    """The ``id: {…}`` entries of a catalogue file; a bad id or entry is a problem."""
    data = parse_yaml(read_text(file, shown), shown)
    if not isinstance(data, Node) or not data:
        raise DataError([Problem(shown, 1, f"{what}为空或格式不对：应为“编号: 信息”的映射")])
    for key, entry in data.items():
        line = data.line_of(key)
        if not _ID_RE.match(key):
            out.add(shown, line, f"编号 “{key}” 只能用小写字母、数字、- 和 _，请改名，如 gdp_growth")
        elif not isinstance(entry, Node):
            out.add(shown, line, f"“{key}” 下应为 name 等键的映射")
        else:
            yield key, entry


def load_bureaus(file: Path, shown: str) -> dict[str, Bureau]:
    out = Collector()
    bureaus = _load_bureaus(file, shown, out)
    if out.problems:
        raise DataError(out.problems)
    return bureaus


def _load_bureaus(file: Path, shown: str, out: Collector) -> dict[str, Bureau]:
    """The well-formed bureaus; the problems of the others go to ``out`` (one bad entry must not make every
    report's bureau unknown)."""
    bureaus: dict[str, Bureau] = {}
    for bid, entry in _entries(file, shown, "发布机关列表", out):
        values = read_entry(entry, BUREAU, shown, out)
        if name := values.get("name"):
            if twin := _lookalike(name, {b.name: b.id for b in bureaus.values()}):
                out.add(shown, entry.line_of("name"), f"名称 “{name}” 与发布机关 {twin} 的名称看起来相同（只差全角半角、大小写或空格）；"
                                                      "读者分不出两者，请改名或合并")
                continue
            bureaus[bid] = Bureau(bid, name, values.get("short_name") or name, values.get("note", ""))
    return bureaus


WORDINGS_FILE = "wordings.yml"


def _load_wordings(file: Path, shown: str, out: Collector) -> tuple[tuple[str, ...], ...]:
    """data/wordings.yml: groups of wordings of one thing (- [棚户区改造, 棚改]), offered as related wordings where
    a page finds none of a term; never counted as the term."""
    data = parse_yaml(read_text(file, shown), shown)
    groups: list[tuple[str, ...]] = []
    for n, group in enumerate(data or []) if isinstance(data, list) else ():
        line = data.lines[n] if isinstance(data, Seq) else 1
        words = tuple(str(w).strip() for w in group) if isinstance(group, list) else ()
        if len(words) < 2 or not all(words) or any(isinstance(w, (list, dict)) for w in group):
            out.add(shown, line, "每一项应为同一件事的两个以上说法，如 - [棚户区改造, 棚改]")
        else:
            groups.append(words)
    if data is not None and not isinstance(data, list):
        out.add(shown, 1, "应为说法组的列表，每行一组，如 - [棚户区改造, 棚改]")
    return tuple(groups)


def _bounds(entry: Node, unit: str | None, shown: str, out: Collector) -> tuple[float | None, float | None]:
    """An indicator's ``range: [low, high]`` (null for no bound); by default, counts and amounts are not negative."""
    if "range" not in entry:
        return (None, None) if unit == "%" else (0.0, None)
    raw = entry["range"]
    ends = raw if isinstance(raw, list) and len(raw) == 2 else None
    if ends is None or not all(e is None or (isinstance(e, (int, float)) and not isinstance(e, bool) and math.isfinite(e)) for e in ends) \
            or (ends[0] is not None and ends[1] is not None and ends[0] > ends[1]):
        out.add(shown, entry.line_of("range"), f"range “{raw}” 应写作 [最小值, 最大值]，不限的一端写 null，如 [0, 100]")
        return (None, None)
    return (None if ends[0] is None else float(ends[0]), None if ends[1] is None else float(ends[1]))


def load_indicators(file: Path, shown: str) -> dict[str, Indicator]:
    out = Collector()
    indicators = _load_indicators(file, shown, out)
    if out.problems:
        raise DataError(out.problems)
    return indicators


def _load_indicators(file: Path, shown: str, out: Collector) -> dict[str, Indicator]:
    """The well-formed indicators; the problems of the others go to ``out``."""
    indicators: dict[str, Indicator] = {}
    for iid, entry in _entries(file, shown, "指标目录", out):
        values = read_entry(entry, INDICATOR, shown, out)
        name, unit, group = values.get("name"), values.get("unit"), values.get("group")
        bounds = _bounds(entry, unit, shown, out)
        if name and unit and group:
            if twin := _lookalike(name, {i.name: i.id for i in indicators.values()}):
                out.add(shown, entry.line_of("name"), f"名称 “{name}” 与指标 {twin} 的名称看起来相同（只差全角半角、大小写或空格）；"
                                                      "读者分不出两者，请改名或合并")
                continue
            indicators[iid] = Indicator(iid, name, unit, group, values.get("higher_is_better"), values.get("phrases", ()),
                                        values.get("headline", False), values.get("definition", ""), bounds)
    return indicators


def _lookalike(name: str, taken: dict[str, str]) -> str:
    """The id of a name in ``taken`` a reader cannot tell from ``name`` (full- and half-width, case, spaces), or ''."""
    seen = {_looks(other): iid for other, iid in taken.items()}
    return seen.get(_looks(name), "")


def _looks(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


# ------------------------------------------------------------------ reports

# Any "<" of report text: Markdown passes HTML through, and <javascript:…> is HTML to it too. Named as a tag if it is one.
_LT = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*|<!--|<")


def _parse_date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1900 <= value <= 2200:
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text)
        if m and (m.group(2) is None or 1 <= int(m.group(2)) <= 12):
            return text
        try:
            return dt.date.fromisoformat(text).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            return None
    return None


def load_report(file: Path, src: str, shown: str, bureaus: dict[str, Bureau]) -> Report:
    out = Collector()
    yaml_text, body, body_line = split_front_matter(read_text(file, shown), shown)
    meta = parse_yaml(yaml_text, shown, first_line=2)
    if not isinstance(meta, Node):
        raise DataError([Problem(shown, 2, "front matter 应为 bureau、year 等键的映射")])
    values = read_entry(meta, FRONT_MATTER, shown, out)
    bureau = values.get("bureau")  # a list or mapping is told, not looked up
    if bureau is not None and bureau not in bureaus:
        known = "、".join(sorted(bureaus))
        out.add(shown, meta.line_of("bureau"), f"未知的发布机关 “{bureau}”，请先在 data/bureaus.yml 中添加；已有：{known}")

    year = values.get("year")
    path_year = PurePosixPath(src).parts[1] if len(PurePosixPath(src).parts) > 2 else None
    if "year" in values:
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
            out.add(shown, meta.line_of("year"), f"year 应为四位年份，如 2021，而不是 “{year}”")
            year = None
        elif path_year != str(year):
            out.add(shown, meta.line_of("year"), f"year 为 {year}，但文件在 reports/{path_year}/ 下；请移动文件或改正年份")

    part = None
    if "period" in values:
        part = part_code(str(values["period"]))
        if part is None:
            choices = "、".join(PARTS.values())
            out.add(shown, meta.line_of("period"), f"未知的时期 “{values['period']}”；可用：{choices}")

    kind = None
    if "kind" in values:
        kind = kind_code(str(values["kind"]))
        if kind is None:
            choices = "、".join(KINDS.values())
            out.add(shown, meta.line_of("kind"), f"未知的报告类型 “{values['kind']}”；可用：{choices}")

    title = values.get("title")
    if "title" in values and (not isinstance(title, str) or not title.strip()):
        out.add(shown, meta.line_of("title"), "title 应为报告标题文字")

    date = None
    if "date" in values:
        date = _parse_date(values["date"])
        if date is None:
            out.add(shown, meta.line_of("date"), f"date “{values['date']}” 不是有效日期；写作 2021-07-19（或只写 2021、2021-07）")
        elif (date + "-01-01"[len(date) - 4:] if len(date) < 10 else date) > dt.date.today().isoformat():
            out.add(shown, meta.line_of("date"), f"date {date} 还没有到（今天是 {dt.date.today().isoformat()}）；报告不会来自将来，请核对日期，如年份是否写错")
        elif isinstance(year, int) and not (year - 1 <= int(date[:4]) <= year + 1):
            out.add(shown, meta.line_of("date"), f"date {date} 与 year {year} 相差一年以上；请核对日期或年份")

    source: dict[str, str] = {}
    if "source" in values:
        raw = values["source"]
        if not isinstance(raw, Node):
            out.add(shown, meta.line_of("source"), "source 应为 file、url、number、note 的映射")
        else:
            source = {k: v for k, v in sorted(read_entry(raw, SOURCE, shown, out).items()) if v}
            if "url" in source and not re.match(r"https?://[^\s]+$", source["url"]):
                out.add(shown, raw.line_of("url"), f"source.url “{source['url']}” 应为 http:// 或 https:// 开头的网址")

    out.problems.extend(nesting_problems(body, body_line, shown))
    if "<" in body or "{" in body or "[" in body:  # most reports have none of them: no line-by-line scan
        for n, line in enumerate(body.split("\n"), body_line):
            if tag := _LT.search(line):
                out.add(shown, n, f"正文中有 HTML “{tag.group()}”：报告正文只能是文字（Markdown 会把 <…> 当作 HTML）；原文中的“<”请写作 &lt;")
            elif ("{" in line or "[" in line) and (what := markup_in(line)):
                out.add(shown, n, f"正文中有{what}：报告正文只能是文字；原文中的 {{ }} [ ] 请写作 \\{{ \\}} \\[ \\]（annals import 会自动处理）")

    if out.problems:
        raise DataError(out.problems)
    assert isinstance(year, int) and part and kind and isinstance(title, str) and date
    # MkDocs drops the blank lines after front matter; so do we, so lines match.
    body = body.lstrip("\n")
    lines = tuple(plain_line(line) for line in body.split("\n"))
    return Report(src, str(bureau), year, Period(year, part), kind, title.strip(), date, source, lines, body)


# ------------------------------------------------------------------ figures


def _parse_value(raw: object) -> Value | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(raw) else None  # .inf, .nan
    if isinstance(raw, str) and re.fullmatch(r"[xX]+(?:\.[xX]+)?", raw.strip()):
        return raw.strip()
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
        low, high = float(raw[0]), float(raw[1])
        return (low, high) if low < high else None
    return None


@dataclass
class DataFile:
    """What one report's data file holds, checked: its figures, its commitments in words, the evidence it gives
    on earlier ones, and the candidates (``review:``) still to check."""

    figures: list[Figure] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    pending: list[Problem] = field(default_factory=list)
    searched: list[Searched] = field(default_factory=list)  # earlier promises this report was searched for, decided
    searching: set[str] = field(default_factory=set)  # earlier promises whose answers here are still to review
    figures_pending: bool = False  # figure candidates still to review: its numbers have not all been looked at


# The lists of a data file: what each entry is, for the messages, and the keys it starts with in an example.
_LISTS = {"figures": "indicator、value、quote", "commitments": "id、label、quote", "evidence": "commitment、quote、status",
          "searched": "commitment"}


def _entries_of(data: Node, key: str, shown: str, out: Collector) -> Iterator[Node]:
    """The mappings of one list of a data file; anything else in it is a problem."""
    entries = data.get(key) or []
    for n, entry in enumerate(entries):
        if isinstance(entry, Node):
            yield entry
        else:
            line = entries.lines[n] if isinstance(entries, Seq) else data.line_of(key)
            first = _LISTS[key].split("、")[0]
            out.add(shown, line, f"{key} 列表的每一项应为 {_LISTS[key]} 等键的映射，如 “- {first}: …”")


def _candidate(entry: Node, key: str, shown: str) -> Problem:
    """An import candidate still to review: not published, and not held against the build."""
    said = {"figures": f"{entry.get('indicator')} = {entry.get('value')}", "commitments": f"承诺 {entry.get('label')}",
            "evidence": f"对 {entry.get('commitment')} 的回应（{entry.get('status')}）",
            "searched": f"在本报告中查找 {entry.get('commitment')} 的回应"}[key]
    quoted = f"，引文“{entry.get('quote')}”" if entry.get("quote") else ""
    return Problem(shown, entry.line, f"待核对：{said}{quoted}")


def load_figures(
    file: Path, shown: str, report: Report, indicators: dict[str, Indicator], text: str | None = None
) -> DataFile:
    """The checked data of a report; ``text``: the file's content as it would be saved (`annals review`
    checks an edit before writing it)."""
    out = Collector()
    data = parse_yaml(read_text(file, shown) if text is None else text, shown)
    loaded = DataFile()
    if data is None:
        return loaded
    # A list whose last entry an editor deleted (`searched:` with nothing under it) is empty, not wrong.
    if not isinstance(data, Node) or not all(isinstance(data.get(key) or [], list) for key in _LISTS):
        raise DataError([Problem(shown, 1, "应为 figures: 后跟数据列表（可另有 commitments:、evidence:、searched: 列表）")])
    read_entry(data, DATA_FILE, shown, out)
    ids: dict[str, int] = {}
    for kind in ("commitments", "evidence", "searched"):
        for entry in _entries_of(data, kind, shown, out):
            if entry.get("review"):
                loaded.pending.append(_candidate(entry, kind, shown))
                if kind != "commitments":
                    loaded.searching.add(str(entry.get("commitment")))
            elif kind == "commitments" and (promise := read_commitment(entry, shown, report, indicators, ids, out)):
                loaded.promises.append(promise)
            elif kind == "evidence" and (said := read_evidence(entry, shown, report, out)):
                loaded.evidence.append(said)
            elif kind == "searched" and (looked := read_searched(entry, shown, report, out)):
                loaded.searched.append(looked)
    figures, pending = loaded.figures, loaded.pending
    seen: dict[tuple[str, ...], int] = {}
    for entry in _entries_of(data, "figures", shown, out):
        if entry.get("review"):
            pending.append(_candidate(entry, "figures", shown))
            loaded.figures_pending = True
            continue
        figure = _load_figure(entry, shown, report, indicators, out)
        if figure is None:
            continue
        if figure.type == "target":
            same = (*figure.measures, "target", repr(figure.value), figure.qualifier or "")
            if same in seen:
                continue  # a target restated in the same report (说明 of the 预期目标) is one target
            seen[same] = entry.line
        key = (*figure.measures, figure.type, figure.quote)
        if key in seen:
            out.add(shown, entry.line, f"与第 {seen[key]} 行的数据重复，请删去其中一条")
            continue
        seen[key] = entry.line
        figures.append(figure)
    targets = {(*f.measures, f.quote): f.line for f in figures if f.type == "target"}
    for fig in figures:
        if fig.type == "result" and (target_line := targets.get((*fig.measures, fig.quote))):
            out.add(shown, fig.line, f"这条结果与第 {target_line} 行的目标引用同一句话，目标不能用它自己来判定；结果请引用报告中说明完成情况的句子，或删去这一条")
    if out.problems:
        raise DataError(out.problems)
    return loaded


def _load_figure(
    entry: Node, shown: str, report: Report, indicators: dict[str, Indicator], out: Collector
) -> Figure | None:
    before = len(out.problems)
    values = read_entry(entry, FIGURE, shown, out)
    iid = values.get("indicator")
    indicator = indicators.get(iid or "")
    if iid and indicator is None:
        close = [i for i in indicators if iid[:3] in i][:5] or sorted(indicators)[:5]
        out.add(shown, entry.line_of("indicator"), f"未知指标 “{iid}”，请先在 data/indicators.yml 中定义；相近的有：{'、'.join(close)}")

    ftype = str(values.get("type", "result"))
    if ftype not in FIGURE_TYPES:
        out.add(shown, entry.line_of("type"), f"type 应为 result（结果）或 target（目标），而不是 “{ftype}”")

    period = report.period
    if "period" in values:
        parsed = parse_period(values["period"])
        if parsed is None:
            out.add(shown, entry.line_of("period"), f"period “{values['period']}” 无效；写作 2021、2021-H1 或 2021年上半年")
        else:
            period = parsed

    raw_value = values.get("value")
    value = _parse_value(raw_value)
    if "value" in values and value is None:
        out.add(shown, entry.line_of("value"), f"value “{raw_value}” 不是数字；可写数字、区间 [6.5, 7]，未公开的写 x 或 xx")

    qualifier = values.get("qualifier")
    if qualifier is not None and str(qualifier) not in QUALIFIERS:
        out.add(shown, entry.line_of("qualifier"), f"未知的限定词 “{qualifier}”；可用：{'、'.join(QUALIFIERS)}")
    if isinstance(value, tuple):
        qualifier = qualifier or "区间"

    quote, unit = values.get("quote"), values.get("unit")
    if len(out.problems) > before or indicator is None or quote is None or value is None:
        return None

    unit = unit or indicator.unit
    base, factor = unit_scale(unit)
    ibase, ifactor = unit_scale(indicator.unit)
    if base != ibase:
        out.add(shown, entry.line_of("unit"), f"单位 “{unit}” 不能换算为指标 {indicator.id} 的单位 “{indicator.unit}”；请改用 {ibase} 一类的单位，或换一个指标")
        return None
    if outside := out_of_range(value, unit, factor / ifactor, indicator):
        out.add(shown, entry.line_of("value"), outside)
        return None

    if missing := quote_not_in(report, quote):
        out.add(shown, entry.line_of("quote"), missing)
        return None
    if odd := odd_digits(quote):
        out.add(shown, entry.line_of("quote"), odd)
        return None
    span = find_value(quote, value, (unit,))
    if span is None:
        stated = "、".join(numbers_in(quote)) or "无数字"
        shown_value = f"{value[0]:g}－{value[1]:g}" if isinstance(value, tuple) else (value if isinstance(value, str) else f"{value:g}")
        out.add(shown, entry.line_of("value"), other_unit(quote, value, unit) or f"value {shown_value}{unit} 与引文中的数字不符（引文中为：{stated}）；请按原文改正 value 或 quote")
        return None
    if wrong := not_named(quote, span, unit, indicator, values.get("subject", "")) or not_as_stated(
            quote, span, value, unit, str(qualifier) if qualifier else None, ftype, indicator):
        out.add(shown, entry.line_of("value"), wrong)
        return None
    if ftype == "target" and period.sort_key < report.period.sort_key and period.year < report.year:
        out.add(shown, entry.line_of("period"), f"目标的时期 {period.label} 早于报告所属的 {report.period.label}；请核对 period，或改为 type: result")
        return None
    if ftype == "result" and period.start > last_day(report.date):
        out.add(shown, entry.line_of("period"), f"结果的时期 {period.label} 在报告日期 {report.date} 之后才开始，还不可能有结果；如是目标，请写 type: target")
        return None
    return Figure(
        path=shown,
        line=entry.line,
        report=report.src,
        indicator=indicator.id,
        type=ftype,
        period=period,
        value=value,
        unit=unit,
        scale=factor / ifactor,
        qualifier=str(qualifier) if qualifier else None,
        quote=quote,
        span=span,
        note=values.get("note", ""),
        basis=values.get("basis", ""),
    )


# ------------------------------------------------------------------ archive


def _report_files(docs_dir: Path) -> Iterator[Path]:
    root = docs_dir / REPORTS_DIR
    if root.is_dir():
        for path in sorted(root.rglob("*.md")):
            rel = path.relative_to(root)
            if len(rel.parts) == 2 and rel.name != "index.md":
                yield path


def load_archive(project_dir: Path, docs_dir: Path, data_dir: Path, read_only: Sequence[Path] = (),
                 unsaved: dict[Path, str] | None = None) -> Archive:
    """Read and check everything; raise one DataError listing every problem. ``read_only``: other folders
    the build reads (the theme's ``custom_dir``), checked for links out of the repository. ``unsaved``:
    figures files as an editor would save them, read instead of the disk's."""
    unsaved = unsaved or {}
    if interrupted(project_dir):
        raise DataError([Problem(JOURNAL, 0, "上次的 annals import 被中断，档案中可能只有它的一部分文件；请运行 annals recover 完成它，再构建")])
    if problems := tree_problems(project_dir, docs_dir, [data_dir, *read_only]):
        raise DataError(problems)  # nothing is read through a link, nor from a file no page would show
    out = Collector()

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(project_dir))
        except ValueError:
            return str(path)

    bureaus_file = data_dir / "bureaus.yml"
    indicators_file = data_dir / "indicators.yml"
    for required in (bureaus_file, indicators_file):
        if not required.is_file():
            out.add(shown(required), 0, "文件不存在；请从样例档案复制一份再修改（见 README “Contracts”）")
    if out.problems:
        raise DataError(out.problems)
    bureaus = out.guard(_load_bureaus, bureaus_file, shown(bureaus_file), out) or {}
    indicators = out.guard(_load_indicators, indicators_file, shown(indicators_file), out) or {}
    wordings_file = data_dir / WORDINGS_FILE
    wordings = out.guard(_load_wordings, wordings_file, shown(wordings_file), out) or () if wordings_file.exists() else ()

    reports: dict[str, Report] = {}
    report_srcs = []
    for file in _report_files(docs_dir):
        src = file.relative_to(docs_dir).as_posix()
        report_srcs.append(src)
        report = out.guard(load_report, file, src, shown(file), bureaus)
        if report:
            reports[src] = report

    identity: dict[tuple[str, int, str, str], Report] = {}
    for report in reports.values():
        key = (report.bureau, report.year, report.period.part, report.kind)
        if key in identity:
            other = identity[key]
            out.add(f"docs/{report.src}", 1, f"与 docs/{other.src} 是同一发布机关、年份、时期和类型的报告；请删去重复的一份，或改正其中一份的 front matter")
        else:
            identity[key] = report

    figures: list[Figure] = []
    promises: list[Promise] = []
    evidence: list[Evidence] = []
    pending: list[Problem] = []
    unread = {src for src in report_srcs if src not in reports}  # their own problems are told: not what points at them
    searched: list[Searched] = []
    searching: dict[str, set[str]] = {}
    figures_pending: set[str] = set()
    figures_root = data_dir / FIGURES_DIR
    paired = {figures_path_for(src): src for src in report_srcs}
    read: dict[str, Path] = {}
    if figures_root.is_dir():
        for file in sorted(figures_root.rglob("*.yml")) + sorted(figures_root.rglob("*.yaml")):
            rel = file.relative_to(data_dir).with_suffix(".yml").as_posix()
            if rel in read:
                out.add(shown(file), 0, f"与 {shown(read[rel])} 是同一份报告的数据文件，会把每条数据读两遍；请合并为一个 .yml 文件")
                continue
            read[rel] = file
            if rel not in paired:
                expected = "docs/" + report_for_figures(PurePosixPath(rel).relative_to(FIGURES_DIR).as_posix())
                out.add(shown(file), 0, f"没有对应的报告 {expected}；数据文件须与报告同名，请改名或删去")
                continue
            if indicators and paired[rel] in reports:  # else the report's own problem is reported
                loaded = out.guard(load_figures, file, shown(file), reports[paired[rel]], indicators, unsaved.get(file))
                if loaded is None:
                    unread.add(paired[rel])
                else:
                    figures.extend(loaded.figures)
                    promises.extend(loaded.promises)
                    evidence.extend(loaded.evidence)
                    pending.extend(loaded.pending)
                    searched.extend(loaded.searched)
                    if loaded.searching:
                        searching[paired[rel]] = loaded.searching
                    if loaded.figures_pending:
                        figures_pending.add(paired[rel])

    evidence = check_evidence(promises, evidence, reports, unread, out)
    searched = check_searched(promises, searched, reports, unread, out)
    warnings: list[Problem] = []
    for check in ARCHIVE_CHECKS:
        found = check(figures, reports, indicators)
        out.problems += found.errors
        warnings += found.warnings
    if out.problems:
        raise DataError(out.problems)
    looks = Looks.of(evidence, searched, searching, figures_pending)
    for src, due in sorted(to_search(promises, evidence, list(reports.values()), looks).items()):
        warnings.append(Problem(shown(data_dir / figures_path_for(src)), 0, f"{reports[src].title}回顾的时期里有 {len(due)} 项承诺还没有在其中查找回应"
                                f"（如“{due[0].label}”），网站上显示为“尚未核对”；请运行 annals answers，再核对它找到的候选回应"))
    return Archive(bureaus, indicators, reports, figures, pending, warnings, promises=promises, evidence=evidence, looks=looks,
                   wordings=wordings)
