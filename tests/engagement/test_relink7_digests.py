"""The state a first linking stores for relinking (engagement/relink.py) names each
participants list by a digest, not by its text, and is written as the linking meets
the lists: the keys stored are exactly blob_keys' for every list, SQLite and
Python agree on every list's digest (a relink finds every interaction naming a
changed key, whatever its characters), and the linking's memory does not grow with
the number of distinct lists."""

from __future__ import annotations

import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reseausync.engagement import linking, relink
from reseausync.engagement.context import context
from reseausync.engagement.linking import Linker, blob_keys
from reseausync.engagement.relink import _affected
from reseausync.store import Store

from .conftest import Directory
from .test_relink_incremental import _big

ME = {"name": "Marie Example", "email": "marie@example.com"}


def _lists(directory: Directory, n: int) -> None:
    """n messages, each with the owner and a stranger of their own (two keys each:
    an address and a full name with accents, as LinkedIn and mail write them)."""
    for i in range(n):
        directory.interaction("email", f"2024-0{1 + i % 9}-1{i % 10}", "in", ME,
                              {"name": f"Zoé Côté-Ñúñez {i} 🙂", "email": f"z{i}@exemple.ca"})


def test_the_stored_state_is_each_lists_keys_beside_a_carrier_and_its_digest(
        directory: Directory) -> None:
    """Before: `link_blob_keys` held each list's text (about 250 bytes a LinkedIn
    message) beside each key it names. Now: the first interaction carrying the list
    and the list's digest, for exactly the keys blob_keys reads."""
    directory.person("c1", "Kate Obrien", emails=("kate@x.ca",))
    _lists(directory, 30)
    for day in ("2024-02-01", "2024-02-03"):       # one list, two carriers
        directory.interaction("email", day, "in", {"name": "Kate Obrien",
                                                   "email": "KATE@x.ca"}, ME)
    directory.interaction("email", "2024-02-02", "in", {"name": "", "email": ""}, ME)
    directory.link()
    carriers: dict[str, int] = {}
    for iid, text in directory.db.execute("SELECT id, participants FROM interactions "
                                          "ORDER BY id"):
        carriers.setdefault(text, iid)
    stored = {tuple(r) for r in directory.db.execute("SELECT * FROM link_blob_keys")}
    assert not any(value in carriers for row in stored for value in row)
    linker = Linker(linking.ContactIndex(), context(directory.settings))
    assert stored == {(key, iid, relink.digest(text)) for text, iid in carriers.items()
                      for key in blob_keys(text, linker)}
    assert ("e:kate@x.ca", 31) in {row[:2] for row in stored}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("digests") / "dir.db")
    yield store
    store.close()


texts = st.text(max_size=40) | st.text(alphabet="aé🙂\x00\"\\", max_size=12)


def _interaction(db: sqlite3.Connection, text: str) -> int:
    return int(db.execute(
        "INSERT INTO interactions (source, connector, external_id, unit, locator, kind, "
        "occurred_at, direction, participants, content_hash, first_run, last_run) "
        "VALUES ('s', 'x', ?, 'u', 'u', 'call', '2024-01-01', 'in', ?, 'h', 1, 1)",
        (f"i{db.execute('SELECT COUNT(*) FROM interactions').fetchone()[0]}", text)).lastrowid)


