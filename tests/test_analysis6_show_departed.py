"""QA6 #4: `show ID --format json` says, as JSON, what became of an id that left.

A removed or merged id stays an error (exit 2, the message on stderr); a script
comparing two monthly exports also gets `{"id", "removed_at"}` or `{"id",
"merged_into", "merged_at"}` on stdout instead of parsing the message.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def card(name: str, email: str) -> str:
    given, family = name.split()
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nN:{family};{given};;;\r\n"
            f"EMAIL:{email}\r\nEND:VCARD\r\n")


CARDS = [card("Anne Dupuis", "anne@example.org"), card("Paul Girard", "paul@example.net"),
         card("Daniel Roy", "daniel@example.com"), card("Zoe Martin", "zoe@example.com")]


def ids(db: str) -> dict[str, str]:
    rows = json.loads(run_cli("contacts", "--format", "json", "--db", db).stdout)
    return {r["display_name"]: r["id"] for r in rows}


def test_show_json_gives_the_fate_of_a_removed_and_a_merged_id(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    db = str(tmp_path / "d.db")
    book.write_bytes("".join(CARDS).encode())
    assert run_cli("import", str(book), "--db", db).returncode == 0
    before = ids(db)
    book.write_bytes("".join(CARDS[:2] + CARDS[3:]).encode())     # Daniel's card deleted
    assert run_cli("import", str(book), "--db", db).returncode == 0
    linked = run_cli("link", before["Anne Dupuis"], before["Paul Girard"], "--db", db)
    assert linked.returncode == 0, linked.stderr
    after = ids(db)
    (kept,) = set(after.values()) & {before["Anne Dupuis"], before["Paul Girard"]}
    (merged,) = {before["Anne Dupuis"], before["Paul Girard"]} - {kept}

    removed = run_cli("show", before["Daniel Roy"], "--format", "json", "--db", db)
    assert removed.returncode == 2 and "was removed on" in removed.stderr
    shown = json.loads(removed.stdout)
    assert set(shown) == {"id", "removed_at"} and shown["id"] == before["Daniel Roy"]
    assert shown["removed_at"][:10] in removed.stderr

    gone = run_cli("show", merged, "--format", "json", "--db", db)
    assert gone.returncode == 2 and f"was merged into {kept}" in gone.stderr
    shown = json.loads(gone.stdout)
    assert shown == {"id": merged, "merged_into": kept, "merged_at": shown["merged_at"]}
    assert shown["merged_at"][:10] in gone.stderr and shown["merged_at"].endswith("+00:00")


def test_show_keeps_stdout_empty_for_an_unknown_id_and_for_the_table(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    db = str(tmp_path / "d.db")
    book.write_bytes("".join(CARDS).encode())
    assert run_cli("import", str(book), "--db", db).returncode == 0
    daniel = ids(db)["Daniel Roy"]
    book.write_bytes("".join(CARDS[:2] + CARDS[3:]).encode())
    assert run_cli("import", str(book), "--db", db).returncode == 0
    unknown = run_cli("show", "c000000000000", "--format", "json", "--db", db)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "no contact with id" in unknown.stderr
    table = run_cli("show", daniel, "--db", db)
    assert (table.returncode, table.stdout) == (2, "") and "was removed on" in table.stderr
