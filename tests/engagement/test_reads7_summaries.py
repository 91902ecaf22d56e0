"""Stored engagement summaries (engagement/summary.py) give, for any as-of date,
the summaries the interactions give, also after writes that no refresh followed."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.engagement import summary
from reseausync.engagement.status import cutoff_of, summaries_as_of, summaries_of
from reseausync.store import Store

WINDOW = timedelta(days=30)
CONTACTS = ["c1", "c2", "c3", "c4"]
KINDS = ["message", "email", "meeting", "invitation", "note", "call"]

interaction = st.fixed_dictionaries({
    "kind": st.sampled_from(KINDS),
    "day": st.integers(0, 60),
    "direction": st.sampled_from(["in", "out", "both"]),
    "thread": st.sampled_from(["", "t1", "t2"]),
    "automated": st.booleans(),
    "copy_of": st.integers(0, 3),          # same external id as another: a copy
    # (participant, contact or None for the owner's own link)
    "links": st.lists(st.tuples(st.integers(0, 2),
                                st.one_of(st.none(), st.sampled_from(CONTACTS))),
                      min_size=1, max_size=3, unique_by=lambda x: x[0]),
})
change = st.one_of(
    st.tuples(st.just("remove"), st.integers(0, 20)),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 60)),
    st.tuples(st.just("relink"), st.integers(0, 20), st.sampled_from(CONTACTS)),
    st.tuples(st.just("unlink"), st.integers(0, 20)),
    st.tuples(st.just("owner"), st.integers(0, 20)),
    st.tuples(st.just("add"), interaction),
)


def _instant(day: int) -> str:
    start = date(2025, 1, 1) + timedelta(days=day)
    return f"{start.isoformat()}T{9 + day % 10:02d}:30:00+00:00"


def _add(db, item: dict, number: int) -> None:
    extra = '{"automated": true}' if item["automated"] else "{}"
    # a copy: interaction copy_of's id in a source of its own
    source, external = ((f"s{number}", f"i{item['copy_of']}") if item["copy_of"]
                        else ("s", f"i{number}"))
    cur = db.execute(
        "INSERT INTO interactions (source, connector, external_id, unit, locator, kind, "
        "occurred_at, direction, thread, subject, participants, extra, content_hash, "
        "first_run, last_run) VALUES (?, 'x', ?, 'u', 'l', ?, ?, ?, ?, '', '[]', ?, "
        "'h', 1, 1)",
        (source, external, item["kind"], _instant(item["day"]), item["direction"],
         item["thread"], extra))
    for position, cid in item["links"]:
        db.execute("INSERT INTO interaction_links VALUES (?, ?, ?, ?)",
                   (cur.lastrowid, position, cid, "owner" if cid is None else "email"))


def _apply(db, step: tuple) -> None:
    ids = [r[0] for r in db.execute("SELECT id FROM interactions ORDER BY id")]
    if step[0] == "add":
        _add(db, step[1], len(ids) + 100)
        return
    if not ids:
        return
    iid = ids[step[1] % len(ids)]
    if step[0] == "remove":
        db.execute("UPDATE interactions SET removed_at='2025-03-01' WHERE id=?", (iid,))
    elif step[0] == "move":
        db.execute("UPDATE interactions SET occurred_at=? WHERE id=?", (_instant(step[2]), iid))
    elif step[0] == "relink":
        db.execute("INSERT OR REPLACE INTO interaction_links VALUES (?, 0, ?, 'email')",
                   (iid, step[2]))
    elif step[0] == "unlink":
        db.execute("DELETE FROM interaction_links WHERE interaction_id=? AND participant="
                   "(SELECT MAX(participant) FROM interaction_links WHERE interaction_id=?)",
                   (iid, iid))
    else:     # the owner's own link in first place: an "in" message's sender moves
        db.execute("INSERT OR REPLACE INTO interaction_links VALUES (?, 0, NULL, 'owner')",
                   (iid,))


def _raw(store: Store, as_of: date) -> dict:
    return {cid: s for cid, s, _ in summaries_of(store, None, cutoff_of(as_of), None, WINDOW)}


def _settings(window: timedelta):
    from reseausync.engagement.settings import EngagementSettings

    class Settings:
        engagement = EngagementSettings(reply_window=window)
    return Settings()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(interaction, max_size=12), changes=st.lists(change, max_size=6),
       days=st.lists(st.integers(-5, 70), min_size=1, max_size=4))
def test_stored_summaries_equal_the_interactions(tmp_path: Path, items, changes, days):
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "d.db"     # one per example
    store = Store.open(path)
    try:
        with store.transaction() as db:
            for number, item in enumerate(items):
                _add(db, item, number)
        summary.refresh(store, _settings(WINDOW))
        for step in [None, *changes]:
            if step is not None:
                with store.transaction() as db:
                    _apply(db, step)
            for day in days:
                as_of = date(2025, 1, 1) + timedelta(days=day)
                assert (summaries_as_of(store, CONTACTS, cutoff_of(as_of), WINDOW)
                        == _raw(store, as_of)), (step, as_of)
        summary.refresh(store, _settings(WINDOW))
        assert store.db.execute("SELECT COUNT(*) FROM engagement_stale").fetchone()[0] == 0
        for day in days:
            as_of = date(2025, 1, 1) + timedelta(days=day)
            assert (summaries_as_of(store, CONTACTS, cutoff_of(as_of), WINDOW)
                    == _raw(store, as_of))
    finally:
        store.close()


def test_another_reply_window_trusts_nothing_stored(tmp_path: Path) -> None:
    """Summaries stored for one window are not used for another: an out message
    answered 20 days later is an engagement with 30 days, an attempt with 10."""
    store = Store.open(tmp_path / "d.db")
    with store.transaction() as db:
        for number, (day, direction) in enumerate(((0, "out"), (20, "in"))):
            _add(db, {"kind": "message", "day": day, "direction": direction, "thread": "t",
                      "automated": False, "copy_of": 0, "links": [(0, "c1")]}, number)
    summary.refresh(store, _settings(WINDOW))
    short = timedelta(days=10)
    cutoff = cutoff_of(date(2025, 6, 1))
    assert summaries_as_of(store, ["c1"], cutoff, WINDOW)["c1"].engagements == 2
    assert summaries_as_of(store, ["c1"], cutoff, short)["c1"].engagements == 0
    store.close()


def test_a_bulk_linking_forgets_the_summaries_and_keeps_its_triggers(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db")
    summary.refresh(store, _settings(WINDOW))
    assert summary.usable(store, WINDOW)
    triggers = store.db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='trigger' "
                                "AND name LIKE 'engagement_stale_%'").fetchone()[0]
    with store.transaction() as db, summary.bulk_links(db, summary.BULK):
        pass
    assert not summary.usable(store, WINDOW)
    assert store.db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='trigger' AND "
                            "name LIKE 'engagement_stale_%'").fetchone()[0] == triggers == 6
    store.close()
