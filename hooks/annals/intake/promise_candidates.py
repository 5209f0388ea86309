"""Candidate promises and candidate evidence, for ``annals import`` to propose and an editor to decide.

* **Commitments.** In a report's plan parts (a section whose heading plans: 计划, 打算, 思路, 要点, 重点工作,
  任务…, and the sections after it until one reviews), every sentence (to 。！？；) that says what will be
  done: it has a verb of doing (推进, 实施, 完成, 加强…) or of intent (要, 将, 力争, 确保), and is not a past
  fact (已, 去年…). Headings are not commitments: the sentences under them are.
* **Evidence.** For each earlier promise of the issuer, the sentences of the new report that share its key
  terms, ranked: the terms are the promise's runs of two or more characters found in the sentence, each
  weighted by how rare it is in the new report (a term in every other sentence, 工作 or 推进, says nothing),
  and longer runs more. Exact terms only, as the search matches: no stemming, no synonyms.

Both are proposals: written with ``review: 待核对``, never published until an editor removes the mark.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annals.data.plaintext import plain_line
from annals.data.vocab import STATED_UNITS as _UNITS
from annals.data.vocab import Period, Timing
from annals.intake.candidates import FIVE_YEAR_PLAN, plans

__all__ = ["Answer", "Passage", "Proposal", "evidence_candidates", "passages", "proposals", "proposed_status"]

# Verbs of doing and words of intent: a plan's sentence with one of them commits to something.
_COMMITS = re.compile(
    r"要|将|力争|确保|推进|实施|完成|加强|加快|深化|推动|开展|落实|建立|健全|完善|提高|提升|扩大|抓好|做好|抓实|坚持|促进|"
    r"发展|支持|实现|加大|优化|强化|规范|保障|创新|探索|启动|取消|降低|减少|增加|建设|改革|整治|打击|培育|引导|鼓励|督促|组织|严格|"
    r"突出|贯彻|学习|压实|制止|防范|化解|打造|构建|办好|守住|维护|惩治|治理|改善|保持|稳定|扶持|推广|普及|下调|上调|安排|新开工|开工|"
    r"解决|抓紧|着力"
)
_PAST = re.compile(r"^(?:过去|去年|上年|一年来|[^，。]*已经|[^，。]*已)")  # a fact of the review, even in a plan part
_ADDRESS = re.compile(r"^各位代表")
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
# What a label drops from the front of its sentence: the numbering and the words of intent.
_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+[是要、]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|一方面|另一方面|同时|但是?|而且|并且?|我们|今年|年内|要|将|继续|[，,、\s])+")
_LABEL_CHARS = 40


@dataclass(frozen=True)
class Proposal:
    label: str
    quote: str  # the sentence, verbatim
    period: Period
    parts: tuple[str, ...] = ()  # the labels of the several things it commits to, each judged on its own


@dataclass(frozen=True)
class Passage:
    text: str  # a sentence of the report, verbatim
    reviews: bool  # in a part that reviews (where a later report says what was done)


def _sentences(line: str) -> Iterator[str]:
    for m in _SENTENCE.finditer(line):
        if text := m.group().strip():
            yield text


def _period(heading: str, timing: Timing) -> Period:
    """What a plan part is for: the year its heading names (三、2022年工作思路), its second half, or the plan's."""
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", heading)]
    if years and years[-1] >= timing.period.year:
        return Period(years[-1], "H2" if "下半年" in heading else "Y")
    if re.search(r"下半年|下阶段|后段|下步|下一步", heading) and timing.period.part == "H1":
        return Period(timing.period.year, "H2")
    return timing.plan


_INTENT = re.compile(r"要|将|确保|力争|务必|必须|争取")
_SETTING = re.compile(r"(?:前|后|时|以外|之前|之后|基础上|过程中|为契机|为抓手|为目标|为重点|精神|为指导|总基调|为主题|为主线|领导下)$"
                      r"|^(?:依托|围绕|按照|根据|通过|以|在|为|目前)|已")


