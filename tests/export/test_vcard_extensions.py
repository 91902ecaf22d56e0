"""A phone's extension goes out with it: 4.0 in the tel: URI, 3.0 in the number's
text, and comes back on import (qa3_vcf #8)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.export.vcard import contact_to_vcard

CARDS = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:B\xc3\xa9langer;St\xc3\xa9phane;;;\r\n"
         b"TEL;WORK;VOICE:(418) 555-0142 x 2210\r\nTEL;CELL:(418) 555-0199\r\nEND:VCARD\r\n"
         b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Sophie;;;\r\nFN:Sophie Martin\r\n"
         b"TEL;TYPE=WORK:514-555-1000 poste 3344\r\nEND:VCARD\r\n"
         b"BEGIN:VCARD\r\nVERSION:4.0\r\nN:Yamada;Taro;;;\r\nFN:Taro Yamada\r\n"
         b"TEL;VALUE=uri;TYPE=work:tel:+81-3-6748-2111;ext=204\r\nEND:VCARD\r\n")
CA = Settings(region="CA")


def test_extension_by_version() -> None:
    card = {"id": "c1", "display_name": "Ann Lee", "phones": ["+14185550142", "0612345678"],
            "phone_labels": {"+14185550142": "work"},
            "phone_extensions": {"+14185550142": "2210", "0612345678": "7"}}
    v4, v3 = contact_to_vcard(card, "4.0"), contact_to_vcard(card, "3.0")
    assert "TEL;VALUE=uri;TYPE=work:tel:+14185550142;ext=2210\r\n" in v4
    assert "TEL;VALUE=text;TYPE=voice:0612345678 ext. 7\r\n" in v4
    assert "TEL;TYPE=WORK:+14185550142 ext. 2210\r\n" in v3
    assert "TEL;TYPE=VOICE:0612345678 ext. 7\r\n" in v3


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_import_export_import_keeps_extensions(tmp_path: Path, version: str) -> None:
    (tmp_path / "book.vcf").write_bytes(CARDS)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    api.import_paths([str(tmp_path / "book.vcf")], db=first, settings=CA)
    got = {c["display_name"]: c.get("phone_extensions") for c in api.contacts(first)}
    assert got == {"Stéphane Bélanger": {"+14185550142": "2210"},
                   "Sophie Martin": {"+15145551000": "3344"},
                   "Taro Yamada": {"+81367482111": "204"}}
    exported = tmp_path / "rt.vcf"
    with exported.open("w", encoding="utf-8", newline="") as out:
        directory.export(first, out, "vcf", date.today(), vcard_version=version)
    api.import_paths([str(exported)], db=second, settings=CA)
    again = {c["display_name"]: (c["phones"], c.get("phone_extensions"))
             for c in api.contacts(second)}
    assert again == {name: (c["phones"], c.get("phone_extensions"))
                     for name, c in {c["display_name"]: c
                                     for c in api.contacts(first)}.items()}
    (steph,) = [c for c in api.contacts(first) if c["display_name"] == "Stéphane Bélanger"]
    shown = [f["value"] for f in directory.show(first, steph["id"], date.today())["fields"]
             if f["field"] == "phones"]
    assert shown == ["+14185550142 ext. 2210 (work)", "+14185550199 (cell)"]
