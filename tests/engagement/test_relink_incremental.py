"""A run relinks only the interactions its changes reach (engagement/relink.py), and
the links it leaves equal a full relink's: on random sequences of card additions,
edits, removals, re-keys and logged interactions through the real import, and for
each trigger on its own, counting the interactions linked again."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reseausync import api, pipeline
from reseausync.config import Settings
from reseausync.engagement.linking import link_interactions
from reseausync.store import Store

NAMES = [("Kate", "Obrien"), ("Marc", "Lavoie"), ("Sophie", "Belanger"), ("Kate", "Obrien")]
EMAILS = ["kate@x.ca", "marc@y.ca", "sophie@z.ca", "info@x.ca"]
PHONES = ["514-555-0100", "514-555-0101", "514-555-0102", "514-555-0103"]
DATES = ["2019-03-01", "2024-06-15", "2030-01-10"]
SETTINGS = Settings.model_validate({"region": "CA", "me": {"emails": ["marie@example.com"]}})

Card = tuple[str, int, int | None, int | None]     # uid, name, email, phone
# people never changed: a step removing three cards stays under the mass-removal limit
STABLE = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Other{i};Person;;;\r\nFN:Person Other{i}\r\n"
                 f"EMAIL:other{i}@w.ca\r\nUID:stable-{i}\r\nEND:VCARD\r\n" for i in range(6))


class Book:
    """A phone book file and a call log, imported together as a sync would."""

    def __init__(self, root: Path, settings: Settings = SETTINGS) -> None:
        self.root = root
        self.db = str(root / "dir.db")
        self.settings = settings
        self.cards: dict[str, Card] = {}
        self.rows: list[str] = []
        self.relinked: list[dict[str, int]] = []

    def card(self, uid: str, name: int, email: int | None, phone: int | None) -> None:
        self.cards[uid] = (uid, name, email, phone)

    def log(self, date: str, who: str) -> None:
        self.rows.append(f"{date},{who},call,n{len(self.rows)},in")

    def sync(self, monkeypatch: pytest.MonkeyPatch) -> None:
        text = "".join(_vcard(*c) for c in self.cards.values()) + STABLE
        (self.root / "phone.vcf").write_text(text, encoding="utf-8", newline="")
        (self.root / "log.csv").write_text("date,who,channel,note,direction\n"
                                           + "".join(f"{r}\n" for r in self.rows),
                                           encoding="utf-8")
        real = pipeline.link_interactions

        def spy(*args: Any, **kwargs: Any) -> dict[str, int]:
            counts = real(*args, **kwargs)
            self.relinked.append(counts)
            return counts

        with monkeypatch.context() as patch:
            patch.setattr(pipeline, "link_interactions", spy)
            api.import_paths([str(self.root / "phone.vcf"), str(self.root / "log.csv")],
                             db=self.db, settings=self.settings)

    def links(self, path: str | None = None) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path or self.db) as db:
            return db.execute("SELECT interaction_id, participant, contact_id, method "
                              "FROM interaction_links ORDER BY 1, 2").fetchall()

    def full(self) -> list[tuple[Any, ...]]:
        """The links a full relink gives, on a copy of the directory."""
        copy = str(self.root / "full.db")
        Path(copy).unlink(missing_ok=True)
        with sqlite3.connect(self.db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        store = Store.open(copy)
        try:
            link_interactions(store, self.settings)
        finally:
            store.close()
        return self.links(copy)

    def last(self) -> dict[str, int]:
        return self.relinked[-1] if self.relinked else {}


def _vcard(uid: str, name: int, email: int | None, phone: int | None) -> str:
    given, family = NAMES[name]
    return ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{family};{given};;;\r\nFN:{given} {family}\r\n"
            + (f"EMAIL;type=INTERNET:{EMAILS[email]}\r\n" if email is not None else "")
            + (f"TEL;type=CELL:{PHONES[phone]}\r\n" if phone is not None else "")
            + f"UID:{uid}\r\nEND:VCARD\r\n")


def _who(kind: str, i: int) -> str:
    given, family = NAMES[i]
    return {"email": EMAILS[i], "phone": PHONES[i], "name": f"{given} {family}",
            "both": f"{given} {family} <{EMAILS[i]}>"}[kind]


index = st.integers(0, 3)
maybe = st.none() | index
step = st.one_of(
    st.tuples(st.just("add"), index, maybe, maybe),
    st.tuples(st.just("edit"), index, maybe, maybe),
    st.tuples(st.just("remove"), index, st.none(), st.none()),
    st.tuples(st.just("rekey"), index, st.none(), st.none()),
    st.tuples(st.just("log"), st.sampled_from(["email", "phone", "name", "both"]), index,
              st.sampled_from(DATES)))


@hsettings(max_examples=12, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture,
                                  HealthCheck.too_slow])
@given(st.lists(st.lists(step, min_size=1, max_size=3), min_size=2, max_size=4))
def test_incremental_links_equal_a_full_relink(tmp_path_factory: pytest.TempPathFactory,
                                               monkeypatch: pytest.MonkeyPatch,
                                               syncs: list[list[tuple[Any, ...]]]) -> None:
    book = Book(tmp_path_factory.mktemp("relink"))
    for uid, (name, email, phone) in (("a", (0, 0, 0)), ("b", (1, 1, 1)), ("c", (2, 2, None))):
        book.card(uid, name, email, phone)
    book.log("2024-01-02", EMAILS[0])
    book.log("2024-01-03", PHONES[1])
    book.sync(monkeypatch)
    for changes in syncs:
        for op, a, b, c in changes:
            _apply(book, op, a, b, c)
        book.sync(monkeypatch)
        assert book.links() == book.full()


def _apply(book: Book, op: str, a: Any, b: Any, c: Any) -> None:
    uids = sorted(book.cards)
    if op == "add":
        book.card(f"n{len(uids)}{a}{b}{c}", a, b, c)
    elif op == "edit" and uids:
        uid = uids[a % len(uids)]
        book.card(uid, book.cards[uid][1], b, c)
    elif op == "remove" and uids:
        del book.cards[uids[a % len(uids)]]
    elif op == "rekey" and uids:
        _, name, email, phone = book.cards.pop(uids[a % len(uids)])
        book.card(f"{uids[a % len(uids)]}-re", name, email, phone)
    elif op == "log":
        book.log(c, _who(a, b))


def _big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings = SETTINGS
         ) -> Book:
    """Three cards and 60 logged calls: 20 naming each card's address."""
    book = Book(tmp_path, settings)
    for uid, i in (("a", 0), ("b", 1), ("c", 2)):
        book.card(uid, i, i, i)
    for n in range(20):
        for i in range(3):
            book.log(f"2024-01-{n + 1:02d}", EMAILS[i])
    book.sync(monkeypatch)
    return book


