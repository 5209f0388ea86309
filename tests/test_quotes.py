"""A figure is what its quote says, for that indicator: each class of lie generated from what makes it one (a
movement word and an indicator's direction; every script's decimal digits; every unit a longer one starts with;
every pair of qualifier words; every approximate marker; a second number in the unit; a quote about something
else), each filed beside its honest twin in one archive: `annals check` names every lie at its line and passes
every twin."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from annals.data.vocab import QUALIFIERS, STATED_UNITS
from annals.data.yamlio import INVISIBLE
from test_checks import FIGURES, REPORT, check, replace

INDICATOR = {  # id → (unit, how a report names it)
    "gdp_growth": ("%", "国内生产总值"), "cpi": ("%", "居民消费价格"), "energy_intensity_reduction": ("%", "单位国内生产总值能耗"),
    "special_post_teachers_recruited": ("人", "招聘特岗教师"), "party_activists_trained": ("人", "培养积极分子"),
}


@dataclass(frozen=True)
class Lie:
    name: str
    sentence: str  # added to the report
    figure: str  # the figure's YAML keys, one per line
    said: str  # what the message must say; "" for an honest figure


def _figure(indicator: str, value: str, quote: str, extra: str = "") -> str:
    unit = "    unit: 名\n" if "名" in quote else ""
    return f"  - indicator: {indicator}\n    value: {value}\n    quote: \"{quote}\"\n{unit}{extra}"


def signs() -> list[Lie]:
    """Every word of movement, on an indicator of a level that moves (growth) and on one that counts a decrease."""
    out = []
    for word, falls in [*((w, True) for w in ("下降", "减少", "负增长", "回落", "下滑", "降低")), *((w, False) for w in ("增长", "增加", "上升", "提高"))]:
        for iid, subject in (("gdp_growth", "国内生产总值"), ("energy_intensity_reduction", "单位国内生产总值能耗")):
            quote = f"{subject}比上年{word}6.9%"
            negative = falls != iid.startswith("energy")
            honest, lie = ("-6.9", "6.9") if negative else ("6.9", "-6.9")
            out += [Lie(f"sign {word} {iid}", quote, _figure(iid, lie, quote), "请按原文改正符号"),
                    Lie(f"sign {word} {iid} honest", quote, _figure(iid, honest, quote), "")]
    return out


def digits() -> list[Lie]:
    """One lookalike of every script that has decimal digits: a reader sees 1x6, the number is another."""
    blocks: dict[str, str] = {}
    for code in range(0x80, 0x110000):
        ch = chr(code)
        if unicodedata.category(ch) == "Nd" and not "０" <= ch <= "９":
            blocks.setdefault(unicodedata.name(ch).rsplit(" DIGIT", 1)[0], ch)
    out = []
    for script, zero in blocks.items():
        four = chr(ord(zero) + 4)
        quote = f"招聘特岗教师1{four}6名"
        out.append(Lie(f"digits {script}", quote, _figure("special_post_teachers_recruited", "146", quote), f"U+{ord(four):04X}"))
    return out


def units() -> list[Lie]:
    """Every unit a longer unit starts with (人 of 人次): the number is in the longer one."""
    out = []
    for longer in STATED_UNITS:
        if longer.startswith("人") and longer != "人":
            quote = f"培养积极分子57{longer}"
            out.append(Lie(f"unit {longer}", quote, _figure("party_activists_trained", "57", quote), f"单位是“{longer}”"))
    quote = "培养积极分子57人"
    out.append(Lie("unit 人 honest", quote, _figure("party_activists_trained", "57", quote), ""))
    return out


def qualifiers() -> list[Lie]:
    """Every qualifier word a quote can give a target, against every word a figure can write."""
    out: list[Lie] = []
    words = [w for w in QUALIFIERS if w != "区间"]
    for said in words:
        for written in words:
            n = len(out) + 1  # a number of its own: two targets alike in one report are one target
            quote = f"居民消费价格涨幅{said}{n}%" if said in ("约", "超过", "突破", "不低于", "不少于", "至少", "不超过", "控制在") else f"居民消费价格涨幅{n}%{said}"
            honest = QUALIFIERS[written] == QUALIFIERS[said]
            extra = f"    type: target\n    qualifier: {written}\n"
            out.append(Lie(f"qualifier {said} as {written}", quote, _figure("cpi", str(n), quote, extra), "" if honest else "限定词"))
    return out


def approximate() -> list[Lie]:
    out = []
    for marker in ("余", "多"):
        quote = f"招聘特岗教师166{marker}名"
        out += [Lie(f"approximate {marker}", quote, _figure("special_post_teachers_recruited", "166", quote), "约数"),
                Lie(f"approximate {marker} honest", quote, _figure("special_post_teachers_recruited", "166", quote, "    qualifier: 以上\n"), "")]
    return out


def named() -> list[Lie]:
    """A second number in the unit (其中…) is not the indicator's; a quote about something else names no indicator."""
    two = "招聘特岗教师166名，其中音乐教师12名"
    other = "居民人均可支配收入实际增长7.3%"
    moved = "赤字率从去年的2.1%提高到2.3%"
    return [Lie("second number", two, _figure("special_post_teachers_recruited", "12", two), "说到招聘特岗教师的数字是 166名"),
            Lie("second number honest", two, _figure("special_post_teachers_recruited", "166", two), ""),
            Lie("another subject", other, _figure("gdp_growth", "7.3", other), "引文没有说到国内生产总值增长"),
            Lie("another subject, named by the editor", other, _figure("gdp_growth", "7.3", other, "    subject: 居民人均可支配收入\n"), ""),
            Lie("moved from and to", moved, _figure("deficit_ratio", "2.3", moved, "    type: target\n"), "")]


