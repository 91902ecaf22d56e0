"""Cutting a mailbox stream into messages, keeping only each message's header block.

`mailbox.mbox` wants a real file path (not a zip member) and builds a table of
contents before the first message; a Gmail Takeout mbox is gigabytes. Here the
stream is read once, line by line (lines are read in bounded pieces, so a body
without newlines cannot fill memory), header lines are kept until the first blank
line, and bodies are skipped without being stored.

A line starting with "From " separates messages only when it opens the file or
has the shape of an mbox "From_" line: a sender, then an asctime date with its
weekday, month, day, time and year. Bodies start lines with "From " too ("From the
team at...", "From 10:30 to 12:00 I'm free.", a forwarded mail's headers), even
after a blank line, and not every writer escapes them as ">From "; a blank line
before the separator is not required either, since some writers omit it. The
shapes accepted are those real writers produce (mutt's and neomutt's lax rule
accepts the same):

- `From bob@x.com Sat Jan  3 01:05:34 1996` (mutt, Python's mailbox, procmail,
  Apple Mail; the day padded with a space);
- `From - Mon Jan 01 00:00:00 2018` (Thunderbird: no sender, the day padded with 0);
- `From 1784712345678901234@xxx Tue Nov 19 10:00:00 +0000 2024` (Gmail Takeout: a
  zone before the year); `... 05:53 PST 1992` (old writers: no seconds, a zone
  name); `... 1992 remote from host` (UUCP: words after the year);
- `From jdoe at example.com  Tue Jan  1 00:00:00 2019` (Mailman's pipermail
  archives: the address obfuscated with " at ").

The weekday is not checked against the date: writers get it wrong, and a body
line with a weekday, a month name, a day, a time and a year in this order is a
quoted From_ line anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

# A header block larger than this is no mail's (a message is then a reject). Real
# mail reaches megabytes: a mass mailing's 70,000-address Cc is 2 MB (QA8 big files
# #6: rejected at the old 256 KiB as "not a mail header", its sender lost the mail).
# Only a message's headers are ever held, so the cap bounds memory per message.
MAX_HEADER_BYTES = 16 * 1024 * 1024
READ_PIECE = 64 * 1024
_WEEKDAY = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_FROM_LINE = re.compile(
    rb"From +(?:\S+(?: at \S+)? +)?" + _WEEKDAY + rb" +(?P<month>" + _MONTH
    + rb") +(?P<day>\d{1,2}) +(?P<time>\d{1,2}:\d\d(?::\d\d)?) +"
    rb"(?P<zones>(?:[A-Za-z]{1,5} +|[+-]\d{4} +){0,2})"
    rb"(?P<year>\d{4}|\d{2})(?![^\s])", re.IGNORECASE)


@dataclass(slots=True)
class RawMessage:
    """One message: its number in the file (1-based), the header bytes, a `problem`
    ("headers-too-long") when the header block could not be kept whole, and the
    line where it starts (its From_ line, else its first line; 1-based)."""

    number: int
    headers: bytes
    problem: str = ""
    line: int = 1
    envelope: bytes = b""     # the From_ line that opened it, b"" for none
    offset: int = 0           # the byte where it starts in the file (its From_ line)
    cut: bool = False         # the file ends inside its header block (still written?)


def envelope_date(line: bytes) -> str:
    """The date of a From_ line as RFC 5322 date text ("10 Nov 2026 14:00:00 +0000"),
    "" when the line has none. Most writers put the delivery or filing time there
    (Gmail Takeout with its zone, mutt and Thunderbird in local time without one):
    the date of a message whose Date header is missing or unreadable."""
    match = _FROM_LINE.match(line)
    if match is None:
        return ""
    zones = match["zones"].split()
    zone = next((z for z in zones if z[:1] in b"+-"), zones[0] if zones else b"")
    text = b" ".join(part for part in (match["day"], match["month"], match["year"],
                                       match["time"], zone) if part)
    return text.decode("ascii", "replace")


def messages(stream: IO[bytes], single: bool = False, *, number: int = 0,
             lines: int = 0, offset: int = 0) -> Iterator[RawMessage]:
    """The messages of an mbox, or the one message of an .eml when `single`.
    A read resumed inside a file (a mailbox that grew, `append.py`) starts at a
    From_ line, `offset` bytes in, after `number` messages and `lines` lines."""
    buffer: list[bytes] = []
    size = 0
    in_headers = False
    problem = ""
    started = False
    previous_blank = True
    line_number = lines  # of the line the current piece belongs to
    first_line = 1      # where the current message starts
    at_line_start = True
    envelope = b""
    position = start = offset   # bytes before the current piece, the message's start
    for line in iter(lambda: stream.readline(READ_PIECE), b""):
        # A line longer than READ_PIECE comes in pieces: only the first one starts
        # a line, so only it counts a line and may be a separator.
        position += len(line)
        if at_line_start:
            line_number += 1
        is_separator = at_line_start and line.startswith(b"From ") and (
            (not single and _FROM_LINE.match(line) is not None) or not started)
        at_line_start = len(line) < READ_PIECE or line[-1:] == b"\n"
        previous_blank = line in (b"\n", b"\r\n", b"\r")
        if is_separator or not started:
            if started:
                yield RawMessage(number, b"".join(buffer), problem, first_line, envelope,
                                 start)
            number += 1
            first_line, start = line_number, position - len(line)
            started, in_headers, buffer, size, problem = True, True, [], 0, ""
            envelope = line.rstrip(b"\r\n") if is_separator else b""
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
        yield RawMessage(number, b"".join(buffer), problem, first_line, envelope, start,
                         in_headers)
