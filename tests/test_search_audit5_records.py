"""`contacts --search` finds a contact by the names of its live records, not only by
its canonical values, whose emails and phones are already every record's (QA5 #7:
Julie Morin, whose phone card and LinkedIn profile say Julie Lavoie, was found by
neither name)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync import directory
from reseausync.config import Settings
from reseausync.normalize.text import fold
from reseausync.store import Store

from .conftest import run_cli
from .merge.directory import person, write
from .merge.test_resolve import cast

REGION = Settings(region="CA")
TODAY = date(2100, 1, 1)


def _julie(source: str, family: str) -> object:
    return person(source, "julie", given="Julie", family=family,
                  emails=("julie.m.1985@gmail.com",), phones=("514 555 8821",), org="Ubisoft")


def _directory(tmp_path) -> str:
    db = str(tmp_path / "dir.db")
    store = Store.open(db)
    write(store, [*cast(), _julie("phone", "Morin"), _julie("google", "Morin"),
                  person("crm", "old", given="Julie", family="Gendron",
                         phones=("514 555 8821",))], settings=REGION)
    write(store, [_julie("phone", "Lavoie")],
          remove=(("crm", "old"),), settings=REGION)
    store.close()
    return db


def _names(db: str, text: str) -> list[str]:
    return [c["display_name"] for c in directory.contacts(db, TODAY, REGION, search=text)]


def test_a_contact_is_found_by_every_name_its_live_records_give(tmp_path) -> None:
    db = _directory(tmp_path)
    (shown,) = {n for n in _names(db, "julie") if n.startswith("Julie")}
    assert _names(db, "Julie Morin") == _names(db, "Julie Lavoie") == [shown]
    assert _names(db, "lavoie") == _names(db, "MORIN") == [shown]


def test_a_record_names_its_contact_only_while_it_lives(tmp_path) -> None:
    db = _directory(tmp_path)
    assert _names(db, "Gendron") == []                 # a removed record names nobody
    assert _names(db, "(514) 555-8821") == _names(db, "julie lavoie")


def test_the_cli_search_finds_a_records_name(tmp_path) -> None:
    db = _directory(tmp_path)
    out = run_cli("contacts", "--db", db, "--format", "json", "--as-of", "2100-01-01",
                  "--search", "julie morin")
    assert [c["family_name"] for c in json.loads(out.stdout)] == ["Lavoie"]


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_characters="\0"), max_size=30),
       st.text(min_size=1, max_size=12))
def test_the_quick_pass_never_drops_what_folding_finds(name: str, search: str) -> None:
    """record_holders passes over a plain ASCII name lacking a word of the search
    without folding it: it must keep every name the folded comparison finds. (A
    NUL, which SQLite's text functions end a string at, is in no name.)"""
    needle = fold(search)
    if not needle:
        return
    store = _OneRecord(name)
    found = directory.record_holders(store, search, ["c1"])
    assert (found == {"c1"}) == (needle in fold(name))


class _OneRecord:
    """A directory of one live record named `name` (a real SQLite file is not
    needed to check the folding: the SQL is exercised by the tests above)."""

    def __init__(self, name: str) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.executescript(
            "CREATE TABLE records (id INTEGER PRIMARY KEY, data TEXT, removed_at TEXT);"
            "CREATE TABLE contact_records (record_id INTEGER, contact_id TEXT);"
            "INSERT INTO contact_records VALUES (1, 'c1');")
        self.db.execute("INSERT INTO records VALUES (1, ?, NULL)",
                        (json.dumps({"display_name": name}),))
