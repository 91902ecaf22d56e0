"""An organization is as common as the live directory says (match/terms.py).

A company imported after the model was estimated used to weigh as a value seen
once: colleagues with the same given name and close family names merged on it.
"""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.config import Settings
from reseausync.match import persist
from reseausync.match.blocking import KeyLists
from reseausync.match.features import Features
from reseausync.match.persist import MatchState
from reseausync.match.terms import FixedTerms, LiveTerms, effective, term_rows
from reseausync.store import Store

from ..merge.directory import assert_same_as_rebuild, partition, person, write
from .test_full_build import GIVEN, crowd

REGION = Settings(region="CA")
ORG = "Zorbatek Systèmes Inc."
# same given name, family names at Jaro-Winkler >= 0.80 (the typo level): pairs the
# stored model's frequency for a company it never saw made one person. The given
# names are the directory's own (crowd), so the model knows how common they are.
LOOKALIKES = [("Jean", "Lapointe", "Lavoie"), ("Marie", "Fortin", "Fournier"),
              ("Pierre", "Gagné", "Gagnon"), ("Julie", "Morin", "Fortin"),
              ("Luc", "Rongaber", "Rondelri"), ("Sophie", "Charddelge", "Chardchermi"),
              ("Marc", "Neuneuno", "Neunedre"), ("Isabelle", "Martaige", "Martel")]
OTHERS = ["Abernathy", "Quintero", "Valdivia", "Henriksen", "Lindqvist", "Mbeki", "Okonkwo",
          "Petrovic", "Rasmussen", "Szymanski", "Takahashi", "Urquhart", "Vasquez", "Wojcik",
          "Yilmaz", "Zielinski", "Delacroix", "Ebersole", "Nakamura", "Kaplanski"]


def colleagues(start: int = 0, stop: int = 56) -> list:
    """Different people at one company, every card with its info@ address: the
    look-alike pairs first, then others (no two with one given name and close
    family names)."""
    names = [f"{g} {f}" for g, *families in LOOKALIKES for f in families]
    names += [f"{GIVEN[i % len(GIVEN)]} {OTHERS[i % len(OTHERS)]}"
              for i in range(stop - len(names))]
    return [person("zorba", f"z{i}", names[i], emails=("info@zorbatek.com",), org=ORG)
            for i in range(start, min(stop, len(names)))]


def merged_colleagues(store: Store) -> list[set[str]]:
    return [refs for refs in partition(store) if sum(r.startswith("zorba:") for r in refs) > 1]


def test_colleagues_of_a_company_the_model_never_saw_stay_apart(tmp_path) -> None:
    """56 colleagues arrive after the model was estimated on some five hundred
    records: each look-alike pair merged on the company's frozen frequency."""
    store = Store.open(tmp_path / "d.db")
    assert write(store, crowd(), settings=REGION)["mode"] == 2
    assert write(store, colleagues(), settings=REGION)["mode"] == 1
    assert merged_colleagues(store) == []


def test_copies_of_one_colleague_still_merge(tmp_path) -> None:
    """Two cards of one person at the big company, with her own mailbox: the address
    names her whatever the company's size."""
    store = Store.open(tmp_path / "d.db")
    write(store, crowd(), settings=REGION)
    her = [person(s, "her", "Ann Kowalczyk", emails=("ann.kowalczyk@zorbatek.com",), org=ORG)
           for s in ("crm", "phone")]
    write(store, colleagues() + her, settings=REGION)
    assert {"crm:her", "phone:her"} in partition(store)


