"""Reading a YAML mapping's fields: every problem collected with its file and line, in the user's words."""

from __future__ import annotations

from typing import Any

from .errors import DataError, Problem
from .yamlio import Node


class Collector:
    """Gathers problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def guard(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except DataError as exc:
            self.problems.extend(exc.problems)
            return None


def text_field(node: Node, key: str, path: str, out: Collector, *, required: bool = True) -> str | None:
    value = node.get(key)
    if value is None:
        if required:
            out.add(path, node.line, f"缺少必填项 “{key}”，请补上（missing key '{key}'）")
        return None
    if isinstance(value, (dict, list)):
        out.add(path, node.line_of(key), f"“{key}” 应为文字，不能是列表或映射（'{key}' must be text）")
        return None
    return str(value).strip()
