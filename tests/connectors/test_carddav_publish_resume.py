"""Publish recognises its own cards after a PUT answered late or cut off (qa3_dav F1).

A server that performs a PUT but answers after the timeout gets the PUT again; the
retry meets our own first write (412). Before, that card was reported as someone
else's for ever and never updated or deleted again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses
from hypothesis import given
from hypothesis import strategies as st

from reseausync.publish import PublishInterrupted, card_uid, publish
from reseausync.store import Store
from reseausync_connectors.carddav.target import same_card

from .carddav_fakes import BOOK, PASSWORD
from .test_carddav_publish import TARGET, book_exists, card_url, person

pytestmark = pytest.mark.usefixtures("no_backoff")    # tests/connectors/conftest.py


def reordered(text: str) -> str:
    """The card as Radicale stores it: properties sorted, BEGIN/VERSION first."""
    lines = text.rstrip("\r\n").split("\r\n")
    return "\r\n".join([*lines[:2], *sorted(lines[2:-1]), lines[-1]]) + "\r\n"


class Server:
    """One card's PUTs: the card is stored, then the answer may be lost (timeout)."""

    def __init__(self, cid: str) -> None:
        self.url = card_url(cid)
        self.text: str | None = None
        self.etag = 0
        self.lose_answers = 0
        self.interrupt = False          # Ctrl-C once the card is stored
        self.puts: list[dict[str, str]] = []

    def register(self) -> None:
        responses.add_callback("PUT", self.url, callback=self.put)
        responses.add_callback("GET", self.url, callback=self.get)
        responses.add_callback("PROPFIND", self.url, callback=self.propfind)

    def put(self, request):
        self.puts.append(dict(request.headers))
        current = f'"e{self.etag}"' if self.text is not None else None
        if request.headers.get("If-None-Match") == "*" and current is not None:
            return 412, {}, ""
        if "If-Match" in request.headers and request.headers["If-Match"] != current:
            return 412, {}, ""
        self.text, self.etag = reordered(request.body.decode()), self.etag + 1
        if self.interrupt:
            self.interrupt = False
            raise KeyboardInterrupt
        if self.lose_answers:
            self.lose_answers -= 1
            raise requests.ReadTimeout("the answer came too late")
        return 201, {"ETag": f'"e{self.etag}"'}, ""

    def get(self, _request):
        if self.text is None:
            return 404, {}, ""
        return 200, {"ETag": f'"e{self.etag}"', "Content-Type": "text/vcard"}, self.text


    def propfind(self, _request):
        if self.text is None:
            return 404, {}, ""
        return 207, {"Content-Type": "application/xml"}, etag_answer(self.url,
                                                                      f'"e{self.etag}"')


def saved(store: Store, cid: str) -> tuple[str, str] | None:
    row = store.db.execute("SELECT etag, conflict FROM published WHERE contact_id=?",
                           (cid,)).fetchone()
    return None if row is None else (row[0], row[1])


@responses.activate
def test_a_create_answered_late_is_adopted_not_a_conflict(store: Store) -> None:
    book_exists()
    server = Server("c1")
    server.register()
    server.lose_answers = 1
    result = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Ann")])
    assert (result.created, result.conflicts) == (1, [])
    assert len(server.puts) == 2                        # the retry met our own card
    assert saved(store, "c1") == ('"e1"', "")

    result = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Anne")])
    assert (result.updated, result.conflicts) == (1, [])
    assert "FN:Anne" in (server.text or "")


@responses.activate
def test_an_update_answered_late_is_adopted_not_a_conflict(store: Store) -> None:
    book_exists()
    server = Server("c1")
    server.register()
    publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Ann")])
    server.lose_answers = 1
    result = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Anne")])
    assert (result.updated, result.conflicts) == (1, [])
    assert saved(store, "c1") == ('"e2"', "")
    again = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Anne")])
    assert (again.unchanged, again.conflicts) == (1, [])


@responses.activate
def test_a_card_edited_on_the_server_is_still_a_conflict(store: Store) -> None:
    book_exists()
    server = Server("c1")
    server.register()
    publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Ann")])
    server.text, server.etag = (server.text or "").replace("FN:Ann", "FN:Ann B."), 5
    result = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Anne")])
    assert result.updated == 0 and "changed on the server" in result.conflicts[0]
    assert "FN:Ann B." in (server.text or "")


@responses.activate
def test_another_directorys_identical_card_is_never_adopted(store: Store) -> None:
    """Two directories built from the same records write the same card: a 412 at the
    first attempt stays a conflict, and no row (not even the pending one) is kept."""
    book_exists()
    server = Server("c1")
    server.register()
    server.text = reordered(publish_text("c1", "Ann"))
    result = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Ann")])
    assert result.created == 0 and "not written by this directory" in result.conflicts[0]
    assert saved(store, "c1") is None
    assert not [c for c in responses.calls if c.request.method == "GET"]


