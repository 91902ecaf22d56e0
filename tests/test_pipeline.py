"""A run end to end on a real SQLite file, through the test-only `lines` connector:
idempotency, per-unit tombstones, the mass-removal guard, dry runs, failed runs."""

from __future__ import annotations

import pytest

from reseausync import api
from reseausync.errors import MassRemovalError, SourceError
from reseausync.pipeline import run_source
from reseausync.store import Store


def _connector(source: str = "friends"):
    return api.make_connector("lines", "", source=source)


def _run(db: str, targets: list[str], **kw):
    store = Store.open(db)
    try:
        return run_source(store, _connector(), targets, command="test",
                          full_listing=kw.pop("full_listing", True), **kw)
    finally:
        store.close()


def _live(db: str) -> set[str]:
    store = Store.open(db)
    rows = store.db.execute("SELECT external_id FROM records WHERE removed_at IS NULL")
    ids = {r[0] for r in rows}
    store.close()
    return ids


@pytest.fixture
def folder(tmp_path, lines_plugin):
    root = tmp_path / "people"
    root.mkdir()
    (root / "a.people").write_text("Ada,ada@x.org\nAlan,alan@x.org\nGrace,grace@x.org\n")
    (root / "b.people").write_text("Linus,linus@x.org\n!bad line\nKen,ken@x.org\n")
    return root


def test_second_run_reports_everything_unchanged(folder, db) -> None:
    first = _run(db, [str(folder)])
    assert (first.counts["added"], first.counts["rejected"]) == (5, 1)
    second = _run(db, [str(folder)])
    assert second.counts["added"] == 0 and second.counts["unchanged"] == 5
    assert second.counts["rejected"] == 0   # the unchanged unit was not read again


def test_contacts_are_built_and_ids_are_stable(folder, db, tmp_path) -> None:
    _run(db, [str(folder)])
    first = {c["display_name"]: c["id"] for c in api.contacts(db)}
    other_db = str(tmp_path / "other.db")
    _run(other_db, [str(folder)])
    assert {c["display_name"]: c["id"] for c in api.contacts(other_db)} == first


def test_a_card_removed_from_a_reread_file_is_tombstoned_and_revived(folder, db) -> None:
    _run(db, [str(folder)])
    (folder / "a.people").write_text("Ada,ada@x.org\nAlan,alan@x.org\nNew,new@x.org\n")
    result = _run(db, [str(folder)])
    assert result.counts["removed"] == 1 and result.counts["added"] == 1
    assert "grace@x.org" not in _live(db)
    (folder / "a.people").write_text("Ada,ada@x.org\nAlan,alan@x.org\nNew,new@x.org\n"
                                     "Grace,grace@x.org\n")
    revived = _run(db, [str(folder)])
    assert revived.counts["added"] == 1 and "grace@x.org" in _live(db)


def test_import_does_not_tombstone_other_files(folder, db) -> None:
    _run(db, [str(folder / "a.people")], full_listing=False)
    _run(db, [str(folder / "b.people")], full_listing=False)
    assert len(_live(db)) == 5


def test_vanished_file_in_a_full_listing_is_guarded(folder, db) -> None:
    _run(db, [str(folder)])
    (folder / "a.people").unlink()
    with pytest.raises(MassRemovalError, match="would remove 3 of 5"):
        _run(db, [str(folder)])
    assert len(_live(db)) == 5
    result = _run(db, [str(folder)], allow_mass_removal=True)
    assert result.counts["removed"] == 3 and len(_live(db)) == 2


def test_dry_run_changes_nothing(folder, db) -> None:
    _run(db, [str(folder)])
    (folder / "b.people").write_text("Linus,linus@x.org\nKen,ken@x.org\nDennis,d@x.org\n")
    before = _live(db)
    result = _run(db, [str(folder)], dry_run=True)
    assert result.counts["added"] == 1 and result.dry_run
    assert _live(db) == before
    assert _run(db, [str(folder)]).counts["added"] == 1


def test_a_source_that_vanished_fails_the_run_and_keeps_everything(folder, db, tmp_path) -> None:
    _run(db, [str(folder)])
    with pytest.raises(SourceError):
        _run(db, [str(tmp_path / "gone")])
    runs = api.runs(db)
    assert runs[-1]["status"] == "failed" and "no such file" in runs[-1]["message"]
    assert len(_live(db)) == 5


def test_rejects_are_listed_with_location(folder, db) -> None:
    first = _run(db, [str(folder)])
    [reject] = api.rejects(db, first.run)
    assert reject["location"] == "b.people:2" and reject["reason"] == "line starts with !"


def _interrupt_reading(monkeypatch) -> None:
    """Ctrl-C while the `lines` connector reads its first unit."""
    def interrupted(self, unit):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(type(_connector()), "read_unit", interrupted)


def test_ctrl_c_closes_its_run_as_failed_and_keeps_nothing(folder, db, monkeypatch) -> None:
    """`runs` must not show an interrupted import as still running (QA: it stayed
    "running", finished null, until some later writer closed it)."""
    _run(db, [str(folder)])
    (folder / "c.people").write_text("Barbara,barbara@x.org\n")
    _interrupt_reading(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        api.import_paths([str(folder / "c.people")], db=db, connector="lines")
    last = api.runs(db)[-1]
    assert last["status"] == "failed" and last["finished"] is not None
    assert "interrupted" in last["message"]
    assert "barbara@x.org" not in str(_live(db)) and len(_live(db)) == 5


def test_a_dry_run_stopped_mid_way_is_still_marked_dry(folder, db, monkeypatch) -> None:
    _interrupt_reading(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        _run(db, [str(folder)], dry_run=True)
    last = api.runs(db)[-1]
    assert last["dry_run"] is True and last["status"] == "failed"


def test_a_connector_bug_closes_its_run_as_failed(folder, db, monkeypatch) -> None:
    """A plugin's unexpected exception left its run "running" until the next writer.
    (One in `read_unit` is a reject of its unit since QA round 4; one in `discover`
    still fails the run.)"""
    def broken(self, target):
        yield from ()
        raise KeyError("column")

    monkeypatch.setattr(type(_connector()), "discover", broken)
    with pytest.raises(SourceError):
        api.import_paths([str(folder / "a.people")], db=db, connector="lines")
    last = api.runs(db)[-1]
    assert last["status"] == "failed" and last["finished"] is not None
    assert "connector 'lines' failed listing" in last["message"]
    assert "KeyError: 'column'" in last["message"]
