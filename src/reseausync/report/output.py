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
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number as the product writes it ("+15145551234", "+1 (514) 555-1234"):
# a leading "+", then only digits, spaces, "-", "." and parentheses.
_PHONE = re.compile(r"\+[\d ().\-]+")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show, not execute (OWASP CSV injection).

    A leading `'` keeps the text readable while stopping `=HYPERLINK(...)` from
    running. A phone number is left as it is: the programs this CSV is for read
    E.164 ("+15145551234", INTERFACE.md), and a cell of a "+", digits and
    separators holds no name, no reference and no operator a spreadsheet could
    run (at worst it shows the number without its "+"). Anything else starting
    with = + - @ tab or CR is still prefixed ("-2+3", "+1-2", "+cmd|...").
    """
    text = cell_text(value)
    if text.startswith(FORMULA_START) and not _is_phones(text):
        return "'" + text
    return text


def _is_phones(text: str) -> bool:
    """One phone number, or a list of them as cell_text joins them ("; "), each
    with 4 to 15 digits (E.164's range)."""
    return all(_PHONE.fullmatch(part) and 4 <= sum(c.isdigit() for c in part) <= 15
               for part in text.split("; "))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(row.get(c)) for c in columns] for row in rows)
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    """safe_cell, with the cells that need no check (text that starts with no
    formula character, a count) passed straight: `runs --format csv` writes
    300,000 rows of eleven cells."""
    if type(value) is str:
        return safe_cell(value) if value.startswith(FORMULA_START) else value
    if type(value) is int and value >= 0:
        return str(value)
    return safe_cell(value)


def to_json(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"


def to_json_rows(rows: list[dict[str, Any]]) -> str:
    """to_json's text for rows of plain values, written by orjson: json.dumps with
    `indent` runs the pure-Python encoder, 10 s for 300,000 runs (QA S9). The same
    bytes (orjson indents by 2 and escapes as json.dumps does with
    ensure_ascii=False); what orjson refuses (a lone surrogate, an integer past
    64 bits, a value that is not JSON) goes through to_json."""
    try:
        return orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except (TypeError, orjson.JSONEncodeError):
        return to_json(rows)


def to_jsonl(rows: Iterable[dict[str, Any]]) -> Iterable[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=str) + "\n"


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
             width: int | None = None) -> str:
    """A plain aligned table; long cells are cut with an ellipsis to fit the terminal."""
    if not rows:
        return "(none)\n"
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[cell_text(r.get(key)) for key, _ in columns] for r in rows]
    heads = [title for _, title in columns]
    widths = [max(len(h), *(shown_width(c[i]) for c in cells)) for i, h in enumerate(heads)]
    widths = _fit(widths, width - 2 * (len(columns) - 1))
    lines = [_line(heads, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(c, widths) for c in cells]
    return "\n".join(lines) + "\n"


def _fit(widths: list[int], total: int) -> list[int]:
    widths = list(widths)
    while sum(widths) > total and max(widths) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    return widths


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    out = []
    for cell, w in zip(cells, widths, strict=True):
        cut = cell if shown_width(cell) <= w else _cut(cell, max(w - 1, 0)) + "…"
        out.append(cut + " " * (w - shown_width(cut)))
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
