"""A file is one unit of its source whatever the spelling of its path (QA): `import
book.vcf`, `import $PWD/book.vcf` and a configured sync of the same file read it
once; two files both named book.vcf in two folders are two files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reseausync import api

from .conftest import run_cli

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEMAIL:{email}\r\n"
        "END:VCARD\r\n")


def _book(folder: Path, *people: tuple[str, str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "book.vcf"
    path.write_bytes("".join(CARD.format(uid=u, name=n, email=e) for u, n, e in people)
                     .encode())
    return path


def _units(db: str) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT unit, fingerprint FROM units").fetchall()


def test_two_files_of_one_name_in_two_folders_are_two_files(tmp_path, monkeypatch) -> None:
    people = [(f"u{i}", f"Person{i} Example", f"p{i}@example.org") for i in range(10)]
    _book(tmp_path / "a", *people)
    _book(tmp_path / "b", *people[1:], ("new", "Newcomer Example", "new@example.org"))
    db = str(tmp_path / "d.db")
    monkeypatch.chdir(tmp_path / "a")
    api.import_paths(["book.vcf"], db=db)
    monkeypatch.chdir(tmp_path / "b")
    [second] = api.import_paths(["book.vcf"], db=db)
    # b's book is not a's that lost a card: nothing of a's is removed
    assert second.counts["removed"] == 0 and second.counts["added"] == 1
    with api.open_store(db) as store:
        assert len(api.listed_contacts(store)) == 11


def test_an_unchanged_file_named_another_way_is_not_read_again(tmp_path, monkeypatch) -> None:
    book = _book(tmp_path / "exports", ("u1", "Ann Example", "ann@example.org"))
    db = str(tmp_path / "d.db")
    monkeypatch.chdir(tmp_path / "exports")
    api.import_paths(["book.vcf"], db=db)
    for spelling in (str(book), "./book.vcf", "../exports/book.vcf", "book.vcf"):
        [run] = api.import_paths([spelling], db=db)
        assert run.counts["unchanged"] == 1 and run.counts["updated"] == 0
    [(unit, fingerprint)] = _units(db)
    assert unit == str(book) and fingerprint


def test_an_import_beside_a_configured_sync_reads_nothing_again(tmp_path, monkeypatch) -> None:
    _book(tmp_path / "exports", ("u1", "Ann Example", "ann@example.org"))
    config = tmp_path / "c.toml"
    config.write_text('[directory]\npath = "d.db"\n[[sources]]\nname = "vcard"\n'
                      'connector = "vcard"\npath = "cfg/../exports/book.vcf"\n',
                      encoding="utf-8")
    (tmp_path / "cfg").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run_cli("--config", str(config), "sync").returncode == 0
    assert run_cli("--config", str(config), "import", "exports/book.vcf").returncode == 0
    assert run_cli("--config", str(config), "sync").returncode == 0
    [(unit, fingerprint)] = _units(str(tmp_path / "d.db"))
    assert unit == str(tmp_path / "exports" / "book.vcf") and fingerprint