def publish_text(cid: str, name: str) -> str:
    from reseausync.export.vcard import contact_to_vcard
    return contact_to_vcard(person(cid, name), version="3.0", uid=card_uid(cid))


@responses.activate
def test_ctrl_c_during_a_put_leaves_a_card_the_next_publish_takes_over(
        store: Store) -> None:
    book_exists()
    first, second = Server("c1"), Server("c2")
    first.register()
    second.register()
    second.interrupt = True
    people = [person("c1", "Ann"), person("c2", "Bob")]
    with pytest.raises(PublishInterrupted) as info:
        publish(store, TARGET, password=PASSWORD, contacts=people)
    assert "after 1 card change(s) (1 created" in str(info.value)
    assert "kept on the server" in str(info.value)
    assert isinstance(info.value, KeyboardInterrupt)     # a scheduler still stops
    assert second.text is not None and saved(store, "c2") == ("", "")

    people[1] = person("c2", "Bobby")                     # changed since: taken over anyway
    result = publish(store, TARGET, password=PASSWORD, contacts=people)
    assert (result.created, result.unchanged, result.conflicts) == (1, 1, [])
    assert second.puts[-1]["If-Match"] == '"e1"' and "FN:Bobby" in (second.text or "")
    assert saved(store, "c2") == ('"e2"', "")


@responses.activate
def test_a_pending_card_of_a_contact_gone_is_deleted(store: Store) -> None:
    book_exists()
    server = Server("c2")
    server.register()
    server.interrupt = True
    with pytest.raises(PublishInterrupted):
        publish(store, TARGET, password=PASSWORD, contacts=[person("c2", "Bob")])
    responses.add("DELETE", server.url, status=204)
    result = publish(store, TARGET, password=PASSWORD, contacts=[])
    assert result.deleted == 1 and saved(store, "c2") is None
    delete = [c.request for c in responses.calls if c.request.method == "DELETE"][0]
    assert delete.headers["If-Match"] == '"e1"'


@responses.activate
def test_a_pending_card_that_never_arrived_is_just_forgotten(store: Store) -> None:
    book_exists()
    responses.add_callback("PUT", card_url("c2"), callback=ctrl_c)
    with pytest.raises(PublishInterrupted, match="before any card change"):
        publish(store, TARGET, password=PASSWORD, contacts=[person("c2", "Bob")])
    responses.add("PROPFIND", card_url("c2"), status=404)
    result = publish(store, TARGET, password=PASSWORD, contacts=[])
    assert result.deleted == 0 and saved(store, "c2") is None
    assert not [c for c in responses.calls if c.request.method == "DELETE"]


def ctrl_c(_request):
    raise KeyboardInterrupt


def etag_answer(url: str, etag: str) -> str:
    from .carddav_fakes import etag_response, multistatus
    return multistatus(etag_response(url.replace(BOOK.split("/dav/")[0], ""), etag))


line = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e,
                                      exclude_characters=":;"), min_size=1, max_size=8)
prop = st.tuples(line, st.text(alphabet=st.characters(min_codepoint=0x20,
                                                     max_codepoint=0x17f,
                                                     exclude_characters="\r\n"),
                               max_size=120))


@given(st.lists(prop, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_same_card_ignores_order_and_folding(props, rnd) -> None:
    body = [f"{name}:{value}" for name, value in props]
    card = "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *body, "END:VCARD"]) + "\r\n"
    shuffled = list(body)
    rnd.shuffle(shuffled)
    folded = [_fold(x, rnd.randint(10, 75)) for x in shuffled]
    other = "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//server//EN",
                         *folded, "END:VCARD"]) + "\r\n"
    assert same_card(card, other)
    assert not same_card(card, card.replace(body[0], body[0] + "x", 1))


def _fold(text: str, width: int) -> str:
    parts = [text[i:i + width] for i in range(0, len(text), width)] or [""]
    return "\r\n ".join(parts)


def test_the_command_line_says_what_an_interrupted_publish_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """It said "nothing of the unfinished run was kept" while 3,781 cards stayed."""
    from reseausync import directory
    from reseausync.cli import main
    from reseausync.publish import PublishResult

    config = tmp_path / "reseausync.toml"
    config.write_text(f'[directory]\npath = "d.db"\n[publish]\nconnector = "carddav"\n'
                      f'url = "{BOOK}"\nusername = "marie"\n')

    def stopped(_db: str, _settings: object) -> None:
        raise PublishInterrupted(PublishResult(created=3781))

    Store.open(tmp_path / "d.db").close()
    monkeypatch.setattr(directory, "publish", stopped)
    assert main(["--config", str(config), "publish"]) == 1
    err = capsys.readouterr().err
    assert "after 3781 card change(s)" in err and "nothing" not in err
