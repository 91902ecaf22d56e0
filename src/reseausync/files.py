"""Turning a path (file, folder or zip) into units, and bytes into text.

Every file-based connector needs the same three things: walk a folder or a zip
safely, fingerprint each unit cheaply, and decode text whose encoding nobody
declared. They live here once so that every connector gets the same zip safety
and the same encoding guesses.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import lzma
import mmap
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from .charsets import (
    CP1252,
    EVIDENCE_BYTES,
    MAC_ROMAN,
    SNIFFED,
    decode_sniffed,
    single_byte_encoding,
)
from .connector import Unit
from .errors import UNREADABLE, SourceError, UnitError

MAX_MEMBER_BYTES = 2 * 1024**3      # one zip member may not inflate past 2 GiB
MAX_COMPRESSION_RATIO = 200         # nor inflate more than 200 times (zip bombs)

Accept = Callable[[str], bool]


def anchored(value: str, folder: Path) -> str:
    """A path written in a config file, made absolute against the file's `folder`
    (`~` expanded); an empty value stays empty."""
    if not value:
        return value
    path = Path(value).expanduser()
    return os.path.normpath(path if path.is_absolute() else folder / path)


def absolute(target: str) -> str:
    """A path given to `import`, as the directory names it: absolute, like a
    configured source's. A file is one unit whatever the spelling of its path
    (`book.vcf`, `./book.vcf`, `$PWD/book.vcf`, or the sync's), so an unchanged file
    is never read again for being named another way; and two files both called
    book.vcf in two folders are two units, not one file that lost its cards. URLs
    stay as written."""
    return target if "://" in target else os.path.abspath(target)


def suffix_filter(*suffixes: str) -> Accept:
    """An accept function for file names ending with any of `suffixes` (any case)."""
    wanted = tuple(s.lower() for s in suffixes)
    return lambda name: name.lower().endswith(wanted)


# Unit.meta key: the unit is read only past what an earlier read of it covered (a
# mailbox that only grew): the items read before are not removed for being unseen.
APPENDED_FROM = "appended_from"


def file_fingerprint(path: Path) -> str:
    """Size and modification time: cheap, and what rsync trusts too."""
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def path_text(path: str | Path) -> str:
    """A path as text that can be stored and printed: a file name that is not UTF-8
    (a Latin-1 "café.vcf" copied from an old machine) reaches Python with surrogate
    escapes, which neither SQLite nor a UTF-8 terminal accepts; its odd bytes are
    written as `\\xe9` instead. The unit keeps its Path for opening the file."""
    return storable(str(path))


def storable(text: str) -> str:
    """`text` as SQLite (and a UTF-8 terminal) can take it.

    A connector's reject quotes the input it could not read: a raw line decoded with
    surrogate escapes (`N;X\\xff=1:...`), a file name that is not UTF-8. SQLite
    refuses such text, and one bad byte in a quoted line ended the whole import
    with a traceback, its run left "running". Escaped bytes are written `\\xff`
    (other lone surrogates `\\udXXX`): the reject is stored, whatever connector
    wrote it. Clean text costs one `isascii` (or one encode when not ASCII).
    """
    if not text or text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:      # a surrogate no byte produced (\\ud800)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def walk(target: str | Path, accept: Accept) -> Iterator[Unit]:
    """Units of a file, a folder (recursive, sorted) or a zip, keeping `accept`ed names.

    A single file named directly is always yielded, whatever its name: the user
    chose it. Hidden files and folders are skipped when walking.
    """
    path = Path(target)
    if not path.exists():
        raise SourceError(f"{path_text(path)}: no such file or folder",
                          hint="check the path, or the source's `path` in the config")
    if path.is_dir():
        yield from _walk_dir(path, accept)
    elif zipfile.is_zipfile(path):
        yield from zip_units(path, accept)
    else:
        yield Unit(id=path_text(path), fingerprint=file_fingerprint(path), path=path)


def _walk_dir(root: Path, accept: Accept) -> Iterator[Unit]:
    """Files below `root` in sorted order, one stat each (os.scandir keeps the
    stat of each entry: pathlib's rglob + sort + stat dominated a 33,000-file folder).

    What cannot be read (a folder that cannot be listed, a link to a drive that is
    not mounted, a link loop, a FIFO) is a unit with a `problem`, whatever its
    name: nobody can tell what it holds, and `read` makes it a reject instead of
    letting it vanish (under `sync`, its records were removed)."""
    entries = sorted(_scan(str(root), _Walk(str(root))), key=lambda e: e[0])
    for path_str, st, problem in entries:
        path = Path(path_str)
        if problem is not None:
            yield Unit(id=path_text(path_str), fingerprint="", path=path, problem=problem)
            continue
        name = path.name
        if name.lower().endswith(".zip") and zipfile.is_zipfile(path):
            yield from zip_units(path, accept)
        elif accept(name):
            yield Unit(id=path_text(path_str), fingerprint=f"{st.st_size}:{st.st_mtime_ns}",
                       path=path)


def folder_files(root: str | Path) -> list[str]:
    """Every readable file below `root` a walk would see (hidden ones left out),
    sorted; what cannot be read is the walk's to report (`_walk_dir`)."""
    return sorted(path for path, _, problem in _scan(str(root), _Walk(str(root)))
                  if problem is None)


Problem = tuple[str, str]
Entry = tuple[str, os.stat_result | None, Problem | None]
LOOP = "symlink-loop"


class _Walk:
    """The real paths of the folders a walk reads: a linked folder is followed
    unless it leads into one of them (a loop, or a second way into the same files)."""

    def __init__(self, root: str) -> None:
        self.trees = [os.path.realpath(root)]

    def inside(self, real: str) -> str | None:
        """The walked folder that `real` lies in or holds, if any."""
        for tree in self.trees:
            if _within(real, tree) or _within(tree, real):
                return tree
        return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _scan(folder: str, state: _Walk) -> Iterator[Entry]:
    """(path, stat, None) for each file below `folder`, (path, None, problem) for
    what cannot be read. Real folders are walked; a linked folder is followed once
    (see `_Walk`); a regular file costs one lstat, as before."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as exc:
        yield folder, None, (UNREADABLE, f"{path_text(folder)}: the folder cannot be "
                                         f"listed ({_why(exc)}): nothing in it was read")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _scan(entry.path, state)
                continue
            if entry.is_file(follow_symlinks=False):
                yield entry.path, entry.stat(follow_symlinks=False), None
                continue
            st = entry.stat()          # a link (followed), a FIFO, a device, a socket
        except OSError as exc:
            yield entry.path, None, _unreachable(entry.path, exc)
            continue
        if stat.S_ISREG(st.st_mode):
            yield entry.path, st, None
        elif stat.S_ISDIR(st.st_mode):
            yield from _linked_folder(entry.path, state)
        else:
            yield entry.path, None, ("not-a-file", f"{path_text(entry.path)}: not a "
                                                   "regular file (a FIFO, device or socket)")


def _linked_folder(link: str, state: _Walk) -> Iterator[Entry]:
    real = os.path.realpath(link)
    tree = state.inside(real)
    if tree is not None:
        yield link, None, (LOOP, f"{path_text(link)}: a link to {path_text(real)}, inside "
                                 f"or around {path_text(tree)} which this walk reads: "
                                 "not followed (a loop, or the same files twice)")
        return
    state.trees.append(real)
    yield from _scan(link, state)


def _unreachable(path: str, exc: OSError) -> Problem:
    """A file that is listed but cannot be reached: a link whose target is gone
    (a drive not mounted) or loops. What it held is unknown, so it is unreadable."""
    try:
        target = f"a link to {path_text(os.readlink(path))}, "
    except OSError:
        target = ""
    return (UNREADABLE, f"{path_text(path)}: cannot open ({target}{_why(exc)})")


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def zip_units(path: Path, accept: Accept) -> Iterator[Unit]:
    """Members of a zip as units; unsafe members come back with a `problem` set."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path_text(path)}: not a readable zip ({exc})") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not accept(info.filename):
                continue
            unit_id = f"{path_text(path)}!{info.filename}"
            fingerprint = f"{info.CRC:08x}:{info.file_size}"
            problem = member_problem(info)
            yield Unit(id=unit_id, fingerprint=fingerprint, path=path,
                       member=info.filename, problem=problem)


def member_problem(info: zipfile.ZipInfo) -> tuple[str, str] | None:
    """Why a zip member must not be opened, or None when it is safe."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        return ("unsafe-path", f"zip member {info.filename!r} escapes the archive root")
    if info.file_size > MAX_MEMBER_BYTES:
        return ("too-large", f"zip member {info.filename!r} inflates to "
                             f"{info.file_size} bytes (limit {MAX_MEMBER_BYTES})")
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO \
            and info.file_size > 10 * 1024**2:
        return ("zip-bomb", f"zip member {info.filename!r} inflates "
                            f"{info.file_size // info.compress_size}x: refused")
    return None


# What reading a damaged file raises: a failing disk (OSError), a zip member cut
# short (EOFError), a bad CRC (BadZipFile, at the member's end) or damaged
# compressed data (zlib.error, lzma.LZMAError; bz2 raises OSError), mid-stream.
READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError)
# ... and what opening a member zipfile cannot read raises: an unsupported
# compression method (NotImplementedError), an encrypted member (RuntimeError).
_OPEN_ERRORS = (OSError, zipfile.BadZipFile, KeyError, NotImplementedError,
                RuntimeError, zlib.error, lzma.LZMAError, EOFError)
_BUFFER = 64 * 1024


# The byte the file being read has been read to, for `-v`'s progress on one big
# file (QA8 big files #5): a shared anonymous mapping made before any fork, so the
# forked read worker's reads show in the writing process's progress bar.
_READ_AT = mmap.mmap(-1, 8)


def read_progress(unit: Unit) -> str:
    """"1.2 GB of 5.0 GB, 24%" for a file being read (a zip member: "")."""
    if unit.path is None or unit.member is not None:
        return ""
    try:
        size = unit.path.stat().st_size
    except OSError:
        return ""
    done = min(int.from_bytes(_READ_AT[:8], "little"), size)
    return f"{_size(done)} of {_size(size)}, {done * 100 // size}%" if size else ""


def _size(count: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


class _Guarded(io.RawIOBase):
    """A raw stream whose read errors become `UnitError` (the unit becomes a reject).

    Without it one damaged zip member ended the whole import with a traceback
    (zlib.error is not an OSError). The items a connector yielded before the
    error stay; `Connector.read` turns the error into one reject for the rest of
    the unit. `position` counts the bytes delivered, so the message says where
    the read stopped. It sits under a BufferedReader: one Python call per 64 KiB.
    """

    def __init__(self, stream: IO[bytes], unit_id: str) -> None:
        super().__init__()
        self._stream = stream
        self._unit_id = unit_id
        self.position = 0
        _READ_AT[:8] = b"\0" * 8

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._stream.read(len(buffer))
        except READ_ERRORS as exc:
            raise UnitError(UNREADABLE, f"{self._unit_id}: unreadable ({exc}), "
                            f"read stopped at byte {self.position}") from exc
        count = len(data)
        buffer[:count] = data
        self.position += count
        _READ_AT[:8] = self.position.to_bytes(8, "little")
        return count

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


def open_binary(unit: Unit, start: int = 0) -> IO[bytes]:
    """A binary stream on the unit's content; zip members are streamed, never extracted.
    `start`: a file (not a zip member) read from that byte on (a mailbox that only
    grew is read from where the last read ended).

    Opening and reading errors (a damaged member, a failing disk) raise `UnitError`.
    """
    if unit.path is None:
        raise UnitError("not-a-file", f"{unit.id}: not a file unit")
    if start and unit.member is not None:
        raise ValueError("a zip member is read from its start")
    try:
        if unit.member is None:
            stream: IO[bytes] = open(unit.path, "rb", buffering=0)
            stream.seek(start)
        else:
            stream = zip_archive(unit.path).open(unit.member)
    except _OPEN_ERRORS as exc:
        raise UnitError(UNREADABLE, f"{unit.id}: cannot open ({exc})") from exc
    guarded = _Guarded(stream, unit.id)
    guarded.position = start
    _READ_AT[:8] = start.to_bytes(8, "little")
    return io.BufferedReader(guarded, _BUFFER)


class _ArchiveCache:
    """The zip archive last opened, kept open for the next member.

    Opening a `ZipFile` parses the whole central directory: reopening it for each
    member made a zip of N members cost O(N²) (QA5 #3: 2,500 tiny cards 129 s, a
    folder of the same files 25 s). Members are read one after another, archive by
    archive, so keeping the last one is enough. The key holds the file's identity
    and modification (a zip replaced between two syncs is opened again) and the
    process id: a forked read worker opens its own, never sharing the parent's
    file offset. A member stream keeps the archive's file open after the archive
    is replaced here (zipfile counts its users), so nothing is closed under a
    reader."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._archive: zipfile.ZipFile | None = None

    def get(self, path: Path) -> zipfile.ZipFile:
        info = os.stat(path)
        key = (os.getpid(), os.fspath(path), info.st_dev, info.st_ino, info.st_size,
               info.st_mtime_ns)
        if key != self._key or self._archive is None:
            self.close()
            self._archive = zipfile.ZipFile(path)
            self._key = key
        return self._archive

    def close(self) -> None:
        archive, self._archive, self._key = self._archive, None, None
        if archive is not None:     # a forked parent's: closes only this process's copy
            archive.close()


_ARCHIVES = _ArchiveCache()


def zip_archive(path: Path) -> zipfile.ZipFile:
    """The open archive at `path`, parsed once for all its members (see
    `_ArchiveCache`). Callers must not close it."""
    return _ARCHIVES.get(path)


def read_bytes(unit: Unit) -> bytes:
    with open_binary(unit) as stream:
        return stream.read()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_encoding(head: bytes) -> str:
    """Guess the encoding from the first few KiB.

    Order matters: a BOM is certain; NUL bytes in every other position mean UTF-16
    without a BOM (Apple Address Book writes big-endian ones); then UTF-8 if the
    whole head decodes strictly (a multi-byte character cut at its end is
    allowed); else cp1252 or Mac Roman, as the bytes from the first one that is
    not UTF-8 point to (`charsets.single_byte_encoding`). A head that is UTF-8
    says nothing of the rest of the file: the readers here decode with
    `charsets.SNIFFED`, which switches at the first byte that is not.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    sample = head[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if even_nuls > half * 0.3 and odd_nuls * 4 < even_nuls:
            return "utf-16-be"
        if odd_nuls > half * 0.3 and even_nuls * 4 < odd_nuls:
            return "utf-16-le"
    try:
        codecs.utf_8_decode(head, "strict", False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        return single_byte_encoding(head[exc.start:exc.start + EVIDENCE_BYTES])


def _sniffed(encoding: str) -> bool:
    """Whether a sniffed `encoding` is a guess the stream may revise (no BOM, not
    UTF-16): the text is then decoded with `SNIFFED`."""
    return encoding in ("utf-8", CP1252, MAC_ROMAN)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; returns (text, encoding used).

    Without a BOM or UTF-16, as `charsets.SNIFFED` decodes a stream: UTF-8 up to
    the first byte that is not, then cp1252 or Mac Roman as the bytes point to
    (a misread accent is better than a lost file).
    """
    encoding = sniff_encoding(data[:65536])
    if _sniffed(encoding):
        return decode_sniffed(data)
    if encoding == "utf-8-sig":
        text, used = decode_sniffed(data[len(codecs.BOM_UTF8):])
        return text, encoding if used == "utf-8" else used
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), encoding


