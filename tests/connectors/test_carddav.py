"""The CardDAV connector against exact HTTP exchanges (`responses`).

The real-server behaviour (Radicale) is in tests/integration; here are the
exchanges a real server will not produce on demand: rejected tokens, servers
without sync-collection, partial multistatus errors, HTML, foreign redirects.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import responses
from pydantic import ValidationError

from reseausync.connector import ReadContext, Unit
from reseausync.errors import RetriableError, SourceError
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.carddav import CardDavConnector

from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK,
    BOOK_PATH,
    ENTITY_BOMB,
    HTML_PAGE,
    OPTIONS,
    PASSWORD,
    PASSWORD_ENV,
    SERVER,
    XML,
    FakeBook,
    card,
    collection_response,
    data_response,
    dav_error,
    dav_password,
    etag_response,
    gone_response,
    missing_data_response,
    multistatus,
)
from .contract import ConnectorContract


def connector(cursor: str = "", **options) -> CardDavConnector:
    conn = CardDavConnector({**OPTIONS, **options}, ReadContext(source="team"))
    conn.http.sleep = lambda seconds: None
    conn.cursor = cursor
    return conn


def cursor_of(token: str, etags: dict[str, str], book: str = BOOK) -> str:
    return json.dumps({"v": 1, "books": {book: {"token": token, "etags": etags}}})


def is_book(status: int = 207) -> None:
    responses.add("PROPFIND", BOOK, status=status, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))


def report_bodies() -> list[str]:
    return [c.request.body.decode() if isinstance(c.request.body, bytes) else c.request.body
            for c in responses.calls if c.request.method == "REPORT"]


# discovery ---------------------------------------------------------------


@responses.activate
def test_discovery_from_the_server_root() -> None:
    root = f"{SERVER}/"
    responses.add("PROPFIND", root, status=207, content_type=XML, body=multistatus(
        collection_response("/", addressbook=False, extra=(
            "<d:current-user-principal><d:href>/dav/principals/marie/</d:href>"
            "</d:current-user-principal>"))))
    responses.add("PROPFIND", f"{SERVER}/dav/principals/marie/", status=207, content_type=XML,
                  body=multistatus(collection_response("/dav/principals/marie/", False, (
                      "<card:addressbook-home-set><d:href>/dav/marie/</d:href>"
                      "</card:addressbook-home-set>"))))
    responses.add("PROPFIND", f"{SERVER}/dav/marie/", status=207, content_type=XML,
                  body=multistatus(collection_response("/dav/marie/", False),
                                   collection_response(BOOK_PATH),
                                   collection_response("/dav/marie/calendar/", False)))
    responses.add("REPORT", BOOK, status=207, content_type=XML,
                  body=multistatus(etag_response(BOOK_PATH + "a.vcf", '"1"'), token="t1"))
    units = list(connector(url=root).discover(root))
    assert [(u.id, u.fingerprint) for u in units] == [(BOOK_PATH + "a.vcf", '"1"')]
    assert units[0].meta["book"] == BOOK


@responses.activate
def test_discovery_answered_with_html_is_a_clear_source_error() -> None:
    responses.add("PROPFIND", BOOK, status=207, body=HTML_PAGE, content_type="text/html")
    with pytest.raises(SourceError, match="HTML page"):
        list(connector().discover(BOOK))


@responses.activate
def test_401_is_a_source_error_naming_the_variable(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses.add("PROPFIND", BOOK, status=401)
    with pytest.raises(SourceError) as info:
        list(connector().discover(BOOK))
    assert not isinstance(info.value, RetriableError)
    message = f"{info.value} {info.value.hint}"
    assert "team" in message and PASSWORD_ENV in message
    assert PASSWORD not in message and PASSWORD not in caplog.text


def test_missing_password_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(SourceError, match=PASSWORD_ENV):
        list(CardDavConnector(OPTIONS, ReadContext(source="team")).discover(BOOK))


@responses.activate
def test_5xx_storm_fails_retriable_after_bounded_attempts() -> None:
    responses.add("PROPFIND", BOOK, status=500)
    with pytest.raises(RetriableError):
        list(connector().discover(BOOK))
    assert 1 < len(responses.calls) <= 6


@responses.activate
def test_entity_bomb_in_a_listing_is_refused() -> None:
    is_book()
    responses.add("REPORT", BOOK, status=501)
    responses.add("PROPFIND", BOOK, status=207, content_type=XML, body=ENTITY_BOMB)
    with pytest.raises(SourceError, match="unsafe XML"):
        list(connector().discover(BOOK))


# listing: sync-collection, tokens, fallbacks ------------------------------


@responses.activate
def test_first_run_uses_an_initial_sync_and_stores_token_and_etags() -> None:
    is_book()
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        etag_response(BOOK_PATH + "a.vcf", '"1"'), etag_response(BOOK_PATH + "b.vcf", '"2"'),
        token="t1"))
    conn = connector()
    units = list(conn.discover(BOOK))
    assert [u.id for u in units] == [BOOK_PATH + "a.vcf", BOOK_PATH + "b.vcf"]
    assert "<d:sync-token/>" in report_bodies()[0]
    state = json.loads(conn.cursor)["books"][BOOK]
    assert state == {"token": "t1", "etags": {BOOK_PATH + "a.vcf": '"1"',
                                              BOOK_PATH + "b.vcf": '"2"'}}


@responses.activate
def test_incremental_sync_applies_changes_to_the_previous_listing() -> None:
    is_book()
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        etag_response(BOOK_PATH + "a.vcf", '"1b"'), gone_response(BOOK_PATH + "c.vcf"),
        etag_response(BOOK_PATH + "d.vcf", '"4"'), token="t2"))
    before = {BOOK_PATH + n: '"1"' for n in ("a.vcf", "b.vcf", "c.vcf")}
    conn = connector(cursor_of("t1", before))
    units = {u.id: u.fingerprint for u in conn.discover(BOOK)}
    assert units == {BOOK_PATH + "a.vcf": '"1b"', BOOK_PATH + "b.vcf": '"1"',
                     BOOK_PATH + "d.vcf": '"4"'}
    assert "<d:sync-token>t1</d:sync-token>" in report_bodies()[0]
    assert len(report_bodies()) == 1 and conn.stats["listing"] == "sync-delta"
    assert json.loads(conn.cursor)["books"][BOOK]["token"] == "t2"


@responses.activate
def test_invalid_sync_token_falls_back_to_a_full_listing() -> None:
    is_book()
    responses.add("REPORT", BOOK, status=403, content_type=XML,
                  body=dav_error("valid-sync-token"))
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        etag_response(BOOK_PATH + "b.vcf", '"2"'), token="fresh"))
    conn = connector(cursor_of("expired", {BOOK_PATH + "a.vcf": '"1"'}))
    units = list(conn.discover(BOOK))
    assert [u.id for u in units] == [BOOK_PATH + "b.vcf"]        # a.vcf is gone: no unit
    bodies = report_bodies()
    assert "<d:sync-token>expired</d:sync-token>" in bodies[0]
    assert "<d:sync-token/>" in bodies[1]
    assert json.loads(conn.cursor)["books"][BOOK]["token"] == "fresh"


@responses.activate
def test_server_without_sync_collection_lists_with_propfind() -> None:
    is_book()
    responses.add("REPORT", BOOK, status=501)
    responses.add("PROPFIND", BOOK, status=207, content_type=XML, body=multistatus(
        collection_response(BOOK_PATH), etag_response(BOOK_PATH + "a.vcf", '"1"'),
        collection_response(BOOK_PATH + "sub/", False)))
    conn = connector(cursor_of("t1", {BOOK_PATH + "a.vcf": '"1"'}))
    units = list(conn.discover(BOOK))
    assert [(u.id, u.fingerprint) for u in units] == [(BOOK_PATH + "a.vcf", '"1"')]
    assert conn.stats["listing"] == "propfind"
    assert json.loads(conn.cursor)["books"][BOOK]["token"] == ""


@responses.activate
def test_unreadable_cursor_means_a_fresh_start() -> None:
    is_book()
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        etag_response(BOOK_PATH + "a.vcf", '"1"'), token="t1"))
    assert len(list(connector("{not json").discover(BOOK))) == 1
    assert "<d:sync-token/>" in report_bodies()[0]


# reading -----------------------------------------------------------------


def units_of(*names: str) -> list[Unit]:
    return [Unit(id=BOOK_PATH + n, fingerprint='"x"', meta={"book": BOOK}) for n in names]


def by_kind(items: list) -> tuple[dict[str, SourceRecord], dict[str, Reject]]:
    records = {i.external_id: i for i in items if isinstance(i, SourceRecord)}
    rejects = {i.locator: i for i in items if isinstance(i, Reject)}
    return records, rejects


@responses.activate
def test_multistatus_with_partial_errors() -> None:
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        data_response(BOOK_PATH + "a.vcf", '"1"', card("Ann Roy", "ann@x.ca")),
        missing_data_response(BOOK_PATH + "b.vcf"),
        gone_response(BOOK_PATH + "c.vcf"),
        data_response(BOOK_PATH + "e.vcf", '"5"', "this is no card"),
        data_response(BOOK_PATH + "f.vcf", '"6"', "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut"),
        data_response(BOOK_PATH + "g.vcf", '"7"', card("Gil Nadeau"))))
    items = list(connector().read(units_of("a.vcf", "b.vcf", "c.vcf", "d.vcf", "e.vcf",
                                           "f.vcf", "g.vcf")))
    records, rejects = by_kind(items)
    assert set(records) == {BOOK_PATH + "a.vcf", BOOK_PATH + "g.vcf"}
    ann = records[BOOK_PATH + "a.vcf"]
    assert ann.display_name == "Ann Roy" and ann.connector == "carddav"
    assert ann.source == "team" and ann.unit == ann.locator == BOOK_PATH + "a.vcf"
    assert {k: v.reason for k, v in rejects.items()} == {
        BOOK_PATH + "b.vcf": "card-not-found", BOOK_PATH + "c.vcf": "card-not-found",
        BOOK_PATH + "d.vcf": "card-missing", BOOK_PATH + "e.vcf": "not-vcard",
        BOOK_PATH + "f.vcf": rejects[BOOK_PATH + "f.vcf"].reason}
    assert rejects[BOOK_PATH + "f.vcf"].reason not in ("card-missing", "not-vcard")
    for reject in rejects.values():
        assert reject.locator in reject.message and reject.unit == reject.locator


@responses.activate
def test_batches_follow_batch_size() -> None:
    book = FakeBook(BOOK, {f"{i}.vcf": card(f"Person {i}") for i in range(5)})
    book.register(responses)
    items = list(connector(batch_size=2).read(units_of(*(f"{i}.vcf" for i in range(5)))))
    assert len([i for i in items if isinstance(i, SourceRecord)]) == 5
    assert book.multigets == 3


@responses.activate
def test_html_multiget_falls_back_to_one_get_per_card() -> None:
    responses.add("REPORT", BOOK, status=207, body=HTML_PAGE, content_type="text/html")
    responses.add("GET", BOOK + "a.vcf", status=200, body=card("Ann Roy"),
                  content_type="text/vcard")
    responses.add("GET", BOOK + "b.vcf", status=200, body=HTML_PAGE, content_type="text/html")
    responses.add("GET", BOOK + "c.vcf", status=302,
                  headers={"Location": "https://elsewhere.example.net/c.vcf"})
    responses.add("GET", BOOK + "d.vcf", status=404)
    items = list(connector().read(units_of("a.vcf", "b.vcf", "c.vcf", "d.vcf")))
    records, rejects = by_kind(items)
    assert list(records) == [BOOK_PATH + "a.vcf"]
    assert rejects[BOOK_PATH + "b.vcf"].reason == "not-vcard"
    assert "HTML" in rejects[BOOK_PATH + "b.vcf"].message
    assert rejects[BOOK_PATH + "c.vcf"].reason == "card-unreadable"
    assert "another host" in rejects[BOOK_PATH + "c.vcf"].message
    assert rejects[BOOK_PATH + "d.vcf"].reason == "card-not-found"
    assert not any(c.request.url.startswith("https://elsewhere") for c in responses.calls)


@responses.activate
def test_malformed_multiget_xml_falls_back_to_get() -> None:
    responses.add("REPORT", BOOK, status=207, content_type=XML,
                  body='<d:multistatus xmlns:d="DAV:"><d:response>')
    responses.add("GET", BOOK + "a.vcf", status=200, body=card("Ann Roy"))
    records, rejects = by_kind(list(connector().read(units_of("a.vcf"))))
    assert list(records) == [BOOK_PATH + "a.vcf"] and not rejects


@responses.activate
def test_401_while_reading_stops_the_source() -> None:
    responses.add("REPORT", BOOK, status=401)
    with pytest.raises(SourceError, match=PASSWORD_ENV):
        list(connector().read(units_of("a.vcf")))


# options -----------------------------------------------------------------


def test_can_open_http_urls_only() -> None:
    assert CardDavConnector.can_open("https://dav.example.test/x/")
    assert CardDavConnector.can_open("HTTP://127.0.0.1:5232/")
    assert not CardDavConnector.can_open("contacts.vcf")
    assert not CardDavConnector.can_open("ftp://dav.example.test/")


def test_options_refuse_credentials_in_the_url_and_bad_schemes() -> None:
    with pytest.raises(ValidationError):
        CardDavConnector.Options(url="https://marie:pw@dav.example.test/")
    with pytest.raises(ValidationError):
        CardDavConnector.Options(url="dav.example.test/")
    with pytest.raises(ValidationError):
        CardDavConnector.Options(url=BOOK, password="inline secrets are not an option")


def test_turning_tls_verification_off_warns(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    conn = connector(verify_tls=False)
    assert conn.http.session.verify is False
    assert "verify_tls" in caplog.text


# the shared contract -----------------------------------------------------

GOOD = f"{SERVER}/dav/marie/good/"
BROKEN = f"{SERVER}/dav/marie/broken/"


class TestCardDavContract(ConnectorContract):
    connector_cls = CardDavConnector
    good_target = GOOD            # a URL, not a Path: the contract only str()s it
    broken_target = BROKEN
    expected_records = 3
    after_bad_external_id = "/dav/marie/broken/3-after.vcf"
    options = {"url": GOOD, "username": "marie", "password_env": PASSWORD_ENV}

    @pytest.fixture(autouse=True)
    def fake_server(self) -> Iterator[None]:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            FakeBook(GOOD, {"jf.vcf": card("Jean-François Tremblay", "jf.tremblay@acme.ca"),
                            "kate.vcf": card("Kate O'Brien", "kate.obrien@shopify.com"),
                            "elise.vcf": card("Élise Gagnon")}).register(rsps)
            FakeBook(BROKEN, {"1-fred.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fred Lavoie\r\n",
                              "2-junk.vcf": "<html>not a card</html>",
                              "3-after.vcf": card("Fred Lavoie", "fred.lavoie@bombardier.com"),
                              }).register(rsps)
            yield


def test_a_contact_group_on_the_server_is_read_but_no_contact() -> None:
    """A group card (Apple's X-ADDRESSBOOKSERVER-KIND:group, as iCloud and macOS books
    hold them) is a plain reject: not "unread", which would fetch it again every sync
    and keep the person an older version made of it."""
    group = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g1\r\nFN:Amis du hockey\r\n"
             "X-ADDRESSBOOKSERVER-KIND:group\r\n"
             "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a1\r\nEND:VCARD\r\n")
    [unit] = units_of("g1.vcf")
    [item] = list(connector()._parse(unit, group))
    assert isinstance(item, Reject)
    assert item.reason == "contact-group" and not item.unread
    assert "Amis du hockey" in item.message
