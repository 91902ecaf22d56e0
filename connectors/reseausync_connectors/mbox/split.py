"""Cutting a mailbox stream into messages, keeping only each message's header block.

`mailbox.mbox` wants a real file path (not a zip member) and builds a table of
contents before the first message; a Gmail Takeout mbox is gigabytes. Here the
stream is read once, line by line (lines are read in bounded pieces, so a body
without newlines cannot fill memory), header lines are kept until the first blank
line, and bodies are skipped without being stored.

A line starting with "From " separates messages only when it opens the file or
has the shape of an mbox "From_" line, a sender and a time (`From addr Tue Dec  2
10:00:00 2025`): bodies start lines with "From " too ("From the team at..."), even
after a blank line, and not every writer escapes them as ">From ".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

MAX_HEADER_BYTES = 256 * 1024
READ_PIECE = 64 * 1024
_FROM_LINE = re.compile(rb"^From \S+ +.*\d{1,2}:\d\d")


@dataclass(slots=True)
class RawMessage:
    """One message: its number in the file (1-based), the header bytes, and a
    `problem` ("headers-too-long") when the header block could not be kept whole."""

    number: int
    headers: bytes
    problem: str = ""


def messages(stream: IO[bytes], single: bool = False) -> Iterator[RawMessage]:
    """The messages of an mbox, or the one message of an .eml when `single`."""
    number = 0
    buffer: list[bytes] = []
    size = 0
    in_headers = False
    problem = ""
    started = False
    previous_blank = True
    for line in iter(lambda: stream.readline(READ_PIECE), b""):
        is_separator = line.startswith(b"From ") and (
            (not single and _FROM_LINE.match(line) is not None) or not started)
        previous_blank = line in (b"\n", b"\r\n", b"\r")
        if is_separator or not started:
            if started:
                yield RawMessage(number, b"".join(buffer), problem)
            number += 1
            started, in_headers, buffer, size, problem = True, True, [], 0, ""
            if is_separator:
                continue
        if not in_headers:
            continue
        if previous_blank:
            in_headers = False
        elif size + len(line) <= MAX_HEADER_BYTES:
            buffer.append(line)
            size += len(line)
        else:
            problem = "headers-too-long"
    if started:
        yield RawMessage(number, b"".join(buffer), problem)
