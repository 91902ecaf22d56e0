"""The mass-removal guard weighs what a source held before the run: its records and
its interactions (QA: a mailbox moved away tombstoned every interaction, and every
contact fell to never_engaged, with "0 removed"; a file replaced by another one
removed everything it held, the run's new records counting in the share)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reseausync.config import Settings
from reseausync.sync import sync_sources

from .test_sync import ensure_vcard_connector, live_ids, people, settings_for, write_cards

LOG = ("date,who,channel,note,direction\n"
       "2026-11-02,alice@acme.ca,email,question,out\n"
       "2026-11-03,alice@acme.ca,email,answer,in\n"
       "2026-11-05,bruno@acme.ca,call,,both\n")


def _live_interactions(db: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM interactions "
                           "WHERE removed_at IS NULL").fetchone()[0]


def _log_settings(folder: Path) -> Settings:
    return Settings.model_validate({"sources": [
        {"name": "log", "connector": "interactions", "path": str(folder)}]})


def test_a_log_source_moved_away_is_refused_unless_allowed(tmp_path, db) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "2026.csv").write_text(LOG, encoding="utf-8")
    settings = _log_settings(folder)
    [first] = sync_sources(settings, db=db)
    assert first.status == "ok" and _live_interactions(db) == 3
    (folder / "2026.csv").rename(tmp_path / "moved.csv")
    [refused] = sync_sources(settings, db=db)
    assert refused.status == "failed"
    assert "would remove 3 of 3 interactions" in refused.message
    assert _live_interactions(db) == 3
    [allowed] = sync_sources(settings, db=db, allow_mass_removal=True)
    assert allowed.status == "ok" and allowed.counts["interactions_removed"] == 3
    assert "(3 removed)" in allowed.summary() and _live_interactions(db) == 0


def test_a_few_interactions_gone_pass(tmp_path, db) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    log = folder / "2026.csv"
    log.write_text(LOG + "".join(f"2026-10-{d:02d},bruno@acme.ca,call,,both\n"
                                 for d in range(1, 11)), encoding="utf-8")
    settings = _log_settings(folder)
    sync_sources(settings, db=db)
    log.write_text(LOG + "".join(f"2026-10-{d:02d},bruno@acme.ca,call,,both\n"
                                 for d in range(1, 9)), encoding="utf-8")
    [run] = sync_sources(settings, db=db)
    assert run.status == "ok" and run.counts["interactions_removed"] == 2


def test_a_file_replaced_by_other_people_is_refused(tmp_path, db) -> None:
    ensure_vcard_connector()
    path = write_cards(tmp_path / "phone.vcf", people("phone", 4))
    settings = settings_for({"phone": path})
    sync_sources(settings, db=db)
    write_cards(path, people("other", 4))            # another book under the same name
    [refused] = sync_sources(settings, db=db)
    assert refused.status == "failed" and "would remove 4 of 4 records" in refused.message
    assert "FAILED: this run would remove" in refused.summary()
    assert "phone: phone:" not in refused.summary()     # QA: the name said twice
    assert live_ids(db, "phone") == {f"phone-{i}" for i in range(4)}
