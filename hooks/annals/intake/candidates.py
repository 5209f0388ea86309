"""Candidate figures: the numbers of a report's text, each with its indicator, period and type, as an
analyst reads them, for the editor to confirm (``annals import`` writes them marked 待核对).

Three readings, each from the words around the number, never from position alone:

* **Time.** What the sentence says of time (去年, 今年, 上半年, 2015年, 过去五年), then the section
  heading's year, then the report's kind and date: a 政府工作报告 of March 2016 reviews 2015 and plans
  2016; a December summary reviews its own year. A figure over several years (过去五年, 年均, “十三五”
  时期) is never one year's: it carries its span as ``basis``.
* **Subject.** A number belongs to the indicator named in its own clause, right before it, with only
  linking words between (城镇新增就业 1312万人; 国内生产总值达到 114万亿元，增长 8.1%: the second clause
  has no subject of its own and takes the first's). A clause that names something the catalogue does
  not have (中央预算内投资安排6000亿元) stays unmatched, listed for the editor: it never gets the
  nearest indicator.
* **Type.** A target when the clause or sentence says so (预期目标, 力争, 拟安排, 左右, 以上).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from annals.data.checks import signed
from annals.data.numbers import cn_number, find_value, normalise, stated
from annals.data.plaintext import plain_line
from annals.data.schema import Indicator
from annals.data.vocab import STATED_UNITS, Period, Timing, unit_scale

__all__ = ["FIVE_YEAR_PLAN", "Candidate", "Found", "Timing", "candidates", "plans"]


@dataclass(frozen=True)
class Candidate:
    indicator: str | None  # None: unmatched, and ``why`` says why
    value: float | tuple[float, float] | str
    unit: str
    type: str
    period: Period
    qualifier: str | None
    quote: str
    basis: str = ""  # a span of years (2013—2017年年均), never filed as one year's figure
    why: str = ""


@dataclass
class Found:
    matched: list[Candidate] = field(default_factory=list)
    unmatched: list[Candidate] = field(default_factory=list)


# Units a figure may be stated in. Most have no indicator: their numbers are listed for the editor.
_NUMBER = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_NUM_RE = re.compile(
    rf"(?:(?P<low>{_NUMBER})[%％]?[－\-—~～至到])?"
    r"(?P<num>" + _NUMBER + r"|[xX]+|[零〇一二两三四五六七八九十百千]{2,}|十)"
    r"(?P<more>余|多)?(?P<unit>" + "|".join(re.escape(u) for u in STATED_UNITS) + r"|万(?=以上|左右|以内|[，。；、）)]|$))"
)
_REVIEW_HEADING = re.compile(r"回顾|总结|成绩|完成情况|工作情况|上半年工作$")
_PLAN_HEADING = re.compile(r"打算|计划|思路|设想|要点|部署|任务|重点工作|工作重点|工作安排|下半年|下一步|下步|明年|展望|总体要求|建议")
_DONE = re.compile(r"已经?|去年|上年|过去|完成了|实现了")  # a fact, even in a plan: 去年完成…
_TARGET_WORDS = re.compile(r"目标|力争|确保|预期|争取|拟安排|拟按|拟发行|拟")
_SENTENCE_TARGET = re.compile(r"今年.*(拟|预期|目标|安排)|预期目标|主要目标")
_DIFFERENCE = re.compile(r"比(?:去年|上年)[^，。；]*?(增加|减少|提高|降低|下降|增长|多|少)$")
_ZERO_RE = re.compile(r"未发生一起|无一起|零(?=[\u4e00-\u9fff]{1,3}”)")
_QUALIFIER_AFTER = re.compile(r"^(以上|左右|以内|以下)")
_CLAUSE_END = "，,；;。！？：:\n"
_SENTENCE_END = "。！？；;"

# Words that may stand between an indicator's name and its number, or before the name, without changing
# what is measured: verbs of change and arrival, scope and time, budget verbs. Anything else there (能耗 in
# 单位国内生产总值能耗, 中央 in 中央财政赤字) makes it another measure.
_LINK = re.compile(
    r"(?:增长|增速|增幅|涨幅|上涨|下降到|下降|降低到|降低|降幅|降到|降至|减少|提高到|提高至|提高|提升到|提升|增加到|增加至|增加|增至|"
    r"上升到|上升至|升至|扩大到|缩小到|回落到|达到|达|为|是|到|至|从|约|近|超过|突破|"
    r"以上|左右|实际|同比|比上年|比去年|分别|年均|累计|平均|保持在|保持|控制在|稳定在|预期|目标|拟按|拟安排|拟发行|拟|按|安排|发行|人数|规模|总额|"
    r"总量|在|的|了|已|共|计|合计|共计|完成|实现|再|全年|今年|去年|上年|当年|年末|年底|年初|全国|我国|全省|全市|全县|全区|其中|和|与|及|"
    r"(?:19|20)\d{2}年|上半年|下半年|一季度|第一季度|过去一年|一年来|城镇|继续|进一步|力争|确保|争取|要|将|把|"
    r"计划投入|计划投资|投入|投资|计划|预计|截至目前|截至|目前|全部|建设|新建|建成|项目|改扩建|维修|改造|\s)*"
)
# Words right before an indicator's name that make it a part of it: 中央财政赤字 is not 财政赤字.
_MODIFIER = re.compile(r"(?:中央|地方|本级|省级|市级|县级|区级|人均|单位|农村|城市|国有|其中一)$")
# Words of a span of years: a figure they govern is a total or an average over the span.
_SPAN = re.compile(r"过去五年|五年来|近五年|五年间|五年累计|五年共|年均|年平均|“?十[一二三四五]?五”?(?:时期|期间|以来)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLES = re.compile(r"《[^》]*》")  # 《2021年党建工作要点》 names a document, it does not date a figure
# Words that date a figure to one period (or a part of one): the sentence's own, else the paragraph's.
_TIME = re.compile(r"过去一年|一年来|去年|上年|今年|明年|(?:19|20)\d{2}\s*年|上半年|下半年|[一二三四]季度|前三季度")
# 从54万亿元增加到82.7万亿元: 54 is where it started (从去年的2.1%: a start that says its year is that year's).
_START = re.compile(r"(?:从|由)(?:去年的?|上年的?|人均|每人每年|每人)?$")
_COMPARISON = re.compile(r"比(?:上年|去年)(?:同期)?|(?:上年|去年)同期|同比")
_FROM = re.compile(r"从[^，,；;。]*?" + _NUMBER + "(?:" + "|".join(re.escape(u) for u in STATED_UNITS) + ")")
FIVE_YEAR_PLAN = re.compile(r"“?(十[一二三四五]|十)五”?")
_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}


def candidates(markdown: str, timing: Timing, indicators: dict[str, Indicator]) -> Found:
    """Numbers with units in a report's Markdown, each read for its indicator, period and type."""
    found = Found()
    headings: dict[int, str] = {}  # level → the heading in force: 二、下半年打算 above 1.抓安全。
    phrases = sorted(((p, i) for i in indicators.values() for p in i.phrases), key=lambda pi: -len(pi[0]))
    seen: set[tuple[object, ...]] = set()
    planning = False  # past the review: in 二、2016年工作总体部署 and every section after it
    for md_line in markdown.split("\n"):
        line = plain_line(md_line)
        level = len(md_line) - len(md_line.lstrip("#"))
        if level:
            headings = {k: v for k, v in headings.items() if k < level} | {level: line}
            says = plans(line, timing) if level <= 2 else None
            planning = planning if says is None else says
            continue
        heading = " ".join(headings[k] for k in sorted(headings))
        for cand in _line_candidates(line, heading, timing, phrases, planning):
            key = (cand.indicator, cand.type, cand.period, cand.basis, cand.value)
            if cand.indicator and key in seen:
                continue  # a target restated later in the report (说明 of the 预期目标) is the same target
            seen.add(key)
            if cand.indicator:
                cand = as_stated(cand, indicators[cand.indicator])
            (found.matched if cand.indicator else found.unmatched).append(cand)
    return found