def label_of(sentence: str) -> str:
    """A short label: the sentence's first clause that does something (not 开学前 or 依托…平台), without its
    numbering and words of intent. The editor rewrites it as needed."""
    clauses = [c.strip() for c in re.split(r"[，,：:；;。！？]", sentence) if c.strip()]
    doing = [c for c in clauses if _COMMITS.search(c) and not _SETTING.search(_LEAD.sub("", c))]  # 要在…领导下: a setting
    meant = [c for c in doing if _INTENT.search(c)]  # 财政收支平衡压力加大，但基本民生投入确保只增不减: the second
    return _short(_LEAD.sub("", (meant or doing or clauses or [sentence])[0]).strip() or sentence)


def _short(clause: str) -> str:
    """A label no longer than _LABEL_CHARS: cut after a whole item of a list (、), never inside a word; failing
    that, the cut is marked."""
    if len(clause) <= _LABEL_CHARS:
        return clause
    cut = clause.rfind("、", 0, _LABEL_CHARS)
    return clause[:cut] if cut >= _LABEL_CHARS // 3 else clause[: _LABEL_CHARS - 1] + "…"


def parts_of(sentence: str) -> tuple[str, ...]:
    """The labels of the several things a sentence commits to, each a clause (or an item of a 、 list) that does
    something of its own (扎实做好“六稳”工作、全面落实“六保”任务，…，坚持扩大内需战略); () for one."""
    found: list[str] = []
    for clause in re.split(r"[，,：:；;。！？]", sentence):
        items = clause.split("、")
        for item in items if len(items) > 1 and all(_COMMITS.search(i) for i in items) else [clause]:
            bare = _LEAD.sub("", item.strip()).strip()
            verb = _COMMITS.search(bare)
            # A verb with nothing after it tells a state (财政收支平衡压力加大), not a thing to do (加大投入).
            if verb and verb.end() < len(bare) and not _SETTING.search(bare) and not _PREDICTS.search(bare):
                found.append(_short(bare))
    found = list(dict.fromkeys(found))
    return tuple(found) if len(found) > 1 else ()


def _parts(markdown: str, timing: Timing) -> Iterator[tuple[str, bool, str]]:
    """(plain line, whether it is in a plan part, the plan part's heading) for every line of text."""
    planning, heading = False, ""
    for md_line in markdown.split("\n"):
        line = plain_line(md_line)
        level = len(md_line) - len(md_line.lstrip("#"))
        if level:
            says = plans(line, timing) if level <= 2 else None
            if says and FIVE_YEAR_PLAN.search(line) and not re.search(rf"{timing.plan.year}\s*年", line):
                says = False  # “十三五”时期发展成就和“十四五”时期主要目标任务: a five-year plan's goals, not the year's
            if says is not None:
                planning, heading = says, line
            continue
        if line.strip():
            yield line, planning, heading


# Sentences that commit no one to anything checkable: a prediction or belief (中国经济一定能顶住…), a description of
# the year (今年是…的一年), a formula of leadership (在…坚强领导下…).
_PREDICTS = re.compile(r"一定能|一定会|必将|必定|坚信|有信心")
_DESCRIBES = re.compile(r"^(?:今年|明年|这|当前|目前)是[^，；]*(?:一年|之年|年份|时期|阶段)[。！]?$")


def _commits(sentence: str) -> bool:
    """Whether a plan's sentence (with a verb of doing) commits: not a fact of the review, unless it goes on to say
    what will be done (当前…已进入…，要…), nor a prediction or a description."""
    if _PREDICTS.search(sentence) or _DESCRIBES.match(sentence):
        return False
    if _PAST.match(sentence):
        rest = re.split(r"[，,：:]", sentence, maxsplit=1)[1:]
        return bool(rest and _INTENT.search(rest[0]))
    return True


def proposals(markdown: str, timing: Timing) -> list[Proposal]:
    """The sentences of a report's plan parts that commit to something, in the report's order, once each."""
    found: dict[str, Proposal] = {}
    for line, planning, heading in _parts(markdown, timing):
        if not planning:
            continue
        for sentence in _sentences(line):
            if _ADDRESS.match(sentence) or not _COMMITS.search(sentence) or sentence in found or not _commits(sentence):
                continue
            found[sentence] = Proposal(label_of(sentence), sentence, _period(heading, timing), parts_of(sentence))
    return list(found.values())


