"""`export -o PATH`: the file appears whole, or the old one stays.

A cron job that exports every night must never find its previous good export
truncated because tonight's export failed (a corrupt or mistyped --db, a full disk,
Ctrl-C). So the output is written to a hidden temporary file in the target's own
folder (same file system, so the final rename is atomic) and renamed over the
target only once everything was written; on any failure the temporary file is
removed and the target is untouched. A bad PATH (missing folder, a folder, no
write permission) is wrong usage, reported before the directory is read.

What is not a regular file is written into, never replaced: an open descriptor
named by path (`/dev/stdout`, `/dev/fd/63` from the shell's `>(...)`,
`/proc/self/fd/N`) is written through a copy of that descriptor, so a shell's `>>`
still appends; a named pipe or a character device (`/dev/null`) is opened and
written. Replacing them made a FIFO's reader wait for ever and, run as root, would
have made `/dev/null` a regular file; a descriptor's path has no folder to hold a
temporary file (a traceback). Such an export cannot be all-or-nothing: a reader of
a pipe gets what was written before a failure, as with stdout. (`-o -`, stdout
itself, is handled by the command.)
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import ReseausyncError, UsageError

_HINT = "pass -o the path of a file in an existing folder you can write to"


# This process's descriptor named as a path: /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N.
_FD_PATH = re.compile(r"/(?:dev/fd|proc/(self|thread-self|\d+)(?:/task/\d+)?/fd)/(\d+)")


def check_target(path: str) -> Path:
    """The file `path` names (symlinks followed, as open() would), or UsageError."""
    if not path:
        raise UsageError("-o needs a file name", hint=_HINT)
    fd = open_descriptor(path)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise UsageError(f"{path}: descriptor {fd} is not open", hint=_HINT) from None
        return Path(path)
    if _special(path):
        if not os.access(path, os.W_OK):
            raise UsageError(f"{path}: cannot write to it", hint=_HINT)
        return Path(path)
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file() and not target.is_dir():
        raise UsageError(f"{path}: is not a file (a socket or a block device)", hint=_HINT)
    if target.is_dir():
        raise UsageError(f"{path}: is a folder, not a file", hint=_HINT)
    if not target.parent.is_dir():
        raise UsageError(f"{path}: folder {Path(path).parent} does not exist",
                         hint=f"create it, or {_HINT}")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: cannot write in folder {Path(path).parent}", hint=_HINT)
    return target


@contextmanager
def replaced_on_success(path: str) -> Iterator[IO[str]]:
    """A text stream whose content replaces `path` when the block ends without error.

    The new file gets the old file's permissions, else mkstemp's private 0600:
    an export is a list of other people's personal data (QA5 #6; it was 0666
    less the umask, 0644 for most users). A descriptor, a named pipe or a device
    is written into instead (module doc)."""
    target = check_target(path)
    if (own := open_descriptor(path)) is not None or _special(path):
        opened = os.dup(own) if own is not None else os.open(target, os.O_WRONLY)
        with full_disk_said(path, kept=""), \
                os.fdopen(opened, "w", encoding="utf-8", newline="") as out:
            yield out
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with full_disk_said(path, kept="; the previous file was kept"):
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                yield out
            if (mode := _mode_of(target)) is not None:
                os.chmod(tmp, mode)
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# What a full disk (or quota, or a failing device) gives a write or a close
FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


@contextmanager
def full_disk_said(path: str, kept: str) -> Iterator[None]:
    """A write to `path` that fails for lack of room is one line, not a traceback of
    three chained OSErrors (QA7 #4): the write, then the close flushing again."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in FULL:
            raise
        raise ReseausyncError(f"{path}: the disk is full ({os.strerror(exc.errno)}){kept}",
                              hint="free some space on that disk, then export again") \
            from None


def _mode_of(target: Path) -> int | None:
    """The permissions of the file an export replaces; None for a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


def open_descriptor(path: str) -> int | None:
    """The number of this process's open file that `path` names (`/dev/stdout` ->
    /proc/self/fd/1, `/dev/fd/63`), following symbolic links one at a time; None
    for any other path. Written through a copy of the descriptor, the output goes
    where the shell sent it, appending after `>>`."""
    current = os.path.abspath(path)
    for _ in range(40):                                  # the kernel's own link limit
        found = _FD_PATH.fullmatch(current)
        if found:
            pid = found.group(1)
            mine = pid in (None, "self", "thread-self") or int(pid) == os.getpid()
            return int(found.group(2)) if mine else None
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


def _special(path: str) -> bool:
    """Whether `path` is a named pipe or a character device: written into, not
    replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)
