"""`export --format csv` and `contacts --format csv` fill `sources` the same way."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.conftest import run_cli

CARDS = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:jean-1\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
         b"EMAIL:jd@acme.com\r\nEND:VCARD\r\n"
         b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:jean-2\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
         b"EMAIL:jd@acme.com\r\nTEL:+1 514 555 1111\r\nEND:VCARD\r\n")


def sources_cells(text: str) -> list[str]:
    return [row["sources"] for row in csv.DictReader(io.StringIO(text))]


def test_both_csvs_name_each_record_by_source_and_external_id(tmp_path: Path) -> None:
    book = tmp_path / "phone.vcf"
    book.write_bytes(CARDS)
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(book), "--db", db, "--region", "CA").returncode == 0
    exported = run_cli("export", "--db", db, "--format", "csv")
    listed = run_cli("contacts", "--db", db, "--format", "csv")
    assert exported.returncode == listed.returncode == 0, exported.stderr + listed.stderr
    assert sources_cells(exported.stdout) == sources_cells(listed.stdout) == [
        "vcard:jean-1; vcard:jean-2"]