def test_a_company_that_grows_and_shrinks_run_by_run_ends_as_a_rebuild(tmp_path) -> None:
    """Colleagues arriving a few per run, then some leaving: each run re-scores the
    pairs at the company when its weighed count moves, so the directory equals a
    full rebuild of the same records with the same model, pair for pair."""
    synced = Store.open(tmp_path / "synced.db")
    write(synced, crowd(), settings=REGION)
    # two cards of one person, name and company alone: their score follows the
    # company's weight, so a pair left unscored when it moved would show
    ann = [person(s, "ann", "Ann Kowalczyk", org=ORG) for s in ("crm", "phone")]
    everyone = ann + colleagues()
    for start in range(0, len(everyone), 7):
        assert write(synced, everyone[start:start + 7], settings=REGION)["mode"] == 1
    gone = [("zorba", f"z{i}") for i in range(20, 56)]
    assert write(synced, [], remove=tuple(gone), settings=REGION)["mode"] == 1
    rebuilt = Store.open(tmp_path / "rebuilt.db")
    write(rebuilt, crowd() + everyone[:22], settings=REGION)
    assert_same_as_rebuild(synced, rebuilt, REGION)


def test_live_counts_read_from_the_store_equal_the_full_count(tmp_path) -> None:
    """After a full build and after syncs, the counts match_keys holds are those of
    every live record naming someone."""
    store = Store.open(tmp_path / "d.db")
    write(store, crowd(), settings=REGION)
    nameless = person("cards", "logo", org=ORG)          # names nobody: not counted
    write(store, colleagues(0, 30) + [nameless], remove=(("google", "g1"), ("google", "g2")),
          settings=REGION)
    state = MatchState(store.db)
    feats = [Features.from_json(rid, text) for rid, text in store.db.execute(
        "SELECT record_id, features FROM match_records")]
    full = FixedTerms.of(feats)
    live = LiveTerms(state)
    orgs = {f.org for f in feats} | {"nowhere"}
    live.load("org", orgs)
    assert {o: live.count("org", o) for o in orgs} == {o: full.count("org", o) for o in orgs}
    assert 30 in full.counts["org"].values()


@given(st.integers(1, 10_000), st.integers(0, 100_000))
def test_the_weighed_count_is_the_model_s_doubled_while_the_live_one_holds_it(
        model: int, live: int) -> None:
    count = effective(model, live)
    steps = count // model
    assert count % model == 0 and steps & (steps - 1) == 0      # model x a power of two
    assert count == model or count <= live
    assert live < 2 * count                          # at most one bit from the live count
    assert effective(model, live + 1) >= count       # more bearers never weigh more


NAMES = st.sampled_from(["", "acme", "cgi", "coveo"])


class Recording:
    """A connection that remembers the rows handed to executemany, in order."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.rows: list[tuple[int, int]] = []

    def executemany(self, sql: str, rows) -> None:
        rows = list(rows)
        self.rows += rows
        self.db.executemany(sql, rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, 40), max_size=5, unique=True), NAMES),
                max_size=30),
       st.integers(1, 7))
def test_every_key_and_term_row_is_written_once_in_key_order(records, size: int) -> None:
    """add_all_keys with term rows: every blocking key and every term row once,
    handed to SQLite in (key, record) order whatever the slice size."""
    keys_of = KeyLists()
    feats = []
    for p, (keys, org) in enumerate(records):
        keys_of.append([k * 2 ** 40 + 1 for k in keys])
        feats.append(Features(p, "ann", "roy", frozenset(), frozenset(), "", org, ""))
    rids = [100 + p for p in range(len(records))]
    terms = term_rows(feats)
    db = Recording(sqlite3.connect(":memory:"))
    db.db.execute("CREATE TABLE match_keys (key INTEGER NOT NULL, record_id INTEGER NOT NULL, "
                  "PRIMARY KEY (key, record_id)) WITHOUT ROWID")
    before, persist.KEY_SLICE = persist.KEY_SLICE, size
    try:
        MatchState(db).add_all_keys(rids, keys_of, terms)     # type: ignore[arg-type]
    finally:
        persist.KEY_SLICE = before
    expected = sorted({(k * 2 ** 40 + 1, rids[p]) for p, (keys, _) in enumerate(records)
                       for k in keys} |
                      {(k, rids[p]) for k, p in zip(terms[0].tolist(), terms[1].tolist(),
                                                    strict=True)})
    assert db.rows == expected
    assert len(terms[0]) == sum(1 for _, org in records if org)
