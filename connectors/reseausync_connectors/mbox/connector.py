"""The `mbox` connector: mailbox files, .eml files and folders of them.

What a folder walk takes: `.mbox`/`.eml`/`.mbx` files and Apple Mail's `X.mbox/mbox`
(by name); Thunderbird's mail folders, files without an extension (`Inbox`,
`Sent`, `Archives.sbd/2026`) that either have the index `NAME.msf` beside them or
start as an mbox does (a From_ line, then a header). The files mail programs keep
beside a mailbox are claimed and not read, so that an import does not report them
unread on every run: Thunderbird's `.msf` indexes, Apple Mail's `Info.plist` and
`table_of_contents` in an `X.mbox` folder. A folder in which nothing is mail is
one reject, never a silent "0 interactions".
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

from reseausync.connector import Connector, Unit
from reseausync.errors import UnitError
from reseausync.files import APPENDED_FROM, open_binary, path_text, walk
from reseausync.models import SourceItem

from . import append
from .message import MessageContext, MessageError, interaction
from .owner import guess_owner
from .split import MAX_HEADER_BYTES, RawMessage, envelope_date, messages

SUFFIXES = (".mbox", ".eml", ".mbx")
FOLDER_PEEK_FILES = 200
INDEX_SUFFIX = ".msf"                                   # Thunderbird's folder index
APPLE_SIDE_FILES = ("info.plist", "table_of_contents")  # beside X.mbox/mbox
# A change of what a read yields (drafts left out, auto-replies and spam flagged,
# the From_ line's date): every mailbox is read again once.
READING = "m3"
IGNORED = "ignored"         # a unit's meta key: claimed, not read
HEAD_BYTES = 4096
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
# Mailbox names (file or folder, case-folded, extension dropped) and what they hold.
DRAFT_BOXES = frozenset({"drafts", "draft", "brouillons", "templates", "modèles",
                         "unsent messages", "entwürfe", "borradores"})
SENT_BOXES = frozenset({"sent", "sent mail", "sent messages", "sent items", "envoyés",
                        "messages envoyés", "éléments envoyés", "gesendet", "enviados"})


def _accept(name: str) -> bool:
    """Mail files in a folder or a zip (whose member names are paths): .mbox/.eml,
    and Apple Mail's `X.mbox/mbox` files."""
    lowered = name.lower()
    return lowered.endswith(SUFFIXES) or lowered.rpartition("/")[2] == "mbox"


def mailbox_name(unit: Unit) -> str:
    """The mailbox a person knows a file by: its name, or for Apple Mail's
    `Inbox.mbox/mbox` its folder's (`Inbox.mbox`)."""
    parts = (unit.member or unit.id).replace("\\", "/").rstrip("/").split("/")
    if parts[-1].lower() == "mbox" and len(parts) > 1:
        return parts[-2]
    return parts[-1]


def mailbox_role(unit: Unit) -> str:
    """"drafts" for a mailbox of drafts or templates (never sent), "sent" for the
    sent mail, "" for any other, from the mailbox's name."""
    name = mailbox_name(unit).casefold()
    for suffix in (*SUFFIXES, ".sbd"):
        name = name.removesuffix(suffix)
    return "drafts" if name in DRAFT_BOXES else "sent" if name in SENT_BOXES else ""