def read_text(unit: Unit) -> tuple[str, str]:
    """The unit's whole content as text, with the encoding that was used."""
    return decode(read_bytes(unit))


def open_text(unit: Unit) -> tuple[IO[str], str]:
    """A text stream on the unit for formats read line by line (large CSVs).

    The encoding is sniffed from the first 64 KiB (the one returned). Without a
    BOM or UTF-16 the stream decodes with `charsets.SNIFFED`: a cp1252 file whose
    first accent comes after those 64 KiB is still read as cp1252, at no cost to
    a UTF-8 file. Undecodable bytes are replaced rather than ending the read. A
    read error raises `UnitError`.
    """
    buffered = open_binary(unit)
    try:
        head = buffered.peek(65536)[:65536]
    except UnitError:
        buffered.close()
        raise
    encoding = sniff_encoding(head)
    codec = SNIFFED if _sniffed(encoding) else encoding
    if encoding == "utf-8-sig":       # as `decode` does: the BOM, then a sniffed stream
        buffered.read(len(codecs.BOM_UTF8))
        codec = SNIFFED
    stream = io.TextIOWrapper(buffered, encoding=codec, errors="replace", newline="")
    stream._CHUNK_SIZE = _BUFFER  # type: ignore[attr-defined]  # evidence for a switch
    return stream, encoding


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
