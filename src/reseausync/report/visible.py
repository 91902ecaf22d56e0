"""Text from other people, made safe to print for people.

Names, notes, mail display names and file names come from cards, CSVs and mail
that anyone can write. Printed raw on a terminal, an ESC sequence in a NOTE moved
the cursor and wrote a fake "status: engaged" line over `show`, an OSC 52 in a
From display name replaced the clipboard, U+202E reversed the rest of a row, and
a newline in a CSV name added a made-up row with a made-up id to `contacts`, even
in a file or a pipe (QA5 #1). Tables and `show` pass every value through
`visible`; JSON, CSV and vCard keep the data as it is (their own quoting applies).

What is shown instead, Python's escapes, as the odd bytes of file names already
are (`files.storable`): `\\n`, `\\r`, `\\t`; other C0 and C1 controls and DEL as
`\\x1b`, `\\x9b`, `\\x7f`; the bidi embeddings, overrides and isolates (U+202A–202E,
U+2066–2069) and the line and paragraph separators (U+2028, U+2029) as `\\u202e`;
a byte that was not UTF-8 (kept as a lone surrogate) as `\\xff`. A backslash
itself is left as it is: the point is that nothing is hidden or acted on, not
that the text can be decoded back.
"""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """`text` with every character that a terminal would act on, or that would
    break a line or reorder it, written as a visible escape. Clean text (nearly
    all of it) costs one `isprintable`."""
    if text.isprintable():
        return text
    return _HIDDEN.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:         # a raw byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"
