"""A build writes its site beside the last good one and puts it in place only when it succeeded.

MkDocs empties the site directory before it writes, so a build that fails half-way
(a dangling file, a full disk, a warning under ``--strict``) would leave half a
site where the last good one was. The build writes into a sibling folder instead
(``.<site>.annals-new-<pid>``) and the two are exchanged in one step once every
page, the search index and the open data are written; a failed build's folder is
removed, and so are those of builds that were killed (their process is gone).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
from pathlib import Path

_RENAME_EXCHANGE = 2  # renameat2(2): swap two paths atomically (Linux 3.15+, glibc 2.28+)
_AT_FDCWD = -100
_OURS = re.compile(r"\.(?P<site>.+)\.annals-(?:new|old)-(?P<pid>\d+)$")


def staging_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.annals-new-{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def begin(site_dir: Path) -> Path:
    """The folder this build writes into, empty; leftovers of killed builds beside ``site_dir`` removed."""
    parent = site_dir.parent
    if parent.is_dir():
        for entry in parent.iterdir():
            m = _OURS.match(entry.name)
            if m and m.group("site") == site_dir.name and (int(m.group("pid")) == os.getpid() or not _alive(int(m.group("pid")))):
                shutil.rmtree(entry, ignore_errors=True)
    return staging_dir(site_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step where the system can; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (AttributeError, OSError):
        return False
    return bool(renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0)


def commit(staged: Path, site_dir: Path) -> None:
    """Put the staged site where the last good one was. With renameat2 no reader ever finds no site;
    elsewhere there is a moment between two renames. A site directory that cannot be renamed (a mount
    point, a folder the user may write in but not replace) gets the new files moved into it instead, as
    MkDocs writes them: not in one step, but only once the build has succeeded."""
    staged.mkdir(parents=True, exist_ok=True)  # a build that wrote nothing still publishes an empty site
    try:
        _swap(staged, site_dir)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EBUSY, errno.EPERM, errno.EACCES, errno.ENOTEMPTY, errno.EEXIST):
            raise
        _move_into(staged, site_dir)


def _move_into(staged: Path, site_dir: Path) -> None:
    site_dir.mkdir(parents=True, exist_ok=True)
    for old in site_dir.iterdir():
        if not old.name.startswith("."):  # MkDocs keeps dot-files too
            shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
    for new in staged.iterdir():
        shutil.move(str(new), str(site_dir / new.name))
    shutil.rmtree(staged, ignore_errors=True)


def _swap(staged: Path, site_dir: Path) -> None:
    if not site_dir.exists():
        staged.rename(site_dir)
        return
    for kept in site_dir.iterdir():  # MkDocs never empties dot-files (a .git of gh-pages): carry them over
        if kept.name.startswith(".") and not (staged / kept.name).exists():
            kept.rename(staged / kept.name)
    old = site_dir.parent / f".{site_dir.name}.annals-old-{os.getpid()}"
    if _exchange(staged, site_dir):
        staged.rename(old)
    else:
        site_dir.rename(old)
        staged.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)
