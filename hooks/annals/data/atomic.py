"""Writing an import's files all or none, one writer at a time, whatever interrupts it.

- **One at a time.** ``archive_lock`` holds an exclusive ``flock`` on
  ``.annals.lock`` in the archive, with its holder (pid, host, command, since
  when) written inside for the one who is refused. The system drops the lock
  when the holder dies, even by ``kill -9``.
- **All or none.** Each file is first written in full to a temporary name of
  its own (``.<name>.annals-tmp-<pid>-<random>``) and flushed to disk. Then a
  journal (``.annals-journal.json``) names every rename still to do; once it
  is on disk the import is decided, and the renames follow. Killed before the
  journal: the old files are untouched, the temporary ones are removed by the
  next writer. Killed after: the next writer (``annals import`` or ``annals
  recover``) does the renames the journal lists; until then ``annals check``
  and every build refuse to run on the half-renamed archive.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annals.data.routes import FIGURES_DIR, REPORTS_DIR

LOCK = ".annals.lock"
JOURNAL = ".annals-journal.json"
_TEMP_MARK = ".annals-tmp-"
# Where an import writes (and so where its temporary files can be): <docs_dir>/reports/<year>/ (docs/ unless
# mkdocs.yml says otherwise), data/figures/<year>/.
_WRITTEN = (f"*/{REPORTS_DIR}/*", f"data/{FIGURES_DIR}/*")


class Busy(Exception):
    """Another process holds the archive's lock; its text says who."""


def _step(name: str) -> None:
    """A point between two writes where the tests stop the process (ANNALS_TEST_KILL_AT=name) as a power
    cut or ``kill -9`` would, or press Ctrl-C (and ANNALS_TEST_SIGNAL=SIGINT)."""
    if os.environ.get("ANNALS_TEST_KILL_AT") == name:
        os.kill(os.getpid(), getattr(signal, os.environ.get("ANNALS_TEST_SIGNAL", "SIGKILL")))


@contextmanager
def archive_lock(project: Path) -> Iterator[None]:
    """Hold the archive's lock, or raise :class:`Busy` naming who holds it."""
    fd = os.open(project / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "另一个进程"
            raise Busy(holder) from None
        since = time.strftime("%Y-%m-%d %H:%M:%S")
        holder = f"进程 {os.getpid()}（{socket.gethostname()}，{' '.join(['annals', *sys.argv[1:]])[:200]}，开始于 {since}）"
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_synced(path: Path, content: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _backup_name(path: Path, taken: set[Path]) -> Path:
    """Where --force keeps the old file: x.md.bak, or x.md.2.bak … when earlier backups exist."""
    backup, n = path.with_name(path.name + ".bak"), 2
    while backup.exists() or backup in taken:
        backup, n = path.with_name(f"{path.name}.{n}.bak"), n + 1
    return backup


def write_all(project: Path, outputs: list[tuple[Path, str]], force: bool) -> None:
    """Write every file or none (see the module's docstring). The caller holds the lock. With ``force``
    an existing file is kept as ``*.bak``; without it, an existing file is an error before this."""
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    temps: list[Path] = []
    try:
        for n, (path, content) in enumerate(outputs):
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}{_TEMP_MARK}{token}")
            temps.append(temp)  # before writing it: an interrupted write is removed too
            _write_synced(temp, content)
            _step(f"written:{n}")
        taken: set[Path] = set()
        renames = []
        for temp, (path, _) in zip(temps, outputs, strict=True):
            backup = _backup_name(path, taken) if force and path.exists() else None
            if backup:
                taken.add(backup)
            renames.append({"temp": _rel(temp, project), "path": _rel(path, project), "backup": backup and _rel(backup, project)})
        journal_temp = project / f"{JOURNAL}{_TEMP_MARK}{token}"
        temps.append(journal_temp)
        _write_synced(journal_temp, json.dumps({"renames": renames}, ensure_ascii=False, indent=1))
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    # From the decision on nothing may stop half-way: Ctrl-C waits for the renames (a few milliseconds).
    with _signals_held():
        journal_temp.replace(project / JOURNAL)  # the import is decided here
        _step("journal")
        _finish(project)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done. In the main thread by handlers, not by blocking the
    signals: a process with other threads (numpy's, once MkDocs has loaded the hooks) gets a signal on any
    thread that does not block it, and Python raises it in the main thread all the same. Another thread (the
    review server's) is never interrupted by Python; blocking keeps the signal from its system calls."""
    if threading.current_thread() is not threading.main_thread():
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        return
    held: list[int] = []
    previous = {sig: signal.signal(sig, lambda number, _frame: held.append(number)) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if held:
        signal.raise_signal(held[0])  # now, with the import whole


def _rel(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix()


def _finish(project: Path) -> list[str]:
    """Do what the journal lists (again, if a killed run did part of it: each step is done once), then
    remove it. The paths written, repo-relative."""
    journal = project / JOURNAL
    renames = json.loads(journal.read_text(encoding="utf-8"))["renames"]
    for n, step in enumerate(renames):
        temp, path = project / step["temp"], project / step["path"]
        if not temp.exists():
            continue  # renamed before the interruption
        if step["backup"] and path.exists():
            path.replace(project / step["backup"])
            _step(f"backup:{n}")
        temp.replace(path)
        _step(f"renamed:{n}")
    for folder in {(project / step["path"]).parent for step in renames}:
        _sync_dir(folder)
    journal.unlink()
    return [step["path"] for step in renames]


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(project: Path) -> tuple[list[str], int]:
    """Finish an import that was interrupted after it was decided, and remove the temporary files of
    those interrupted before. The caller holds the lock. (paths finished, temporary files removed)"""
    finished = _finish(project) if (project / JOURNAL).exists() else []
    removed = 0
    for pattern in _WRITTEN:
        for stale in project.glob(f"{pattern}/.*{_TEMP_MARK}*"):
            stale.unlink(missing_ok=True)
            removed += 1
    for stale in project.glob(f"{JOURNAL}{_TEMP_MARK}*"):
        stale.unlink(missing_ok=True)
        removed += 1
    return finished, removed


def interrupted(project: Path) -> bool:
    """An import was decided but not finished: the archive may hold some of its files and not others."""
    return (project / JOURNAL).exists()
