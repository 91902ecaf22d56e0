"""French and German Outlook exports (QA3 F7): their localized headers used to be
one "unknown-header" reject naming a "closest" mapping none of whose columns was
there. Headers as Outlook fr-FR / de-DE write them (quoted, cp1252, CRLF)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.csvfile import CsvConnector
from reseausync_connectors.csvfile.mapping import (
    choose_mapping,
    expand,
    header_keys,
    shipped_mappings,
)
from reseausync_connectors.csvfile.rows import column_key

FR_HEADER = ["Titre", "Prénom", "Deuxième prénom", "Nom", "Suffixe", "Société", "Service",
             "Titre", "Rue (bureau)", "Rue (bureau) 2", "Ville (bureau)", "Dép/Région (bureau)",
             "Code postal (bureau)", "Pays/Région (bureau)", "Téléphone (bureau)",
             "Tél. mobile", "Adresse de messagerie", "Type de messagerie",
             "Nom complet de l'adresse de messagerie", "Anniversaire",
             "B.P. professionnelle", "Catégories", "Notes"]
DE_HEADER = ["Anrede", "Vorname", "Weitere Vornamen", "Nachname", "Suffix", "Firma",
             "Abteilung", "Position", "Straße geschäftlich", "Ort geschäftlich",
             "Postleitzahl geschäftlich", "Land/Region geschäftlich", "Telefon geschäftlich",
             "Mobiltelefon", "Geburtstag", "E-Mail-Adresse", "E-Mail-Typ",
             "E-Mail: Angezeigter Name", "Kategorien", "Notizen"]


def _csv(header: list[str], *rows: list[str], delimiter: str = ",") -> bytes:
    lines = [delimiter.join(f'"{c}"' for c in row) for row in (header, *rows)]
    return "\r\n".join(lines).encode("cp1252") + b"\r\n"


def _read(tmp_path: Path, data: bytes, name: str = "contacts.csv") -> list:
    path = tmp_path / name
    path.write_bytes(data)
    conn = CsvConnector({}, ReadContext(source="csv"))
    return list(conn.read(list(conn.discover(str(path)))))


def test_a_french_outlook_export_is_read(tmp_path: Path) -> None:
    row = ["M.", "Jean", "", "Tremblay", "", "Acme", "Ventes", "Directeur", "1 rue A", "",
           "Montréal", "QC", "H2X 1Y1", "Canada", "514 555 1111", "514 555 2222",
           "jean@acme.ca", "SMTP", "Jean Tremblay (jean@acme.ca)", "0/0/00", "CP 12",
           "Clients;Golf", "Café « jeudi »"]
    (jean,) = _read(tmp_path, _csv(FR_HEADER, row, delimiter=";"))
    assert isinstance(jean, SourceRecord)
    assert (jean.prefix, jean.given_name, jean.family_name) == ("M.", "Jean", "Tremblay")
    assert (jean.organization, jean.title) == ("Acme", "Directeur")
    assert [e.value for e in jean.emails] == ["jean@acme.ca"]
    assert [(p.value, p.label) for p in jean.phones] == [
        ("514 555 2222", "mobile"), ("514 555 1111", "work")]
    (work,) = jean.addresses
    assert (work.street, work.locality, work.region, work.label) == (
        "CP 12\n1 rue A", "Montréal", "QC", "work")
    assert jean.categories == ["Clients", "Golf"] and jean.birthday == ""
    assert jean.note == "Café « jeudi »"


def test_both_titre_columns_are_read_without_a_duplicate_column_reject(
        tmp_path: Path) -> None:
    """"Titre" is the title and the job title: the two copies are two fields, so
    a row filling both is no conflict, and an empty title takes nothing from the
    job title."""
    blank = [""] * len(FR_HEADER)
    ann = list(blank)
    ann[1], ann[3], ann[5], ann[7], ann[16] = "Ann", "Roy", "Bell", "Analyste", "ann@bell.ca"
    items = _read(tmp_path, _csv(FR_HEADER, ann))
    assert not [i for i in items if isinstance(i, Reject)]
    (rec,) = items
    assert (rec.prefix, rec.title) == ("", "Analyste")


def test_a_french_header_with_one_titre_reads_it_as_the_job_title(tmp_path: Path) -> None:
    """The header QA saved has "Titre" once, after "Service": the job title (as
    Exchange's own importer reads a French Outlook file)."""
    header = [c for i, c in enumerate(FR_HEADER) if i != 0]
    row = ["Jean", "", "Tremblay", "", "Acme", "", "Directeur"] + [""] * (len(header) - 7)
    row[header.index("Adresse de messagerie")] = "jean@acme.ca"
    (jean,) = _read(tmp_path, _csv(header, row))
    assert (jean.prefix, jean.title) == ("", "Directeur")


def test_a_german_outlook_export_is_read(tmp_path: Path) -> None:
    row = ["Herr", "Jürgen", "", "Müller", "", "Siemens AG", "", "Ingenieur", "Hauptstr. 1",
           "München", "80331", "Deutschland", "+49 89 1234567", "+49 171 1234567", "0.0.00",
           "juergen@siemens.de", "SMTP", "Jürgen Müller", "Kunden", ""]
    (jurgen,) = _read(tmp_path, _csv(DE_HEADER, row))
    assert isinstance(jurgen, SourceRecord)
    assert (jurgen.prefix, jurgen.given_name, jurgen.family_name) == (
        "Herr", "Jürgen", "Müller")
    assert (jurgen.organization, jurgen.title, jurgen.birthday) == (
        "Siemens AG", "Ingenieur", "")
    assert [e.value for e in jurgen.emails] == ["juergen@siemens.de"]
    assert [p.label for p in jurgen.phones] == ["mobile", "work"]
    assert jurgen.addresses[0].locality == "München"
    assert jurgen.categories == ["Kunden"]


def test_the_localized_headers_pick_their_mapping() -> None:
    mappings = list(shipped_mappings().values())
    assert choose_mapping(FR_HEADER, mappings).mapping.name == "outlook_fr"
    assert choose_mapping(DE_HEADER, mappings).mapping.name == "outlook_de"


def test_a_header_sharing_no_identifying_column_names_no_closest_mapping(
        tmp_path: Path) -> None:
    """No mapping is "closest" to a header that has none of its identifying
    columns; the message names the known layouts and the `import --mapping` way."""
    (bad,) = _read(tmp_path, b"Nimi,Sukunimi,Matkapuhelin\r\nLiisa,Virtanen,040 123\r\n")
    assert isinstance(bad, Reject) and bad.reason == "unknown-header"
    assert "closest" not in bad.message
    assert "none has any of its identifying columns here" in bad.message
    assert "google, google_legacy, outlook, outlook_de, outlook_fr" in bad.message
    assert "`import --mapping NAME|FILE.toml`" in bad.message


def test_a_closest_mapping_says_how_much_of_it_is_there(tmp_path: Path) -> None:
    (bad,) = _read(tmp_path, b"First Name,Last Name,E-mail Address\r\nA,B,a@b.ca\r\n")
    assert "closest is 'outlook' (3 of its 5 identifying columns)" in bad.message
    assert "missing columns: Mobile Phone, Job Title" in bad.message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Titre", "Nom", "Société", "titre ", "Notes"]),
                min_size=1, max_size=8))
def test_a_copy_reference_names_that_copy(header: list[str]) -> None:
    """"X #k" is the k-th copy of X (from the end when negative), whatever the
    header; a column named once is its own first and last copy."""
    keys = header_keys(header)
    for name in ("Titre", "Nom"):
        where = [i for i, h in enumerate(header) if column_key(h) == column_key(name)]
        for k in range(1, len(where) + 2):
            first, last = expand(f"{name} #{k}", keys), expand(f"{name} #-{k}", keys)
            if k <= len(where):
                assert first == [("", where[k - 1])] and last == [("", where[-k])]
            else:
                assert first == [] and last == []
