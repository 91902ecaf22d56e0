"""`export -o PATH`: the file appears whole, or the old one stays.

A cron job that exports every night must never find its previous good export
truncated because tonight's export failed (a corrupt or mistyped --db, a full disk,
Ctrl-C). So the output is written to a hidden temporary file in the target's own
folder (same file system, so the final rename is atomic) and renamed over the
target only once everything was written; on any failure the temporary file is
removed and the target is untouched. A bad PATH (missing folder, a folder, no
write permission) is wrong usage, reported before the directory is read.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import UsageError

_HINT = "pass -o the path of a file in an existing folder you can write to"


def check_target(path: str) -> Path:
    """The file `path` names (symlinks followed, as open() would), or UsageError."""
    if not path:
        raise UsageError("-o needs a file name", hint=_HINT)
    target = Path(os.path.realpath(path))
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

    The new file gets the old file's permissions, else the ones a plain open()
    would give (0666 less the umask), not mkstemp's private 0600."""
    target = check_target(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
