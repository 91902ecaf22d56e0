"""A directory built before contacts kept labels, extensions and name parts gets
them on its next run, even one that reads no change (STATE_FORMAT 10)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reseausync import api, resolve
from reseausync.config import Settings

CARD = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:B\xc3\xa9langer;St\xc3\xa9phane;Louis;;\r\n"
        b"NICKNAME:Steph\r\nTEL;WORK;VOICE:(418) 555-0142 x 2210\r\n"
        b"TEL;WORK;FAX:(418) 555-0143\r\nEMAIL;HOME:steph.b@videotron.ca\r\nEND:VCARD\r\n")
NEW_KEYS = ("phone_labels", "email_labels", "phone_extensions", "middle_name", "nickname")
CA = Settings(region="CA")


def test_the_next_run_gives_stored_contacts_the_new_data(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "book.vcf").write_bytes(CARD)
    db = str(tmp_path / "d.db")
    # as the previous version left it: state format 9, contacts without the new keys
    monkeypatch.setattr(resolve, "STATE_FORMAT", 9)
    api.import_paths([str(tmp_path / "book.vcf")], db=db, settings=CA)
    con = sqlite3.connect(db)
    paths = ", ".join(f"'$.{k}'" for k in NEW_KEYS)
    con.execute(f"UPDATE contacts SET data = json_remove(data, {paths})")
    con.commit()
    con.close()
    assert not set(NEW_KEYS) & set(api.contacts(db)[0])
    monkeypatch.undo()
    (again,) = api.import_paths([str(tmp_path / "book.vcf")], db=db, settings=CA)
    assert not again.changed
    (steph,) = api.contacts(db)
    assert steph["phone_labels"] == {"+14185550142": "work", "+14185550143": "work,fax"}
    assert steph["email_labels"] == {"steph.b@videotron.ca": "home"}
    assert steph["phone_extensions"] == {"+14185550142": "2210"}
    assert (steph["middle_name"], steph["nickname"]) == ("Louis", "Steph")
    # and the directory is current again: the next run rebuilds nothing
    state = json.loads(_meta(db, resolve.STATE_KEY))
    (third,) = api.import_paths([str(tmp_path / "book.vcf")], db=db, settings=CA)
    assert json.loads(_meta(db, resolve.STATE_KEY))["run"] == state["run"] != third.run


def _meta(db: str, key: str) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()[0]
    finally:
        con.close()
