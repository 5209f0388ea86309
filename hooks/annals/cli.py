"""The ``annals`` command.

    annals check [--project DIR] [--strict]
    annals import FILE… [--bureau B] [--year Y] [--period P] [--kind K] [--title T] [--encoding E] [--force] [--dry-run]
    annals recover [--project DIR]
    annals review [REPORT…] [--port P] [--no-browser]
    annals answers [--project DIR] [--dry-run]

Exit codes (part of the contract): 0 all good; 1 the data has problems, each
printed as ``path:line: message`` (or another import holds the archive); 2 the
command was used wrongly; 130 interrupted (Ctrl-C), nothing half-written.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from annals.archive.model import Archive, load_archive, load_bureaus, load_indicators
from annals.data import atomic
from annals.data.errors import DataError, Problem
from annals.data.routes import figures_path_for, is_report_src, report_src
from annals.data.schema import Bureau, Indicator, Report
from annals.data.settings import read_settings
from annals.data.vocab import KINDS, Timing
from annals.intake.candidates import candidates
from annals.intake.importer import (
    ENCODINGS,
    Given,
    ImportError_,
    figures_yaml,
    front_matter,
    prepare,
    promises_yaml,
    read_source,
    slug_for,
)
from annals.intake.promise_candidates import proposals
from annals.pages.layout import Layout
from annals.pages.site import prepare as prepare_site
from annals.review.answers import search_all, search_new, with_answers

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Said(logging.Handler):
    """What MkDocs logs while it reads mkdocs.yml (it logs the reasons, then raises a bare Abort)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


