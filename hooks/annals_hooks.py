"""MkDocs hooks of annals: thin wiring; the logic is in the ``annals`` package.

Data is loaded in ``on_config`` (once per build, including each rebuild of
``mkdocs serve``), never at import: this module is imported only once. What the
events hand each other lives on one object, ``_state``.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from annals.build import staging
from annals.data.errors import DataError
from annals.data.routes import FEED
from annals.data.safety import SafeMarkdown
from annals.data.settings import read_settings
from annals.engine.rendercache import RenderCache
from annals.pages import publish
from annals.pages.blocks import BEFORE_ANCHOR_SCAN, GeneratedBlocks, anchor_ids
from annals.pages.layout import Layout
from annals.pages.links import Links
from annals.pages.site import (
    Site,
    generated_pages,
    page_meta,
    prepare,
    render_page,
    take_styles,
)
from annals.search import index as search
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

log = logging.getLogger("mkdocs.hooks.annals")
_EPOCH_GIVEN = "SOURCE_DATE_EPOCH" in os.environ


def _strict_counter() -> CountHandler:
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    return counter


@dataclass
class _State:
    """What the hooks hold between events: one build's, or (``serving``) one `mkdocs serve` session's."""

    serving: bool = False  # `mkdocs serve`: an edit shows without waiting for the search index
    site: Site | None = None  # the archive, loaded and checked in on_config, and how its pages are made
    index: search.IndexJob | None = None  # the search index being written (under serve, maybe the last build's)
    renders: RenderCache = field(default_factory=RenderCache)  # under serve: an edit converts only the pages it changed
    safe: SafeMarkdown = field(default_factory=SafeMarkdown)  # what it neutralised in the page just converted
    # The same instances every build: `mkdocs serve` keeps a page's conversion while the extensions are the same.
    blocks: GeneratedBlocks = field(default_factory=lambda: GeneratedBlocks(priority=BEFORE_ANCHOR_SCAN))
    site_dirs: tuple[Path, Path] | None = None  # (the site directory, the folder this build writes instead: annals.build.staging)
    warnings: CountHandler = field(default_factory=_strict_counter)  # what --strict will fail on, counted before the swap
    converting: str | None = None  # the page Markdown is converting, as the user names it (docs/about.md)


_state = _State()


def _fail(exc: DataError) -> PluginError:
    return PluginError("数据有误，已停止构建，未发布任何内容：\n" + str(exc))


def on_startup(command: str, dirty: bool) -> None:
    _state.serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _cancel_index()
    gc.unfreeze()  # the last build's archive (under `mkdocs serve`) can go
    # Absolute (-f may name it relative to the working folder), links not followed: docs_dir is MkDocs' join beside it.
    project = Path(os.path.abspath(config.config_file_path)).parent
    data_dir = project / "data"
    theme_dir = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    settings, wrong = read_settings(config.extra, Path(config.config_file_path).read_text(encoding="utf-8"))
    if wrong:  # told before the archive is read: a misspelt option needs no wait for 10,000 reports
        raise PluginError("设置有误，已停止构建：\n" + "\n".join(map(str, wrong)))
    try:  # every data error stops the build here, before MkDocs empties the site directory
        # The blocks' templates: the theme's folders first, so that overrides/annals/<block>.html wins.
        site = _state.site = prepare(project, Path(config.docs_dir), settings, Layout(config.theme.get_env().loader), theme_dir)
    except DataError as exc:
        raise _fail(exc) from None
    archive = site.archive
    for warning in archive.warnings:  # not failures: `annals check --strict` is the strict gate
        log.info("annals: %s", warning)
    if not _EPOCH_GIVEN:
        # MkDocs dates the sitemap by the clock unless told; the same data must give the same bytes.
        os.environ["SOURCE_DATE_EPOCH"] = str(archive.epoch)
    if str(data_dir) not in config.watch:
        config.watch.append(str(data_dir))
    _state.safe.found.clear()
    # Python-Markdown takes Extension instances as well as names. The blocks are kept from MkDocs' scan for
    # anchors, which on_page_content does more cheaply.
    config.markdown_extensions += [_state.safe, _state.blocks]  # type: ignore[list-item]
    # Written elsewhere, put in place only once the build has succeeded (annals.build.staging).
    site_dir = Path(config.site_dir).resolve()  # a linked site directory: the swap is beside what it points to
    _state.site_dirs = (site_dir, staging.begin(site_dir))
    config.site_dir = str(_state.site_dirs[1])
    _state.warnings.counts.clear()
    if config.strict:
        logging.getLogger("mkdocs").addHandler(_state.warnings)
    # The archive (and its indexes, made now rather than mid-render) lives as long as the build: kept out of
    # the collector's scans, which otherwise go over its ~200 objects a report again and again while MkDocs
    # converts the pages (at 10,000 reports, an eighth of rendering them).
    archive.anchors, archive.plan  # noqa: B018
    gc.freeze()
    return config


def _start_index() -> search.IndexJob:
    site = _state.site
    assert site is not None
    docs = search.documents(site.archive.reports.values(), site.archive.bureaus, site.links)
    return search.IndexJob(docs, site.settings.search_bucket_bytes)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _state.site
    assert site is not None
    archive = site.archive
    for src, content in generated_pages(archive).items():
        if files.get_file_from_path(src) is None:  # a hand-written page wins
            files.append(File.generated(config, src, content=content))
    # Every link annals writes goes where MkDocs puts the page (use_directory_urls or not).
    site.links = Links({file.src_uri: file.url for file in files.documentation_pages()})
    if not _state.serving:  # written on the second core while MkDocs renders the pages
        _state.index = _start_index()
    base_url = config.site_url or ""  # MkDocs gives it a trailing slash
    downloads = publish.open_data_files(archive.figures, archive.tracker.of_target, archive.tracker.all, archive.refs, site.links, base_url)
    downloads[FEED] = publish.atom_feed(archive.reports.values(), archive.refs, site.links, base_url, config.site_name,
                                                site.settings.feed_entries)
    for src, content in downloads.items():
        if files.get_file_from_path(src) is None:
            # Written now (MkDocs has emptied the site directory and skips copying a file onto itself), not
            # held in memory until MkDocs copies it: the open data of 10,000 reports is ~0.5 GB of text.
            written = Path(config.site_dir, src)
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_text(content, encoding="utf-8")
            files.append(File.generated(config, src, abs_src_path=str(written)))
    downloads.clear()
    # In the order MkDocs reads a folder (the sitemap lists pages so), as if the generated files were on disk:
    # a hook-less engine building `annals render`'s tree lists them the same.
    files = Files(sorted(files, key=file_sort_key))
    if _state.serving:
        _state.renders.start_build(config, files)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _state.site
    assert site is not None
    shown = f"{Path(config.docs_dir).name}/{page.file.src_uri}" if not page.file.generated_by else page.file.src_uri
    _state.converting = shown
    try:
        rendered = render_page(markdown, page.file.src_uri, site, shown)
    except DataError as exc:
        raise _fail(exc) from None
    if _state.serving:
        _state.renders.attach(page, rendered)
    return rendered


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _state.site
    assert site is not None
    page.meta.update(page_meta(page.file.src_uri, site, page.markdown or "", page.meta))
    if _state.safe.found:  # a warning: --strict fails the build, so nothing neutralised is published unnoticed
        log.warning("annals: %s: 已去掉会执行脚本或向其他网站请求的标记：%s；报告正文与数据只能是文字",
                    _state.converting, "、".join(sorted(set(_state.safe.found))))
        _state.safe.found.clear()
    # Converted: MkDocs would hold every page's Markdown until the build ends. Not None: page.title (what the
    # templates print) is then None; with "" it is the title MkDocs took from the page's first heading.
    page.markdown = ""
    if page.present_anchor_ids is not None:  # the blocks were kept from MkDocs' scan (annals.pages.blocks)
        page.present_anchor_ids |= anchor_ids(content)
    page.meta.pop("annals_style", None)  # printed raw in <head>: only what annals generated, never front matter
    if page.file.generated_by:
        content, style = take_styles(content)
        if style:  # an empty meta is not a meta (Material's templates ask `if page.meta`)
            page.meta["annals_style"] = style
    return content


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not _state.serving:  # written: its HTML can go back to the system while the build waits for the index
        page.content = None
    return output


def on_post_build(config: MkDocsConfig) -> None:
    assert _state.site_dirs is not None
    site_dir, staged = _state.site_dirs
    if not _state.serving:
        assert _state.index is not None
        _state.site = None
        _give_memory_back()
        _install_index(_state.index, staged, fail=True)
    logging.getLogger("mkdocs").removeHandler(_state.warnings)
    if _state.warnings.get_counts():
        return  # MkDocs fails the build on them next (--strict): on_build_error removes what it wrote
    staging.commit(staged, site_dir)
    config.site_dir = str(site_dir)  # for what runs after the build (gh-deploy)
    if _state.serving:  # the pages are served now, having had the whole machine; the index joins them when written
        _state.index = _start_index()
        threading.Thread(target=_install_index, args=(_state.index, site_dir), daemon=True).start()


def _give_memory_back() -> None:
    """Return what the written pages held to the system (glibc keeps freed memory otherwise): ~60% of the
    MkDocs process, which waits for the index from here on."""
    gc.unfreeze()
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (AttributeError, OSError):  # not glibc
            pass


def _install_index(job: search.IndexJob, site_dir: Path, fail: bool = False) -> None:
    started = time.perf_counter()
    try:
        count = job.finish(site_dir)
    except search.SearchIndexError as exc:
        if fail:
            raise PluginError(str(exc)) from None
        log.error("annals: %s", exc)
        return
    if count is None:  # cancelled by a newer build
        return
    log.info("annals: 搜索索引已生成：%d 份报告，页面生成后又用时 %.1f 秒", count, time.perf_counter() - started)


def on_build_error(error: Exception) -> None:
    _cancel_index()
    logging.getLogger("mkdocs").removeHandler(_state.warnings)
    if _state.site_dirs is not None:
        staging.discard(_state.site_dirs[1])
    if isinstance(error, RecursionError) and _state.converting:  # Python-Markdown recurses once per level of nesting
        raise PluginError(f"{_state.converting}: Markdown 嵌套太深（列表、引用或强调符号 * _ 套了上千层），无法生成这一页；请检查这一页中连续的 - > * _ 符号"
                          f"（Markdown nested too deeply）；上一次生成的网站保持不变") from None
    if isinstance(error, OSError):  # a full disk, a folder that cannot be written: said plainly, no traceback
        where = f"{error.filename}：" if error.filename else ""
        raise PluginError(f"无法写入网站：{where}{error.strerror or error}；上一次生成的网站保持不变。请检查磁盘空间和目录权限后重新构建"
                          f"") from None


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """A rebuild that fails leaves the last good site served: MkDocs would hold every request until the
    next good build ("The server will appear stuck")."""
    build = server.builder

    def build_or_keep_the_last_good_site() -> None:
        try:
            build()
        except Exception:  # MkDocs has logged why (the data errors, with path:line)
            log.error("annals: 构建失败，浏览器中仍是上一次正确的网站；改正后自动更新")

    server.builder = build_or_keep_the_last_good_site
    return server


def on_shutdown() -> None:  # `mkdocs serve` stopped: no index process outlives it
    _cancel_index()


def _cancel_index() -> None:  # a finished job has nothing to stop
    if _state.index is not None:
        _state.index.cancel()
    _state.index = None