CLASSES = signs() + digits() + units() + qualifiers() + approximate() + named()


def test_every_class_has_cases() -> None:
    kinds = {c.name.split()[0] for c in CLASSES}
    assert kinds == {"sign", "digits", "unit", "qualifier", "approximate", "second", "another", "moved"}
    assert sum(c.name.startswith("digits") for c in CLASSES) >= 50, "every script with digits"


def test_each_lie_is_named_at_its_line_and_each_honest_twin_passes(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = archive_copy / REPORT
    report.write_text(report.read_text(encoding="utf-8") + "\n" + "\n\n".join(dict.fromkeys(c.sentence + "。" for c in CLASSES)) + "\n",
                      encoding="utf-8")
    figures = archive_copy / FIGURES
    text = figures.read_text(encoding="utf-8")
    at = text.index("figures:\n") + len("figures:\n")
    lines: dict[int, Lie] = {}  # each line of a case's entry → the case
    added = ""
    first = text[:at].count("\n") + 1
    for case in CLASSES:
        for n in range(case.figure.count("\n")):
            lines[first + added.count("\n") + n] = case
        added += case.figure
    figures.write_text(text[:at] + added + text[at:], encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1
    told: dict[str, str] = {}
    for m in re.finditer(rf"^{re.escape(FIGURES)}:(\d+): (.*)$", err, re.M):
        assert int(m.group(1)) in lines, f"nothing else is refused: {m.group(0)}"
        told[lines[int(m.group(1))].name] = m.group(2)
    wrong = [f"{c.name}: {told.get(c.name, '(passed)')}" for c in CLASSES if (c.said not in told.get(c.name, "") if c.said else c.name in told)]
    assert not wrong, "\n".join(wrong)


# ------------------------------------------------------------------ nothing invisible, nothing from the future

INVISIBLE_CHARS = [chr(c) for c in range(0x80, 0x10000) if INVISIBLE.match(chr(c))]
PLACES = {  # where a clerk's text goes: the file, the text replaced, its replacement with the character at {ch}
    "indicator name": ("data/indicators.yml", "name: 招聘特岗教师", "name: 招聘特岗{ch}教师"),
    "issuer name": ("data/bureaus.yml", "name: 溆浦县教育局", "name: 溆浦县{ch}教育局"),
    "report title": (REPORT, 'title: "2021年溆浦教育工作上半年总结及下半年工作计划"', 'title: "2021年溆浦{ch}教育工作上半年总结"'),
    "report text": (REPORT, "溆浦县教育局\n", "溆浦县{ch}教育局\n"),
}


def test_every_invisible_character_is_a_class_of_its_own() -> None:
    assert {"\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad"} <= set(INVISIBLE_CHARS)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("ch", ["\u202e", "\u200b"], ids=["bidi", "zero-width"])
def test_an_invisible_character_in_a_name_or_text_is_refused_at_its_line(archive_copy: Path, capsys: pytest.CaptureFixture[str],
                                                                         place: str, ch: str) -> None:
    rel, old, new = PLACES[place]
    line = replace(archive_copy, rel, old, new.format(ch=ch))
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{rel}:{line}: " in err and f"U+{ord(ch):04X}" in err and "看不见的字符" in err, err


@pytest.mark.parametrize("ch", INVISIBLE_CHARS, ids=[f"U+{ord(c):04X}" for c in INVISIBLE_CHARS])
def test_each_invisible_character_is_refused(archive_copy: Path, capsys: pytest.CaptureFixture[str], ch: str) -> None:
    rel, old, new = PLACES["indicator name"]
    replace(archive_copy, rel, old, new.format(ch=ch))
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"U+{ord(ch):04X}" in err, err


def test_an_import_removes_invisible_characters_and_says_so(archive_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annals.cli import main as annals_main

    source = tmp_path / "report.txt"
    source.write_text("2021年工作总结\n\n一、工作回顾\n\n招聘特岗\u202e教师166名，\u2066其中\u2069音乐教师12名。\n", encoding="utf-8")
    assert annals_main(["--project", str(archive_copy), "import", str(source), "--bureau", "xupu-edu", "--kind", "年度工作总结",
                        "--year", "2021", "--period", "全年"]) == 0
    said = capsys.readouterr().out
    assert "看不见的字符" in said and "U+202E" in said
    page = next((archive_copy / "docs/reports/2021").glob("xupu-edu-*annual*.md")).read_text(encoding="utf-8")
    assert "招聘特岗教师166名，其中音乐教师12名。" in page and not INVISIBLE.search(page)


def test_a_report_from_the_future_is_refused(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = replace(archive_copy, REPORT, "date: 2021-07-19", "date: 2099-07-19")
    replace(archive_copy, REPORT, "year: 2021", "year: 2099")
    code, err = check(archive_copy, capsys)
    assert code == 1 and f"{REPORT}:{line}: date 2099-07-19 还没有到" in err, err


@pytest.mark.parametrize(("rel", "added"), [
    ("data/indicators.yml", "special_post_teachers_2:\n  name: 招聘特岗教师 \n  unit: 人\n  group: 教师\n"),
    ("data/indicators.yml", "gdp_2:\n  name: 国内生产总值增长\u3000\n  unit: '%'\n  group: 经济\n"),
    ("data/indicators.yml", "gdp_3:\n  name: ＧＤＰ增长\n  unit: '%'\n  group: 经济\ngdp_4:\n  name: gdp增长\n  unit: '%'\n  group: 经济\n"),
    ("data/bureaus.yml", "county-x:\n  name: 溆浦县教育局 \n"),
])
def test_two_names_that_look_the_same_are_told(archive_copy: Path, capsys: pytest.CaptureFixture[str], rel: str, added: str) -> None:
    path = archive_copy / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + added, encoding="utf-8")
    code, err = check(archive_copy, capsys)
    assert code == 1 and "看起来相同" in err and err.startswith(rel), err
