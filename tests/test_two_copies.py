"""Two copies of one record in a source (a card's backup saved beside it, two
months' exports in one configured folder): QA saw them take the record from each
other on every sync ("1 updated" forever, the title swapping). A sync now keeps
what a read of the whole listing in order keeps, the first copy, and converges."""

from __future__ import annotations

from reseausync import api

from .conftest import sync_folder


def _card(title: str) -> bytes:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:daniel-roy\r\nFN:Daniel Roy\r\n"
            f"N:Roy;Daniel;;;\r\nTEL:514-555-0101\r\nTITLE:{title}\r\nEND:VCARD\r\n").encode()


_sync = sync_folder


def _title(db: str) -> str:
    return next(c["title"] for c in api.contacts(db) if c["display_name"] == "Daniel Roy")


def test_a_backup_copy_beside_a_card_settles_after_one_sync(tmp_path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    (folder / "daniel.vcf").write_bytes(_card("Plombier"))
    (folder / "ami.vcf").write_bytes(_card("x").replace(b"daniel-roy", b"ami")
                                     .replace(b"Daniel Roy", b"Ami Proulx")
                                     .replace(b"Roy;Daniel", b"Proulx;Ami")
                                     .replace(b"0101", b"0202"))
    db = str(tmp_path / "d.db")
    assert _sync(db, folder).counts["added"] == 2
    (folder / "daniel (1).vcf").write_bytes(_card("Apprenti plombier"))
    _sync(db, folder)
    settled = _title(db)
    for _ in range(3):                      # nothing changes on disk from here on
        again = _sync(db, folder)
        assert again.counts["updated"] == 0 and again.counts["added"] == 0
        assert _title(db) == settled
    # what a fresh directory reading the same folder keeps
    fresh = str(tmp_path / "fresh.db")
    first = _sync(fresh, folder)
    assert _title(fresh) == settled == "Apprenti plombier"   # "daniel (1).vcf" is listed first
    assert first.counts["rejected"] == 1