@hsettings(max_examples=60, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(texts, st.booleans(), st.booleans()), min_size=1, max_size=10))
def test_a_relink_takes_every_carrier_of_a_list_naming_a_changed_key(
        scratch: Store, lists: list[tuple[str, bool, bool]]) -> None:
    """Whatever the characters (accents, emoji, NUL, quotes), and whether the
    interaction the state names a list by still carries it (an import can rewrite
    an interaction's participants) or not: every interaction carrying a list that
    names the changed key is taken, and another only when its list has the digest
    of a list whose named carrier changed."""
    db = scratch.db
    db.execute("BEGIN")
    try:
        wanted, lost, others = set(), set(), []
        for text, named, moved in lists:
            first, second = _interaction(db, text), _interaction(db, text)
            if named:
                db.execute("INSERT OR IGNORE INTO link_blob_keys VALUES ('e:k', ?, ?)",
                           (first, relink.digest(text)))
                wanted.add(second)
            if moved:
                db.execute("UPDATE interactions SET participants=? WHERE id=?",
                           (text + "+", first))
                lost.add(relink.digest(text) if named else None)
            others.append(first)
        found = {iid: text for iid, text, _ in _affected(db, {"e:k"}, since=1)}
        assert wanted <= found.keys()
        named_texts = {text for text, named, _ in lists if named}
        assert all(text in named_texts or relink.digest(text) in lost
                   for text in found.values())
        assert [r[0] for r in db.execute(
            "SELECT length(CAST(participants AS BLOB)) FROM interactions WHERE id NOT IN "
            f"({','.join(map(str, others))}) ORDER BY id")] == [
            relink.digest(text) >> relink._HASH_BITS for text, _, _ in lists]
    finally:
        db.execute("ROLLBACK")


POOL = [{"name": f"Zoé Côté {i}", "email": f"z{i}@exemple.ca"} for i in range(120)]


def _peak(tmp_path: Path, n: int) -> int:
    """Peak Python memory of a first linking of n distinct lists (the owner and two
    of 120 people: the normalizers' caches hold as many keys whatever n), linking's
    caches and batches small (their limits bound them, not what this test
    measures)."""
    directory = Directory(tmp_path / f"dir{n}.db")
    pairs = [(a, b) for a in range(len(POOL)) for b in range(len(POOL)) if a != b]
    try:
        with directory.store.transaction():
            for a, b in pairs[:n]:
                directory.interaction("email", "2024-03-01", "in", ME, POOL[a], POOL[b])
        tracemalloc.start()
        directory.link()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert directory.db.execute("SELECT COUNT(*) FROM link_blob_keys").fetchone()[0] \
            == 4 * n
        return peak
    finally:
        directory.store.close()


def test_a_first_linkings_memory_does_not_grow_with_the_lists_it_stores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: every distinct list's text and keys were gathered, then sorted whole
    (a million LinkedIn messages: a peak of 460 MiB instead of 296). Now they are
    written as met, a chunk at a time: 4 times the lists, the same peak."""
    monkeypatch.setattr(linking, "_CACHE_LIMIT", 500)
    monkeypatch.setattr(linking, "BATCH", 500)
    monkeypatch.setattr(relink, "_FLUSH", 500, raising=False)
    monkeypatch.setattr(relink, "_SEEN_LIMIT", 500, raising=False)
    small, large = _peak(tmp_path, 3000), _peak(tmp_path, 12000)
    assert large - small < 512 * 1024, (small, large)


def test_a_relink_of_lists_with_accents_and_emoji_is_exact(tmp_path: Path,
                                                           monkeypatch) -> None:
    """The relink reads each list's length in bytes (an é is two, 🙂 four): an
    address named only by such lists, given to a card, relinks exactly them and the
    calls naming the card's former address."""
    book = _big(tmp_path, monkeypatch)
    for n in range(7):
        address = "info@x.ca" if n % 2 else f"zoe{n}@exemple.ca"
        book.log(f"2024-04-0{n + 1}", f"Zoé Côté{'🙂' * n} <{address}>")
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 7
    book.card("b", 1, 3, 1)                 # Marc: marc@y.ca -> info@x.ca
    book.sync(monkeypatch)
    assert book.last()["relinked"] == 23    # his 20 calls and the 3 to info@
    assert book.links() == book.full()
    marc = {row[2] for row in book.links() if row[0] == 2}
    assert {row[0] for row in book.links() if row[2] in marc} >= {62, 64, 66}


