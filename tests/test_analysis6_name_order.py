"""Lists are in the order a reader expects: accented names among their letter, not
after Z (QA6 analysis #8: "Élise Gagnon" came after "Thomas Nguyen" in `contacts`,
`cold` and `export`, sorted by code point)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import run_cli

NAMES = ["Zoé Roy", "Élise Gagnon", "Thomas Nguyen", "éric Côté", "Ana Silva", "Łukasz Nowak",
         "Eve Adams"]


def test_contacts_cold_and_export_list_accented_names_in_their_letter(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u{i}\r\nFN:{name}\r\nTEL:+1514555{i:04d}\r\n"
        "END:VCARD\r\n" for i, name in enumerate(NAMES)).encode())
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(book), "--db", db).returncode == 0
    expected = ["Ana Silva", "Élise Gagnon", "éric Côté", "Eve Adams", "Łukasz Nowak",
                "Thomas Nguyen", "Zoé Roy"]
    listed = json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)
    assert [c["display_name"] for c in listed] == expected
    exported = run_cli("export", "--db", db, "--format", "csv").stdout
    assert [r["display_name"] for r in csv.DictReader(io.StringIO(exported))] == expected
    cold = json.loads(run_cli("cold", "--db", db, "--format", "json").stdout)
    assert [c["display_name"] for c in cold] == expected
