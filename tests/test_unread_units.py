"""A unit whose reading failed part-way (a damaged zip member) is not taken as read:
what it held past the damage is unknown. Its records not seen stay live, and it
is read again on the next run. Before, the records past the damage were
tombstoned, and since a zip member's fingerprint (CRC and size from the zip's
index) does not change with damage, a healthy copy of the export was then
skipped as unchanged: those people stayed removed."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from reseausync import api
from reseausync_connectors.vcard import cards, groups

from .conftest import live_ids
from .zipdamage import damage


def _cards(count: int) -> bytes:
    """`count` small cards with hash-like notes, so deflate cannot shrink them much."""
    return b"".join(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-%d\r\nFN:Person %d\r\n"
        b"NOTE:%s\r\nEND:VCARD\r\n" % (i, i, hashlib.sha256(b"%d" % i).hexdigest().encode())
        for i in range(count))


def _zip(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("all.vcf", _cards(count))
    return path




@pytest.fixture(autouse=True)
def small_reads(monkeypatch) -> None:
    """Read 64 KiB at a time, so a member of 4,000 cards is read in several parts
    before the damage (40,000 cards at 1 MiB each cost 30 s of the suite)."""
    for module in (cards, groups):
        monkeypatch.setattr(module, "CHUNK", 64 << 10)


def _people(count: int) -> set[str]:
    return {f"card-{i}" for i in range(count)}


def test_a_damaged_new_export_removes_nobody_and_is_read_again(tmp_path) -> None:
    db = str(tmp_path / "d.db")
    backup = _zip(tmp_path / "backup.zip", 4_000)
    [first] = api.import_paths([str(backup)], db=db)
    assert first.counts["added"] == 4_000

    healthy = _zip(tmp_path / "healthy.zip", 4_010)      # next month: ten more people
    shutil.copy(healthy, backup)
    damage(backup, "all.vcf", at=0.9)                     # the download went wrong
    [second] = api.import_paths([str(backup)], db=db)
    assert second.counts["removed"] == 0 and _people(4_000) <= live_ids(db)
    assert "unreadable" in {r["code"] for r in api.rejects(db, second.run)}
    # (deflate may pass some garbage before it notices the damage: cards garbled
    # just before it can come in as records of their own until a healthy read)

    shutil.copy(healthy, backup)                 # downloaded again: same index, same CRC
    [third] = api.import_paths([str(backup)], db=db)
    assert third.counts["rejected"] == 0
    assert live_ids(db) == _people(4_010)


def test_a_first_import_of_a_damaged_member_keeps_what_it_read(tmp_path) -> None:
    db = str(tmp_path / "d.db")
    healthy = _zip(tmp_path / "healthy.zip", 4_000)
    backup = tmp_path / "backup.zip"
    shutil.copy(healthy, backup)
    damage(backup, "all.vcf", at=0.9)
    [first] = api.import_paths([str(backup)], db=db)
    assert _people(1_000) <= live_ids(db) and len(live_ids(db) & _people(4_000)) < 4_000
    shutil.copy(healthy, backup)
    [second] = api.import_paths([str(backup)], db=db)
    assert second.counts["rejected"] == 0 and live_ids(db) == _people(4_000)
