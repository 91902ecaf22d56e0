"""A card the server holds in cp1252 keeps its accents (qa3_dav F6).

Its multiget answer is not UTF-8 XML, so the connector GETs the card, and decoded it
with errors="replace": every accent became U+FFFD, with no reject. The same bytes
in a .vcf file were read right.
"""

from __future__ import annotations

import pytest
import responses

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.carddav import CardDavConnector

from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK,
    BOOK_PATH,
    PASSWORD,
    PASSWORD_ENV,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)

CP1252 = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:renee\r\nFN:Renée Bélanger\r\n"
          "N:Bélanger;Renée;;;\r\nORG:Société Générale\r\nEMAIL:renee@example.org\r\n"
          "END:VCARD\r\n").encode("cp1252")
HREF = BOOK_PATH + "renee.vcf"


def serve(card: bytes, content_type: str) -> None:
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))
    responses.add("REPORT", BOOK, status=207, content_type=XML,
                  body=multistatus(etag_response(HREF, '"1"'), token="t1"))
    # the multiget answer carries the card's bytes as they are: not UTF-8 XML
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=(
        b'<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" '
        b'xmlns:card="urn:ietf:params:xml:ns:carddav"><d:response><d:href>'
        + HREF.encode() + b'</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>'
        b"<card:address-data>" + card + b"</card:address-data></d:prop>"
        b"<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>"))
    responses.add("GET", BOOK + "renee.vcf", status=200, body=card,
                  headers={"Content-Type": content_type})


def read_all() -> list:
    conn = CardDavConnector({"url": BOOK, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team"))
    conn.http.sleep = lambda seconds: None
    return list(conn.read(conn.discover(BOOK)))


@responses.activate
@pytest.mark.parametrize("content_type", ["text/vcard", "text/vcard; charset=utf-8",
                                          'text/vcard; charset="windows-1252"',
                                          "text/vcard; charset=x-unknown"])
def test_a_cp1252_card_keeps_its_accents(content_type: str) -> None:
    serve(CP1252, content_type)
    items = read_all()
    record = items[0]
    assert len(items) == 1 and isinstance(record, SourceRecord), items
    assert (record.display_name, record.family_name) == ("Renée Bélanger", "Bélanger")
    assert record.organization == "Société Générale"
    assert "\ufffd" not in repr(record)


@responses.activate
def test_a_declared_latin1_charset_is_honoured() -> None:
    serve("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ørsted\r\nEND:VCARD\r\n".encode("latin-1"),
          "text/vcard; charset=ISO-8859-1")
    items = read_all()
    assert isinstance(items[0], SourceRecord) and items[0].display_name == "Zoë Ørsted"


@responses.activate
def test_undecodable_bytes_in_a_body_that_is_no_vcard_still_make_a_storable_reject() -> None:
    serve(b"\xff\xfe garbage \x81\x8d", "text/vcard")
    items = read_all()
    assert isinstance(items[0], Reject) and items[0].reason == "not-vcard"
    items[0].excerpt.encode("utf-8")                   # no lone surrogate to store
