"""The ``annals`` command.

    annals check [--project DIR]

Exit codes (part of the contract): 0 all good; 1 the data has problems, each
printed as ``path:line: message``; 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .errors import DataError, Problem
from .model import Archive, load_archive
from .site import expand_markers

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _docs_dir(project: Path) -> Path:
    config = project / "mkdocs.yml"
    m = re.search(r"^docs_dir:\s*['\"]?([^'\"\s#]+)", config.read_text(encoding="utf-8"), re.M)
    return project / (m.group(1) if m else "docs")


def check(project: Path) -> tuple[Archive | None, list[Problem]]:
    """Everything a build checks, without building."""
    docs = _docs_dir(project)
    try:
        archive = load_archive(project, docs, project / "data")
    except DataError as exc:
        return None, exc.problems
    problems: list[Problem] = []
    for page in sorted(docs.rglob("*.md")):
        src = page.relative_to(docs).as_posix()
        if src in archive.reports:
            continue
        text = page.read_text(encoding="utf-8-sig")
        if "annals:" in text:
            try:
                expand_markers(text, src, archive, str(page.relative_to(project)))
            except DataError as exc:
                problems.extend(exc.problems)
    return archive, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="annals", description="工作报告档案工具（annals）")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="检查全部报告与数据，不生成网站（validate everything）")
    p_check.add_argument("--project", type=Path, default=Path("."), help="档案所在目录，默认为当前目录")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK

    project: Path = args.project
    if not (project / "mkdocs.yml").is_file():
        print(f"{project / 'mkdocs.yml'}: 找不到 mkdocs.yml；请在档案目录中运行，或用 --project 指定（not an archive）", file=sys.stderr)
        return EXIT_USAGE
    archive, problems = check(project)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"发现 {len(problems)} 个问题，请按上面的提示修改（{len(problems)} problems）", file=sys.stderr)
        return EXIT_DATA
    assert archive is not None
    print(f"检查通过：{len(archive.reports)} 份报告，{len(archive.figures)} 条数据，{len(archive.indicators)} 个指标（all good）")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
