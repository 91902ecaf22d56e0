"""CSV cells: formulas neutralised, phone numbers left as programs expect them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from reseausync.report.output import FORMULA_START, safe_cell

HARMLESS = re.compile(r"[+\d ().\-;]*")


@given(st.text())
def test_a_cell_a_spreadsheet_could_run_is_always_prefixed(text: str) -> None:
    cell = safe_cell(text)
    assert cell == text or cell == "'" + text
    if cell == text and text.startswith(FORMULA_START):
        assert HARMLESS.fullmatch(text), text      # only a phone number's characters


@given(st.from_regex(r"\+[1-9]\d{3,14}", fullmatch=True))
def test_an_e164_number_is_left_as_it_is(phone: str) -> None:
    assert safe_cell(phone) == phone
    assert safe_cell([phone, phone]) == f"{phone}; {phone}"


def test_phones_as_written_and_formulas() -> None:
    for phone in ("+1 (514) 555-1234", "+33 1 42.68.53.00", "+1234"):
        assert safe_cell(phone) == phone
    for formula in ("-2+3", "+1-2", "+123", "+1234567890123456", "+15145551234; =cmd",
                    "+15145551234\n=cmd", "+1514\n5551234", "+cmd|' /C calc'!A0",
                    "=HYPERLINK(\"http://x\")", "@SUM(1)", "\t=1", "\r=1", "+ 1"):
        assert safe_cell(formula) == "'" + formula