def _config(project: Path) -> MkDocsConfig:
    """mkdocs.yml, as MkDocs reads it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2 is not for this command
    said, logger = _Said(), logging.getLogger("mkdocs")
    logger.addHandler(said)
    logger.propagate, propagated = False, logger.propagate
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"))
    except (Abort, ConfigurationError, OSError) as exc:
        raise ConfigurationError("；".join(said.said) or str(exc)) from None
    finally:
        logger.removeHandler(said)
        logger.propagate = propagated
    return config


def check(project: Path) -> tuple[Archive | None, list[Problem]]:
    """Everything a build checks, without building."""
    try:
        config = _config(project)
    except ConfigurationError as exc:
        return None, [Problem("mkdocs.yml", 0, f"MkDocs 无法读取配置：{exc}；请按提示改正 mkdocs.yml")]
    settings, wrong = read_settings(config.extra, (project / "mkdocs.yml").read_text(encoding="utf-8"))
    docs, theme = Path(config.docs_dir), [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    try:
        return prepare_site(project, docs, settings, Layout(), theme).archive, wrong
    except DataError as exc:
        return None, wrong + exc.problems


def _import_one(file: Path, args: argparse.Namespace, project: Path, docs: Path, catalogue: tuple[dict[str, Bureau], dict[str, Indicator]], archive: Archive | None
                ) -> list[tuple[Path, str]]:
    """What importing one file would write: [(path, content)], after telling the user what it found. ``archive``:
    the archive as it is (its promises get evidence candidates), or None when it cannot be read."""
    bureaus, indicators = catalogue
    source = read_source(file, args.encoding)
    given = Given(args.bureau, args.year, args.period, args.kind, args.title)
    page = prepare(source, given, bureaus, file.name)
    meta = page.meta
    src = report_src(meta.period.year, slug_for(meta.bureau, meta.period, meta.kind))
    timing = Timing(meta.period, meta.kind, meta.date)
    found = candidates(page.body, timing, indicators)
    proposed = proposals(page.body, timing)
    report = Report(src, meta.bureau, meta.period.year, meta.period, meta.kind, meta.title, meta.date, {}, ())
    answers = search_new(archive, report, page.body) if archive else []
    print(f"  编码：{source.encoding}；{page.cleaned.summary()}")
    print(f"  识别为：{bureaus[meta.bureau].name} · {meta.period.label} · {KINDS[meta.kind]} · “{meta.title}”")
    if page.title_note:
        print(f"  标题：{page.title_note}")
    print(f"  候选数据 {len(found.matched)} 条（待核对），未匹配指标的数字 {len(found.unmatched)} 个")
    cards = sum(len(found) for _, found in answers)
    print(f"  候选承诺 {len(proposed)} 项；在本报告中查找了此前的承诺 {len(answers)} 项的回应，"
          f"其中 {sum(bool(found) for _, found in answers)} 项有候选回应，共 {cards} 条（待核对）")
    data = figures_yaml((docs / src).relative_to(project).as_posix(), meta.title, found) + promises_yaml(proposed, answers)
    return [(docs / src, front_matter(meta) + page.body), (project / "data" / figures_path_for(src), data)]


def import_files(args: argparse.Namespace) -> int:
    project: Path = args.project
    data = project / "data"
    try:
        docs = project / os.path.relpath(_config(project).docs_dir, project)  # mkdocs.yml's docs_dir, as the project is named
    except ConfigurationError as exc:
        print(f"mkdocs.yml: MkDocs 无法读取配置：{exc}；请按提示改正 mkdocs.yml", file=sys.stderr)
        return EXIT_DATA
    try:
        catalogue = (load_bureaus(data / "bureaus.yml", "data/bureaus.yml"), load_indicators(data / "indicators.yml", "data/indicators.yml"))
    except DataError as exc:
        print(exc, file=sys.stderr)
        return EXIT_DATA
    failed = 0
    with atomic.archive_lock(project):
        _recover(project)
        try:  # the archive as it is, for its promises: read as the import writes, into the pages' folder and data/
            archive: Archive | None = load_archive(project, docs, data)
        except DataError as exc:
            archive = None
            print(f"注意：档案现有数据有 {len(exc.problems)} 处问题，本次不为此前的承诺找回应候选；请运行 annals check 修正后重新导入", file=sys.stderr)
        for n, file in enumerate(args.files, 1):
            print(f"[{n}/{len(args.files)}] {file}")
            try:
                outputs = _import_one(file, args, project, docs, catalogue, archive)
                existing = [p for p, _ in outputs if p.exists()]
                if existing and not args.force:
                    names = "、".join(str(p.relative_to(project)) for p in existing)
                    raise ImportError_(f"{names} 已存在，未覆盖；确需覆盖请加 --force（旧文件会保存为 .bak）")
                for path, content in outputs:
                    verb = "将写入" if args.dry_run else ("覆盖（旧文件存为 .bak）" if path.exists() else "写入")
                    print(f"  {verb} {path.relative_to(project)}（{len(content)} 字符）")
                if not args.dry_run:
                    atomic.write_all(project, outputs, args.force)
            except ImportError_ as exc:
                print(f"{file}: {exc}", file=sys.stderr)
                failed += 1
            except OSError as exc:
                print(f"{file}: 无法写入 {exc.filename}：{exc.strerror}；这份报告的文件都没有写入，请检查目录权限和磁盘空间", file=sys.stderr)
                failed += 1
    done = len(args.files) - failed
    summary = f"{'试运行，未写入任何文件；' if args.dry_run else ''}完成 {done} 个，失败 {failed} 个"
    print(summary, file=sys.stderr if failed else sys.stdout)
    if done and not args.dry_run:
        print("下一步：逐条核对 data/figures/ 中标有“review: 待核对”的候选数据、承诺和回应，然后运行 annals check")
    return EXIT_DATA if failed else EXIT_OK


def _recover(project: Path) -> bool:
    """Finish what an interrupted import decided, and say so (the caller holds the lock). Whether there
    was anything to do."""
    finished, removed = atomic.recover(project)
    if finished:
        print(f"上次被中断的导入已完成：{'、'.join(finished)}")
    if removed:
        print(f"已删除上次中断的导入留下的临时文件 {removed} 个，原有文件未变")
    return bool(finished or removed)


def recover_archive(args: argparse.Namespace) -> int:
    with atomic.archive_lock(args.project):
        if not _recover(args.project):
            print("档案中没有被中断的导入")
    return EXIT_OK


def check_archive(args: argparse.Namespace) -> int:
    archive, problems = check(args.project)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"发现 {len(problems)} 个问题，请按上面的提示修改（{len(problems)} problems）", file=sys.stderr)
        return EXIT_DATA
    assert archive is not None
    for pending in archive.pending:
        print(pending)
    for warning in archive.warnings:
        print(warning, file=sys.stderr)
    if archive.warnings and args.strict:
        print(f"有 {len(archive.warnings)} 条警告；--strict 下视为问题（{len(archive.warnings)} warnings, strict）", file=sys.stderr)
        return EXIT_DATA
    extra = f"；{len(archive.promises)} 项承诺，{len(archive.evidence)} 条回应" if archive.promises else ""
    extra += f"；{len(archive.pending)} 条候选待核对（未发布）" if archive.pending else ""
    extra += f"；{len(archive.warnings)} 条警告（不影响发布）" if archive.warnings else ""
    print(f"检查通过：{len(archive.reports)} 份报告，{len(archive.figures)} 条数据，{len(archive.indicators)} 个指标{extra}")
    return EXIT_OK


def search_answers(args: argparse.Namespace) -> int:
    project: Path = args.project
    docs = project / os.path.relpath(_config(project).docs_dir, project)
    with atomic.archive_lock(project):
        _recover(project)
        try:
            archive = load_archive(project, docs, project / "data")
        except DataError as exc:
            print(exc, file=sys.stderr)
            print(f"档案有 {len(exc.problems)} 处问题，没有查找回应；请按上面的提示修改后再运行", file=sys.stderr)
            return EXIT_DATA
        found = search_all(archive)
        if not found:
            print("每项已接受的承诺都已在回顾其时期的报告中查找过回应，没有要做的")
            return EXIT_OK
        outputs = []
        for src, answers in found.items():
            path = project / "data" / figures_path_for(src)
            outputs.append((path, with_answers(path.read_text(encoding="utf-8") if path.exists() else "", answers)))
            cards = sum(len(a) for _, a in answers)
            print(f"  {archive.reports[src].title}：查找了 {len(answers)} 项承诺的回应，候选回应 {cards} 条")
        if not args.dry_run:
            atomic.write_all(project, outputs, force=False)
    if args.dry_run:
        print("试运行，未写入任何文件")
    else:
        print("下一步：运行 annals review 核对候选回应；没有回应的承诺，确认后网站才会说“未再提及”")
    return EXIT_OK


def render_tree(args: argparse.Namespace) -> int:
    from annals.build.source import read_project, render_source

    out = args.out.absolute()
    if out == args.project or args.project.is_relative_to(out) or out.is_relative_to(args.project / "docs"):
        print(f"{args.out}: 输出目录不能是档案目录本身或其中的 docs/；请换一个目录，如 ../网站源文件", file=sys.stderr)
        return EXIT_USAGE
    try:
        rendered = render_source(read_project(args.project / "mkdocs.yml"), out)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"发现 {len(exc.problems)} 个问题，未写出网站源文件，{args.out} 保持不变；请按上面的提示修改", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"无法写入 {exc.filename or args.out}：{exc.strerror or exc}；{args.out} 保持不变，请检查磁盘空间和目录权限", file=sys.stderr)
        return EXIT_DATA
    print(f"已写出网站的全部源文件：{args.out}（{rendered.pages} 个页面，{rendered.reports} 份报告的搜索索引，{rendered.files} 个开放数据文件）。"
          f"用任一引擎生成网站，不需要 annals 的钩子：SOURCE_DATE_EPOCH={rendered.epoch} mkdocs build -f {args.out}/mkdocs.yml")
    return EXIT_OK


def review_reports(args: argparse.Namespace) -> int:
    from annals.review.edits import pending
    from annals.review.server import serve

    project: Path = args.project
    docs = Path(_config(project).docs_dir)
    srcs = []
    for given in args.reports:
        rel = Path(given).as_posix()
        src = rel.split("docs/", 1)[1] if rel.startswith("docs/") else rel
        if not is_report_src(src) or not (docs / src).is_file():
            print(f"{given}: 找不到这份报告；请写 docs/reports/<年份>/<名称>.md", file=sys.stderr)
            return EXIT_USAGE
        srcs.append(src)
    if not srcs and not pending(project, docs):
        print("没有待核对的候选数据")
        return EXIT_OK
    try:
        serve(project, docs, srcs, args.port, not args.no_browser)
    except OSError as exc:
        print(f"无法在 127.0.0.1:{args.port} 上启动核对页面：{exc.strerror}；请用 --port 换一个端口", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="annals", description="工作报告档案工具")
    parser.add_argument("--project", type=Path, default=Path("."), help="档案所在目录，默认为当前目录")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="检查全部报告与数据，不生成网站")
    p_check.add_argument("--project", type=Path, default=argparse.SUPPRESS, help="档案所在目录，默认为当前目录")
    p_check.add_argument("--strict", action="store_true", help="有警告也算失败")
    p_import = sub.add_parser("import", help="导入报告：.txt（UTF-8、UTF-16、GB18030、Big5）、.docx、.md")
    p_import.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p_import.add_argument("--project", type=Path, default=argparse.SUPPRESS, help="档案所在目录，默认为当前目录")
    p_import.add_argument("--bureau", help="发布机关的编号或全称（见 data/bureaus.yml）")
    p_import.add_argument("--year", type=int, help="报告所属年份")
    p_import.add_argument("--period", help="全年、上半年、下半年、第一季度……")
    p_import.add_argument("--kind", help="、".join(KINDS.values()))
    p_import.add_argument("--title", help="报告标题（原文没有标题时）")
    p_import.add_argument("--encoding", help="文本文件的编码，自动识别不准时指定：" + "、".join(ENCODINGS))
    p_import.add_argument("--force", action="store_true", help="覆盖已有文件（旧文件保存为 .bak）")
    p_import.add_argument("--dry-run", action="store_true", help="只显示将写入什么，不写任何文件")
    p_review = sub.add_parser("review", help="在本机网页上核对导入的候选数据：接受、改正、拒绝、添加")
    p_review.add_argument("reports", nargs="*", metavar="REPORT", help="docs/reports/<年份>/<名称>.md；不写则为全部有待核对数据的报告")
    p_review.add_argument("--project", type=Path, default=argparse.SUPPRESS, help="档案所在目录，默认为当前目录")
    p_review.add_argument("--port", type=int, default=8765, help="本机端口，默认 8765；0 为任选一个空闲端口")
    p_review.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    p_answers = sub.add_parser("answers", help="在此后的报告中为已接受的承诺查找候选回应")
    p_answers.add_argument("--project", type=Path, default=argparse.SUPPRESS, help="档案所在目录，默认为当前目录")
    p_answers.add_argument("--dry-run", action="store_true", help="只显示将找到什么，不写任何文件")
    p_render = sub.add_parser("render", help="写出网站的全部源文件（报告页、生成的页面、开放数据、搜索索引），供不运行钩子的引擎生成网站")
    p_render.add_argument("out", type=Path, metavar="OUT", help="输出目录（写完才替换其中原有的内容）")
    p_render.add_argument("--project", type=Path, default=argparse.SUPPRESS, help="档案所在目录，默认为当前目录")
    p_recover = sub.add_parser("recover", help="完成被中断的导入、删去它留下的临时文件")
    p_recover.add_argument("--project", type=Path, default=argparse.SUPPRESS, help="档案所在目录，默认为当前目录")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK

    args.project = project = args.project.absolute()  # MkDocs gives docs_dir absolute: pages are shown relative to this
    if not (project / "mkdocs.yml").is_file():
        print(f"{project / 'mkdocs.yml'}: 找不到 mkdocs.yml；请在档案目录中运行，或用 --project 指定", file=sys.stderr)
        return EXIT_USAGE
    command = {"import": import_files, "recover": recover_archive, "check": check_archive, "review": review_reports,
               "render": render_tree, "answers": search_answers}[args.command]
    try:
        return command(args)
    except atomic.Busy as exc:
        print(f"{project / atomic.LOCK}: 另一个导入正在进行：{exc}；请等它结束后再运行", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("已中断：已写入的报告完整保留，正在写入的报告没有留下一半的文件", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
