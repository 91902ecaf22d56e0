"""A zip of a one-off import is routed like a folder, member by member (QA round 2:
members the zip's connector did not pick, a vCard with no extension, a zip inside
the zip, a calendar beside a phone book, vanished without a reject)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from reseausync import api

SAMPLES = Path(__file__).parent.parent / "samples"
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nEND:VCARD\r\n"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _not_read(db: str) -> list[dict]:
    return [r for r in api.rejects(db) if r["code"] == "not-read"]


def _mixed(path: Path) -> Path:
    return _zip(path, {name: (SAMPLES / name).read_bytes()
                       for name in ("phone.vcf", "google.csv", "calendar.ics")}
                | {"log.csv": (SAMPLES / "interactions.csv").read_bytes(),
                   "README.md": b"where these exports come from\n"})


def test_members_no_connector_reads_are_named_in_one_reject(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "book.zip", {"a.vcf": CARD % b"Ann Lee", "c": CARD % b"Cid Poe",
                                           "notes.txt": b"call Ann\n"})
    db = str(tmp_path / "d.db")
    [result] = api.import_paths([str(archive)], db=db)
    assert result.counts["added"] == 1
    [note] = _not_read(db)
    assert note["location"] == str(archive)
    assert note["reason"].startswith("2 file(s) no connector recognises were not read: "
                                     "c, notes.txt")


def test_a_zip_inside_the_zip_is_named(tmp_path: Path) -> None:
    inner = _zip(tmp_path / "more.zip", {"b.vcf": CARD % b"Bob Roy"}).read_bytes()
    archive = _zip(tmp_path / "outer.zip", {"a.vcf": CARD % b"Ann Lee", "more.zip": inner})
    db = str(tmp_path / "d.db")
    [result] = api.import_paths([str(archive)], db=db)
    assert result.counts["added"] == 1
    [note] = _not_read(db)
    assert ": more.zip (" in note["reason"]


def test_every_member_of_a_mixed_zip_is_read_by_its_connector(tmp_path: Path) -> None:
    archive = _mixed(tmp_path / "exports.zip")
    db = str(tmp_path / "d.db")
    runs = {r.connector: r.counts for r in api.import_paths([str(archive)], db=db)}
    assert sorted(runs) == ["csv", "ics", "interactions", "vcard"]
    alone = str(tmp_path / "alone.db")
    for name in ("phone.vcf", "google.csv", "calendar.ics", "interactions.csv"):
        api.import_paths([str(SAMPLES / name)], db=alone)
    for name in ("csv", "ics", "interactions", "vcard"):
        assert runs[name]["interactions"] == _interactions(alone, name), name
    assert runs["csv"]["added"] == 3 and runs["csv"]["rejected"] == 0
    assert sorted(c["display_name"] for c in api.contacts(db)) == \
        sorted(c["display_name"] for c in api.contacts(alone))
    [note] = _not_read(db)
    assert note["reason"].startswith("1 file(s) no connector recognises were not read: "
                                     "README.md")
    again = api.import_paths([str(archive)], db=db)      # each member read once, again
    assert all(r.counts["added"] == r.counts["updated"] == 0 for r in again)
    assert [r["code"] for r in api.rejects(db) if r["run"] > 4] == ["not-read"]


def _interactions(db: str, connector: str) -> int:
    from reseausync.store import Store
    store = Store.open(db)
    try:
        return store.db.execute("SELECT COUNT(*) FROM interactions WHERE connector=?",
                                (connector,)).fetchone()[0]
    finally:
        store.close()


def test_the_members_of_a_zip_in_a_folder_are_routed_too(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.vcf").write_bytes(CARD % b"Ann Lee")
    _zip(folder / "x.zip", {"b.vcf": CARD % b"Bob Roy",
                            "google.csv": (SAMPLES / "google.csv").read_bytes(),
                            "notes.txt": b"call Ann\n"})
    db = str(tmp_path / "d.db")
    runs = {r.connector: r.counts for r in api.import_paths([str(folder)], db=db)}
    assert runs["vcard"]["added"] == 2 and runs["csv"]["added"] == 3
    [note] = _not_read(db)
    assert note["location"] == str(folder) and ": x.zip!notes.txt (" in note["reason"]


def test_a_zip_in_a_folder_that_no_connector_reads_whole_is_opened(tmp_path: Path) -> None:
    """Review: a zip of calendars beside a phone book was named `not-read` whole
    (no connector recognises a zip of .ics files by its name), its members never
    looked at."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.vcf").write_bytes(CARD % b"Ann Lee")
    _zip(folder / "cal.zip", {"calendar.ics": (SAMPLES / "calendar.ics").read_bytes(),
                              "notes.txt": b"call Ann\n"})
    db = str(tmp_path / "d.db")
    runs = {r.connector: r.counts for r in api.import_paths([str(folder)], db=db)}
    assert runs["vcard"]["added"] == 1 and runs["ics"]["interactions"] > 0
    [note] = _not_read(db)
    assert ": cal.zip!notes.txt" in note["reason"] and "cal.zip (" not in note["reason"]
