"""Migration 017: decisions stored before it (between the contact's smallest record
and the other) keep their meaning, and a split typed with a contact id names that
contact's records, so it holds when its smallest record leaves."""

from __future__ import annotations

from reseausync.config import Settings
from reseausync.merge import link, split
from reseausync.store import Store
from reseausync.store.schema import migrate
from tests.merge.directory import members, person, together, write
from tests.merge.test_resolve import cast

REGION = Settings(region="CA")
JEAN = {"phone": "p-jean", "crm": "c-jean", "work": "w-jean"}


def _as_the_previous_release_left_it(store: Store) -> None:
    """Drop what 017 added: each decision is its two records, a contact id standing
    for the contact's smallest live record (what the code before 017 stored)."""
    with store.transaction():
        store.db.execute("UPDATE overrides SET a = (SELECT MIN(record_id) FROM "
                         "override_records WHERE override_id = overrides.id AND side = 0), "
                         "b = (SELECT MIN(record_id) FROM override_records "
                         "WHERE override_id = overrides.id AND side = 1)")
        store.db.execute("DROP TABLE override_records")
        store.db.execute("DELETE FROM migrations WHERE name='017_decisions_by_contact'")


def test_an_old_split_by_contact_id_names_the_whole_contact(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    jeans = [person(s, x, "Jean Dupont", emails=("jd@acme.com",), phones=("514 555 1111",))
             for s, x in JEAN.items()]
    write(store, cast() + jeans, settings=REGION)
    jean = next(c for c, refs in members(store).items() if "phone:p-jean" in refs)
    split(store, jean, "crm:c-jean")
    link(store, "phone:marie", "linkedin:marie")
    _as_the_previous_release_left_it(store)

    assert migrate(store.db) == ["017_decisions_by_contact"]
    sides: dict[tuple[str, int], set[str]] = {
        (kind, side): set() for kind in ("link", "split") for side in (0, 1)}
    for kind, side, ref in store.db.execute(
            "SELECT o.kind, m.side, r.source || ':' || r.external_id FROM override_records m "
            "JOIN overrides o ON o.id = m.override_id JOIN records r ON r.id = m.record_id"):
        sides[(kind, side)].add(ref)
    assert sides == {("split", 0): {"phone:p-jean", "work:w-jean"},   # the contact typed
                     ("split", 1): {"crm:c-jean"},
                     ("link", 0): {"phone:marie"}, ("link", 1): {"linkedin:marie"}}

    for source in ("phone", "work"):        # either record of the contact may leave
        write(store, [], remove=((source, JEAN[source]),), settings=REGION)
        others = ({"phone", "work"} - {source}).pop()
        assert not together(store, f"{others}:{JEAN[others]}", "crm:c-jean")
        assert members(store)[jean] == {f"{others}:{JEAN[others]}"}
        write(store, [jeans[list(JEAN).index(source)]], settings=REGION)
    assert together(store, "phone:marie", "linkedin:marie")
