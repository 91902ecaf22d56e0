"""QA6 #1: a phone cell mixing E.164 and national digits is left as it is.

A number the region cannot place keeps its national digits, so one contact's
phones may read "+33612345678; 0145678900"; the formula guard put a `'` before
the whole cell, and a join on "+33612345678" missed it. Real formulas stay
guarded.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.report.output import FORMULA_START, safe_cell
from tests.conftest import run_cli

SEPARATORS = " ().-"


def _digits_with_separators(draw: st.DrawFn, low: int, high: int) -> str:
    """Digits written the usual ways: "01 45 67 89 00", "(514) 555-1234"."""
    digits = draw(st.text("0123456789", min_size=low, max_size=high))
    out = [digits[0]]
    for digit in digits[1:]:
        out.append(draw(st.sampled_from(["", "", " ", "-", ".", ") ", "("])) + digit)
    return "".join(out)


@st.composite
def e164(draw: st.DrawFn) -> str:
    return "+" + _digits_with_separators(draw, 4, 15)


@st.composite
def national(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["", "("])) + _digits_with_separators(draw, 3, 20)


def phone_list_oracle(text: str) -> bool:
    """Whether `text` is a list of phone-shaped parts, checked without the code's
    expressions: each part is "+" and 4-15 digits, or a digit (or "(" then a
    digit) first and 3 or more digits; digits and separators only."""
    for part in text.split("; "):
        body = part[1:] if part.startswith("+") else part
        if not body or any(c not in "0123456789" + SEPARATORS for c in body):
            return False
        digits = sum(c.isdigit() for c in body)
        if part.startswith("+"):
            if not 4 <= digits <= 15:
                return False
        elif not (body[0].isdigit() or (body[0] == "(" and body[1:2].isdigit())) \
                or digits < 3:
            return False
    return True


@given(e164(), st.lists(st.one_of(e164(), national()), max_size=4))
def test_any_list_of_phone_shaped_parts_is_left_alone(first: str, rest: list[str]) -> None:
    cell = "; ".join([first, *rest])
    assert safe_cell(cell) == cell
    assert safe_cell([first, *rest]) == cell


@given(st.one_of(
    st.text(),
    st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@"]), st.text()),
    st.builds(lambda p, t: p + "; " + t, e164(), st.text()),
    st.builds(lambda p, t: p + t, e164(), st.text(alphabet="0123456789 ().-+;=@", max_size=6)),
))
def test_a_formula_start_that_is_no_phone_list_is_guarded(text: str) -> None:
    expected = text if not text.startswith(FORMULA_START) or phone_list_oracle(text) \
        else "'" + text
    if text.startswith("'"):
        return               # an already-guarded look: test_csv_cells covers it
    assert safe_cell(text) == expected, text


def test_mixed_cells_and_real_formulas() -> None:
    for cell in ("+33612345678; 0145678900", "+33698765432; 0478123456",
                 "+442079460958; 911", "+15145551234; (514) 555-1234; 0033 1 42 68 53 00"):
        assert safe_cell(cell) == cell
    for formula in ("-2+3", "+1-2", "=1+2", "@SUM(A1)", "+15145551234; -2+3",
                    "+15145551234; 12", "+15145551234; +1-2", "+15145551234; 0145+1",
                    "+15145551234; =cmd", "-0145678900", "+15145551234;0145678900",
                    "+15145551234; 0145678900; "):
        assert safe_cell(formula) == "'" + formula, formula


CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anne Dupuis\r\nN:Dupuis;Anne;;;\r\n"
        "TEL;TYPE=CELL:+33 6 12 34 56 78\r\nTEL;TYPE=HOME:01 45 67 89 00\r\n"
        "EMAIL:anne.dupuis@orange.fr\r\nEND:VCARD\r\n")


def test_export_and_contacts_csv_keep_a_mixed_phone_cell(tmp_path: Path) -> None:
    """A French home number in a Québec user's book stays national digits beside
    the E.164 mobile: the cell is written as is, without a leading `'`."""
    book = tmp_path / "book.vcf"
    book.write_bytes(CARD.encode())
    db = str(tmp_path / "t.db")
    done = run_cli("--region", "CA", "import", str(book), "--db", db)
    assert done.returncode == 0, done.stderr
    for command in (["export", "--format", "csv"], ["contacts", "--format", "csv"]):
        out = run_cli(*command, "--db", db)
        assert out.returncode == 0, out.stderr
        (row,) = csv.DictReader(io.StringIO(out.stdout))
        assert row["phones"] == "+33612345678; 0145678900", command
        assert re.fullmatch(r"\+\d+", row["phones"].split("; ")[0])
