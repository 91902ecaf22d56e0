"""File names that are not UTF-8: an old machine's Latin-1 "café.vcf" reaches Python
with surrogate escapes, which SQLite refused (the whole run failed, and a
configured folder holding one such file failed on every sync). Such a file is
read like any other; its name is stored and shown with the odd byte escaped."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reseausync import api
from reseausync.files import path_text
from reseausync.store import Store

from .conftest import run_cli

SAMPLES = Path(__file__).parent.parent / "samples"
LATIN1_NAME = os.fsdecode(b"r\xe9sum\xe9.txt")      # not UTF-8: surrogates in Python


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    shutil.copytree(SAMPLES / "cards", folder)
    try:
        shutil.copy(SAMPLES / "cards" / "mike-rossi.txt", folder / LATIN1_NAME)
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system does not take non-UTF-8 names")
    (folder / "mike-rossi.txt").unlink()
    return folder


def _units(db: str) -> list[str]:
    store = Store.open(db)
    try:
        return sorted(r[0] for r in store.db.execute("SELECT DISTINCT unit FROM records"))
    finally:
        store.close()


def test_a_folder_holding_a_non_utf8_name_is_read_whole_and_twice_alike(cards, tmp_path):
    db = str(tmp_path / "d.db")
    [run] = api.import_paths([str(cards)], db=db, connector="cards")
    assert run.status == "ok"
    assert run.counts["added"] == 4 and run.counts["rejected"] == 0
    assert str(cards / "r\\xe9sum\\xe9.txt") in _units(db)
    [again] = api.import_paths([str(cards)], db=db, connector="cards")
    assert again.status == "ok"
    assert again.counts["added"] == again.counts["updated"] == 0


def test_a_non_utf8_file_named_directly_is_imported(cards, tmp_path):
    db = str(tmp_path / "d.db")
    [run] = api.import_paths([str(cards / LATIN1_NAME)], db=db)
    assert run.status == "ok" and run.counts["added"] == 1


def test_a_configured_folder_with_such_a_name_syncs(cards, tmp_path):
    config = tmp_path / "reseausync.toml"
    config.write_text('[directory]\npath = "d.db"\n[[sources]]\nname = "cards"\n'
                      'connector = "cards"\npath = "cards"\n', encoding="utf-8")
    done = run_cli("--config", str(config), "sync")
    assert done.returncode == 0, done.stderr
    assert "cards: 4 added" in done.stdout and "Traceback" not in done.stderr


def test_path_text_escapes_only_what_is_not_utf8():
    assert path_text("/home/élise/café.vcf") == "/home/élise/café.vcf"
    assert path_text(Path("/x") / LATIN1_NAME) == "/x/r\\xe9sum\\xe9.txt"
    assert path_text("plain.vcf") == "plain.vcf"
