"""Folded lines (vCard, iCalendar) whose fold cut a UTF-8 character in two.

RFC 6350 and RFC 5545 fold content lines at 75 octets; many writers count octets,
not characters, and cut "é" (C3 A9) into "...B\\xc3" and " \\xa9langer". Read line
by line, each half is invalid UTF-8 and becomes mojibake. The vCard and calendar
connectors both put the character back together here, before decoding, on lines
decoded as UTF-8 with `surrogateescape` (raw bytes kept as lone surrogates).
"""

from __future__ import annotations

import codecs


def rejoin_split_characters(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Physical lines with each UTF-8 character that a fold cut in two put back
    together, whole, on the line after the fold.

    Writers that fold at 75 octets rather than characters (RFC 6350 forbids it,
    many do it) cut "é" (C3 A9) into "...B\\xc3" and " \\xa9langer": each line
    alone is invalid UTF-8, and the vCard connector's `redecode` then read both as
    cp1252, turning the whole value into mojibake ("BÃ©langer"; the calendar
    connector's decoder read "√¥" for a cut "ô"). A property (a line and its folded
    continuations) whose bytes, once unfolded, are valid UTF-8 is UTF-8; each
    physical line is re-cut at a character boundary so the line numbers stay.
    A property that is not valid UTF-8 even unfolded is left as it is, to the
    caller's fallback decoding. The callers call it only for text that is not
    valid UTF-8 (a card) or not ASCII (a folded calendar property): a well-formed
    file never pays.
    """
    out: list[tuple[int, str]] = []
    start = 0
    for index in range(1, len(lines) + 1):
        if index < len(lines) and lines[index][1][:1] in " \t":
            continue        # a folded continuation of the property that began at `start`
        group = lines[start:index]
        out.extend(_recut(group) if len(group) > 1 else group)
        start = index
    return out


def _recut(group: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """One property's physical lines, re-cut at character boundaries when its
    unfolded bytes are valid UTF-8; else unchanged."""
    parts = [group[0][1].encode("utf-8", "surrogateescape")]
    parts += [text[1:].encode("utf-8", "surrogateescape") for _, text in group[1:]]
    try:
        b"".join(parts).decode("utf-8")
    except UnicodeDecodeError:
        return group
    decoder = codecs.getincrementaldecoder("utf-8")()
    recut = [(group[0][0], decoder.decode(parts[0]))]
    recut += [(number, text[0] + decoder.decode(part))
              for (number, text), part in zip(group[1:], parts[1:], strict=True)]
    return recut
