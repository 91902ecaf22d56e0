"""The `mbox` connector: mailbox files, .eml files and folders of them."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

from reseausync.connector import Connector, Unit
from reseausync.errors import UnitError
from reseausync.files import open_binary, walk
from reseausync.models import SourceItem

from .message import MessageContext, MessageError, interaction
from .owner import guess_owner
from .split import RawMessage, messages

SUFFIXES = (".mbox", ".eml", ".mbx")
FOLDER_PEEK_FILES = 200


def _accept(name: str) -> bool:
    """Mail files in a folder or a zip (whose member names are paths): .mbox/.eml,
    and Apple Mail's `X.mbox/mbox` files."""
    lowered = name.lower()
    return lowered.endswith(SUFFIXES) or lowered.rpartition("/")[2] == "mbox"


class MboxConnector(Connector):
    name = "mbox"
    priority = 5
    description = "mailboxes (.mbox, .eml): From/To/Cc/Date headers as email interactions"

    @classmethod
    def can_open(cls, target: str) -> bool:
        path = Path(target)
        if path.is_file():
            return _accept(path.name) or _zip_has_mail(path) or _starts_with_from(path)
        if path.is_dir():
            return _has_mail(path)
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        return walk(target, _accept)

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        single = unit.name.lower().endswith(".eml")
        me = self.context.me_emails or (frozenset() if single else guess_owner(unit))
        ctx = MessageContext(source=self.source, unit=unit.id, me=me)
        seen: set[str] = set()
        count = 0
        with open_binary(unit) as stream:
            for raw in messages(stream, single=single):
                count += 1
                locator = f"{unit.name}#{raw.number}"
                excerpt = raw.headers[:200].decode("utf-8", "replace")
                if raw.problem:
                    yield self.reject(unit, _where(unit, raw), raw.problem,
                                      f"message {raw.number}: header block over "
                                      "256 KiB, not a mail header", excerpt)
                    continue
                try:
                    found = interaction(raw.headers, locator, ctx)
                except MessageError as exc:
                    yield self.reject(unit, _where(unit, raw), exc.reason,
                                      f"message {raw.number}: {exc.message}", excerpt)
                    continue
                except Exception as exc:   # the email package's parser on hostile input
                    yield self.reject(unit, _where(unit, raw), "bad-header",
                                      f"message {raw.number}: unparsable headers ({exc})",
                                      excerpt)
                    continue
                if found is None or found.external_id in seen:
                    continue    # a note to self; or the same message twice in one file
                seen.add(found.external_id)
                yield found
        if not count:
            raise UnitError("empty-file", f"{unit.name}: the file is empty")


def _where(unit: Unit, raw: RawMessage) -> str:
    """A reject's location, `file:line` as for the other connectors' rejects: the
    unit's path (`export.zip!member` in a zip) and the line where the message
    starts; the message number is in the reject's message."""
    return f"{unit.id}:{raw.line}"


def _starts_with_from(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def _zip_has_mail(path: Path) -> bool:
    """True for a zip holding mail files, such as Google Takeout's
    `Takeout/Mail/All mail Including Spam and Trash.mbox`: only the zip's table of
    contents is read, nothing is extracted."""
    try:
        if not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as archive:
            return any(_accept(name) for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _has_mail(root: Path) -> bool:
    """True when a folder holds .eml or .mbox files (a bounded look, not a full walk)."""
    looked = 0
    for _folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and _accept(name):
                return True
            looked += 1
            if looked >= FOLDER_PEEK_FILES:
                return False
    return False