def test_migration_026_drops_the_stored_state_and_the_next_linking_is_full(
        tmp_path: Path) -> None:
    """A directory linked by the release before 026 (each list's text stored beside
    its keys): the upgrade leaves no state to trust, so the next incremental
    linking links everything, and stores the new state."""
    from reseausync.store.schema import MIGRATIONS, migrate
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    saved = MIGRATIONS[:]
    MIGRATIONS[:] = [m for m in saved if m[0] != "026_link_blob_digests"]
    try:
        migrate(db)
    finally:
        MIGRATIONS[:] = saved
    text = '[{"name": "Kate Obrien", "email": "kate@x.ca"}]'
    db.execute("INSERT INTO link_blob_keys VALUES ('e:kate@x.ca', ?)", (text,))
    db.execute("INSERT INTO link_keys VALUES ('e:kate@x.ca', 'c1')")
    db.execute("INSERT INTO meta VALUES ('links.state', '{\"format\": 1}')")
    assert migrate(db) == ["026_link_blob_digests"]
    db.close()
    directory = Directory(path)
    try:
        assert directory.store.get_meta(relink.STATE) in (None, "")
        assert directory.db.execute("SELECT COUNT(*) FROM link_keys").fetchone()[0] == 0
        directory.person("c1", "Kate Obrien", emails=("kate@x.ca",))
        directory.interaction("email", "2024-02-01", "in", {"name": "Kate Obrien",
                                                            "email": "kate@x.ca"}, ME)
        counts = linking.link_interactions(directory.store, directory.settings,
                                           incremental=True)
        assert "relinked" not in counts and counts["email"] == 1
        assert [tuple(r) for r in directory.db.execute(
            "SELECT key, interaction_id FROM link_blob_keys ORDER BY key")] == [
            ("e:kate@x.ca", 1), ("n:kate obrien", 1)]
    finally:
        directory.store.close()


def _run(directory: Directory) -> int:
    from reseausync.store.schema import writer
    return int(directory.db.execute(
        "INSERT INTO runs (source, connector, command, started, writer) "
        "VALUES ('s', 'x', 'import', '2024-01-01', ?)", (writer(),)).lastrowid)


def test_a_carrier_rewritten_with_another_list_naming_the_key_loses_nothing(
        directory: Directory) -> None:
    """An import can rewrite an interaction's participants in place. The one that
    named Zoé's address as "Zoe A" (like another) now names it as "Zoe B" (like a
    new one): when a card takes the address, all three follow it. Before, the
    state kept one row per key and interaction: the new list's row for the address
    was dropped, and the new interaction kept its old link."""
    first, second = ({"name": f"Zoe {x}", "email": "zoe@x.ca"} for x in "AB")
    run = _run(directory)
    c = directory.interaction("email", "2024-01-01", "in", first, ME)
    d = directory.interaction("email", "2024-01-02", "in", first, ME)
    directory.db.execute("UPDATE interactions SET first_run=?, last_run=?", (run, run))
    directory.link()
    run = _run(directory)
    e = directory.interaction("email", "2024-01-03", "in", second, ME)
    directory.db.execute("UPDATE interactions SET participants=(SELECT participants FROM "
                         "interactions WHERE id=?), last_run=? WHERE id IN (?, ?)",
                         (e, run, c, e))
    counts = linking.link_interactions(directory.store, directory.settings, incremental=True)
    assert counts["relinked"] == 2
    run = _run(directory)
    directory.person("c2", "Zoe Z", emails=("zoe@x.ca",))
    directory.db.execute("UPDATE contacts SET created_run=? WHERE id='c2'", (run,))
    counts = linking.link_interactions(directory.store, directory.settings, incremental=True)
    assert counts["relinked"] == 3
    assert [row[2:] for row in directory.stored_links() if row[1] == 0] == [("c2", "email")] * 3
    assert {r[0] for r in directory.db.execute("SELECT interaction_id FROM link_blob_keys "
                                               "WHERE key='e:zoe@x.ca'")} == {d, c}
