"""The kind of each phone and e-mail goes out with it: a fax is never a voice
number, a mobile stays a mobile (qa3_vcf #6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import vobject

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.export.vcard import contact_to_vcard

# Outlook 2.1 (as qa3_vcf/labels.vcf): work, cell, a work fax, a home e-mail
OUTLOOK = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:B\xc3\xa9langer;St\xc3\xa9phane;;;\r\n"
           b"FN:St\xc3\xa9phane B\xc3\xa9langer\r\n"
           b"TEL;WORK;VOICE:(418) 555-0142\r\nTEL;CELL;VOICE:(418) 555-0199\r\n"
           b"TEL;WORK;FAX:(418) 555-0143\r\nEMAIL;PREF;INTERNET:stephane.belanger@gmq.ca\r\n"
           b"EMAIL;HOME:steph.b@videotron.ca\r\nEND:VCARD\r\n")
# Apple 3.0: a label of the user's own on a French mobile
APPLE = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ouellet;Gabriel;;;\r\nFN:Gabriel Ouellet\r\n"
         b"item1.TEL;type=CELL:+33 6 12 34 56 78\r\nitem1.X-ABLabel:Portable France\r\n"
         b"item2.EMAIL;type=INTERNET:gab@chalet.ca\r\nitem2.X-ABLabel:_$!<Other>!$_\r\n"
         b"END:VCARD\r\n")
CA = Settings(region="CA")
STEPH = {
    "id": "c1", "display_name": "Stéphane Bélanger", "given_name": "Stéphane",
    "family_name": "Bélanger", "emails": ["stephane.belanger@gmq.ca", "steph.b@videotron.ca"],
    "email_labels": {"steph.b@videotron.ca": "home"},
    "phones": ["+14185550142", "+14185550199", "+14185550143", "0612345678"],
    "phone_labels": {"+14185550142": "work", "+14185550199": "cell",
                     "+14185550143": "work,fax", "0612345678": "Chalet"},
}


def test_phone_and_email_kinds_by_version() -> None:
    v4, v3 = contact_to_vcard(STEPH, "4.0"), contact_to_vcard(STEPH, "3.0")
    assert "TEL;VALUE=uri;TYPE=work:tel:+14185550142\r\n" in v4
    assert "TEL;VALUE=uri;TYPE=cell:tel:+14185550199\r\n" in v4
    assert 'TEL;VALUE=uri;TYPE="work,fax":tel:+14185550143\r\n' in v4
    assert "TEL;TYPE=WORK:+14185550142\r\n" in v3 and "TEL;TYPE=CELL:+14185550199\r\n" in v3
    assert "TEL;TYPE=WORK,FAX:+14185550143\r\n" in v3
    # a label vCard has no type for: Apple's label group, read back as the label
    assert "item1.TEL;VALUE=text;TYPE=voice:0612345678\r\nitem1.X-ABLabel:Chalet\r\n" in v4
    assert "EMAIL;PREF=1:stephane.belanger@gmq.ca\r\nEMAIL;TYPE=home:steph.b@videotron.ca" in v4
    assert "EMAIL;TYPE=INTERNET,PREF:stephane.belanger@gmq.ca\r\n" in v3
    assert "EMAIL;TYPE=INTERNET,HOME:steph.b@videotron.ca\r\n" in v3
    for text in (v4, v3):
        card = vobject.readOne(text)
        assert len(card.contents["tel"]) == 4 and len(card.contents["email"]) == 2


def test_a_contact_stored_without_labels_is_written_as_before() -> None:
    old = {k: v for k, v in STEPH.items() if not k.endswith("_labels")}
    assert "TEL;VALUE=uri;TYPE=voice:tel:+14185550143\r\n" in contact_to_vcard(old, "4.0")
    assert "TEL;TYPE=VOICE:+14185550143\r\n" in contact_to_vcard(old, "3.0")


def _contacts(db: str) -> dict[str, dict]:
    return {c["display_name"]: c for c in api.contacts(db)}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_import_export_import_keeps_every_label(tmp_path: Path, version: str) -> None:
    (tmp_path / "outlook.vcf").write_bytes(OUTLOOK)
    (tmp_path / "apple.vcf").write_bytes(APPLE)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    api.import_paths([str(tmp_path / "outlook.vcf"), str(tmp_path / "apple.vcf")],
                     db=first, settings=CA)
    exported = tmp_path / "rt.vcf"
    with exported.open("w", encoding="utf-8", newline="") as out:
        directory.export(first, out, "vcf", date.today(), vcard_version=version)
    api.import_paths([str(exported)], db=second, settings=CA)
    before, after = _contacts(first), _contacts(second)
    assert before["Stéphane Bélanger"]["phone_labels"]["+14185550143"] == "work,fax"
    assert before["Gabriel Ouellet"]["phone_labels"] == {"+33612345678": "Portable France"}
    for name in before:
        for key in ("emails", "phones", "email_labels", "phone_labels"):
            assert after[name].get(key) == before[name].get(key), (name, key)


def test_show_gives_each_phone_its_label(tmp_path: Path) -> None:
    (tmp_path / "outlook.vcf").write_bytes(OUTLOOK)
    db = str(tmp_path / "d.db")
    api.import_paths([str(tmp_path / "outlook.vcf")], db=db, settings=CA)
    (steph,) = api.contacts(db)
    shown = [(f["field"], f["value"]) for f in directory.show(db, steph["id"],
                                                               date.today())["fields"]]
    assert ("phones", "+14185550143 (work,fax)") in shown
    assert ("emails", "steph.b@videotron.ca (home)") in shown
