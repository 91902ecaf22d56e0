"""Real damaged zips for the tests: bytes flipped in one member's compressed data."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path


def member_data_span(archive: Path, member: str) -> tuple[int, int]:
    """(offset, length) of `member`'s compressed data inside the zip file."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    with open(archive, "rb") as handle:
        handle.seek(info.header_offset)
        local = handle.read(30)
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def damage(archive: Path, member: str, at: float = 0.5, count: int = 16) -> None:
    """Invert `count` bytes of `member`'s compressed data, `at` of the way through.

    The central directory is untouched, so the zip still opens and lists the
    member: the damage shows only when the member is read, as in a real
    truncated download or a bad sector.
    """
    offset, length = member_data_span(archive, member)
    start = offset + min(int(length * at), max(length - count, 0))
    data = bytearray(archive.read_bytes())
    for i in range(start, min(start + count, offset + length)):
        data[i] ^= 0xFF
    archive.write_bytes(bytes(data))
