"""Photos are buffered with their records but never pile up: a few large photos
flush the batch early, and one photo shared by several records is stored once."""

from __future__ import annotations

from pathlib import Path

from reseausync.models import Photo, SourceRecord
from reseausync.store import RunWriter, Store
from reseausync.store.writer import PHOTO_BYTES


def _record(n: int, photo: Photo) -> SourceRecord:
    return SourceRecord(source="s", connector="vcard", external_id=f"id{n}", locator=f"l{n}",
                        unit="u", display_name=f"Person {n}", photo=photo)


def test_large_photos_flush_early_and_are_stored_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db")
    try:
        with store.transaction() as db:
            writer = RunWriter(store, 1, "s")
            size = PHOTO_BYTES // 3 + 1
            photos = [Photo(bytes([n]) * size) for n in range(3)]
            for n, photo in enumerate(photos):
                writer.add(_record(n, photo))
            # three photos reached the limit: written without waiting for BATCH records
            assert db.execute("SELECT COUNT(*) FROM photos").fetchone()[0] == 3
            assert db.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 3
            writer.add(_record(3, photos[0]))    # the same picture again
            writer.flush()
            stored = db.execute("SELECT digest, length(data) FROM photos ORDER BY digest")
            assert sorted(tuple(r) for r in stored) == sorted((p.digest, size) for p in photos)
            linked = db.execute("SELECT external_id, photo FROM records ORDER BY id").fetchall()
            assert [tuple(r) for r in linked] == [
                ("id0", photos[0].digest), ("id1", photos[1].digest),
                ("id2", photos[2].digest), ("id3", photos[0].digest)]
    finally:
        store.close()
