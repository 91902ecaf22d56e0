"""A directory built by a sequence of syncs equals one rebuilt from its final records."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.config import Settings
from reseausync.errors import UsageError
from reseausync.match.settings import MatchSettings
from reseausync.merge import link, split, undo
from reseausync.store import Store

from .directory import contacts, dump, members, partition, person, write
from .test_resolve import cast

REGION = Settings(region="CA")
# Name blocks of more than 2 records (others: 3) are unusable: adds and removals push name blocks
# over and under the cap, which changes the pairs of records the run never touched.
SMALL_BLOCKS = Settings(region="CA", match=MatchSettings(max_block=3, max_name_block=2))
BASE = {f"{r.source}:{r.external_id}": r for r in cast()}


def by_members(store: Store) -> dict[frozenset[str], dict]:
    """Each live contact's data by the records it holds, without its provenance:
    contact and record ids differ between two directories that reached the same
    records by different runs."""
    data = contacts(store)
    return {frozenset(refs): {k: v for k, v in data[cid].items() if k != "provenance"}
            for cid, refs in members(store).items()}
KEYS = sorted(BASE)

# "office": the record becomes one of several colleagues on one switchboard, so its
# bearers (match/hubs.py) change the weight of every pair on the line.
OFFICE = ["Boucher", "Nakamura", "Ozturk", "Lindqvist", "Mbeki", "Quintero", "Gagnon"]
step = st.tuples(st.sampled_from(["add", "change", "move", "remove", "link", "split", "undo",
                                  "link_contacts", "split_contacts", "office"]),
                 st.sampled_from(KEYS), st.sampled_from(KEYS))


def _contact_of(store: Store, key: str) -> str | None:
    """The contact id holding the record `key` ("source:external_id"), if live."""
    source, external_id = key.split(":", 1)
    row = store.db.execute(
        "SELECT cr.contact_id FROM contact_records cr JOIN records r ON r.id = cr.record_id "
        "WHERE r.source=? AND r.external_id=? AND r.removed_at IS NULL",
        (source, external_id)).fetchone()
    return row[0] if row else None


def _sides(store: Store) -> tuple[list[str], list[str]]:
    """The records ("source:external_id") each side of the latest decision names."""
    sides: tuple[list[str], list[str]] = ([], [])
    for side, ref in store.db.execute(
            "SELECT m.side, r.source || ':' || r.external_id FROM override_records m "
            "JOIN records r ON r.id = m.record_id "
            "WHERE m.override_id = (SELECT MAX(id) FROM overrides) ORDER BY 2"):
        sides[side].append(ref)
    return sides


def _store_decisions(store: Store, decided: list) -> None:
    """The same decisions, on the records still there (a side with none left is inert
    in both directories, so it is left out)."""
    ids = dict(store.db.execute("SELECT source || ':' || external_id, id FROM records"))
    with store.transaction():
        for kind, a, b, sides in decided:
            kept = [[ids[r] for r in side if r in ids] for side in sides]
            if not all(kept):
                continue
            cursor = store.db.execute(
                "INSERT INTO overrides (kind, a, b, a_ref, b_ref, created, writer) "
                "VALUES (?, ?, ?, ?, ?, '', 'test')", (kind, min(kept[0]), min(kept[1]), a, b))
            store.db.executemany(
                "INSERT INTO override_records (override_id, side, record_id) VALUES (?, ?, ?)",
                [(cursor.lastrowid, n, rid) for n, side in enumerate(kept) for rid in side])


@pytest.mark.parametrize("config", [REGION, SMALL_BLOCKS], ids=["default", "small_blocks"])
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=6))
def test_incremental_equals_rebuild(tmp_path_factory, config, steps) -> None:
    path = tmp_path_factory.mktemp("inc")
    live = dict(list(BASE.items())[:40])
    synced = Store.open(path / "synced.db")
    assert write(synced, list(live.values()), settings=config)["mode"] == 2
    model = synced.get_meta("match.model")
    decided: list[tuple[str, str, str]] = []
    for n, (action, key, other) in enumerate(steps):
        source, external_id = key.split(":", 1)
        if action == "move":       # same fields, another line of another file
            if key not in live:
                continue
            live[key] = replace(live[key], locator=f"elsewhere.txt:{n}", unit="elsewhere.txt")
            counts = write(synced, [live[key]], settings=config)
            assert (counts["mode"], counts["moved"]) == (0, 1)
            continue
        if action == "undo":       # withdraw the latest decision still standing
            if decided:
                kind, a, b, _ = decided[-1]
                undo(synced, kind, a, b)
                decided = [d for d in decided if (d[0], {d[1], d[2]}) != (kind, {a, b})]
            continue
        if action in ("link", "split", "link_contacts", "split_contacts"):
            kind = action.split("_")[0]
            a, b = key, other
            if action.endswith("_contacts"):     # by contact ids: the sides are contacts
                a, b = _contact_of(synced, key), _contact_of(synced, other)
                if a is None or b is None:
                    continue
            before = synced.db.execute("SELECT COUNT(*) FROM overrides").fetchone()[0]
            try:               # refused when contradictory, or naming a removed record
                (link if kind == "link" else split)(synced, a, b)
            except UsageError:
                continue
            if synced.db.execute("SELECT COUNT(*) FROM overrides").fetchone()[0] > before:
                decided.append((kind, a, b, _sides(synced)))
            continue
        if action == "remove":
            gone = live.pop(key, None)
            counts = write(synced, [], remove=((source, external_id),), settings=config)
            assert counts["mode"] == (1 if gone else 0)
            continue
        record = BASE[key]
        if action == "change":
            record = person(source, external_id, "Changed Person", phones=("514 555 4242",))
        if action == "office":
            family = OFFICE[KEYS.index(key) % len(OFFICE)]
            record = person(source, external_id, f"Marie {family}", org="Acme",
                            phones=("514 555 0000",), emails=("info@acme.com",))
        before = live.get(key)
        changes = before != record
        # back where it was read before a move: it moved again, nothing to match
        moved = (before is not None and changes
                 and replace(before, locator=record.locator, unit=record.unit) == record)
        live[key] = record
        counts = write(synced, [record], settings=config)
        assert counts["mode"] == (1 if changes and not moved else 0), (action, key)  # no rebuild
        assert counts.get("moved", 0) == (1 if moved else 0), (action, key)
    assert synced.get_meta("match.model") == model          # never estimated again
    rebuilt = Store.open(path / "rebuilt.db")
    write(rebuilt, list(live.values()), settings=config)
    _store_decisions(rebuilt, decided)
    # The same history too: survivorship ranks a newer record first, and a record's
    # age is when the directory first read it, or read it changed (its source gives
    # no date); which employer came first also decides a job change's bridge.
    with rebuilt.transaction():
        rebuilt.db.executemany(
            "UPDATE records SET first_seen=?, first_run=?, changed_at=?, changed_run=? "
            "WHERE source=? AND external_id=?",
            synced.db.execute("SELECT first_seen, first_run, changed_at, changed_run, "
                              "source, external_id FROM records").fetchall())
    # Same model on both sides: the rebuild is scored with the synced directory's.
    rebuilt.set_meta("match.model", model)
    rebuilt.set_meta("match.state", "{}")       # forget the match state: a full rebuild
    assert write(rebuilt, [], settings=config)["mode"] == 2
    assert partition(synced) == partition(rebuilt)
    assert by_members(synced) == by_members(rebuilt)    # what each contact says, sources too
    pairs = "SELECT a, b, score, decision FROM match_pairs ORDER BY a, b"
    by_ref = "SELECT id, source || ':' || external_id FROM records"
    ref_s, ref_r = dict(synced.db.execute(by_ref).fetchall()), \
        dict(rebuilt.db.execute(by_ref).fetchall())
    # record ids differ between the two files: compare pairs by the records they name
    assert {(frozenset((ref_s[a], ref_s[b])), s, d) for a, b, s, d in
            synced.db.execute(pairs)} == \
        {(frozenset((ref_r[a], ref_r[b])), s, d) for a, b, s, d in rebuilt.db.execute(pairs)}


def test_a_run_that_changed_nothing_skips_matching(tmp_path) -> None:
    store = Store.open(tmp_path / "dir.db")
    assert write(store, cast(), settings=REGION)["mode"] == 2
    before = dump(store)
    assert write(store, cast(), settings=REGION)["mode"] == 0      # same records again
    assert write(store, [], settings=REGION)["mode"] == 0          # nothing at all
    assert dump(store) == before
    # a different region changes every phone's comparison form: a full rebuild
    assert write(store, [], settings=Settings(region="FR"))["mode"] == 2


def test_a_directory_matched_by_an_earlier_version_is_rebuilt_once(tmp_path,
                                                                    monkeypatch) -> None:
    # Stored features and blocking keys from older code would make incremental runs
    # differ from a rebuild: a new state format forces one full rebuild.
    import reseausync.resolve as resolve
    store = Store.open(tmp_path / "dir.db")
    assert write(store, cast(), settings=REGION)["mode"] == 2
    monkeypatch.setattr(resolve, "STATE_FORMAT", resolve.STATE_FORMAT + 1)
    assert write(store, [], settings=REGION)["mode"] == 2
    assert write(store, [], settings=REGION)["mode"] == 0


def test_a_model_of_an_older_recipe_is_estimated_again_once(tmp_path) -> None:
    """A directory whose stored model an older version estimated (no recipe) gets a
    new model and a full rebuild on its next run, then goes back to skipping."""
    import json

    from reseausync.match.model import RECIPE
    from reseausync.merge.state import MODEL_KEY
    store = Store.open(tmp_path / "dir.db")
    assert write(store, cast(), settings=REGION)["mode"] == 2
    old = json.loads(store.get_meta(MODEL_KEY))
    del old["recipe"]
    old["lam"] = 0.25
    with store.transaction():
        store.set_meta(MODEL_KEY, json.dumps(old))
    assert write(store, [], settings=REGION)["mode"] == 2
    model = json.loads(store.get_meta(MODEL_KEY))
    assert model["recipe"] == RECIPE and model["lam"] < 0.25
    assert write(store, [], settings=REGION)["mode"] == 0


def test_a_new_list_of_known_given_names_rebuilds_once(tmp_path, monkeypatch) -> None:
    # which names are names decides the typo levels: another list, other levels
    import reseausync.resolve as resolve
    store = Store.open(tmp_path / "dir.db")
    assert write(store, cast(), settings=REGION)["mode"] == 2
    known = resolve.given_names()
    monkeypatch.setattr(resolve, "given_names", lambda: known | {"jeln"})
    assert write(store, [], settings=REGION)["mode"] == 2
    assert write(store, [], settings=REGION)["mode"] == 0


def test_a_sync_regroups_only_what_it_touches(tmp_path) -> None:
    store = Store.open(tmp_path / "dir.db")
    write(store, cast(), settings=REGION)
    stamp = {r[0]: r[1] for r in store.db.execute("SELECT id, updated_run FROM contacts")}
    counts = write(store, [person("outlook", "bob", "Bob Chen", emails=("bob@nimbuslabs.io",))],
                   settings=REGION)
    assert counts["mode"] == 1 and counts["regrouped"] == 4      # Bob's three records + new
    after = {r[0]: r[1] for r in store.db.execute("SELECT id, updated_run FROM contacts")}
    assert sum(1 for cid, run in after.items() if stamp.get(cid) != run) == 1


def test_a_record_that_only_moved_updates_its_contact(tmp_path) -> None:
    """Same fields, another line of its file: matching is not done again (the
    scores cannot have changed), but the contact's `sources` say where the record
    is now, and only that contact is rewritten."""
    from dataclasses import replace
    store = Store.open(tmp_path / "dir.db")
    write(store, cast(), settings=REGION)
    pairs = store.db.execute("SELECT * FROM match_pairs ORDER BY a, b").fetchall()
    before = {cid: c for cid, c in contacts(store).items()}
    (kate,) = [r for r in cast() if r.source == "phone" and r.external_id == "kate"]
    counts = write(store, [replace(kate, locator="phone.vcf:999")], settings=REGION)
    assert (counts["mode"], counts["moved"], counts["relocated"]) == (0, 1, 1)
    after = contacts(store)
    (cid,) = [cid for cid, c in after.items()
              if any(s["external_id"] == "kate" and s["source"] == "phone"
                     for s in c["sources"])]
    assert {s["locator"] for s in after[cid]["sources"] if s["source"] == "phone"} == \
        {"phone.vcf:999"}
    assert {k for k in after if after[k] != before.get(k)} == {cid}
    assert store.db.execute("SELECT * FROM match_pairs ORDER BY a, b").fetchall() == pairs
    assert write(store, [], settings=REGION)["mode"] == 0       # and it stays put


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 30)), max_size=60))
def test_candidate_pairs_are_made_distinct_and_ordered_as_a_sorted_set(ends) -> None:
    # The incremental resolve collects (record, block member) ends as columns; made
    # distinct, they are the set of unordered pairs it used to build, in sorted order.
    from array import array

    from reseausync.resolve import _unique_pairs
    first, second = _unique_pairs(array("q", [a for a, _ in ends]),
                                  array("q", [b for _, b in ends]))
    expected = sorted({(min(a, b), max(a, b)) for a, b in ends if a != b})
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == expected
