"""QA8 #5: a Nextcloud account URL read the books Nextcloud generates.

Every Nextcloud account home holds `z-server-generated--system` (every account of
the instance) and `z-app-generated--contactsinteraction--recent` (whoever the user
wrote to lately): read as the user's contacts, hundreds of colleagues became
"never engaged" contacts. They are skipped unless named; `books` and
`exclude_books` choose among an account's books; `check` names what it read.
"""

from __future__ import annotations

import pytest
import responses

from reseausync.config import validate_connector_options
from reseausync.connector import ReadContext
from reseausync.errors import SourceError
from reseausync_connectors.carddav import CardDavConnector

from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    PASSWORD_ENV,
    SERVER,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)

ACCOUNT = f"{SERVER}/remote.php/dav"
HOME = "/remote.php/dav/addressbooks/users/marie/"
BOOKS = {"contacts": "Contacts", "work": "Travail",
         "z-server-generated--system": "System address book",
         "z-app-generated--contactsinteraction--recent": "Recently contacted"}


def named(name: str) -> str:
    return f"<d:displayname>{name}</d:displayname>"


def nextcloud() -> None:
    """An account URL whose home holds two books of the user's and two generated."""
    home_set = ("<card:addressbook-home-set><d:href>" + HOME
                + "</d:href></card:addressbook-home-set>")
    responses.add("PROPFIND", ACCOUNT, status=207, content_type=XML, body=multistatus(
        collection_response("/remote.php/dav/", addressbook=False, extra=home_set)))
    responses.add("PROPFIND", SERVER + HOME, status=207, content_type=XML, body=multistatus(
        collection_response(HOME, addressbook=False),
        *[collection_response(f"{HOME}{book}/", extra=named(shown))
          for book, shown in BOOKS.items()]))
    for book in BOOKS:
        path = f"{HOME}{book}/"
        responses.add("REPORT", SERVER + path, status=207, content_type=XML,
                      body=multistatus(etag_response(f"{path}one.vcf", '"1"'), token="t"))


def connector(**options: object) -> CardDavConnector:
    return CardDavConnector({"url": ACCOUNT, "username": "marie",
                             "password_env": PASSWORD_ENV, **options},
                            ReadContext(source="team"))


def books_read(conn: CardDavConnector) -> set[str]:
    return {u.id.split("/")[-2] for u in conn.discover(ACCOUNT)}


@responses.activate
def test_an_account_url_skips_the_generated_books_and_check_names_them() -> None:
    nextcloud()
    assert books_read(connector()) == {"contacts", "work"}
    summary = connector().check(ACCOUNT)
    assert summary.startswith("2 address book(s) (contacts (Contacts), work (Travail)), "
                              "2 card(s)")
    assert "not read: z-app-generated--contactsinteraction--recent" in summary
    assert "z-server-generated--system (System address book)" in summary


@responses.activate
def test_books_and_exclude_books_choose_by_name_or_display_name() -> None:
    nextcloud()
    assert books_read(connector(books=["Travail"])) == {"work"}
    assert books_read(connector(books=["z-server-generated--system", "contacts"])) == {
        "z-server-generated--system", "contacts"}
    assert books_read(connector(exclude_books=["WORK"])) == {"contacts"}


@responses.activate
def test_a_book_named_that_is_not_there_is_an_error_not_an_empty_source() -> None:
    nextcloud()
    with pytest.raises(SourceError, match="no address book named perso"):
        list(connector(books=["perso"]).discover(ACCOUNT))


@responses.activate
def test_a_generated_book_given_as_the_url_is_read() -> None:
    url = f"{SERVER}{HOME}z-server-generated--system/"
    responses.add("PROPFIND", url, status=207, content_type=XML,
                  body=multistatus(collection_response(url.split(SERVER)[1])))
    responses.add("REPORT", url, status=207, content_type=XML,
                  body=multistatus(etag_response(f"{HOME}z-server-generated--system/a.vcf",
                                                 '"1"'), token="t"))
    conn = CardDavConnector({"url": url, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team"))
    assert len(list(conn.discover(url))) == 1


def test_the_options_are_checked_by_the_config() -> None:
    opts = {"url": ACCOUNT, "books": ["contacts"], "exclude_books": ["work"]}
    assert validate_connector_options("carddav", opts).books == ["contacts"]
    with pytest.raises(Exception, match="books"):
        validate_connector_options("carddav", {"url": ACCOUNT, "books": "contacts"})