def test_a_new_interaction_alone_is_linked(tmp_path: Path, monkeypatch) -> None:
    book = _big(tmp_path, monkeypatch)
    book.log("2024-02-01", PHONES[1])
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 1
    assert book.links() == book.full()


def test_an_edited_card_relinks_the_interactions_naming_its_old_and_new_address(
        tmp_path: Path, monkeypatch) -> None:
    book = _big(tmp_path, monkeypatch)
    book.log("2024-02-01", EMAILS[3])          # info@x.ca: nobody's yet
    book.sync(monkeypatch)
    book.card("a", 0, 3, 0)                     # kate@x.ca -> info@x.ca (a former value)
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 21        # her 20 calls and the info@ one
    assert book.links() == book.full()
    kate = {row[2] for row in book.links() if row[3] == "email"}
    assert len(kate) == 3                       # the old address still links to her


def test_a_removed_and_a_re_keyed_card_relink_only_their_interactions(
        tmp_path: Path, monkeypatch) -> None:
    book = _big(tmp_path, monkeypatch)
    del book.cards["c"]
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 20
    assert book.links() == book.full()
    _, name, email, phone = book.cards.pop("b")
    book.card("b-new-uid", name, email, phone)
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 0      # the successor keeps the contact: no key moved
    assert book.links() == book.full()


