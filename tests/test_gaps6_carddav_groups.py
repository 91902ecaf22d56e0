"""CardDAV group cards as categories, against exact exchanges (`responses`): what the
cursor keeps, a member fetched before its group in one read, a multiget that
fails, a book without groups keeping the cursor it always had. The real server's
side (members added and removed across syncs) is tests/integration/test_gaps6_*."""

from __future__ import annotations

import json

import responses
from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.carddav import CardDavConnector
from reseausync_connectors.carddav.groups import BookGroups, href_key

from .connectors.carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK,
    BOOK_PATH,
    OPTIONS,
    PASSWORD,
    PASSWORD_ENV,
    XML,
    card,
    collection_response,
    data_response,
    dav_password,
    etag_response,
    multistatus,
)


def group(name: str, *members: str, uid: str = "grp") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}",
             "X-ADDRESSBOOKSERVER-KIND:group"]
    lines += [f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m.upper()}" for m in members]
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def listing(*hrefs: str) -> None:
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        *(etag_response(BOOK_PATH + h, '"1"') for h in hrefs), token="t1"))


def connector() -> CardDavConnector:
    conn = CardDavConnector(OPTIONS, ReadContext(source="team"))
    conn.http.sleep = lambda seconds: None
    return conn


def records(items: list) -> dict[str, list[str]]:
    return {i.display_name: i.categories for i in items if isinstance(i, SourceRecord)}


@responses.activate
def test_a_member_read_before_its_group_gets_it_and_the_cursor_keeps_both() -> None:
    listing("a.vcf", "x9.vcf", "z-group.vcf")
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        data_response(BOOK_PATH + "a.vcf", '"1"', card("Ann Roy", uid="A")),
        data_response(BOOK_PATH + "x9.vcf", '"1"', card("Bob Roy", uid="urn:uuid:B-2")),
        data_response(BOOK_PATH + "z-group.vcf", '"1"', group("Famille", "a", "b-2"))))
    conn = connector()
    units = list(conn.discover(BOOK))
    items = list(conn.read(units))
    assert records(items) == {"Ann Roy": ["Famille"], "Bob Roy": ["Famille"]}
    assert [i.reason for i in items if not isinstance(i, SourceRecord)] == ["contact-group"]
    assert conn.stats["bodies_fetched"] == 3          # each card once, not twice
    state = json.loads(conn.cursor)["books"][BOOK]
    assert state["groups"] == {BOOK_PATH + "z-group.vcf": ["Famille", ["a", "b-2"]]}
    assert state["uids"] == {BOOK_PATH + "x9.vcf": "b-2", BOOK_PATH + "z-group.vcf": "grp"}
    assert conn.reread() == [BOOK_PATH + "a.vcf", BOOK_PATH + "x9.vcf"]


@responses.activate
def test_a_failed_multiget_still_learns_the_group_before_yielding() -> None:
    listing("a.vcf", "z-group.vcf")
    responses.add("REPORT", BOOK, status=207, content_type=XML, body="<not xml")
    responses.add("GET", BOOK + "a.vcf", body=card("Ann Roy", uid="a"))
    responses.add("GET", BOOK + "z-group.vcf", body=group("Famille", "a"))
    conn = connector()
    items = list(conn.read(list(conn.discover(BOOK))))
    assert records(items) == {"Ann Roy": ["Famille"]}
    gets = [c.request.url for c in responses.calls if c.request.method == "GET"]
    assert gets == [BOOK + "a.vcf", BOOK + "z-group.vcf"]       # once each


@responses.activate
def test_a_book_without_groups_keeps_its_cursor_and_rereads_nothing() -> None:
    listing("a.vcf")
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        data_response(BOOK_PATH + "a.vcf", '"1"', card("Ann Roy", uid="a"))))
    conn = connector()
    list(conn.read(list(conn.discover(BOOK))))
    assert json.loads(conn.cursor)["books"][BOOK] == {
        "token": "t1", "etags": {BOOK_PATH + "a.vcf": '"1"'}}
    assert conn.reread() == []


@responses.activate
def test_a_group_removed_from_the_listing_makes_its_members_stale() -> None:
    before = {"v": 1, "books": {BOOK: {
        "token": "", "etags": {BOOK_PATH + "a.vcf": '"1"', BOOK_PATH + "g.vcf": '"1"'},
        "groups": {BOOK_PATH + "g.vcf": ["Famille", ["a"]]}}}}
    listing("a.vcf")
    conn = connector()
    conn.cursor = json.dumps(before)
    units = list(conn.discover(BOOK))
    assert [u.id for u in units] == [BOOK_PATH + "a.vcf"]
    assert conn.reread() == [BOOK_PATH + "a.vcf"]
    assert "groups" not in json.loads(conn.cursor)["books"][BOOK]


def test_read_version_reads_every_book_once_more() -> None:
    """The UIDs and groups of cards read by an earlier version are not known."""
    assert CardDavConnector.read_version == 3


_KEY = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=8)


@given(st.dictionaries(_KEY, _KEY, max_size=5),
       st.lists(st.tuples(st.sampled_from(["Famille", "Amis", "Club"]),
                          st.lists(_KEY, max_size=4)), max_size=3))
def test_membership_follows_uids_and_survives_the_cursor(uids: dict[str, str],
                                                         groups: list) -> None:
    """A card is in a group exactly when the group names its UID (or, with no UID
    known, the UID its href spells); dumping and loading changes nothing."""
    book = BookGroups()
    hrefs = [f"/b/{h}.vcf" for h in uids]
    for href, uid in zip(hrefs, uids.values(), strict=True):
        book.learn(href, card("X", uid=uid))
    for n, (name, members) in enumerate(groups):
        book.learn(f"/b/grp{n}.vcf", group(name, *members, uid=f"g{n}") if members
                   else card(name, uid=f"g{n}"))
    state: dict = {}
    book.dump(state)
    again = BookGroups.load(json.loads(json.dumps(state)))
    for href, uid in zip(hrefs, uids.values(), strict=True):
        expected = list(dict.fromkeys(
            name for name, members in groups if uid.lower() in {m.lower() for m in members}))
        assert book.membership(hrefs).get(href, []) == expected
        assert again.membership(hrefs).get(href, []) == expected
    assert all(href_key(h) != k for h, k in again.uids.items())