def passages(markdown: str, timing: Timing) -> list[Passage]:
    """Every sentence of a report, with whether it is in a part that reviews."""
    return [Passage(s, not planning) for line, planning, _ in _parts(markdown, timing) for s in _sentences(line)]


# A term is a run of Chinese characters: digits and units alone never tie a sentence to a promise (600万套 and
# 1300万辆 share "00万", not a subject), nor does a run of counting words only (万人, 亿元).
_HAN = re.compile(r"[\u3400-\u9fff]+")
_COUNTING = set("万亿千百十个人元套辆次名户家所项座条公里平方米吨余多年月日倍")
_MIN_TERM = 2
_MIN_SCORE = 9.0  # below this a sentence shares only a word or two with the promise: no subject, no candidate
_NEAR_BEST = 0.5  # a second or third candidate only when it ties nearly as well as the first
_RESTATES = 0.6  # a plan sentence that has this share of the promise's characters sets it again
_REVIEW_WEIGHT = 1.5  # an answer is in the review: a later plan restating a promise says less of it
_LABEL_WEIGHT = 2.0  # a term of the label is what is promised; the rest of the quote is often its setting
_LENGTH = 0.5  # how much a sentence's length shrinks its score (BM25's b): a long one shares words by chance


def _terms(text: str, sentence: str) -> list[str]:
    """The promise's longest runs of Chinese characters (two or more, not counting words only) that the sentence
    has, left to right."""
    terms = []
    for run in _HAN.findall(text):
        i = 0
        while i < len(run) - 1:
            n = _MIN_TERM
            if run[i : i + n] not in sentence:
                i += 1
                continue
            while i + n < len(run) and run[i : i + n + 1] in sentence:
                n += 1
            if not set(run[i : i + n]) <= _COUNTING:
                terms.append(run[i : i + n])
            i += n
    return terms


@dataclass(frozen=True)
class Answer:
    """A sentence of a later report that may answer a promise, with the status it seems to support and why."""

    passage: Passage
    score: float
    status: str  # 已完成, 部分完成, 推进中 or 未完成 (annals.data.vocab.EVIDENCE_STATUS)
    why: str
    restates: bool = False  # a sentence of the later plan that sets the promise again: not a result
    part: int = 0  # the part of the promise it seems to speak of, from 1; 0 the whole


_SHORT = re.compile(r"未完成|没有完成|未能|未达到|没有达到|不到位|滞后|差距|不足|短板|薄弱|仍有|仍然|还有|问题|困难|压力|不稳|不够|下降|减少")
_DONE = re.compile(r"完成|实现|建成|达到|超过|超额|取消|出台|全面推开|全面实施|如期|提前|落实到位|全部|顺利|基本建立|已经|已")
_MEASURE = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(re.escape(u) for u in _UNITS) + r"|万(?=以上|左右|以内|[，。；、）)]|$))")


def _at_most(text: str, number: re.Match[str]) -> bool:
    """Whether a target is a ceiling: 控制在3%以内, 不超过5.5%."""
    return bool(re.match(r"以内|以下", text[number.end():]) or re.search(r"(?:控制在|不超过|低于|不高于)$", text[: number.start()]))


def proposed_status(promise_quote: str, sentence: str, restates: bool) -> tuple[str, str]:
    """The status a later sentence seems to support for a promise, and why: for the editor to confirm or change."""
    if restates:
        return "推进中", "本报告的计划部分再次部署这项工作，没有说结果"
    wanted = {m.group(2): (float(m.group(1)), _at_most(promise_quote, m)) for m in _MEASURE.finditer(promise_quote)}
    for v, unit in _MEASURE.findall(sentence):
        if unit in wanted:
            target, at_most = wanted[unit]
            verdict = "已完成" if (float(v) <= target if at_most else float(v) >= target) else "未完成"
            return verdict, f"句中为 {v}{unit}，目标为 {target:g}{unit}{'以内' if at_most else ''}"
    if short := _SHORT.search(sentence):
        return "部分完成", f"句中说“{short.group()}”"
    if done := _DONE.search(sentence):
        return "已完成", f"句中说“{done.group()}”"
    return "推进中", "句中说了做的事，没有说完成"


