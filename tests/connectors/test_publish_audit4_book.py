"""Publish notices cards that are no longer on the server (qa4_roundtrip #1).

Against a real Radicale on 127.0.0.1, with the audit's iPhone export imported
through the command line. Before, `publish` re-created a deleted address book and
then counted all 7 cards "unchanged" from its own records, leaving every phone
subscribed to the book with zero contacts; a single card deleted on the server
was likewise never written again, and a card edited on the server was noticed
only once the contact changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reseausync.publish import card_uid, same_etag
from reseausync_connectors.carddav.xml import GETETAG, parse_multistatus
from tests.conftest import run_cli
from tests.integration.conftest import (
    PASSWORD,
    PASSWORD_ENV,
    USER,
    Radicale,
    start_radicale,
    stop_radicale,
)

pytestmark = pytest.mark.integration

IPHONE = Path(__file__).parents[1] / "fixtures" / "vcard" / "audit4_iphone.vcf"
SUMMARY = re.compile(r"published: (\d+) created, (\d+) updated, (\d+) deleted, "
                     r"(\d+) unchanged, (\d+) conflicts")
ENV = {PASSWORD_ENV: PASSWORD}


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    proc, root = start_radicale(tmp_path_factory.mktemp("radicale"))
    try:
        yield Radicale(root)
    finally:
        stop_radicale(proc)


@pytest.fixture
def published(radicale: Radicale, tmp_path: Path) -> tuple[Path, Path, str]:
    """(db, config, book URL): the iPhone export imported and published once."""
    db, config = tmp_path / "a.db", tmp_path / "pub.toml"
    book = f"{radicale.root}/{USER}/clean-{tmp_path.name[-8:]}/"
    config.write_text(f'region = "CA"\n\n[publish]\nconnector = "carddav"\nurl = "{book}"\n'
                      f'username = "{USER}"\npassword_env = "{PASSWORD_ENV}"\n')
    done = run_cli("import", str(IPHONE), "--db", str(db), "--region", "CA")
    assert done.returncode == 0, done.stderr
    assert publish_counts(db, config) == (7, 0, 0, 0, 0)
    return db, config, book


def publish_counts(db: Path, config: Path) -> tuple[int, ...]:
    done = run_cli("publish", "--db", str(db), "--config", str(config), env=ENV)
    assert done.returncode == 0, done.stderr
    found = SUMMARY.search(done.stdout)
    assert found, done.stdout
    return tuple(int(n) for n in found.groups())


def our_cards(radicale: Radicale, book: str) -> dict[str, str]:
    """file name -> ETag of every reseausync card in the book, as the server lists it."""
    answer = radicale.session().request(
        "PROPFIND", book, headers={"Depth": "1"}, timeout=10,
        data='<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>')
    assert answer.status_code == 207, answer.status_code
    listing = parse_multistatus(answer.content, answer.headers.get("Content-Type", ""))
    return {r.href.rsplit("/", 1)[1]: r.text(GETETAG) or "" for r in listing.responses
            if r.href.rsplit("/", 1)[1].startswith("reseausync-")}


def test_a_book_deleted_on_the_server_is_filled_again(
        radicale: Radicale, published: tuple[Path, Path, str]) -> None:
    db, config, book = published
    assert len(our_cards(radicale, book)) == 7
    assert radicale.session().delete(book, timeout=10).status_code in (200, 204)

    assert publish_counts(db, config) == (7, 0, 0, 0, 0)
    assert len(our_cards(radicale, book)) == 7
    assert publish_counts(db, config) == (0, 0, 0, 7, 0)


def test_a_book_deleted_and_created_again_by_someone_else_is_filled_again(
        radicale: Radicale, published: tuple[Path, Path, str]) -> None:
    db, config, book = published
    radicale.session().delete(book, timeout=10)
    name = book.rstrip("/").rsplit("/", 1)[1]
    radicale.session().request("MKCOL", book, timeout=10, data=(
        '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>'
        "<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>"
        f"<d:displayname>{name}</d:displayname></d:prop></d:set></d:mkcol>"))
    assert our_cards(radicale, book) == {}

    assert publish_counts(db, config) == (7, 0, 0, 0, 0)
    assert len(our_cards(radicale, book)) == 7


def test_one_card_deleted_on_the_server_comes_back(
        radicale: Radicale, published: tuple[Path, Path, str]) -> None:
    db, config, book = published
    gone = sorted(our_cards(radicale, book))[0]
    radicale.delete_card(book, gone)

    assert publish_counts(db, config) == (1, 0, 0, 6, 0)
    assert gone in our_cards(radicale, book)
    assert publish_counts(db, config) == (0, 0, 0, 7, 0)


def test_a_card_edited_on_the_server_is_a_conflict_before_the_contact_changes(
        radicale: Radicale, published: tuple[Path, Path, str]) -> None:
    db, config, book = published
    name = sorted(our_cards(radicale, book))[0]
    card = radicale.get_card(book + name).text
    edited = card.replace("END:VCARD", "NOTE:added on the phone\r\nEND:VCARD")
    radicale.put_card(book, name, edited)

    done = run_cli("publish", "--db", str(db), "--config", str(config), env=ENV)
    assert done.returncode == 0, done.stderr
    assert SUMMARY.search(done.stdout).groups() == ("0", "0", "0", "6", "1")   # type: ignore[union-attr]
    assert name in done.stdout and "changed on the server" in done.stdout
    assert "added on the phone" in radicale.get_card(book + name).text   # kept


def test_the_card_ids_are_the_contacts(radicale: Radicale,
                                       published: tuple[Path, Path, str]) -> None:
    db, _config, book = published
    shown = run_cli("contacts", "--db", str(db), "--format", "json")
    ids = {c["id"] for c in json.loads(shown.stdout)}
    assert set(our_cards(radicale, book)) == {card_uid(i) + ".vcf" for i in ids}


@pytest.mark.parametrize(("a", "b", "same"), [
    ('"e1"', '"e1"', True), ('W/"e1"', '"e1"', True), ("e1", '"e1"', True),
    ('"e1"', '"e2"', False)])
def test_same_etag(a: str, b: str, same: bool) -> None:
    assert same_etag(a, b) is same
