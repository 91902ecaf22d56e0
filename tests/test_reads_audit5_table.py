"""Tables measure each cell once (QA5 #1: a 33,000-contact `contacts` table measured
every cell three times, 2 s of CPU), and print exactly what they printed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.report import output
from reseausync.report.output import WHOLE, _cut, _fit, cell_text, shown_width, to_table

COLUMNS = [("id", "ID"), ("name", "NAME"), ("emails", "EMAILS"), ("n", "COUNT")]


def old_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
              width: int | None) -> str:
    """to_table as it was before QA5 #1 (width given: no terminal in tests)."""
    if not rows:
        return "(none)\n"
    cells = [[cell_text(r.get(key)) for key, _ in columns] for r in rows]
    heads = [title for _, title in columns]
    widths = [max(len(h), *(shown_width(c[i]) for c in cells)) for i, h in enumerate(heads)]
    if width is not None:
        whole = [title in WHOLE for _, title in columns]
        widths = _fit(widths, width - 2 * (len(columns) - 1), whole)

    def line(cells: Sequence[str]) -> str:
        out = []
        for cell, w in zip(cells, widths, strict=True):
            cut = cell if shown_width(cell) <= w else _cut(cell, max(w - 1, 0)) + "…"
            out.append(cut + " " * (w - shown_width(cut)))
        return "  ".join(out).rstrip()

    lines = [line(heads), line(["-" * w for w in widths])] + [line(c) for c in cells]
    return "\n".join(lines) + "\n"


TEXT = st.text(st.sampled_from("aZé 田中e\u0301😀-\u200b"), max_size=12)
ROW = st.fixed_dictionaries({"id": TEXT, "name": st.one_of(st.none(), TEXT),
                             "emails": st.lists(TEXT, max_size=3),
                             "n": st.integers(0, 10**6)})


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(ROW, max_size=6), width=st.one_of(st.none(), st.integers(10, 60)))
def test_the_table_is_the_one_printed_before(rows: list[dict[str, Any]],
                                             width: int | None) -> None:
    assert to_table(rows, COLUMNS, width) == old_table(rows, COLUMNS, width)


def test_each_cell_is_measured_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"id": f"c{n}", "name": f"Zoé {n}", "emails": [f"z{n}@x.ca"], "n": n}
            for n in range(50)]
    calls = 0

    def counted(text: str) -> int:
        nonlocal calls
        calls += 1
        return shown_width(text)

    monkeypatch.setattr(output, "shown_width", counted)
    to_table(rows, COLUMNS, width=None)
    assert calls <= 50 * len(COLUMNS) + 2 * len(COLUMNS)     # cells, then the two head lines
