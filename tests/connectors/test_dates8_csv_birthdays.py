"""Outlook birthdays become dates (QA round 8, dates finding 4): `4/15/1985` (US
Outlook) and `15/04/1985` (French Outlook) were kept as text, exported as
`BDAY;VALUE=text` in vCard 4.0 (a note to the clients), as an invalid
`BDAY:4/15/1985` in 3.0, and published so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.csvfile import CsvConnector
from reseausync_connectors.csvfile.birthdays import BirthdayOrder, file_order, iso_birthday
from tests.conftest import run_cli

# The QA's in/csv files: US Outlook, French Outlook (cp1252, ";"), Google.
OUTLOOK = ("First Name,Middle Name,Last Name,Title,Suffix,Nickname,E-mail Address,"
           "Mobile Phone,Company,Job Title,Birthday,Anniversary,Notes,Categories\n"
           "Anne,,Us,,,,anne.us@acme.ca,,,,4/15/1985,0/0/00,,\n"
           "Bea,,Empty,,,,bea.empty@acme.ca,,,,0/0/00,0/0/00,,\n"
           "Cleo,,Amb,,,,cleo.amb@acme.ca,,,,4/5/1985,0/0/00,,\n")
OUTLOOK_FR = ("Titre;Prénom;Deuxième prénom;Nom;Suffixe;Société;Service;Titre;"
              "Adresse de messagerie;Tél. mobile;Anniversaire;Catégories\n"
              "M.;Denis;;Fr;;;;;denis.fr@acme.ca;;15/04/1985;\n"
              "M.;Elie;;Fr;;;;;elie.fr@acme.ca;;05/04/1985;\n"
              "Mme;Fanny;;Fr;;;;;fanny.fr@acme.ca;;00/00/00;\n").encode("cp1252")
GOOGLE = ("First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
          "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
          "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
          "E-mail 1 - Label,E-mail 1 - Value\n"
          "Gus,,Goog,,,,,,,,,,,1985-04-15,,,* myContacts,* Other,gus.goog@acme.ca\n"
          "Hugo,,Goog,,,,,,,,,,,--04-15,,,* myContacts,* Other,hugo.goog@acme.ca\n")


def birthdays(path: Path) -> dict[str, str]:
    conn = CsvConnector({}, ReadContext(source="t"))
    return {r.display_name: r.birthday for r in conn.read(list(conn.discover(str(path))))
            if isinstance(r, SourceRecord)}


def test_outlook_birthdays_are_exported_and_published_as_dates(tmp_path: Path) -> None:
    (tmp_path / "outlook.csv").write_text(OUTLOOK, "utf-8")
    (tmp_path / "outlook_fr.csv").write_bytes(OUTLOOK_FR)
    (tmp_path / "google.csv").write_text(GOOGLE, "utf-8")
    db = str(tmp_path / "d.db")
    for name in ("outlook", "outlook_fr", "google"):
        done = run_cli("--db", db, "import", str(tmp_path / f"{name}.csv"), "--connector",
                       "csv", "--source", name)
        assert done.returncode == 0, done.stderr

    def bdays(version: str) -> dict[str, str]:
        out = run_cli("--db", db, "export", "--format", "vcf", "--vcard-version", version)
        found: dict[str, str] = {}
        name = ""
        for line in out.stdout.splitlines():
            name = line[3:] if line.startswith("FN:") else name
            if line.startswith("BDAY"):
                found[name] = line
        return found

    assert bdays("4.0") == {"Anne Us": "BDAY:19850415", "Cleo Amb": "BDAY:19850405",
                            "Denis Fr": "BDAY:19850415", "Elie Fr": "BDAY:19850405",
                            "Gus Goog": "BDAY:19850415", "Hugo Goog": "BDAY:--0415"}
    v3 = bdays("3.0")      # what publish writes (contact_to_vcard, 3.0)
    assert v3["Anne Us"] == "BDAY:1985-04-15" and v3["Elie Fr"] == "BDAY:1985-04-05"
    assert v3["Hugo Goog"] == "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15"     # no year given


def test_an_english_outlook_written_day_first_is_read_so(tmp_path: Path) -> None:
    """A UK Outlook writes English headers and D/M/Y: the birthdays that can only
    be read day first decide for the file, 05/04 included."""
    (tmp_path / "uk.csv").write_text(OUTLOOK.replace("4/15/1985", "15/04/1985")
                                     .replace("4/5/1985", "05/04/1985"), "utf-8")
    assert birthdays(tmp_path / "uk.csv") == {"Anne Us": "1985-04-15", "Bea Empty": "",
                                              "Cleo Amb": "1985-04-05"}


def test_the_mapping_decides_when_no_birthday_tells(tmp_path: Path) -> None:
    (tmp_path / "us.csv").write_text(OUTLOOK.replace("4/15/1985", "4/1/1985"), "utf-8")
    assert birthdays(tmp_path / "us.csv")["Cleo Amb"] == "1985-04-05"    # M/D: 5 April
    (tmp_path / "fr.csv").write_bytes(OUTLOOK_FR.replace(b"15/04", b"01/04"))
    assert birthdays(tmp_path / "fr.csv")["Elie Fr"] == "1985-04-05"     # D/M: 5 April


def test_what_no_order_reads_stays_as_written() -> None:
    assert iso_birthday("5/4/1985", None) == "5/4/1985"         # no hint: either order
    assert iso_birthday("5/4/1985", BirthdayOrder(lambda: [], "")) == "5/4/1985"
    assert iso_birthday("15/4/1985", None) == "1985-04-15"      # only one order reads it
    assert iso_birthday("4/15/85", BirthdayOrder(lambda: [], "mdy")) == "4/15/85"  # 19 or 20?
    assert iso_birthday("31/02/1985", BirthdayOrder(lambda: [], "dmy")) == "31/02/1985"
    assert iso_birthday("--04-15", None) == "--04-15"
    assert file_order(["15/04/1985", "4/15/1985", "16/04/1985"], "mdy") is True


def test_a_file_without_short_dates_is_not_read_again() -> None:
    def never() -> list[str]:
        raise AssertionError("read again")
    assert iso_birthday("1985-04-15", BirthdayOrder(never, "")) == "1985-04-15"


days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@given(days, st.sampled_from(["/", ".", "-"]))
def test_a_short_date_in_its_order_is_the_day(day: date, sep: str) -> None:
    us = f"{day.month}{sep}{day.day}{sep}{day.year}"
    fr = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    assert iso_birthday(us, BirthdayOrder(lambda: [], "mdy")) == day.isoformat()
    assert iso_birthday(fr, BirthdayOrder(lambda: [], "dmy")) == day.isoformat()


@given(st.text(max_size=20), st.sampled_from(["", "dmy", "mdy"]))
def test_any_text_is_a_date_or_itself(text: str, order: str) -> None:
    found = iso_birthday(text, BirthdayOrder(lambda: [text], order))
    assert found == text or date.fromisoformat(found)
