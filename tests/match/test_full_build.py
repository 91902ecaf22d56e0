"""A full build's stored pairs are what scoring every candidate pair one by one gives."""

from __future__ import annotations

import pytest

from reseausync import forking
from reseausync.config import Settings
from reseausync.match.engine import Engine
from reseausync.match.features import Features
from reseausync.match.hubs import FixedBearers, count_bearers
from reseausync.match.model import Model
from reseausync.merge.state import MODEL_KEY
from reseausync.store import Store

from ..merge.directory import person, write
from ..merge.test_resolve import cast
from .reference import score_pair

REGION = Settings(region="CA")
FAMILIES = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"]
GIVEN = ["Jean", "Marie", "Pierre", "Julie", "Luc", "Sophie", "Marc", "Isabelle", "Paul"]
ORGS = ["Acme", "Desjardins", "UQAM", "Shopify", ""]


def crowd() -> list:
    """The cast, and namesakes written by several sources with typos, shared phones
    and mailboxes: merges, reviews and distinct pairs in many blocks."""
    records = cast()
    for i in range(180):
        given, family = GIVEN[i % len(GIVEN)], FAMILIES[(i // 3) % len(FAMILIES)]
        org = ORGS[i % len(ORGS)]
        mail = f"{given}.{family}{i % 40}@example.com".lower().replace("ô", "o")
        phone = f"514 555 {1000 + i % 60:04d}"
        records.append(person("google", f"g{i}", f"{given} {family}", emails=(mail,),
                              phones=(phone,), org=org))
        typo = family[:-1] + family[-1].upper() if i % 2 else family + "e"
        records.append(person("linkedin", f"l{i}", f"{given[0]}. {typo}", org=org,
                              city="Montréal" if i % 3 else "Québec"))
        if i % 4 == 0:
            records.append(person("phone", f"p{i}", f"{given} {family}", phones=(phone,)))
    return records


@pytest.mark.parametrize("processes", ["1", "3"])
def test_stored_pairs_equal_pair_by_pair_scoring(tmp_path, monkeypatch, processes: str) -> None:
    """In one process, and with levels and contacts computed by forked helpers."""
    monkeypatch.setattr(forking, "MIN_RECORDS", 0)
    monkeypatch.setenv(forking.ENV, processes)
    store = Store.open(tmp_path / "d.db")
    counts = write(store, crowd(), settings=REGION)
    engine = Engine(REGION.match)
    engine.use(Model.from_json(store.get_meta(MODEL_KEY), engine.comparisons))
    feats = [Features.from_json(rid, text) for rid, text in store.db.execute(
        "SELECT record_id, features FROM match_records ORDER BY record_id")]
    engine.bearers = FixedBearers(count_bearers(feats, engine.settings.max_block))
    blocks, _ = engine.block(feats)
    expected = [row for row in (score_pair(engine, feats[a], feats[b]) for a, b in blocks.pairs())
                if row is not None]
    stored = [tuple(r) for r in store.db.execute(
        "SELECT a, b, score, decision, explanation FROM match_pairs ORDER BY a, b")]
    assert counts["candidates"] == sum(1 for _ in engine.block(feats)[0].pairs())
    assert {r[3] for r in stored} == {"merge", "review"}
    assert stored == expected


@pytest.mark.parametrize("processes", ["1", "2", "3"])
def test_stored_features_are_each_records_own_whoever_built_them(tmp_path, monkeypatch,
                                                                  processes: str) -> None:
    """Batches built by forked helpers come back as text and are stored in id order,
    exactly as features built here from each record's data."""
    import json

    from reseausync import resolve
    from reseausync.match.features import extract_sql, features_of
    monkeypatch.setattr(forking, "MIN_RECORDS", 0)
    monkeypatch.setattr(resolve, "FEATURE_BATCH", 37)     # many batches, a short last one
    monkeypatch.setenv(forking.ENV, processes)
    store = Store.open(tmp_path / "d.db")
    write(store, crowd(), settings=REGION)
    stored = [tuple(r) for r in store.db.execute(
        "SELECT record_id, features FROM match_records ORDER BY record_id")]
    direct = [(rid, features_of(rid, json.loads(values), "CA").to_json())
              for rid, values in store.db.execute(
                  f"SELECT id, {extract_sql()} FROM records ORDER BY id")]
    assert len(stored) > 5 * 37 and stored == direct
    # and in memory: in id order, each with its record (helpers' batches are larger),
    # also when the helpers fail and their batches are built here
    import os

    from reseausync.match.persist import MatchState
    parent, original = os.getpid(), resolve.features_from_sql

    def failing(*args):
        if os.getpid() != parent:
            raise RuntimeError("helper failure")
        return original(*args)
    for features_of_here in (original, failing):
        monkeypatch.setattr(resolve, "features_from_sql", features_of_here)
        with store.transaction():
            rids, feats = resolve._all_features(MatchState(store.db), "CA", int(processes))
        assert rids == [rid for rid, _ in direct]
        assert [(f.rid, f.to_json()) for f in feats] == direct
