"""What a folder walk cannot read is a reject, and under `sync` nothing of it is
removed (QA round 2: an unreadable subfolder or a link to a drive that is not
mounted was skipped in silence and `sync` removed its people, "0 rejected"; a link
loop ended the import with a traceback)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reseausync import api

from .conftest import sync_folder


def _card(name: str) -> bytes:
    return b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nEND:VCARD\r\n" % name.encode()


_sync = sync_folder


def _live(db: str) -> list[str]:
    return sorted(c["display_name"] for c in api.contacts(db))


def _codes(db: str, run: int) -> list[str]:
    return [r["code"] for r in api.rejects(db, run)]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.vcf").write_bytes(_card("Ann Lee"))
    (folder / "b.vcf").write_bytes(_card("Bob Roy"))
    (folder / "sub" / "c.vcf").write_bytes(_card("Cid Poe"))
    return folder


def test_a_link_to_a_drive_not_mounted_is_a_reject_and_removes_nobody(
        book: Path, tmp_path: Path) -> None:
    drive = tmp_path / "mnt"
    drive.mkdir()
    (drive / "d.vcf").write_bytes(_card("Dan Orr"))
    (book / "d.vcf").symlink_to(drive / "d.vcf")
    db = str(tmp_path / "s.db")
    assert _sync(db, book).counts["added"] == 4
    drive.rename(tmp_path / "mnt.unmounted")
    second = _sync(db, book)
    assert second.counts["removed"] == 0 and _codes(db, second.run) == ["unreadable"]
    [reject] = api.rejects(db, second.run)
    assert reject["location"] == str(book / "d.vcf") and "a link to" in reject["reason"]
    assert _live(db) == ["Ann Lee", "Bob Roy", "Cid Poe", "Dan Orr"]
    (tmp_path / "mnt.unmounted").rename(drive)          # mounted again
    third = _sync(db, book)
    assert third.counts["rejected"] == 0 and third.counts["removed"] == 0
    assert len(_live(db)) == 4


def test_a_folder_that_cannot_be_listed_is_a_reject_and_keeps_its_records(
        book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "s.db")
    assert _sync(db, book).counts["added"] == 3
    real = os.scandir

    def refused(path):       # chmod 000 does not stop root, who runs these tests
        if str(path) == str(book / "sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refused)
    second = _sync(db, book)
    assert second.counts["removed"] == 0 and second.counts["unchanged"] == 2
    [reject] = api.rejects(db, second.run)
    assert reject["code"] == "unreadable" and reject["location"] == str(book / "sub")
    assert "cannot be listed (Permission denied)" in reject["reason"]
    assert _live(db) == ["Ann Lee", "Bob Roy", "Cid Poe"]
    third = _sync(db, book)                   # still unreadable: still kept
    assert third.counts["removed"] == 0 and len(_live(db)) == 3
    monkeypatch.setattr(os, "scandir", real)
    (book / "sub" / "c.vcf").unlink()         # readable again, and c.vcf really gone
    fourth = _sync(db, book)
    assert fourth.counts["removed"] == 1 and _live(db) == ["Ann Lee", "Bob Roy"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder anyway")
def test_a_chmod_000_folder_is_a_reject(book: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    _sync(db, book)
    (book / "sub").chmod(0)
    try:
        second = _sync(db, book)
    finally:
        (book / "sub").chmod(0o755)
    assert second.counts["removed"] == 0 and _codes(db, second.run) == ["unreadable"]


def test_link_loops_are_rejects_and_the_rest_imports(book: Path, tmp_path: Path) -> None:
    (book / "self").symlink_to("self")                 # loops on itself
    (book / "up").symlink_to("..")                     # a folder around the book
    (book / "again").symlink_to("sub")                 # the same files a second time
    db = str(tmp_path / "i.db")
    [result] = api.import_paths([str(book)], db=db)
    assert result.counts["added"] == 3
    rejects = {Path(r["location"]).name: r for r in api.rejects(db, result.run)}
    assert sorted(rejects) == ["again", "self", "up"]
    assert rejects["self"]["code"] == "unreadable"
    assert "Too many levels of symbolic links" in rejects["self"]["reason"]
    assert rejects["up"]["code"] == rejects["again"]["code"] == "symlink-loop"
    assert _live(db) == ["Ann Lee", "Bob Roy", "Cid Poe"]


def test_a_linked_folder_elsewhere_is_read(book: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "e.vcf").write_bytes(_card("Eve Ray"))
    (book / "more").symlink_to(other)
    (book / "more2").symlink_to(other)              # the second way in is not followed
    db = str(tmp_path / "i.db")
    [result] = api.import_paths([str(book)], db=db)
    assert result.counts["added"] == 4 and _codes(db, result.run) == ["symlink-loop"]


def test_a_fifo_is_a_reject_not_a_hang(book: Path, tmp_path: Path) -> None:
    os.mkfifo(book / "pipe.vcf")
    db = str(tmp_path / "i.db")
    [result] = api.import_paths([str(book)], db=db)
    assert result.counts["added"] == 3 and _codes(db, result.run) == ["not-a-file"]


def test_a_mixed_folder_reports_a_dangling_link_once(book: Path, tmp_path: Path) -> None:
    shutil.copy(Path(__file__).parent.parent / "samples" / "google.csv", book / "google.csv")
    (book / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    db = str(tmp_path / "i.db")
    results = api.import_paths([str(book)], db=db)
    codes = [r["code"] for r in api.rejects(db)]
    assert sorted(r.connector for r in results) == ["csv", "vcard"]
    assert codes == ["unreadable"]


def test_a_link_to_a_zip_on_a_drive_not_mounted_removes_nobody(
        book: Path, tmp_path: Path) -> None:
    """Review: a zip's units are `cards.zip!a.vcf`, which the folder prefix missed."""
    import zipfile
    drive = tmp_path / "mnt"
    drive.mkdir()
    with zipfile.ZipFile(drive / "cards.zip", "w") as archive:
        archive.writestr("e.vcf", _card("Eve Ray"))
        archive.writestr("f.vcf", _card("Fay Kim"))
    (book / "cards.zip").symlink_to(drive / "cards.zip")
    db = str(tmp_path / "s.db")
    assert _sync(db, book).counts["added"] == 5
    drive.rename(tmp_path / "mnt.unmounted")
    second = _sync(db, book)
    assert second.counts["removed"] == 0 and _codes(db, second.run) == ["unreadable"]
    assert "Eve Ray" in _live(db) and "Fay Kim" in _live(db)
