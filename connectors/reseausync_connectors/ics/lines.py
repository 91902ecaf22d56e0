"""A calendar file as text lines, a UTF-8 character cut by a fold put back whole.

Writers fold iCalendar lines at 75 octets, and some cut a multi-byte character
there ("Lévêque-C\\xc3" CRLF SPACE "\\xb4té"). Decoded line by line, the two halves
are no UTF-8: the decoder took them for Mac Roman ("C√¥té"), in the name that
`unknown` shows and that names are linked by. So the property's physical lines
are re-cut at a character boundary before decoding, by the code the vCard
connector uses for the same damage (`folding.rejoin_split_characters`); the
bytes are then decoded as before (`files.open_text`: UTF-8, else the single-byte
encoding the bytes point to). Line numbers and line ends are kept.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import IO

from reseausync.charsets import SNIFFED
from reseausync.connector import Unit
from reseausync.files import open_binary, open_text, sniff_encoding

from ..folding import rejoin_split_characters

PIECE = 1 << 20          # a line longer than this passes in pieces, not repaired
MAX_GROUP = 4096         # physical lines of one property looked at together
BATCH = 64 * 1024        # bytes handed to the decoder at a time
_BYTE_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "mac_roman")
_FOLD = (b" ", b"\t")


def open_lines(unit: Unit) -> IO[str]:
    """The unit as a text stream of lines, split folds repaired (UTF-16 and UTF-32
    files, where a cut byte cannot happen this way, are read as `open_text` reads
    them)."""
    buffered = open_binary(unit)
    try:
        encoding = sniff_encoding(buffered.peek(65536)[:65536])
    except BaseException:
        buffered.close()
        raise
    if encoding not in _BYTE_ENCODINGS:
        buffered.close()
        return open_text(unit)[0]
    if encoding == "utf-8-sig":
        buffered.read(len(codecs.BOM_UTF8))
    stream = io.TextIOWrapper(io.BufferedReader(_Repaired(buffered), BATCH),
                              encoding=SNIFFED, errors="replace", newline="")
    stream._CHUNK_SIZE = BATCH  # type: ignore[attr-defined]  # as files.open_text
    return stream


class _Repaired(io.RawIOBase):
    """The bytes of `stream`, each folded property's lines re-cut (`repaired`)."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream
        self._lines = repaired(stream)
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._left:
            batch, size = [], 0
            for line in self._lines:      # lines in batches: a read is not a line
                batch.append(line)
                size += len(line)
                if size >= BATCH:
                    break
            self._left = b"".join(batch)
            if not self._left:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size

    def close(self) -> None:
        self._stream.close()
        super().close()


def repaired(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream's bytes, in pieces ending at line ends, a property's folded lines
    re-cut at character boundaries when their bytes, unfolded, are UTF-8. A piece
    that is all ASCII passes whole: a cut character needs bytes over 0x7F on both
    sides of its fold."""
    group: list[bytes] = []
    whole = True                      # the last line read ended with its line end
    while chunk := stream.read(BATCH):
        if not chunk.endswith((b"\n", b"\r")):
            chunk += stream.readline(PIECE)
        if chunk.isascii():
            yield from _recut(group)
            group = []
            yield chunk
            whole = chunk.endswith((b"\n", b"\r"))
            continue
        for line in chunk.splitlines(keepends=True):
            if group and whole and line[:1] in _FOLD and len(group) < MAX_GROUP:
                group.append(line)
            else:
                yield from _recut(group)
                group = [line]
            whole = line.endswith((b"\n", b"\r"))
    yield from _recut(group)


def _recut(group: list[bytes]) -> list[bytes]:
    if len(group) < 2 or all(line.isascii() for line in group):
        return group
    bodies = [line.rstrip(b"\r\n") for line in group]
    ends = [line[len(body):] for line, body in zip(group, bodies, strict=True)]
    fixed = rejoin_split_characters(
        [(n, body.decode("utf-8", "surrogateescape")) for n, body in enumerate(bodies)])
    return [text.encode("utf-8", "surrogateescape") + end
            for (_, text), end in zip(fixed, ends, strict=True)]
