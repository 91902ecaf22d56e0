"""Google CSV addresses (QA3 F5): the formatted text alone, the PO box and the
extended address (apartment, suite) used to be dropped without a word."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.csvfile import CsvConnector

HEADER = ("First Name,Middle Name,Last Name,Nickname,Labels,E-mail 1 - Label,"
          "E-mail 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,"
          "Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,"
          "Address 1 - Country,Address 1 - Extended Address")


def _read(tmp_path: Path, text: str, name: str = "google.csv") -> list[SourceRecord]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    conn = CsvConnector({}, ReadContext(source="csv"))
    return [i for i in conn.read(list(conn.discover(str(path))))
            if isinstance(i, SourceRecord)]


def test_formatted_only_address_is_kept_as_the_street(tmp_path: Path) -> None:
    carla, = _read(tmp_path, HEADER + "\r\n"
                   'Carla,,Diaz,,* myContacts,,carla@diaz.mx,Home,"99 King St W\r\n'
                   'Toronto ON M5K 1A1\r\nCanada",,,,,,,\r\n')
    (address,) = carla.addresses
    assert address.street == "99 King St W\nToronto ON M5K 1A1\nCanada"
    assert address.label == "Home" and address.locality == ""


def test_po_box_and_extended_address_go_before_the_street(tmp_path: Path) -> None:
    """As the vCard connector reads ADR (box, extended, street): the same address
    exported by Google as vCard and as CSV compares equal."""
    jean, = _read(tmp_path, HEADER + "\n"
                  'Jean,,Roy,,* myContacts,,jean@roy.ca,Work,"1 rue A\nApp. 4\nMontréal QC",'
                  "1 rue A,Montréal,CP 123,QC,,,App. 4\n")
    (address,) = jean.addresses
    assert (address.street, address.locality, address.region) == (
        "CP 123\nApp. 4\n1 rue A", "Montréal", "QC")
    assert address.label == "Work"


def test_structured_parts_win_over_the_formatted_text(tmp_path: Path) -> None:
    ann, = _read(tmp_path, HEADER + "\n"
                 'Ann,,Lee,,* myContacts,,ann@lee.ca,,"5 Main St, Springfield",'
                 "5 Main St,Springfield,,,,,\n")
    assert [(a.street, a.locality) for a in ann.addresses] == [("5 Main St", "Springfield")]


def test_same_address_from_vcard_and_csv_compares_equal(tmp_path: Path) -> None:
    from reseausync_connectors.vcard import VCardConnector
    card = tmp_path / "c.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean Roy\r\nN:Roy;Jean;;;\r\n"
                     b"EMAIL:jean@roy.ca\r\nADR;TYPE=WORK:CP 123;App. 4;1 rue A;"
                     b"Montr\xc3\xa9al;QC;;\r\nEND:VCARD\r\n")
    conn = VCardConnector({}, ReadContext(source="v"))
    (from_card,) = [i for i in conn.read(list(conn.discover(str(card))))
                    if isinstance(i, SourceRecord)]
    from_csv, = _read(tmp_path, HEADER + "\n"
                      "Jean,,Roy,,* myContacts,,jean@roy.ca,Work,,"
                      "1 rue A,Montréal,CP 123,QC,,,App. 4\n")
    assert from_card.addresses[0].street == from_csv.addresses[0].street


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                                      blacklist_characters='",'), max_size=8)
                .map(str.strip), min_size=6, max_size=6))
def test_no_filled_address_cell_is_lost(tmp_path_factory, parts: list[str]) -> None:
    """Whatever cells are filled, each one's text is in the address read."""
    formatted, street, city, box, region, extended = parts
    tmp = tmp_path_factory.mktemp("addr")
    rec, = _read(tmp, HEADER + "\n" + ",".join(
        ["Ann", "", "Lee", "", "x", "", "ann@lee.ca", "", formatted, street, city, box,
         region, "", "", extended]) + "\n")
    structured = [street, city, box, region, extended]
    if not any(structured) and not formatted:
        assert rec.addresses == []
        return
    (address,) = rec.addresses
    text = "\n".join((address.street, address.locality, address.region))
    for value in (structured if any(structured) else [formatted]):
        assert value in text


def test_outlook_po_box_is_kept_too(tmp_path: Path) -> None:
    fred, = _read(tmp_path, "First Name,Last Name,E-mail Address,Mobile Phone,Job Title,"
                  "Business Street,Business City,Business Address PO Box\r\n"
                  "Fred,Roy,fred@roy.ca,,VP,1 rue A,Québec,CP 9\r\n", "outlook.csv")
    assert [(a.street, a.label) for a in fred.addresses] == [("CP 9\n1 rue A", "work")]
