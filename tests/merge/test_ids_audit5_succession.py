"""A record its source re-keys hands its contact id and the user's decisions to
its successor (merge/succession.py; qa5_lifecycle #1 and #2): a phone book
exported from a new phone (every UID new), and a directory built by the
previous version, whose cards without UID and shared CSV rows this version
keys anew."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from reseausync.config import load_settings
from reseausync.sync import sync_sources
from reseausync_connectors.csvfile.connector import CsvConnector
from reseausync_connectors.vcard import VCardConnector

from ..conftest import run_cli
from ..connectors.test_external_ids_audit5_csv import (
    ANNE,
    KATE,
    LOUISE,
    ROB,
    _write_google,
)
from ..connectors.test_external_ids_audit5_vcard import DAN, DANIEL, OTHERS, _card, _write

PHONE = ('region = "CA"\n[me]\nemails = ["marie@example.com"]\n[[sources]]\n'
         'name = "phone"\nconnector = "vcard"\npath = "src/phone.vcf"\n')
GOOGLE = ('region = "CA"\n[me]\nemails = ["marie@example.com"]\n[[sources]]\n'
          'name = "google"\nconnector = "csv"\npath = "src/google.csv"\nmapping = "google"\n'
          '[[sources]]\nname = "linkedin"\nconnector = "linkedin"\npath = "src/linkedin"\n')


def _setup(tmp_path: Path, config: str) -> tuple[Path, str]:
    (tmp_path / "src").mkdir()
    path = tmp_path / "rs.toml"
    path.write_text(config, encoding="utf-8")
    return path, str(tmp_path / "dir.db")


def _cli(config: Path, db: str, *args: str) -> str:
    done = run_cli(*args, "--config", str(config), "--db", db)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _by_name(config: Path, db: str) -> dict[str, str]:
    listed = json.loads(_cli(config, db, "contacts", "--format", "json"))
    names = Counter(c["display_name"] for c in listed)
    assert max(names.values()) == 1, names
    return {c["display_name"]: c["id"] for c in listed}


def _refs(db: str, *names: str) -> list[str]:
    """The live record of each display name, as `split` takes it."""
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute(
            "SELECT json_extract(data, '$.display_name'), source || ':' || external_id "
            "FROM records WHERE removed_at IS NULL"))
    return [rows[n] for n in names]


def test_a_book_exported_from_a_new_phone_keeps_ids_and_the_split(tmp_path: Path) -> None:
    """s6: every UID new, the same people: no mass removal, no new id, the split holds."""
    config, db = _setup(tmp_path, PHONE)
    book = tmp_path / "src" / "phone.vcf"
    people = [DANIEL, DAN, *OTHERS]

    def export(prefix: str) -> None:
        book.write_bytes("".join(
            _card(*p).replace("VERSION:2.1", f"VERSION:2.1\r\nUID:{prefix}{i}")
            for i, p in enumerate(people)).encode())

    export("android-")
    _cli(config, db, "sync")
    _cli(config, db, "split", "phone:android-0", "phone:android-1")
    before = _by_name(config, db)
    assert {"Daniel Roy", "Dan Roy"} <= set(before)
    export("5C1A2B3D-")
    out = _cli(config, db, "sync")
    assert "phone: 0 added, 5 updated, 0 unchanged, 0 removed" in out
    assert _by_name(config, db) == before
    with sqlite3.connect(db) as conn:       # collected when first read, not today
        assert conn.execute("SELECT COUNT(DISTINCT first_run) FROM records").fetchone() == (1,)


def test_an_upgraded_book_without_uid_keeps_ids_and_the_split(tmp_path: Path,
                                                               monkeypatch) -> None:
    """s7 across the upgrade: cards keyed by their text (the previous version), the
    user's split, then this version's first sync keys them by name."""
    config, db = _setup(tmp_path, PHONE)
    _write(tmp_path / "src" / "phone.vcf", [DANIEL, DAN, *OTHERS])
    monkeypatch.setattr(VCardConnector, "read_version", 2)          # the previous release
    monkeypatch.setattr("reseausync_connectors.vcard._by_name", lambda *args: None)
    sync_sources(load_settings(config), db=db)
    monkeypatch.undo()
    assert all(r.startswith("phone:sha256:") for r in _refs(db, "Daniel Roy", "Dan Roy"))
    _cli(config, db, "split", *_refs(db, "Daniel Roy", "Dan Roy"))
    before = _by_name(config, db)
    assert {"Daniel Roy", "Dan Roy"} <= set(before)
    out = _cli(config, db, "sync")
    assert "phone: 0 added, 5 updated, 0 unchanged, 0 removed" in out
    assert _refs(db, "Daniel Roy", "Dan Roy") == ["phone:name:daniel-roy", "phone:name:dan-roy"]
    assert _by_name(config, db) == before
    _write(tmp_path / "src" / "phone.vcf",            # then the son's new mobile
           [DANIEL, ("Dan", "Roy", DAN[2], [*DAN[3], "(514) 555-9911"]), *OTHERS])
    assert "phone: 0 added, 1 updated" in _cli(config, db, "sync")
    assert _by_name(config, db) == before


def test_an_upgraded_google_csv_keeps_ids_and_the_link(tmp_path: Path, monkeypatch) -> None:
    """s5b across the upgrade: rows keyed by their order (the previous version), the
    user's link of Rob to his LinkedIn profile, then Anne sorted first."""
    config, db = _setup(tmp_path, GOOGLE)
    (tmp_path / "src" / "linkedin").mkdir()
    (tmp_path / "src" / "linkedin" / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Robert,Tremblay,https://www.linkedin.com/in/robert-tremblay-7a,,BDC,"
        "Directeur de compte,04 May 2019\n", encoding="utf-8")
    google = tmp_path / "src" / "google.csv"
    _write_google(google, [ROB, LOUISE, KATE])
    monkeypatch.setattr(CsvConnector, "read_version", 0)           # the previous release
    monkeypatch.setattr(CsvConnector, "_shared_keys", lambda self, unit: Counter())
    sync_sources(load_settings(config), db=db)
    monkeypatch.undo()
    assert _refs(db, "Rob Tremblay") == ["google:famille.tremblay@videotron.ca"]
    rob = _by_name(config, db)["Rob Tremblay"]
    _cli(config, db, "link", rob, _by_name(config, db)["Robert Tremblay"])
    before = _by_name(config, db)
    _write_google(google, [ANNE, KATE, LOUISE, ROB])
    out = _cli(config, db, "sync")
    assert "google: 1 added, 2 updated, 1 unchanged, 0 removed" in out
    after = _by_name(config, db)
    assert {k: after[k] for k in before} == before
    linked = json.loads(_cli(config, db, "show", after["Rob Tremblay"], "--format", "json"))
    refs = {f'{s["source"]}:{s["external_id"]}' for s in linked["sources"]}
    assert refs == {"google:famille.tremblay@videotron.ca#rob-tremblay",
                    "linkedin:https://www.linkedin.com/in/robert-tremblay-7a"}


@pytest.mark.parametrize("same", [True, False])
def test_a_removed_card_with_no_successor_hands_nothing(tmp_path: Path, same: bool) -> None:
    """Another person added as one leaves: no succession unless they are the same."""
    config, db = _setup(tmp_path, PHONE)
    book = tmp_path / "src" / "phone.vcf"
    _write(book, [DANIEL, *OTHERS])
    _cli(config, db, "sync")
    before = _by_name(config, db)
    newcomer = ("Daniel", "Roy", "d.roy@new.ca", ["(450) 555-6060"]) if same else \
        ("Luc", "Roy", "luc@roy.ca", ["(450) 555-6060"])
    _write(book, [newcomer, *OTHERS])
    out = _cli(config, db, "sync")
    after = _by_name(config, db)
    if same:      # same name, same home line: Daniel's card re-keyed... it is his id
        assert "0 added, 1 updated" in out and after["Daniel Roy"] == before["Daniel Roy"]
    else:
        assert "1 added, 0 updated" in out and "1 removed" in out
        assert after["Luc Roy"] != before["Daniel Roy"]
