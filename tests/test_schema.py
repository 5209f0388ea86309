"""The data contract is declared once (annals.data.schema): the validator follows the declaration, and README documents it."""

from __future__ import annotations

import ast

import pytest
from annals.data import schema
from annals.data.errors import Collector
from annals.data.yamlio import parse_yaml
from conftest import ROOT

SHAPES = ["BUREAU", "INDICATOR", "FRONT_MATTER", "SOURCE", "DATA_FILE", "FIGURE", "COMMITMENT", "EVIDENCE"]


@pytest.mark.parametrize("name", SHAPES)
def test_every_declared_key_is_documented_in_the_contracts(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contracts = readme[readme.index("## Contracts"):readme.index("### Commands and exit codes")]
    shape = getattr(schema, name)
    assert [key for key in shape.names if f"`{key}" not in contracts and f"{key}:" not in contracts] == []


def _read(text: str, shape: schema.Shape) -> tuple[dict[str, object], list[str]]:
    out = Collector()
    node = parse_yaml(text, "f.yml")
    values = schema.read_entry(node, shape, "f.yml", out)
    return values, [str(p) for p in out.problems]


def test_the_validator_follows_the_declaration() -> None:
    values, problems = _read("name: 国内生产总值增长\nunit: '%'\ngroup: [经济]\nheadline: 是\nphrases: [增长, '']\nrange: [0, 100]\nextra: 1\n",
                             schema.INDICATOR)
    assert values == {"name": "国内生产总值增长", "unit": "%", "range": [0, 100]}
    assert sorted(problems) == sorted([
        "f.yml:3: “group” 应为文字，不能是列表或映射（'group' must be text）",
        "f.yml:4: headline 应为 true、false 或不填",
        "f.yml:5: phrases 应为文字列表，如 [城镇新增就业]",
        "f.yml:7: 未知的键 “extra”；可用的键：definition、group、headline、higher_is_better、name、phrases、range、unit",
    ])


def test_missing_and_misplaced_keys_are_told_where_the_declaration_says() -> None:
    _, problems = _read("id: c1\nlabel: 某项承诺\nstatus: 已完成\n", schema.COMMITMENT)
    assert sorted(problems) == ["f.yml:1: 缺少必填项 “quote”，请补上",
                                "f.yml:3: 承诺的状态不写在这里：已完成、部分完成、推进中、未完成写在此后报告数据文件的 evidence 中，"
                                "附那份报告的原文；未再提及和尚无后续报告由构建判断"]
    _, problems = _read("bureau: x\nyear: 2021\n", schema.FRONT_MATTER)
    assert "f.yml:1: front matter 缺少 “date”；请按 README 中的格式补上" in problems
    _, problems = _read("indicator: gdp_growth\nquote: 增长7%\n", schema.FIGURE)
    assert problems == ["f.yml:1: 缺少 value；未公开的数字写作 x"]


def test_no_module_of_the_package_imports_one_that_imports_it() -> None:
    """Not even for types: the records are in annals.data.schema, which imports none of the loaders or pages."""
    graph = {}
    for path in (ROOT / "hooks" / "annals").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for node in tree.body for n in (node.body if isinstance(node, ast.If) else [node])]  # with `if TYPE_CHECKING:`
        graph[path.stem] = {node.module for node in top if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in graph.get(start, ()))
    assert [m for m in graph if reaches(m, m, {m})] == []
