"""Address labels go out like phone and e-mail labels, and labels keep the user's
case (qa4_roundtrip #4 and #7).

Only "work" and "home" addresses kept their label on export: the French "Bureau"
and a custom "Chalet" came back without one. And the importer lower-cased a label
the user typed ("Chalet" -> "chalet"), which the phone then showed after a round
trip, while the CSV importer kept it.
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import vobject

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.export.vcard import contact_to_vcard
from reseausync_connectors.vcard import VCardConnector, parse_card
from reseausync_connectors.vcard import record as record_module
from reseausync_connectors.vcard.record import normalize_label

CA = Settings(region="CA")
# qa4_roundtrip/in/adrlabels.vcf, plus a custom phone label (in/iphone.vcf)
ADRLABELS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Paquette;Luc;;;\r\nFN:Luc Paquette\r\n"
    "EMAIL;type=INTERNET:luc@paquette.example.ca\r\n"
    "item1.ADR:;;1 place Ville-Marie;Montréal;QC;H3B 2B6;Canada\r\nitem1.X-ABLabel:Bureau\r\n"
    "item2.ADR;type=WORK:;;2 rue Principale;Magog;QC;J1X 1A1;Canada\r\n"
    "item2.X-ABLabel:_$!<Work>!$_\r\n"
    "item3.ADR:;;3 chemin du Lac;Orford;QC;J1X 1A2;Canada\r\nitem3.X-ABLabel:Chalet\r\n"
    "item4.TEL:+1 819 555 7777\r\nitem4.X-ABLabel:Chalet\r\n"
    "UID:luc-1\r\nEND:VCARD\r\n").encode()


def _labels(contact: dict) -> dict[str, str]:
    return {a["street"]: a.get("label", "") for a in contact["addresses"]}


def _export(db: str, version: str) -> str:
    out = StringIO()
    directory.export(db, out, "vcf", date.today(), vcard_version=version)
    return out.getvalue()


def test_the_user_label_keeps_its_case(tmp_path: Path) -> None:
    (tmp_path / "adr.vcf").write_bytes(ADRLABELS)
    db = str(tmp_path / "a.db")
    api.import_paths([str(tmp_path / "adr.vcf")], db=db, settings=CA)
    (luc,) = api.contacts(db)
    assert _labels(luc) == {"1 place Ville-Marie": "Bureau", "2 rue Principale": "work",
                            "3 chemin du Lac": "Chalet"}
    assert luc["phone_labels"] == {"+18195557777": "Chalet"}


@pytest.mark.parametrize(("raw", "label"), [
    ("Chalet", "Chalet"), ("Portable France", "Portable France"), ("_$!<Mobile>!$_", "cell"),
    ("_$!<HomePage>!$_", "home"), ("WORK", "work"), ("Work", "work"), ("Other", "other"),
    ("_$!<Spouse>!$_", "spouse"), ("iPhone", "cell"), (" Bureau ", "Bureau")])
def test_only_vcard_and_apple_words_are_folded(raw: str, label: str) -> None:
    assert normalize_label(raw) == label


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_address_labels_go_out_and_come_back(tmp_path: Path, version: str) -> None:
    """import -> export -> import into a fresh directory: "Bureau" is a work address
    (TYPE=work, as a phone's "Bureau"), "Chalet" an Apple label group."""
    (tmp_path / "adr.vcf").write_bytes(ADRLABELS)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    api.import_paths([str(tmp_path / "adr.vcf")], db=first, settings=CA)
    text = _export(first, version)
    work = "work" if version == "4.0" else "WORK"
    assert f"ADR;TYPE={work}:;;1 place Ville-Marie;" in text
    assert f"ADR;TYPE={work}:;;2 rue Principale;" in text
    assert "ADR:;;3 chemin du Lac;Orford;QC;J1X 1A2;Canada\r\nitem" in text
    assert "X-ABLabel:Chalet\r\n" in text and "chalet" not in text
    card = vobject.readOne(text)
    assert len(card.contents["adr"]) == 3
    exported = tmp_path / "out.vcf"
    exported.write_text(text, encoding="utf-8", newline="")
    api.import_paths([str(exported)], db=second, settings=CA)
    (luc,) = api.contacts(second)
    assert _labels(luc) == {"1 place Ville-Marie": "work", "2 rue Principale": "work",
                            "3 chemin du Lac": "Chalet"}
    assert luc["phone_labels"] == {"+18195557777": "Chalet"}


def test_labels_share_one_group_count() -> None:
    """Phones, e-mails, addresses and relatives number their Apple groups together."""
    contact = {"id": "c1", "display_name": "A", "phones": ["+18195557777"],
               "phone_labels": {"+18195557777": "Chalet"},
               "addresses": [{"street": "3 chemin du Lac", "label": "Chalet"},
                             {"street": "4 rue B", "label": "home"}],
               "related": [{"value": "Luc", "label": "Parrain"}]}
    text = contact_to_vcard(contact, "3.0")
    assert "item1.X-ABLabel:Chalet\r\n" in text and "item2.X-ABLabel:Chalet\r\n" in text
    assert "item3.X-ABLabel:Parrain\r\n" in text and "ADR;TYPE=HOME:;;4 rue B;" in text
    record = parse_card(text, source="s", unit="u", locator="u")
    assert [(a.street, a.label) for a in record.addresses] == [
        ("3 chemin du Lac", "Chalet"), ("4 rue B", "home")]
    assert record.extra["related"] == [{"value": "Luc", "label": "Parrain"}]


def test_a_file_read_by_the_earlier_reader_is_read_again(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory built by the reader that lower-cased labels holds "chalet" for
    an unchanged file: the connector's read_version makes the next import read it
    again, once, and the contact gets "Chalet"."""
    (tmp_path / "adr.vcf").write_bytes(ADRLABELS)
    db = str(tmp_path / "a.db")
    monkeypatch.setattr(VCardConnector, "read_version", 1)
    monkeypatch.setattr(record_module, "normalize_label", _old_normalize)
    api.import_paths([str(tmp_path / "adr.vcf")], db=db, settings=CA)
    assert api.contacts(db)[0]["phone_labels"] == {"+18195557777": "chalet"}
    monkeypatch.undo()
    api.import_paths([str(tmp_path / "adr.vcf")], db=db, settings=CA)
    (luc,) = api.contacts(db)
    assert luc["phone_labels"] == {"+18195557777": "Chalet"}
    assert _labels(luc)["3 chemin du Lac"] == "Chalet"


def _old_normalize(raw: str) -> str:
    """The reader before read_version 2: every label lower-cased."""
    return normalize_label(raw).lower()
