"""A CSV header that names a column twice (QA2 fuzz #8): the second copy's cells
used to be ignored without a word; now every copy is read."""

from __future__ import annotations

from pathlib import Path

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.csvfile import CsvConnector


def _read(tmp_path: Path, text: str) -> tuple[list[SourceRecord], list[Reject]]:
    path = tmp_path / "dup.csv"
    path.write_text(text, encoding="utf-8")
    conn = CsvConnector({}, ReadContext(source="csv"))
    items = list(conn.read(list(conn.discover(str(path)))))
    return ([i for i in items if isinstance(i, SourceRecord)],
            [i for i in items if isinstance(i, Reject)])


def test_a_repeated_email_column_keeps_the_values_of_both_copies(tmp_path: Path) -> None:
    records, rejects = _read(tmp_path, (
        "First Name,Last Name,E-mail 1 - Value,E-mail 1 - Value,Labels\n"
        "Ann,Lee,,ann@lee.ca,x\n"
        "Bob,Roy,bob@roy.ca,,y\n"
        "Cid,Ng,cid@ng.ca,cid@work.ca,z\n"))
    emails = {r.given_name: [e.value for e in r.emails] for r in records}
    assert emails == {"Ann": ["ann@lee.ca"], "Bob": ["bob@roy.ca"],
                      "Cid": ["cid@ng.ca", "cid@work.ca"]}
    assert rejects == []


def test_a_repeated_label_column_goes_with_its_own_copy(tmp_path: Path) -> None:
    records, _ = _read(tmp_path, (
        "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value\n"
        "Ann,Lee,Work,ann@lee.ca,x,Home,ann@home.ca\n"))
    assert [(e.value, e.label) for e in records[0].emails] == [
        ("ann@lee.ca", "Work"), ("ann@home.ca", "Home")]


def test_a_repeated_single_valued_column_takes_the_first_filled_copy(tmp_path: Path) -> None:
    records, rejects = _read(tmp_path, (
        "First Name,Last Name,Last Name,E-mail 1 - Value,Labels,Organization 1 - Name\n"
        "Ann,,Lee,ann@lee.ca,x,\n"
        "Bob,Roy,Roy,bob@roy.ca,y,\n"
        "Cid,Ng,Wong,cid@ng.ca,z,\n"))
    assert [r.family_name for r in records] == ["Lee", "Roy", "Ng"]
    (reject,) = rejects
    assert reject.reason == "duplicate-column"
    assert reject.locator == f"{tmp_path / 'dup.csv'}:4"
    assert "'Last Name'" in reject.message and "'Wong'" in reject.message
    assert reject.excerpt == "Wong"
