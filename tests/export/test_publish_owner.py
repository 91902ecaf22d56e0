"""Publish writes the same contacts as `contacts` and `export`: never the owner."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import responses

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.publish import publish
from reseausync.store import Store

from ..connectors.carddav_fakes import (
    BOOK,
    BOOK_PATH,
    PASSWORD,
    XML,
    collection_response,
    multistatus,
)

TARGET = {"connector": "carddav", "url": BOOK, "username": "marie"}
CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-me\r\nFN:Marie Example\r\nN:Example;Marie;;;\r\n"
    "EMAIL:marie@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-jean\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
    "EMAIL:jd@acme.com\r\nEND:VCARD\r\n")


def owner_directory(tmp_path: Path) -> tuple[str, Settings]:
    settings = Settings.model_validate({"region": "CA", "me": {"emails": ["marie@example.com"]}})
    book = tmp_path / "phone.vcf"
    book.write_bytes(CARDS.encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(book)], db=db, settings=settings)
    return db, settings


@responses.activate
def test_publish_leaves_the_owner_out_like_contacts(tmp_path: Path) -> None:
    db, settings = owner_directory(tmp_path)
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))
    responses.add("PUT", re.compile(re.escape(BOOK) + ".*"), status=201,
                  headers={"ETag": '"e1"'})
    store = Store.open(db)
    try:
        result = publish(store, TARGET, password=PASSWORD)
    finally:
        store.close()
    bodies = [c.request.body.decode() for c in responses.calls if c.request.method == "PUT"]
    listed = directory.contacts(db, date.today(), settings)
    assert [c["display_name"] for c in listed] == ["Jean Dupont"]
    assert result.created == len(bodies) == 1
    assert "FN:Jean Dupont" in bodies[0] and "marie@example.com" not in bodies[0]


@responses.activate
def test_an_owner_card_published_before_is_deleted(tmp_path: Path) -> None:
    db, _ = owner_directory(tmp_path)
    store = Store.open(db)
    try:
        (owner,) = [r[0] for r in store.db.execute("SELECT id, data FROM contacts")
                    if '"me"' in r[1]]
        href = f"{BOOK}reseausync-{owner}.vcf"
        with store.transaction() as con:   # what an earlier publish wrote
            con.execute("INSERT INTO published (target, contact_id, href, uid, etag, "
                        "content_hash, published_at, conflict) VALUES (?, ?, ?, ?, ?, ?, ?, '')",
                        (BOOK, owner, href, f"reseausync-{owner}", '"e0"', "x", "then"))
        responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                      body=multistatus(collection_response(BOOK_PATH)))
        responses.add("PUT", re.compile(re.escape(BOOK) + ".*"), status=201,
                      headers={"ETag": '"e1"'})
        responses.add("DELETE", href, status=204)
        result = publish(store, TARGET, password=PASSWORD)
    finally:
        store.close()
    assert (result.created, result.deleted) == (1, 1)
    deleted = [c.request for c in responses.calls if c.request.method == "DELETE"]
    assert [d.url for d in deleted] == [href] and deleted[0].headers["If-Match"] == '"e0"'
