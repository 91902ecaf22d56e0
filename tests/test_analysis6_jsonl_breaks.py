"""QA6 #9: U+2028, U+2029 and U+0085 are written escaped in jsonl and JSON.

JSON allows them raw, but str.splitlines and many tools take them for line
breaks: a name holding one made one jsonl record two lines. Escaped, the values
read back the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.report.output import to_json, to_json_rows, to_jsonl
from tests.conftest import run_cli

BREAKS = "\u2028\u2029\x85"
TEXT = st.text(st.one_of(st.sampled_from(BREAKS + "\n\r\"\\a"), st.characters()))


@given(st.lists(st.dictionaries(TEXT, st.one_of(TEXT, st.lists(TEXT), st.integers())),
                max_size=4))
def test_every_line_splitter_sees_one_record_per_line(rows: list[dict]) -> None:
    text = "".join(to_jsonl(rows))
    assert text.splitlines() == text.split("\n")[:-1]
    assert [json.loads(line) for line in text.splitlines()] == rows
    for dumped in (to_json(rows), to_json_rows(rows)):
        assert not any(c in dumped for c in BREAKS)
        assert json.loads(dumped) == rows


CARDS = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anne\u2028Dupuis\r\nN:Dupuis;Anne;;;\r\n"
         "TITLE:Chef\x85de projet\r\nORG:Labo\u2029Nord\r\nEMAIL:anne@example.org\r\n"
         "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul Girard\r\n"
         "N:Girard;Paul;;;\r\nEMAIL:paul@example.org\r\nEND:VCARD\r\n")


def test_export_jsonl_and_contacts_json_escape_the_breaks(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes(CARDS.encode())
    db = str(tmp_path / "t.db")
    assert run_cli("import", str(book), "--db", db).returncode == 0
    out = tmp_path / "ex.jsonl"
    done = run_cli("export", "--format", "jsonl", "-o", str(out), "--db", db)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 2 and not any(c in text for c in BREAKS)
    anne = next(json.loads(line) for line in lines if "anne@" in line)
    assert anne["display_name"] == "Anne\u2028Dupuis"
    assert anne["title"] == "Chef\x85de projet"
    assert anne["organization"] == "Labo\u2029Nord"
    shown = run_cli("contacts", "--format", "json", "--db", db).stdout
    assert not any(c in shown for c in BREAKS)
    assert {r["display_name"] for r in json.loads(shown)} == {"Anne\u2028Dupuis",
                                                                "Paul Girard"}