def test_a_card_sharing_an_address_relinks_the_interactions_naming_it(
        tmp_path: Path, monkeypatch) -> None:
    """Marc's second card with Kate's address: her 20 mails (no name to choose)
    become ambiguous, and are hers again once the card is gone; Marc's stay."""
    book = _big(tmp_path, monkeypatch)
    book.card("d", 1, 0, 1)
    book.sync(monkeypatch)
    assert book.links() == book.full()
    assert book.last() == {"ambiguous": 20, "participants": 20, "written": 20,
                           "dropped": 0, "relinked": 20}
    del book.cards["d"]
    book.sync(monkeypatch)
    assert book.links() == book.full()
    assert book.last()["relinked"] == 20


def test_another_owner_relinks_everything(tmp_path: Path, monkeypatch) -> None:
    book = _big(tmp_path, monkeypatch)
    book.settings = Settings.model_validate({"region": "CA", "me": {"emails": [EMAILS[2]]}})
    book.log("2024-02-01", PHONES[1])
    book.sync(monkeypatch)
    assert "relinked" not in book.last()        # the full relink
    assert book.links() == book.full()
    assert sum(row[3] == "owner" for row in book.links()) == 20


def test_a_sync_that_changes_one_card_links_few_of_many_interactions(
        tmp_path: Path, monkeypatch) -> None:
    """The speed itself, counted: of 60 interactions, the edited card's 20; a new
    phone no interaction names relinks none."""
    book = _big(tmp_path, monkeypatch)
    book.card("b", 1, 1, 3)                     # Marc's new phone
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 0
    book.card("b", 1, 3, 3)                     # and a new address
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 20
    assert book.links() == book.full()


def test_a_key_whose_history_moved_relinks_its_interactions(tmp_path: Path,
                                                            monkeypatch) -> None:
    """No changed contact holds the number now: its removed holder stands for the
    live "Kate Obrien" (history.py `_alias`), whose contact a second card of the
    name joins. The calls to the number follow its history to the new contact,
    with the 20 mails to her former address; no other interaction is linked."""
    book = _big(tmp_path, monkeypatch)
    for n in range(5):
        book.log(f"2024-03-{n + 1:02d}", PHONES[0])
    book.sync(monkeypatch)
    del book.cards["a"]
    book.card("e", 0, None, None)          # Kate again, with neither address nor number
    book.sync(monkeypatch)
    assert book.links() == book.full()
    before = {row[0]: row[2] for row in book.links() if row[3] == "phone"}
    book.card("f", 3, 3, 3)                # another "Kate Obrien" card, merged with hers
    book.sync(monkeypatch)
    assert book.links() == book.full()
    after = {row[0]: row[2] for row in book.links() if row[3] == "phone"}
    assert len(after) == 5 and len(set(after.values())) == 1
    assert set(after.values()) != set(before.values())
    assert book.last()["relinked"] == 25
    del book.cards["f"]                    # and split again: her contact id moves back
    book.sync(monkeypatch)
    assert book.links() == book.full()
    assert book.last()["relinked"] == 25


def test_a_sync_after_a_link_decision_stays_incremental_and_exact(
        tmp_path: Path, monkeypatch) -> None:
    """`reseausync link` relinks everything (and stores what it saw); the next sync
    links only its new interaction, with the contacts the decision joined."""
    from reseausync import directory
    book = _big(tmp_path, monkeypatch)
    kate, marc = (next(row[2] for row in book.links() if row[0] == i) for i in (1, 2))
    directory.decide(book.db, "link", kate, marc, book.settings)
    book.log("2024-02-01", EMAILS[1])
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 1
    assert book.links() == book.full()
    assert len({row[2] for row in book.links() if row[0] in (1, 2, 61)}) == 1
    directory.decide(book.db, "link", kate, marc, book.settings, undo=True)
    book.log("2024-02-02", EMAILS[0])
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 1
    assert book.links() == book.full()