def as_stated(cand: Candidate, indicator: Indicator) -> Candidate:
    """A candidate with the sign and qualifier its quote gives it, as the build checks them (annals.data.checks):
    国内生产总值下降6.9% is growth of -6.9; 166余名 is 166 or more."""
    value, qualifier = cand.value, cand.qualifier
    span = find_value(cand.quote, value, (cand.unit,)) if isinstance(value, float) else None
    if span is None or not isinstance(value, float):
        return cand
    said = stated(cand.quote, span)
    value = signed(value, said, indicator)
    if not qualifier and said.approximate:
        qualifier = "以上"
    return dataclasses.replace(cand, value=value, qualifier=qualifier)


def plans(heading: str, timing: Timing) -> bool | None:
    """Whether a section plans (二、2016年工作总体部署, 二、下半年工作打算) or reviews (一、2015年工作回顾); None
    when its heading does not say (三、把改革开放扎实推向纵深: as the section before it)."""
    if _REVIEW_HEADING.search(heading):
        return False
    years = [int(y) for y in _YEAR.findall(heading)]

    if years and timing.plan.year > timing.review.year:
        return years[-1] >= timing.plan.year
    return True if _PLAN_HEADING.search(heading) else None


def _line_candidates(line: str, heading: str, timing: Timing, phrases: list[tuple[str, Indicator]], planning: bool) -> list[Candidate]:
    out = []
    subject: list[str] = []  # the sentence's last named subject, whole and without its verb: 国内生产总值达到…，增长8.1%
    subject_sentence = subject_left = -1
    for m in _NUM_RE.finditer(line):
        if m.start() > 0 and line[m.start() - 1] in "第.０123456789":
            continue  # an ordinal (第六届) or part of a longer number
        value = _value(m)
        if value is None:
            continue
        left, right = _clause(line, m.start(), m.end())
        sentence_start = max(line.rfind(c, 0, m.start()) for c in _SENTENCE_END) + 1
        if sentence_start != subject_sentence:
            subject, subject_sentence = [], sentence_start
        clause = line[left:right]
        unit = normalise(m.group("unit"))
        difference = _DIFFERENCE.search(line[left : m.start()])
        if difference and not (unit == "%" and difference.group(1) in ("增长", "下降")):
            continue  # 比去年增加5600亿元 is a difference, not a figure; 比上年增长7.4% is a rate
        after = _QUALIFIER_AFTER.match(line[m.end():])
        qualifier = after.group(1) if after else None
        before = line[sentence_start : m.start()]
        is_target = bool(qualifier and qualifier != "以下") or bool(_TARGET_WORDS.search(clause)) or bool(_SENTENCE_TARGET.search(before))
        is_target = is_target or (planning and not _DONE.search(before))
        # The clause's own words before the number, after any earlier figure of the same clause.
        head = line[left : m.start()]
        earlier = list(_NUM_RE.finditer(head))
        own = head[: earlier[0].start()] if earlier else head
        last = head[earlier[-1].end() :].lstrip("、，,和及") if earlier else head
        quote_left = left
        if _LINK.fullmatch(own):  # 增长8.1%, 计划投入3000万元: of the subject named before
            texts = [s + (last if earlier else own) for s in subject]
            quote_left = subject_left if subject else left  # the quote names the subject: it begins where it is named
        else:
            subject, subject_left = [own, _strip_link_tail(own)], left  # 寄宿制学校建设, and 国内生产总值 of 国内生产总值达到
            texts = [s + last for s in subject] if earlier else [own]
        indicator, why = None, ""
        start = _START.search(head)
        if start and not _TIME.search(start.group(0)):
            out.append(Candidate(None, value, unit, "result", timing.review, qualifier, clause.strip(), "",
                                 "“从…到…”的起点，是更早某一年的数字，这句没有说是哪一年"))
            continue
        for text in texts or [own]:
            indicator, why = _indicator(text, line[m.end() : right], line[sentence_start:right], unit, phrases)
            if indicator:
                break
        period, basis, time_why = _period(line, sentence_start, left, m.start(), clause, heading, timing, is_target)
        if is_target and period.year < timing.written and not time_why:
            is_target = False  # 赤字率从去年的2.1%: what was set for a year gone by is stated as a fact of it
            period, basis, time_why = _period(line, sentence_start, left, m.start(), clause, heading, timing, False)
        out.append(Candidate(indicator if not time_why else None, value, unit, "target" if is_target else "result", period, qualifier,
                             line[quote_left:right].strip() if indicator else clause.strip(), basis, time_why or why))
    for z in _ZERO_RE.finditer(line):
        left, right = _clause(line, z.start(), z.end())
        clause = line[left:right]
        is_target = bool(_TARGET_WORDS.search(clause))
        for phrase, ind in phrases:
            if phrase in clause:
                sentence_start = max(line.rfind(c, 0, z.start()) for c in _SENTENCE_END) + 1
                period, basis, time_why = _period(line, sentence_start, left, z.start(), clause, heading, timing, is_target)
                if not time_why:
                    out.append(Candidate(ind.id, 0.0, ind.unit, "target" if is_target else "result", period, None, clause.strip(), basis))
                break
    return out


