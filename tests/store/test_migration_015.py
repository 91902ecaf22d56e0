"""Migration 015: content hashes without the unit. A directory the previous release
wrote (records' JSON with a `unit` key, hashes over it, interactions hashed with
their unit) is rewritten to exactly what this release writes for the same items,
so the first import after the upgrade finds everything unchanged and nothing is
matched again."""

from __future__ import annotations

import shutil
import sqlite3
from hashlib import sha256
from pathlib import Path

from reseausync import api
from reseausync.store import Store

from .older_records import put_column_back_in_json

SAMPLES = Path(__file__).parent.parent.parent / "samples" / "linkedin"
TABLES = {
    "records": "SELECT id, data, content_hash FROM records ORDER BY id",
    "match": "SELECT record_id, content_hash FROM match_records ORDER BY record_id",
    "interactions": "SELECT id, content_hash FROM interactions ORDER BY id",
}


def _as_the_previous_release_wrote_it(path: str) -> None:
    """Rewrite a directory's hashes the way the writer before 015 computed them."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    put_column_back_in_json(db, "unit")
    for row in db.execute("SELECT id, connector, kind, occurred_at, direction, thread, "
                          "subject, participants, extra, unit FROM interactions").fetchall():
        digest = sha256("\x1f".join(row[1:]).encode("utf-8")).hexdigest()
        db.execute("UPDATE interactions SET content_hash=? WHERE id=?", (digest, row[0]))
    db.execute("DELETE FROM migrations WHERE name='015_content_without_unit'")
    db.execute("COMMIT")
    db.close()


def _tables(path: str) -> dict[str, list]:
    db = sqlite3.connect(path)
    out = {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}
    db.close()
    return out


def test_an_older_directory_gets_this_releases_hashes(tmp_path, db) -> None:
    api.import_paths([str(SAMPLES)], db=db, connector="linkedin")
    current = _tables(db)
    _as_the_previous_release_wrote_it(db)
    older = _tables(db)
    assert older["records"] != current["records"]
    assert older["interactions"] != current["interactions"]
    assert all('"unit": ' in data for _, data, _ in older["records"])

    store = Store.open(db)              # migrates
    store.close()
    assert _tables(db) == current


def test_after_the_upgrade_an_export_elsewhere_is_unchanged(tmp_path, db) -> None:
    first = tmp_path / "october"
    shutil.copytree(SAMPLES, first)
    (one,) = api.import_paths([str(first)], db=db, connector="linkedin")
    _as_the_previous_release_wrote_it(db)
    second = tmp_path / "november"
    shutil.copytree(SAMPLES, second)
    (two,) = api.import_paths([str(second)], db=db, connector="linkedin")
    assert (two.counts["added"], two.counts["updated"]) == (0, 0)
    assert two.counts["unchanged"] == one.counts["added"]
    store = Store.open(db)
    pending = store.db.execute(
        "SELECT COUNT(*) FROM records r JOIN match_records m ON m.record_id = r.id "
        "WHERE substr(m.content_hash, 1, 64) <> r.content_hash").fetchone()[0]
    store.close()
    assert pending == 0
