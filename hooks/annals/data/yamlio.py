"""YAML that remembers where each mapping and value came from.

Errors must name the line, so mappings are loaded as :class:`Node` dicts that
know their own line and the line of each key; duplicate keys are an error
(plain PyYAML silently keeps the last one, which would hide a figure). What no
data file of the contracts needs is refused where it is read, before anything
is built from it: aliases (a few hundred bytes of them expand to gigabytes),
integers past what a float holds, control characters.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from annals.data.errors import DataError, Problem


class Node(dict):  # type: ignore[type-arg]
    """A YAML mapping with the 1-based line of itself and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser when PyYAML has it (ten times faster on the figures files); same nodes, same marks.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    line_offset = 0  # lines of the file above the YAML text (front matter)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"键 “{key}” 重复出现", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


class Seq(list):  # type: ignore[type-arg]
    """A YAML list with the 1-based line of each item."""

    lines: list[int]


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(item, deep=True) for item in node.value)
    result.lines = [item.start_mark.line + 1 + loader.line_offset for item in node.value]
    return result


# The largest integer a figure may be written as: past 2**53 a float is no longer exact, and past ~1e308
# (one followed by 309 zeros) it overflows.
LARGEST_INT = 10**15
# C0 and C1 controls but tab and line feed, lone surrogates, non-characters: no report writes them, a feed
# (XML) cannot carry them, and a terminal or browser may act on them.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Invisible characters that change what a reader sees without being seen: bidi controls (U+202E turns text
# around), zero-width characters (招聘特岗\u200b教师 looks like 招聘特岗教师 and is another name), the soft hyphen.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad]")


_UNSEEN = re.compile(f"{CONTROL.pattern}|{INVISIBLE.pattern}")


def invisible_said(ch: str) -> str:
    """An invisible character as a clerk is told of it: its code and its Unicode name."""
    return f"U+{ord(ch):04X}（{unicodedata.name(ch, '不可见字符')}）"


class _Refused(yaml.constructor.ConstructorError):
    """A value the data files never need: its message says what to do, unlike a syntax error's."""


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if abs(value) > LARGEST_INT:
        raise _Refused(
            None, None, f"数字 {node.value[:20]}… 太大，不像报告中的数字；请核对", node.start_mark)
    return value


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = str(loader.construct_scalar(node))
    if not (bad := _UNSEEN.search(value)):  # one search for the 130,000 strings of a large archive
        return value
    if CONTROL.match(bad.group()):
        raise _Refused(
            None, None, f"文字中有控制字符 U+{ord(bad.group()):04X}；请删去", node.start_mark)
    raise _Refused(None, None, f"文字中有看不见的字符 {invisible_said(bad.group())}，读者看不见它，却会改变文字的显示顺序，"
                               "或让两个看起来相同的名称不同；请删去", node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text: the model checks them and says which line is wrong, where
# PyYAML would raise a bare ValueError for 2021-13-45.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text; syntax errors become a :class:`DataError` naming the line."""
    if "\t" in text:
        for n, line in enumerate(text.split("\n"), first_line):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise DataError([Problem(path, n, "YAML 缩进不能用 Tab，请改用空格")])
    loader = _Loader(text)
    loader.line_offset = first_line - 1
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_aliases(node)
        return loader.construct_document(node)
    except _Refused as exc:
        at = exc.problem_mark.line + first_line if exc.problem_mark else first_line
        raise DataError([Problem(path, at, str(exc.problem))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = (mark.line + first_line) if mark else first_line
        what = exc.problem or str(exc)
        raise DataError([Problem(path, at, f"YAML 格式错误：{what}；请检查这一行和上一行的缩进、冒号和引号（YAML syntax error）")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(path, first_line, f"YAML 格式错误：{exc}；请检查缩进、冒号和引号（YAML syntax error）")]) from None
    finally:
        loader.dispose()


def _refuse_aliases(root: yaml.Node) -> None:
    """An alias (``*name``) is the same node met twice; none of the data files needs one, and a chain of
    them is a "billion laughs" that expands a kilobyte into gigabytes."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            raise _Refused(
                None, None, "不支持 YAML 锚点与别名（& 与 *）；请把内容直接写出（YAML aliases are not allowed）", node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file as MkDocs does (a BOM dropped, CRLF and CR as LF); anything else, or a control
    character in it, is a clear error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(shown, 0, f"无法读取文件：{exc.strerror}；请检查文件是否存在、是否有读取权限")]) from None
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "，请另存为 UTF-8"
        try:
            data.decode("gb18030")
            hint = "；看起来是 GB18030/GBK 编码，请另存为 UTF-8，或用 annals import 导入"
        except UnicodeDecodeError:
            pass
        raise DataError([Problem(shown, line, f"文件不是 UTF-8 编码{hint}")]) from None
    if bad := CONTROL.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        raise DataError([Problem(shown, line, f"文件中有控制字符 U+{ord(bad.group()):04X}，读者看不见，网站订阅（XML）也无法容纳；请删去")])
    if bad := INVISIBLE.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        raise DataError([Problem(shown, line, f"文件中有看不见的字符 {invisible_said(bad.group())}，读者看不见它，却会改变文字的显示顺序，"
                                              "或让两个看起来相同的词不同；请删去")])
    return text
