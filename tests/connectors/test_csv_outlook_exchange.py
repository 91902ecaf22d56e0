"""Outlook contacts from an Exchange / Microsoft 365 directory (QA3 F11): the
`EX` entry's directory name used to stand as the e-mail (then dropped as no
address, and kept as the record's id); the SMTP address is in the display name."""

from __future__ import annotations

from pathlib import Path

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.csvfile import CsvConnector

HEADER = ('"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
          '"Job Title","Mobile Phone","E-mail Address","E-mail Type","E-mail Display Name",'
          '"E-mail 2 Address","E-mail 2 Type","E-mail 2 Display Name"\r\n')
DN = "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8f3a"


def _read(tmp_path: Path, rows: str) -> tuple[list[SourceRecord], list[Reject]]:
    path = tmp_path / "outlook_ex.csv"
    path.write_bytes((HEADER + rows).encode("cp1252"))
    conn = CsvConnector({}, ReadContext(source="csv"))
    items = list(conn.read(list(conn.discover(str(path)))))
    return ([i for i in items if isinstance(i, SourceRecord)],
            [i for i in items if isinstance(i, Reject)])


def test_an_exchange_entry_takes_the_address_of_its_display_name(tmp_path: Path) -> None:
    (jean,), rejects = _read(tmp_path, (
        f'"","Jean","","Tremblay","","Acme","","VP","","{DN}","EX",'
        '"Jean Tremblay (jtremblay@acme.com)","jean@perso.ca","SMTP","Jean (jean@perso.ca)"\r\n'))
    assert [e.value for e in jean.emails] == ["jtremblay@acme.com", "jean@perso.ca"]
    assert jean.external_id == "jtremblay@acme.com"     # not the directory name
    assert rejects == []


def test_an_smtp_entry_is_read_as_before(tmp_path: Path) -> None:
    (ann,), rejects = _read(tmp_path, (
        '"","Ann","","Lee","","","","","","ann@lee.ca","SMTP","Ann Lee (ann@other.ca)",'
        '"","",""\r\n'))
    assert [e.value for e in ann.emails] == ["ann@lee.ca"] and rejects == []


def test_an_exchange_entry_without_an_address_is_a_reject_not_a_silent_loss(
        tmp_path: Path) -> None:
    (jean,), (reject,) = _read(tmp_path, (
        f'"","Jean","","Tremblay","","Acme","","VP","514 555 0000","{DN}","EX",'
        '"Jean Tremblay","","",""\r\n'))
    assert jean.emails == [] and jean.phones
    assert not jean.external_id.startswith("/o=")
    assert reject.reason == "exchange-address"
    assert reject.locator == f"{tmp_path / 'outlook_ex.csv'}:2"
    assert "'E-mail Address' holds an Exchange directory name" in reject.message
    assert "'E-mail Display Name' holds none" in reject.message
    assert reject.excerpt == DN


def test_a_directory_name_is_recognised_without_its_type(tmp_path: Path) -> None:
    """Some tools drop or blank the type column; the "/o=" name says it anyway."""
    (jean,), _ = _read(tmp_path, (
        f'"","Jean","","Tremblay","","","","","","{DN}","",'
        '"Jean Tremblay (jtremblay@acme.com)","","",""\r\n'))
    assert [e.value for e in jean.emails] == ["jtremblay@acme.com"]