def _value(m: re.Match[str]) -> float | tuple[float, float] | str | None:
    raw = m.group("num")
    if re.fullmatch(r"[xX]+", raw):
        return raw
    if re.fullmatch(r"[0-9０-９.．]+", raw):
        value = float(normalise(raw))
        return (float(normalise(m.group("low"))), value) if m.group("low") else value
    return cn_number(raw)


def _clause(line: str, start: int, end: int) -> tuple[int, int]:
    left = max((line.rfind(c, 0, start) for c in _CLAUSE_END), default=-1) + 1
    rights = [i for i in (line.find(c, end) for c in _CLAUSE_END) if i >= 0]
    return left, min(rights) if rights else len(line)


def _strip_link_tail(text: str) -> str:
    """国内生产总值达到 → 国内生产总值: the name a following clause (，增长8.1%) speaks of."""
    for i in range(len(text) + 1):
        if _LINK.fullmatch(text[i:]):
            return text[:i]
    return text


def _indicator(text: str, after: str, sentence: str, unit: str, phrases: list[tuple[str, Indicator]]) -> tuple[str | None, str]:
    """The indicator a number is said of: the name right after it (263名公费师范生, 5分钟安全教育), or the
    name in ``text`` (its clause's words before it) with nothing but linking words after the name and no
    modifier right before it; or why there is none. Two indicators of one name (开工率 of schools, of
    housing) go to the one whose other names the sentence has."""
    base = unit_scale(unit)[0]
    named = False
    fits: list[tuple[bool, int, int, str]] = []  # (not named after it, -others, order, id)
    for order, (phrase, ind) in enumerate(phrases):
        at, follows = text.rfind(phrase), after.find(phrase, 0, _AFTER_GAP + len(phrase))
        if at < 0 and follows < 0:
            continue
        named = True
        if unit_scale(ind.unit)[0] != base:
            continue
        before_ok = at >= 0 and not _MODIFIER.search(text[:at]) and _LINK.fullmatch(text[at + len(phrase) :])
        if before_ok or follows >= 0:
            others = sum(1 for p in ind.phrases if p != phrase and p in sentence)
            fits.append((follows < 0, -others, order, ind.id))
    if fits:
        return min(fits)[3], ""
    if named:
        return None, "指标名称前后还有别的词（如“中央”“能耗”），可能是另一项指标"
    return None, "目录中没有这项指标"