class MboxConnector(Connector):
    name = "mbox"
    priority = 5
    description = "mailboxes (.mbox, .eml): From/To/Cc/Date headers as email interactions"

    @classmethod
    def can_open(cls, target: str) -> bool:
        path = Path(target)
        if path.is_file():
            return _accept(path.name) or _zip_has_mail(path) or _starts_as_mbox(path) \
                or _is_mail_file(path)
        if path.is_dir():
            return _has_mail(path)
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        """The mail files of `target` (see the module's docstring), each fingerprint
        carrying `READING`; for a folder holding none, one unit with a problem."""
        path = Path(target)
        if not path.is_dir():
            yield from (self._grown(_versioned(u)) for u in walk(target, _accept))
            return
        units = list(walk(target, lambda _name: True))
        mail = {u.id for u in units if _is_mail(u)}
        found = False
        for unit in units:
            if unit.member is not None and not _accept(unit.member):
                continue            # a zip's members go by name
            if unit.id in mail or unit.problem is not None:
                found = found or unit.id in mail
                yield self._grown(_versioned(unit))
            elif _side_file(unit, mail):
                yield replace(unit, meta={**unit.meta, IGNORED: True})
        if not found:
            yield Unit(id=path_text(path), fingerprint="", path=path, problem=(
                "no-mail", f"{path_text(path)}: no mailbox in this folder (.mbox, .eml, "
                "Apple Mail's X.mbox/mbox, Thunderbird's mail files)"))

    def _grown(self, unit: Unit) -> Unit:
        """`unit`, marked to be read past its old end when it only grew (append.py)."""
        if unit.name.lower().endswith(".eml"):
            return unit
        covered = append.grown(unit, self.cursor, READING)
        if covered is None:
            return unit
        return replace(unit, meta={**unit.meta, APPENDED_FROM: asdict(covered)})

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        if unit.meta.get(IGNORED):
            return      # a mail program's index beside a mailbox: claimed, not read
        single = unit.name.lower().endswith(".eml")
        resumed = unit.meta.get(APPENDED_FROM)
        covered = append.Covered(**resumed) if resumed else None
        me = self.context.me_emails or (
            frozenset() if single else frozenset(covered.owner) if covered
            else guess_owner(unit))
        ctx = MessageContext(source=self.source, unit=unit.id, me=me,
                             role=mailbox_role(unit))
        seen: set[str] = set()
        count = 0
        box = mailbox_name(unit)
        start = (covered.offset, covered.number, covered.lines) if covered else (0, 0, 0)
        raw: RawMessage | None = None
        with open_binary(unit, start[0]) as stream:
            for raw in messages(stream, single=single, offset=start[0], number=start[1],
                                lines=start[2]):
                count += 1
                locator = f"{box}#{raw.number}"
                excerpt = raw.headers[:200].decode("utf-8", "replace")
                if raw.problem:
                    yield self.reject(unit, _where(unit, raw), raw.problem,
                                      f"message {raw.number}: header block over "
                                      f"{MAX_HEADER_BYTES >> 20} MiB, message skipped",
                                      excerpt)
                    continue
                try:
                    found = interaction(raw.headers, locator, ctx,
                                        envelope_date(raw.envelope))
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
            if not single:
                self._covered(unit, raw, getattr(stream, "raw", None), me)
        if not count and not _has_index(unit):     # Thunderbird's empty Trash is not
            raise UnitError("empty-file", f"{unit.name}: the file is empty")

    def _covered(self, unit: Unit, last: RawMessage | None, raw: object,
                 me: frozenset[str]) -> None:
        """Keep in the cursor what this read of a mailbox file covered (append.py)."""
        size = getattr(raw, "position", 0)
        if last is None or last.cut or unit.member is not None or unit.path is None \
                or not size:     # a last message cut in its header: read whole next time
            self.cursor = append.remember(self.cursor, unit, None)
            return
        head, tail = append.probes(unit.path, size)
        covered = append.Covered(size=size, head=head, tail=tail, offset=last.offset,
                                 number=last.number - 1, lines=last.line - 1,
                                 owner=sorted(me), reading=READING)
        self.cursor = append.remember(self.cursor, unit, covered)


def _where(unit: Unit, raw: RawMessage) -> str:
    """A reject's location, `file:line` as for the other connectors' rejects: the
    unit's path (`export.zip!member` in a zip) and the line where the message
    starts; the message number is in the reject's message."""
    return f"{unit.id}:{raw.line}"


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
    """True when a folder holds mail files (a bounded look, not a full walk)."""
    looked = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and (_accept(name)
                                             or _is_mail_file(Path(folder) / name)):
                return True
            looked += 1
            if looked >= FOLDER_PEEK_FILES:
                return False
    return False


def _versioned(unit: Unit) -> Unit:
    if unit.problem is not None:
        return unit
    return replace(unit, fingerprint=f"{unit.fingerprint};{READING}")


def _is_mail(unit: Unit) -> bool:
    """A unit of a folder walk that is a mailbox: by name; a file of a folder also
    by Thunderbird's ways (`_is_mail_file`). Zip members go by name only."""
    if unit.problem is not None:
        return False
    if _accept(unit.member or unit.name):
        return True
    return unit.member is None and unit.path is not None and _is_mail_file(unit.path)


def _is_mail_file(path: Path) -> bool:
    """A Thunderbird mail folder file: the index `NAME.msf` beside it, or no
    extension and an mbox's start (a From_ line, then a header line)."""
    if path.suffix.lower() == INDEX_SUFFIX:
        return False
    if path.with_name(path.name + INDEX_SUFFIX).is_file():
        return True
    return not path.suffix and _starts_as_mbox(path)


def _starts_as_mbox(path: Path) -> bool:
    """A From_ line, then a header line: how every mbox starts (a note starting
    "From the desk of..." does not)."""
    try:
        with open(path, "rb") as handle:
            lines = handle.read(HEAD_BYTES).splitlines()
    except OSError:
        return False
    return len(lines) > 1 and lines[0].startswith(b"From ") \
        and _HEADER_LINE.match(lines[1]) is not None


def _has_index(unit: Unit) -> bool:
    return unit.path is not None and unit.member is None \
        and unit.path.with_name(unit.path.name + INDEX_SUFFIX).is_file()


def _side_file(unit: Unit, mail: set[str]) -> bool:
    """A file a mail program keeps beside a mailbox read here: Thunderbird's
    `NAME.msf` index of the mailbox `NAME`, Apple Mail's `Info.plist` and
    `table_of_contents` in a folder `X.mbox` holding the mailbox `mbox`."""
    if unit.member is not None or unit.path is None:
        return False
    mailbox = _mailbox_of(unit.path)
    return mailbox is not None and path_text(mailbox) in mail


def _mailbox_of(path: Path) -> Path | None:
    """The mailbox that `path` is the index or the Apple side file of, if it is one."""
    if path.suffix.lower() == INDEX_SUFFIX:
        return path.with_suffix("")
    if path.name.lower() in APPLE_SIDE_FILES and path.parent.name.lower().endswith(".mbox"):
        return path.parent / "mbox"
    return None
