"""Tables for people, JSON and CSV for programs.

CSV cells that a spreadsheet would run as a formula are neutralised here, once,
for every CSV the product writes (export, contacts, runs...).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from .visible import visible

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARDED_START = (*FORMULA_START, "'")     # what safe_cell may change
# A phone number as the product writes it ("+15145551234", "+1 (514) 555-1234"):
# a leading "+", then only digits, spaces, "-", "." and parentheses.
_PHONE = re.compile(r"\+[\d ().\-]+")
# A number kept as national digits (no region, or one the region cannot place:
# "0145678900", "911"), with the same separators: no "+", a digit first.
_NATIONAL = re.compile(r"\(?\d[\d ().\-]*")


# A cell as safe_cell guards it: apostrophes, then what a spreadsheet would run.
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show, not execute (OWASP CSV injection).

    A leading `'` keeps the text readable while stopping `=HYPERLINK(...)` from
    running. A phone number is left as it is: the programs this CSV is for read
    E.164 ("+15145551234", INTERFACE.md), and a cell of a "+", digits and
    separators holds no name, no reference and no operator a spreadsheet could
    run (at worst it shows the number without its "+"); so is a list of them
    where some are national digits ("+33612345678; 0145678900"). Anything else
    starting with = + - @ tab or CR is still prefixed ("-2+3", "+1-2", "+cmd|...").
    A text that already looks guarded ("'=x") gets one more `'`, so that
    `unguarded`, which the CSV import applies, gives every value back as it was.
    """
    text = cell_text(value)
    if (text.startswith(FORMULA_START) and not _is_phones(text)) or _GUARDED.match(text):
        return "'" + text
    return text


def unguarded(cell: str) -> str:
    """The value `safe_cell` guarded: one leading `'` taken off a cell where
    apostrophes precede = + - @ tab or CR (the usual neutralisation mark, ours and
    other tools'), so "'-Minus Corp" imports as "-Minus Corp"; any other cell as
    it is ("'t Hooft", "O'Brien")."""
    return cell[1:] if _GUARDED.match(cell) else cell


def _is_phones(text: str) -> bool:
    """One phone number, or a list of them as cell_text joins them ("; "): each
    E.164 with 4 to 15 digits (E.164's range), or national digits, 3 or more (what
    normalize_phone keeps of a number it cannot place). A contact's list mixes the
    two ("+33612345678; 0145678900" in a Canadian book): one national number must
    not put a `'` before the E.164 one (QA6 #1). A national part starts with a
    digit and holds only digits and the separators: no name, reference or call a
    spreadsheet could run, as for the E.164 parts."""
    return all(_is_phone(part) for part in text.split("; "))


def _is_phone(part: str) -> bool:
    """One part of a phone cell, as the product writes a number."""
    digits = sum(c.isdigit() for c in part)
    if _PHONE.fullmatch(part):
        return 4 <= digits <= 15
    return _NATIONAL.fullmatch(part) is not None and digits >= 3


