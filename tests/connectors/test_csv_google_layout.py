"""Google CSV layout detection and names (QA3 F6, F8)."""

from __future__ import annotations

from pathlib import Path

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.csvfile import CsvConnector
from reseausync_connectors.csvfile.mapping import choose_mapping, shipped_mappings

NO_EMAIL = ("First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
            "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
            "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
            "Phone 1 - Label,Phone 1 - Value\n"
            "Mamie,,Lavoie,,,,,,,,,,,--03-08,,,Famille ::: * myContacts,Home,"
            "+1 418 555 0000\n")


def _read(tmp_path: Path, text: str) -> list:
    path = tmp_path / "google.csv"
    path.write_bytes(text.encode("utf-8"))
    conn = CsvConnector({}, ReadContext(source="csv"))
    return list(conn.read(list(conn.discover(str(path)))))


def test_a_google_export_without_any_email_column_is_read(tmp_path: Path) -> None:
    """Exporting a label of relatives known by phone gives no "E-mail 1 - Value"
    column: still Google's layout, not an unknown header."""
    items = _read(tmp_path, NO_EMAIL)
    assert not [i for i in items if isinstance(i, Reject)]
    (mamie,) = items
    assert isinstance(mamie, SourceRecord)
    assert (mamie.display_name, mamie.birthday) == ("Mamie Lavoie", "--03-08")
    assert [(p.value, p.label) for p in mamie.phones] == [("+1 418 555 0000", "Home")]
    assert mamie.categories == ["Famille"]


def test_without_email_google_is_still_not_picked_for_outlook_headers() -> None:
    mappings = list(shipped_mappings().values())
    outlook = ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Job Title"]
    assert choose_mapping(outlook, mappings).mapping.name == "outlook"
    google = NO_EMAIL.splitlines()[0].split(",")
    assert choose_mapping(google, mappings).mapping.name == "google"


FILE_AS = ("First Name,Middle Name,Last Name,Nickname,File As,Organization Name,Labels,"
           "E-mail 1 - Value\n"
           'Jean,,Tremblay,,"Tremblay, Jean",,* myContacts,jean@tremblay.ca\n'
           ",,,,Plombier du coin,,* myContacts,plombier@example.com\n"
           ",,,,Acme (fournisseur),Acme,* myContacts,info@acme.com\n")


def test_file_as_is_a_sort_key_not_the_display_name(tmp_path: Path) -> None:
    """Google's "File As" ("Tremblay, Jean") names the contact only when the row
    has no name part (as before, a row naming only an organization is named by
    its File As when it has one, so it is not rejected as naming nobody)."""
    jean, plumber, acme = _read(tmp_path, FILE_AS)
    assert (jean.display_name, jean.given_name, jean.family_name) == (
        "Jean Tremblay", "Jean", "Tremblay")
    assert plumber.display_name == "Plombier du coin"
    assert (acme.display_name, acme.organization) == ("Acme (fournisseur)", "Acme")
