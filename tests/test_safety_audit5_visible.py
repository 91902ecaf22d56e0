"""QA5 #1: text from other people (names, notes, mail display names, file names)
reaches tables and `show` with its control and bidi characters made visible:
no ESC sequence acts on the terminal, no newline makes a fake row. JSON and CSV
keep the data as it is."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync.report.output import to_csv, to_table
from reseausync.report.visible import visible
from tests.conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "safety_audit5"
HIDDEN = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u2028", "\u2029",
          *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def test_each_kind_of_character_has_its_escape() -> None:
    assert visible("Pat\nRoy\r\tx") == "Pat\\nRoy\\r\\tx"
    assert visible("a\x1b]52;c;eA==\x07b\x7f\x9b") == "a\\x1b]52;c;eA==\\x07b\\x7f\\x9b"
    assert (visible("Carol \u202eLIVE\u202c \u2067x\u2069")
            == "Carol \\u202eLIVE\\u202c \\u2067x\\u2069")
    assert visible("caf\udce9") == "caf\\xe9"           # a byte that was not UTF-8
    clean = "Zoë 田中 👩‍👩‍👧 O'Brien \u00a0 C:\\path"
    assert visible(clean) == clean


@given(st.text())
def test_nothing_hidden_is_left_and_the_rest_is_kept(text: str) -> None:
    shown = visible(text)
    assert not HIDDEN & set(shown)
    rest = iter(shown)              # every other character kept, in order
    assert all(c in rest for c in text if c not in HIDDEN)
    if not HIDDEN & set(text):
        assert shown == text


def test_a_table_row_stays_one_line() -> None:
    rows = [{"id": "c1", "name": "Pat Roy  x\nc0ffee000001  Jean Fake\x1b[2J"}]
    table = to_table(rows, [("id", "ID"), ("name", "NAME")], width=None)
    assert len(table.splitlines()) == 3 and "\x1b" not in table
    assert "c1  Pat Roy  x\\nc0ffee000001  Jean Fake\\x1b[2J" in table


def test_csv_keeps_the_newline_inside_a_quoted_cell() -> None:
    text = to_csv([{"id": "c1", "name": "Pat\nFake", "note": "a\rb"}], ["id", "name", "note"])
    assert list(csv.reader(io.StringIO(text))) == [["id", "name", "note"],
                                                    ["c1", "Pat\nFake", "a\rb"]]


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    db = str(tmp_path / "h.db")
    for name in ("hostile.vcf", "spoof.vcf", "newline_row.csv"):
        done = run_cli("import", str(FIXTURES / name), "--db", db)
        assert done.returncode == 0, done.stderr
    return db


def test_contacts_and_show_print_no_control_character(hostile: str) -> None:
    table = run_cli("contacts", "--db", hostile).stdout
    lines = table.splitlines()
    assert not HIDDEN - {"\n"} & set(table)
    assert len(lines) == 2 + 8                      # 5 hostile, 1 spoof, 2 from the CSV
    assert not any(line.startswith("c0ffee000001") for line in lines)
    assert "Carol \\u202eLIVE\\u202c Roy" in table and "Eve\\x1b]0;pwned title\\x07" in table
    data = json.loads(run_cli("contacts", "--db", hostile, "--format", "json").stdout)
    assert any("\n" in c["display_name"] for c in data)     # data kept as it is
    spoof = next(c["id"] for c in data if c["display_name"] == "Zed Roy")
    shown = run_cli("show", spoof, "--db", hostile).stdout
    assert "\x1b" not in shown and "conference\\x1b[7A\\x1b[1G\\x1b[2K" in shown
    assert sum(line.startswith("  status:") for line in shown.splitlines()) == 1
    cold = run_cli("cold", "--db", hostile).stdout
    assert not HIDDEN - {"\n"} & set(cold)
    assert not any(line.startswith("c0ffee000001") for line in cold.splitlines())


def test_unknown_and_rejects_print_no_control_character(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[me]\nemails = ["me@example.org"]\n')
    db = str(tmp_path / "m.db")
    done = run_cli("--config", str(config), "--db", db, "import",
                   str(FIXTURES / "hostile_from.mbox"))
    assert done.returncode == 0, done.stderr
    unknown = run_cli("--config", str(config), "--db", db, "unknown").stdout
    assert "\x1b" not in unknown and "Mallory \\x1b]52;c;" in unknown
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "spoof.vcf", inbox / "card\nrun 2: vcard: fake\x1b[2K.vcf")
    (inbox / "spoof.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A B\r\nbad line\r\n"
                                      b"END:VCARD\r\n")
    (inbox / "readme\x1b]0;T\x07.txt").write_text("hello")
    run_cli("--db", db, "import", str(inbox))
    rejects = run_cli("--db", db, "rejects").stdout
    assert "\x1b" not in rejects and "\x07" not in rejects
    assert not any(line.startswith("run 2") for line in rejects.splitlines())
    assert "readme\\x1b]0;T\\x07.txt" in rejects