def evidence_candidates(promise_label: str, promise_quote: str, found: list[Passage], most: int = 3,
                        parts: tuple[str, ...] = ()) -> list[Answer]:
    """The sentences of a later report that most likely answer a promise, best first: sentences of its review
    sharing the promise's subject, each term weighted by its length and by how rare it is in the report (a term
    in every other sentence, 工作 or 推进, says nothing), a term of the label (what is promised) twice, and a long
    sentence's score shrunk as it has more words to share by chance; and sentences of its plan that set the
    promise again (most of its words), ranked with them. None when nothing shares enough of the subject."""
    text = promise_label + "。" + promise_quote
    frequency: dict[str, int] = {}
    mean = sum(len(p.text) for p in found) / len(found) if found else 1.0
    answers: list[tuple[float, Passage]] = []
    restated: list[tuple[float, Passage]] = []
    seen: set[str] = set()
    for passage in found:
        if passage.text in seen:
            continue  # a sentence the report says twice is one candidate
        seen.add(passage.text)
        terms = set(_terms(text, passage.text))
        if not terms:
            continue
        score = 0.0
        for term in terms:
            if term not in frequency:
                frequency[term] = sum(term in p.text for p in found)
            weight = max(_subject_length(term) - 1, 0.0) * max(math.log(len(found) / frequency[term]), 0.0)
            score += weight * (_LABEL_WEIGHT if term in promise_label else 1.0)
        score /= 1 - _LENGTH + _LENGTH * len(passage.text) / mean
        if score < _MIN_SCORE:
            continue
        if passage.reviews:
            answers.append((score, passage))
        elif _restates(promise_label, promise_quote, passage.text):
            restated.append((score, passage))
    # The review's answers first, each kept when it ties nearly as well as the best; then the plan's plainest
    # restatement (a task set again says it continues, not what was done: 推进中), in the last place.
    answers.sort(key=lambda sp: -sp[0])
    ranked = [(score, p, False) for score, p in answers if score >= _NEAR_BEST * answers[0][0]][: most - bool(restated)]
    ranked += [(score, p, True) for score, p in sorted(restated, key=lambda sp: -sp[0])[:1]]
    return [Answer(p, score, *proposed_status(promise_quote, p.text, restates), restates, part_of(parts, p.text))
            for score, p, restates in ranked]


def part_of(parts: tuple[str, ...], sentence: str) -> int:
    """The part (from 1) a sentence shares most of its subject with; 0 when it speaks of none more than another."""
    shares = [sum(_subject_length(t) for t in set(_terms(label, sentence))) for label in parts]
    best = max(shares, default=0.0)
    return shares.index(best) + 1 if best > 1 and shares.count(best) == 1 else 0


# Words every plan and review is made of (verbs of doing, degrees, the commonest nouns of policy): a term of them
# only (扎实做好, 高质量, 体系建设) ties a sentence to any promise. They count a quarter of a character.
_GENERIC = re.compile(
    r"进一步|扎实|做好|抓好|推进|推动|加强|加快|加大|深化|完善|健全|提高|提升|促进|实施|开展|落实|坚持|支持|强化|优化|扩大|"
    r"全面|持续|继续|积极|大力|稳步|有序|切实|更好|更加|不断|着力|努力|高质量|发展|建设|体系|工作|制度|机制|水平|能力|服务|"
    r"改革|政策|创新|管理|重点|重大|保障|人民群众|群众|人民|国家|社会|经济|国际|全国|各地|地方|领域|方面|问题|新|和|的|等|与|及"
)
_GENERIC_SHARE = 0.25


def _subject_length(term: str) -> float:
    """A term's length counted by what it says of a subject: its generic words count a quarter."""
    generic = sum(len(m) for m in _GENERIC.findall(term))
    return len(term) - generic + _GENERIC_SHARE * generic


def _restates(label: str, quote: str, sentence: str) -> bool:
    """Whether a later plan's sentence sets the promise again: it has most of the label's or the quote's words."""
    return any(sum(len(t) for t in set(_terms(text, sentence))) >= _RESTATES * max(sum(map(len, _HAN.findall(text))), 1)
               for text in (label, quote))