_AFTER_GAP = 2  # 22个高中大班额: a name this close after the unit is what was counted


def _period(line: str, sentence_start: int, left: int, at: int, clause: str, heading: str, timing: Timing, is_target: bool
            ) -> tuple[Period, str, str]:
    """(period, basis, why it cannot be filed) of a number at ``at``, from the words of time nearest it."""
    # Comparisons (比上年增长) are not words of time, nor is the start of 从去年的2.1%提高到3%: the 3% is this year's.
    before = _COMPARISON.sub("", _FROM.sub("", _TITLES.sub("", line[sentence_start:at])))
    span = _SPAN.search(clause) or _SPAN.search(before)
    if not span and not _TIME.search(before):
        # The sentence says nothing of time: the paragraph's last word of time before it governs
        # (过去五年，……。城镇新增就业超过6000万人 is the five years'; 过去一年，……。 the year's).
        said = list(re.finditer(f"{_SPAN.pattern}|{_TIME.pattern}", _COMPARISON.sub("", _TITLES.sub("", line[:sentence_start]))))
        if said and _SPAN.fullmatch(said[-1].group(0)):
            span = said[-1]
        elif said:
            before = said[-1].group(0) + before
    years = [int(y) for y in _YEAR.findall(before)]
    if not span and not years and not is_target and _SPAN.search(heading) and not re.search(r"去年|上年|过去一年|一年来", line):
        # 一、过去五年工作回顾 reviews five years and the last one: the heading alone cannot say which this is
        return timing.review, "", "本节回顾多年，这句没有说是哪一年还是几年合计；请核对原文后手工录入"
    if not span and not years and is_target and _SPAN.search(heading) and "今年" not in before:
        span = _SPAN.search(heading)  # 二、“十三五”时期主要目标任务: its targets are the plan's, for five years
    if span and not is_target:
        return timing.review, _span_basis(span.group(0), clause if re.search(r"年均|年平均|累计|合计", clause) else before, timing), ""
    if span and is_target:
        return timing.plan, "", "多年的目标（如“十四五”时期、年均），不是一年的目标；需要时手工录入并写明 basis"
    if re.search(r"前三季度|前两个?季度|前[一二三四五六七八九十]+个月|1[—-]\d+月", before + clause):
        return timing.review, "", "时期不是全年、半年或季度（如前三季度、1—9月），无法记为一期"
    written = timing.written
    if years:
        y = years[-1]
        if y == timing.review.year and timing.review.part != "Y" and "全年" not in clause:
            return timing.review, "", ""  # 2021年 in a report of July 2021: the half year it reports
        part = "H1" if re.search(rf"{y}\s*年上半年", before) else "H2" if re.search(rf"{y}\s*年下半年", before) else "Y"
        return Period(y, part), "", ""
    if re.search(r"去年|上年|过去一年|一年来", before):
        return (Period(written - 1) if re.search(r"去年|上年", before) else timing.review), "", ""
    if re.search(r"明年|下一年", before):
        return Period(written + 1), "", ""
    if re.search(r"下半年|下阶段|后段|下步", before + heading) and (timing.period.part == "H1" or is_target):
        return Period(written, "H2"), "", ""
    if re.search(r"上半年", before) and not is_target:
        return Period(written, "H1"), "", ""
    if re.search(r"今年", before) and not is_target and timing.review != timing.period:
        return timing.period, "", "报告写于年初，“今年”的数字还不是全年结果；请核对原文"
    if re.search(r"今年", before):
        return (timing.plan if is_target else timing.period if timing.period.year == written else Period(written)), "", ""
    m = _YEAR.search(heading)
    if m:  # 一、2015年工作回顾, 三、2022年工作思路
        y = int(m.group(1))
        if not is_target and y <= timing.review.year:
            return (timing.review if y == timing.review.year else Period(y)), "", ""
        if is_target and y >= timing.plan.year:
            return (timing.plan if y == timing.plan.year else Period(y)), "", ""
    return (timing.plan if is_target else timing.review), "", ""


def _span_basis(words: str, context: str, timing: Timing) -> str:
    """The span a 过去五年/年均/“十三五”时期 figure covers, as the basis it carries: 2013—2017年年均."""
    plan = FIVE_YEAR_PLAN.search(words)
    if plan and plan.group(1) in _PLANS:
        start = _PLANS[plan.group(1)]
        end = start + 4
    else:
        end = timing.review.year
        start = end - 4
    kind = "年均" if re.search(r"年均|年平均", context) else "累计"
    return f"{start}—{end}年{kind}"
