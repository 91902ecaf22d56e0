"""A sync whose last source fails still builds what is waiting (review: the build
at the end ran only for this sync's own waiting runs, so the records an earlier,
killed sync had committed stayed out of `contacts` while the source kept failing)."""

from __future__ import annotations

import shutil

from reseausync import api
from reseausync.config import Settings
from reseausync.connector import ReadContext
from reseausync.pipeline import run_source
from reseausync.registry import registry
from reseausync.store import Store
from reseausync.sync import sync_sources

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{0}\r\nEMAIL:{1}\r\nEND:VCARD\r\n"


def test_a_failing_last_source_still_builds_an_earlier_runs_records(tmp_path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.vcf").write_text(CARD.format("Alice Martin", "alice@example.org"),
                                encoding="utf-8", newline="")
    db = str(tmp_path / "d.db")
    settings = Settings.model_validate({"sources": [
        {"name": "book", "connector": "vcard", "path": str(book)}]})
    assert [r.status for r in sync_sources(settings, db=db)] == ["ok"]
    (book / "b.vcf").write_text(CARD.format("Bob Chen", "bob@example.org"),
                                encoding="utf-8", newline="")
    store = Store.open(db)          # a sync's first run, whose process then died
    try:
        connector = registry.get("vcard")(None, ReadContext(source="book"))
        run_source(store, connector, [str(book)], command="sync", full_listing=True,
                   rebuild=False, settings=settings)
    finally:
        store.close()
    assert "Bob Chen" not in {c["display_name"] for c in api.contacts(db)}
    shutil.rmtree(book)             # the source is now unavailable
    [failed] = sync_sources(settings, db=db)
    assert failed.status == "failed"
    assert {c["display_name"] for c in api.contacts(db)} == {"Alice Martin", "Bob Chen"}
