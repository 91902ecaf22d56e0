"""A change of what a read depends on besides the files (the owner, a connector's
options, the region) reads the source's unchanged files again, once (QA: after
`[me]` named a forgotten address the owner's sent mail stayed "received"; after
a CSV was rejected for its header, `--mapping` with the right mapping imported
nothing: "0 added, 0 rejected", the file skipped as unchanged)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from reseausync import api
from reseausync.config import Settings
from reseausync.sync import sync_sources

SAMPLES = Path(__file__).parent.parent / "samples"

BOX = """From marie.perso@gmail.com Mon Nov  2 10:00:00 2026
From: Marie <marie.perso@gmail.com>
To: Alice Martin <alice@acme.ca>
Subject: question
Date: Mon, 2 Nov 2026 10:00:00 -0500
Message-ID: <q1@gmail.com>

Une question.

From alice@acme.ca Mon Nov  2 12:00:00 2026
From: Alice Martin <alice@acme.ca>
To: Marie <marie.perso@gmail.com>
Subject: Re: question
Date: Mon, 2 Nov 2026 12:00:00 -0500
Message-ID: <a1@acme.ca>
In-Reply-To: <q1@gmail.com>

Une reponse.
"""


def _settings(mail: Path, emails: list[str]) -> Settings:
    return Settings.model_validate({
        "me": {"emails": emails},
        "sources": [{"name": "mail", "connector": "mbox", "path": str(mail)}]})


def _read_in(db: str) -> int:
    """The run that last read the mailbox."""
    with sqlite3.connect(db) as con:
        return con.execute("SELECT run FROM units WHERE source='mail'").fetchone()[0]


def _directions(db: str) -> list[str]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute(
            "SELECT direction FROM interactions WHERE removed_at IS NULL ORDER BY occurred_at")]


def test_naming_a_forgotten_owner_address_reads_the_mailbox_again(tmp_path: Path) -> None:
    mail = tmp_path / "mail"
    mail.mkdir()
    (mail / "box.mbox").write_text(BOX, encoding="utf-8")
    db = str(tmp_path / "d.db")
    sync_sources(_settings(mail, ["marie@example.com"]), db=db)
    assert _directions(db) == ["in", "in"]     # the alias unknown: both look received
    first = _read_in(db)
    sync_sources(_settings(mail, ["marie@example.com"]), db=db)
    assert _read_in(db) == first               # nothing changed: not read again
    [fixed] = sync_sources(_settings(mail, ["marie@example.com", "marie.perso@gmail.com"]),
                           db=db)
    assert _read_in(db) == fixed.run
    assert _directions(db) == ["out", "in"]
    sync_sources(_settings(mail, ["marie@example.com", "marie.perso@gmail.com"]), db=db)
    assert _read_in(db) == fixed.run           # once only


def test_the_mapping_a_reject_recommends_imports_the_file(tmp_path: Path) -> None:
    odd = tmp_path / "people.csv"
    shutil.copy(SAMPLES / "google.csv", odd)
    text = odd.read_text(encoding="utf-8-sig").splitlines()
    header = text[0].replace("Labels", "Étiquettes")    # no mapping fits it whole
    odd.write_text("\n".join([header, *text[1:]]) + "\n", encoding="utf-8")
    db = str(tmp_path / "d.db")
    [first] = api.import_paths([str(odd)], db=db)
    [named] = api.import_paths([str(odd)], db=db, options={"mapping": "google"})
    assert first.counts["added"] == 0 and first.counts["rejected"] == 1
    assert named.counts["added"] == 3 and named.counts["rejected"] == 0


def test_each_file_follows_the_settings_it_was_read_with(tmp_path: Path) -> None:
    """Review: a per-source flag was satisfied by importing one file, and the other
    file of the source, imported again later, was never read with the new owner."""
    mails = {}
    for name in ("a", "b"):
        mails[name] = tmp_path / f"{name}.mbox"
        mails[name].write_text(BOX.replace("q1@", f"{name}q1@").replace("a1@", f"{name}a1@")
                               .replace("<q1", f"<{name}q1"), encoding="utf-8")
    db = str(tmp_path / "d.db")
    before = Settings.model_validate({"me": {"emails": ["marie@example.com"]}})
    after = Settings.model_validate(
        {"me": {"emails": ["marie@example.com", "marie.perso@gmail.com"]}})
    api.import_paths([str(mails["a"]), str(mails["b"])], db=db, settings=before)
    api.import_paths([str(mails["a"])], db=db, settings=after)
    api.import_paths([str(mails["b"])], db=db, settings=after)
    assert _directions(db) == ["out", "out", "in", "in"]


def test_a_directory_from_before_is_not_read_again_on_upgrade(tmp_path: Path) -> None:
    mail = tmp_path / "mail"
    mail.mkdir()
    (mail / "box.mbox").write_text(BOX, encoding="utf-8")
    db = str(tmp_path / "d.db")
    settings = _settings(mail, ["marie@example.com"])
    sync_sources(settings, db=db)
    with sqlite3.connect(db) as con:     # as an older version stored it
        con.execute("UPDATE units SET fingerprint=substr(fingerprint, 1, "
                    "instr(fingerprint, ' read:') - 1)")
    first = _read_in(db)
    sync_sources(settings, db=db)
    assert _read_in(db) == first
    with sqlite3.connect(db) as con:
        assert " read:" in con.execute("SELECT fingerprint FROM units").fetchone()[0]
