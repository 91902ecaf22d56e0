"""Scoring a full build on several processes gives exactly what one process gives."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from reseausync.config import Settings
from reseausync.match import parallel
from reseausync.store import Store

from ..merge.directory import person, write
from ..merge.test_resolve import cast

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="parallel scoring forks")

REGION = Settings(region="CA")
FAMILIES = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"]
GIVEN = ["Jean", "Marie", "Pierre", "Julie", "Luc", "Sophie", "Marc", "Isabelle", "Paul"]
ORGS = ["Acme", "Desjardins", "UQAM", "Shopify", ""]


def directory() -> list:
    """The cast, and a crowd of namesakes written by several sources with typos,
    shared phones and mailboxes: merges, reviews and distinct pairs in many blocks."""
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


def build(path, monkeypatch, workers: str) -> tuple[dict, list, list]:
    monkeypatch.setenv(parallel.ENV, workers)
    store = Store.open(path)
    counts = write(store, directory(), settings=REGION)
    pairs = [tuple(r) for r in store.db.execute("SELECT * FROM match_pairs ORDER BY a, b")]
    contacts = [tuple(r) for r in store.db.execute(
        "SELECT id, data, removed_at FROM contacts ORDER BY id")]
    links = [tuple(r) for r in store.db.execute(
        "SELECT * FROM contact_records ORDER BY record_id")]
    store.db.close()
    return counts, pairs, contacts + links


def test_parallel_scoring_equals_one_process(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PAIRS", 0)
    one, one_pairs, one_contacts = build(tmp_path / "one.db", monkeypatch, "1")
    two, two_pairs, two_contacts = build(tmp_path / "two.db", monkeypatch, "2")
    three, three_pairs, three_contacts = build(tmp_path / "three.db", monkeypatch, "3")
    assert (one["workers"], two["workers"], three["workers"]) == (1, 2, 3)
    decisions = {row[3] for row in one_pairs}
    assert decisions == {"merge", "review"}         # the directory exercises both
    assert one["candidates"] > len(one_pairs) > 0
    assert two["candidates"] == three["candidates"] == one["candidates"]
    assert two_pairs == three_pairs == one_pairs
    assert two_contacts == three_contacts == one_contacts


def test_small_builds_and_the_switch_stay_in_one_process(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(parallel.ENV, "2")
    assert parallel.workers(parallel.MIN_PAIRS) == 1          # too few pairs to fork
    assert parallel.workers(parallel.MIN_PAIRS + 1) == 2
    for off in ("1", "0", "no"):
        monkeypatch.setenv(parallel.ENV, off)
        assert parallel.workers(10 ** 9) == 1
    monkeypatch.delenv(parallel.ENV)
    expected = max(os.cpu_count() or 1, 1)
    assert parallel.workers(10 ** 9) == expected
    counts, _, _ = build(tmp_path / "small.db", monkeypatch, "2")
    assert counts["workers"] == 1                               # under MIN_PAIRS


def test_a_failing_worker_share_is_scored_again(tmp_path, monkeypatch) -> None:
    """A child that dies leaves its share to the parent: same result, no silent loss."""
    monkeypatch.setattr(parallel, "MIN_PAIRS", 0)
    _, one_pairs, one_contacts = build(tmp_path / "one.db", monkeypatch, "1")
    real = parallel._share

    def dies_in_child(score, blocks, keys_of, size, k, n):
        if multiprocessing.parent_process() is not None:
            raise MemoryError("killed")
        return real(score, blocks, keys_of, size, k, n)

    monkeypatch.setattr(parallel, "_share", dies_in_child)
    counts, pairs, contacts = build(tmp_path / "two.db", monkeypatch, "2")
    assert counts["workers"] == 2
    assert (pairs, contacts) == (one_pairs, one_contacts)
