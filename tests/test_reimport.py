"""Next month's export: the same people, saved under another name, every line shifted
by the newest connection LinkedIn writes first. Nothing the user knew changes but
where each record was read: no record is an update, no message is rewritten or
relinked, nothing is matched again, and every contact says where its records are
now."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reseausync import api, pipeline
from reseausync.store import Store

SAMPLES = Path(__file__).parent.parent / "samples" / "linkedin"
NEWCOMER = ("Zoé,Nouvelle,https://www.linkedin.com/in/zoe-nouvelle,,Coveo,Analyste,"
            "20 Nov 2026\n")


def _next_month(folder: Path) -> Path:
    """A copy of the export with one connection on top of the others."""
    shutil.copytree(SAMPLES, folder)
    path = folder / "Connections.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    path.write_text("".join(lines[:header + 1] + [NEWCOMER] + lines[header + 1:]),
                    encoding="utf-8")
    return folder


def _snapshot(db: str) -> dict:
    store = Store.open(db)
    q = store.db.execute
    out = {
        "interactions": q("SELECT id, external_id, content_hash FROM interactions "
                          "ORDER BY id").fetchall(),
        "pairs": q("SELECT a, b, score, decision FROM match_pairs ORDER BY a, b").fetchall(),
        "hashes": dict(q("SELECT external_id, content_hash FROM records").fetchall()),
        "locators": dict(q("SELECT external_id, locator FROM records").fetchall()),
        "units": {r[0] for r in q("SELECT DISTINCT unit FROM interactions")},
    }
    store.close()
    return out


def _locators(db: str) -> tuple[dict[str, str], dict[str, str]]:
    """(where the contacts say each record is, where the records table says)."""
    store = Store.open(db)
    where = dict(store.db.execute("SELECT external_id, locator FROM records"))
    listed = {}
    for (data,) in store.db.execute("SELECT data FROM contacts WHERE removed_at IS NULL"):
        for source in json.loads(data)["sources"]:
            listed[source["external_id"]] = source["locator"]
    store.close()
    return listed, where


@pytest.fixture
def resolves(monkeypatch) -> list[dict]:
    """The counts of every resolve the pipeline runs."""
    seen: list[dict] = []
    real = pipeline.resolve_contacts

    def spy(*args, **kwargs):
        counts = real(*args, **kwargs)
        seen.append(counts)
        return counts

    monkeypatch.setattr(pipeline, "resolve_contacts", spy)
    return seen


def test_next_months_export_changes_only_where_records_are(tmp_path, db, resolves,
                                                            monkeypatch) -> None:
    first = tmp_path / "Basic_LinkedInDataExport_10-20-2026"
    shutil.copytree(SAMPLES, first)
    (one,) = api.import_paths([str(first)], db=db, connector="linkedin")
    before = _snapshot(db)
    assert one.counts["added"] == 7 and before["interactions"]

    linked = []
    monkeypatch.setattr(pipeline, "link_interactions",
                        lambda *a, **k: linked.append(1))
    second = _next_month(tmp_path / "Basic_LinkedInDataExport_11-20-2026")
    (two,) = api.import_paths([str(second)], db=db, connector="linkedin")
    after = _snapshot(db)

    assert (two.counts["added"], two.counts["updated"]) == (1, 0)
    assert two.counts["unchanged"] == one.counts["added"]
    assert after["interactions"] == before["interactions"]          # not rewritten
    assert all(unit.startswith(str(second)) for unit in after["units"])   # where they are
    old = {x: h for x, h in after["hashes"].items() if x in before["hashes"]}
    assert old == before["hashes"]
    shifted = [x for x in before["locators"] if before["locators"][x] != after["locators"][x]]
    assert shifted, "the newcomer on top moves the connections below it"
    # matched once more only for the newcomer; the moved records were relocated
    assert resolves[-1]["changed"] == 1 and resolves[-1]["moved"] == len(shifted)
    assert linked == [1]             # a new record may be a message's participant
    assert set(before["pairs"]) <= set(after["pairs"])      # every scored pair kept


def test_a_contact_lists_where_its_records_are_now(tmp_path, db) -> None:
    first = tmp_path / "october"
    shutil.copytree(SAMPLES, first)
    api.import_paths([str(first)], db=db, connector="linkedin")
    api.import_paths([str(_next_month(tmp_path / "november"))], db=db, connector="linkedin")
    listed, where = _locators(db)
    assert listed == where


def test_the_same_export_moved_only_relinks_nothing(tmp_path, db, monkeypatch) -> None:
    """Lines shifted and nothing else (a connection removed from the middle would
    be a removal): the run re-reads unchanged records; contacts follow them
    without matching or relinking anything."""
    first = tmp_path / "a"
    shutil.copytree(SAMPLES, first)
    api.import_paths([str(first)], db=db, connector="linkedin")
    second = tmp_path / "b"
    shutil.copytree(SAMPLES, second)
    path = second / "Connections.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("\nFirst Name,", "\n\nFirst Name,", 1), encoding="utf-8")
    linked = []
    monkeypatch.setattr(pipeline, "link_interactions", lambda *a, **k: linked.append(1))
    (run,) = api.import_paths([str(second)], db=db, connector="linkedin")
    assert run.counts["added"] == run.counts["updated"] == 0
    assert linked == []
    listed, where = _locators(db)
    assert listed == where


def _zip(folder: Path, target: Path) -> None:
    import zipfile
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)


def test_a_configured_folder_where_the_export_zip_is_replaced(tmp_path, db) -> None:
    """The cron job's case: `path` is the downloads folder; this month's zip
    replaces last month's. The vanished zip's records and messages are found in
    the new one, so nothing is removed, and only the newcomer is added."""
    from reseausync.config import Settings
    from reseausync.sync import sync_sources
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    _zip(SAMPLES, downloads / "Basic_LinkedInDataExport_10-20-2026.zip")
    settings = Settings.model_validate({"sources": [
        {"name": "linkedin", "connector": "linkedin", "path": str(downloads)}]})
    (first,) = sync_sources(settings, db=db)
    (downloads / "Basic_LinkedInDataExport_10-20-2026.zip").unlink()
    _zip(_next_month(tmp_path / "unzipped"), downloads / "Basic_LinkedInDataExport_11-20-2026.zip")
    (second,) = sync_sources(settings, db=db)
    assert second.status == "ok", second.message
    assert (second.counts["added"], second.counts["updated"], second.counts["removed"]) == \
        (1, 0, 0)
    assert second.counts["unchanged"] == first.counts["added"]
    store = Store.open(db)
    live = store.db.execute("SELECT COUNT(*) FROM interactions WHERE removed_at IS NULL"
                            ).fetchone()[0]
    units = {r[0] for r in store.db.execute("SELECT DISTINCT unit FROM interactions")}
    store.close()
    assert live == first.counts["interactions"]
    assert all("11-20-2026" in unit for unit in units)


def test_a_phone_book_exported_again_under_another_name(tmp_path, db) -> None:
    """Not only LinkedIn: a vCard file saved as contacts-2026-12.vcf with one card
    added on top leaves every other card unchanged."""
    phone = (SAMPLES.parent / "phone.vcf").read_text(encoding="utf-8")
    (tmp_path / "contacts-2026-11.vcf").write_text(phone, encoding="utf-8")
    (one,) = api.import_paths([str(tmp_path / "contacts-2026-11.vcf")], db=db,
                              source="phone")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:newcomer-1\r\nFN:Zoé Nouvelle\r\n"
            "N:Nouvelle;Zoé;;;\r\nTEL:+1 514 555 0177\r\nEND:VCARD\r\n")
    (tmp_path / "contacts-2026-12.vcf").write_text(card + phone, encoding="utf-8")
    (two,) = api.import_paths([str(tmp_path / "contacts-2026-12.vcf")], db=db, source="phone")
    assert (two.counts["added"], two.counts["updated"]) == (1, 0)
    assert two.counts["unchanged"] == one.counts["added"]


def test_a_one_off_import_of_a_configured_sources_records_does_not_remove_them(
        tmp_path, db) -> None:
    """The folder is a configured source; the same export, zipped, is imported once
    under the same source name: its records now say they were read from the zip.
    The next sync skips the unchanged folder and finds the zip unlisted; it must
    not remove the records the zip took over, nor their messages."""
    from reseausync.config import Settings
    from reseausync.sync import sync_sources
    folder = tmp_path / "linkedin"
    shutil.copytree(SAMPLES, folder)
    settings = Settings.model_validate({"sources": [
        {"name": "linkedin", "connector": "linkedin", "path": str(folder)}]})
    (first,) = sync_sources(settings, db=db)
    _zip(SAMPLES, tmp_path / "export.zip")
    (taken,) = api.import_paths([str(tmp_path / "export.zip")], db=db, source="linkedin")
    assert taken.counts["unchanged"] == first.counts["added"]
    (again,) = sync_sources(settings, db=db)
    assert again.status == "ok", again.message
    assert again.counts["removed"] == 0
    store = Store.open(db)
    live = store.db.execute("SELECT COUNT(*) FROM records WHERE removed_at IS NULL"
                            ).fetchone()[0]
    messages = store.db.execute("SELECT COUNT(*) FROM interactions WHERE removed_at IS NULL"
                                ).fetchone()[0]
    store.close()
    assert live == first.counts["added"] and messages == first.counts["interactions"]


def test_a_message_whose_line_moved_is_cited_at_its_new_line(tmp_path, db) -> None:
    """The same messages.csv re-saved with a new message on top: the known messages
    are not rewritten, but `show` cites each at the line it is on now."""
    folder = tmp_path / "linkedin"
    shutil.copytree(SAMPLES, folder)
    api.import_paths([str(folder)], db=db, connector="linkedin")
    path = folder / "messages.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    fresh = lines[1].replace("2-", "2-NEW", 1)     # another conversation's message
    path.write_text("".join(lines[:1] + [fresh] + lines[1:]), encoding="utf-8")
    before = _snapshot(db)
    store = Store.open(db)
    was = dict(store.db.execute(
        "SELECT external_id, locator FROM interactions WHERE unit LIKE '%messages.csv'"))
    store.close()
    messages = len(was)
    (run,) = api.import_paths([str(folder)], db=db, connector="linkedin")
    assert run.counts["interactions"] == messages + 1        # only messages.csv changed
    store = Store.open(db)
    cited = dict(store.db.execute(
        "SELECT external_id, locator FROM interactions WHERE unit LIKE '%messages.csv'"))
    hashes = dict(store.db.execute("SELECT external_id, content_hash FROM interactions"))
    store.close()
    assert {x: hashes[x] for _, x, _ in before["interactions"]} == \
        {x: h for _, x, h in before["interactions"]}
    fresh_db = str(tmp_path / "fresh.db")      # what a first import of the file says
    api.import_paths([str(folder)], db=fresh_db, connector="linkedin")
    store = Store.open(fresh_db)
    expected = dict(store.db.execute(
        "SELECT external_id, locator FROM interactions WHERE unit LIKE '%messages.csv'"))
    store.close()
    assert cited == expected
    assert {x: cited[x] for x in was} != was        # the known ones did move


def test_an_upgrade_takes_effect_on_a_run_that_read_no_change(tmp_path: Path,
                                                              monkeypatch) -> None:
    """A new state format (or model recipe, or match settings) re-matches the
    directory on the next run, even one that finds every record unchanged: the
    resolve used to wait for a record to change, so an upgrade's scores or a new
    threshold did not show until then. The run after that skips matching again."""
    from reseausync import resolve
    from reseausync.config import Settings
    phone = str(SAMPLES.parent / "phone.vcf")
    db = str(tmp_path / "d.db")
    settings = Settings(region="CA")

    def state() -> dict:
        store = Store.open(db)
        try:
            return json.loads(store.get_meta(resolve.STATE_KEY))
        finally:
            store.close()

    api.import_paths([phone], db=db, settings=settings)
    before = state()
    monkeypatch.setattr(resolve, "STATE_FORMAT", resolve.STATE_FORMAT + 1)
    (again,) = api.import_paths([phone], db=db, settings=settings)
    assert again.counts["unchanged"] == 11 and not again.changed
    after = state()
    assert after["signature"] != before["signature"] and after["run"] == again.run
    (third,) = api.import_paths([phone], db=db, settings=settings)
    assert state()["run"] == again.run          # nothing changed, nothing outdated
    strict = Settings(region="CA", match={"auto_merge": 0.8, "review": 0.3})
    (fourth,) = api.import_paths([phone], db=db, settings=strict)
    assert state()["run"] == fourth.run          # a new threshold applies at once