def cell_text(value: Any) -> str:
    if type(value) is str:       # most cells: no isinstance chain
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 quoting, LF line ends. A row with a carriage return inside a value
    (a Mac-style note) has every cell quoted: with "\n" as line end Python's
    writer (3.11) leaves such a cell bare and a reader splits the row there."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        cells = [_csv_cell(row.get(c)) for c in columns]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    """safe_cell, with the cells that need no check (text that starts with no
    formula character, a count) passed straight: `runs --format csv` writes
    300,000 rows of eleven cells."""
    if type(value) is str:
        return safe_cell(value) if value.startswith(GUARDED_START) else value
    if type(value) is int and value >= 0:
        return str(value)
    return safe_cell(value)


# Characters that JSON leaves raw but that many line splitters (Python's
# str.splitlines, JavaScript before ES2019, editors) take for line breaks: a
# jsonl record holding one was read as two (QA6 #9). Escaped, they read back the same.
_LINE_BREAKS = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}


def _breaks_escaped(text: str) -> str:
    """`text` (JSON) with U+2028, U+2029 and U+0085 written as escapes. They can
    only stand inside JSON strings, where an escape is the same value; the test
    before the translate keeps the common text (none of them) to a scan."""
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        return text.translate(_LINE_BREAKS)
    return text


def to_json(rows: Any) -> str:
    return _breaks_escaped(json.dumps(rows, ensure_ascii=False, indent=2, default=str)) + "\n"


def to_json_rows(rows: list[dict[str, Any]]) -> str:
    """to_json's text for rows of plain values, written by orjson: json.dumps with
    `indent` runs the pure-Python encoder, 10 s for 300,000 runs (QA S9). The same
    bytes (orjson indents by 2 and escapes as json.dumps does with
    ensure_ascii=False); what orjson refuses (a lone surrogate, an integer past
    64 bits, a value that is not JSON) goes through to_json."""
    try:
        text = orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode("utf-8")
        return _breaks_escaped(text) + "\n"
    except (TypeError, orjson.JSONEncodeError):
        return to_json(rows)


def to_jsonl(rows: Iterable[dict[str, Any]]) -> Iterable[str]:
    """One JSON object per line; the line breaks other than "\\n" that JSON leaves
    raw are escaped, so every line splitter sees one record per line."""
    for row in rows:
        yield _breaks_escaped(json.dumps(row, ensure_ascii=False, default=str)) + "\n"


# Columns a user types from next (`show ID`, `rejects --run N`) or reads as a
# word (`never_engaged`): never cut, the free text beside them is cut instead.
WHOLE = frozenset({"ID", "ID A", "ID B", "RUN", "STATUS"})     # by column title


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
             width: int | None = None) -> str:
    """A plain aligned table; on a terminal, long free-text cells are cut with an
    ellipsis to fit it. Written to a file or a pipe (`contacts > list.txt`,
    `| grep`), nothing is cut: a cut address is one grep cannot find. Control
    and bidi characters in a cell are shown as escapes (`visible`): a newline in
    a name made a fake row."""
    if not rows:
        return "(none)\n"
    if width is None and sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 24)).columns
    cells = [[visible(cell_text(r.get(key))) for key, _ in columns] for r in rows]
    shown = [[shown_width(c) for c in row] for row in cells]     # once per cell
    heads = [title for _, title in columns]
    widths = [max(len(h), *(s[i] for s in shown)) for i, h in enumerate(heads)]
    if width is not None:
        whole = [title in WHOLE for _, title in columns]
        widths = _fit(widths, width - 2 * (len(columns) - 1), whole)
    lines = [_line(heads, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(c, widths, s) for c, s in zip(cells, shown, strict=True)]
    return "\n".join(lines) + "\n"


def _fit(widths: list[int], total: int, whole: Sequence[bool]) -> list[int]:
    """Narrow the widest column that may be cut, a column at a time, down to 8."""
    widths = list(widths)
    while sum(widths) > total:
        free = [w for w, keep in zip(widths, whole, strict=True) if not keep and w > 8]
        if not free:
            break
        i = next(i for i, w in enumerate(widths) if w == max(free) and not whole[i])
        widths[i] -= 1
    return widths


def _line(cells: Sequence[str], widths: Sequence[int],
          shown: Sequence[int] | None = None) -> str:
    """One row padded to `widths`; `shown`: the cells' shown widths when known
    (measuring each cell once: a 33,000-contact table measured them three times,
    QA5 #1)."""
    out = []
    for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
        size = shown[i] if shown is not None else shown_width(cell)
        if size > w:
            cell = _cut(cell, max(w - 1, 0)) + "…"
            size = shown_width(cell)
        out.append(cell + " " * (w - size))
    return "  ".join(out).rstrip()


def shown_width(text: str) -> int:
    """Columns `text` takes on a terminal: a CJK character or an emoji takes two, an
    accent written as a combining mark none (QA: tables of such names were out of
    line, as a width counted in characters)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _cut(text: str, width: int) -> str:
    """The longest head of `text` that fits in `width` columns."""
    used = 0
    for i, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[:i]
    return text


def local_time(text: str, written: str = "") -> str:
    """A stored instant (ISO, UTC) as the machine's local time with its offset,
    to the minute ("2026-08-24T23:30-07:00"): a table of bare UTC times showed a
    Montréal 9:00 standup as 13:00 and an evening meeting on the next day. A value
    the source gave as a date alone (`written` "date": an all-day event, a log
    entry without time, stored at 00:00 UTC) is that date ("2026-09-15"), and a
    time written without a zone ("floating": stored as its wall time read as UTC)
    that wall time without an offset ("2026-10-12T15:00"): converted, west of UTC
    they showed the day before (QA8 dates #3). Text that is not an instant is
    returned as it is."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if written in ("date", "floating"):
        wall = moment.astimezone(UTC)
        return f"{wall:%Y-%m-%d}" if written == "date" else f"{wall:%Y-%m-%dT%H:%M}"
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%dT%H:%M}{offset[:3]}:{offset[3:]}"
