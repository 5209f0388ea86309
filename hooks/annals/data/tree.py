"""The files a build reads and publishes: only the repository's own, under names that survive as links.

MkDocs follows symbolic links: one in ``docs/`` to ``/etc/passwd`` is published,
a dangling one stops the build half-way through writing the site. Names with
``#``, ``?`` or ``%`` become broken links, and a report named ``...md`` is a
dotfile MkDocs never publishes. All of these are refused before anything is
built, each with its path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from annals.data.errors import Problem
from annals.data.routes import REPORTS_DIR

# Characters that a URL path cannot carry as they are, or that quoting in HTML turns into trouble.
_BAD_NAME = re.compile(r"[#?%\"'<>\\\s\x00-\x1f\x7f]")
SLUG = re.compile(r"\w[\w-]*")  # a report's file name: letters (汉字 too), digits, - and _
YEAR = re.compile(r"\d{4}")


def _shown(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return str(path)


def tree_problems(project: Path, docs_dir: Path, read_only: Iterable[Path] = ()) -> list[Problem]:
    """Symbolic links under ``docs_dir`` and the other folders a build reads (``data/``, the theme's
    ``custom_dir``), names under ``docs_dir`` that cannot be links, and Markdown files under
    ``docs/reports/`` that are not ``<year>/<slug>.md`` (they would be published unchecked).
    Dot-files are left alone: MkDocs publishes none of them."""
    problems: list[Problem] = []
    reports = docs_dir / REPORTS_DIR
    for root in (docs_dir, *read_only):
        if root.is_symlink():
            problems.append(Problem(_shown(root, project), 0, f"整个文件夹是符号链接（指向 {os.readlink(root)}）；档案只读取仓库中的文件本身，请换成文件夹的副本"))
            continue
        if not root.is_dir():
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            here = Path(folder)
            for name in [*dirs, *sorted(n for n in names if not n.startswith("."))]:
                path = here / name
                shown = _shown(path, project)
                if path.is_symlink():
                    target = os.readlink(path)
                    problems.append(Problem(shown, 0, f"是符号链接（指向 {target}）；档案只读取、发布仓库中的文件本身，请换成文件的副本或删去链接"))
                elif root == docs_dir and _BAD_NAME.search(name):
                    problems.append(Problem(shown, 0, f"文件名 “{name}” 中有 # ? % 引号、空格或控制字符，网址会断开；请改名"))
            for name in names if here.is_relative_to(reports) else ():  # dot-files too: `...md` is one
                if name.endswith(".md") and not (here / name).is_symlink() and _misplaced(here.relative_to(reports) / name):
                    problems.append(Problem(_shown(here / name, project), 0, "报告须放在 docs/reports/<四位年份>/<名称>.md，名称只用字母、数字、汉字、- 和 _（不以 . 开头）；请移动或改名"))
            dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return problems


def _misplaced(rel: Path) -> bool:
    """A Markdown file under docs/reports/ that is neither a report (<year>/<slug>.md) nor an index page."""
    if rel.name == "index.md":
        return False  # a hand-written index page
    return len(rel.parts) != 2 or not YEAR.fullmatch(rel.parts[0]) or not SLUG.fullmatch(rel.stem)
