"""The frozen block index gives exactly the pairs a plain dict of key -> members gives."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.match.blocking import Blocks, KeyLists, cap_of
from reseausync.match.engine import Engine
from reseausync.match.features import Features

# small key ids, odd ones capped by max_block and even ones by max_name_block,
# so that blocks cross both caps
KEYS = st.lists(st.lists(st.integers(min_value=0, max_value=40), max_size=6, unique=True),
                max_size=60)


def reference(keys_of: list[list[int]], big: int, name: int) -> tuple[set, int, int]:
    """Candidate pairs, skipped keys and pair bound, straight from the definition."""
    members: dict[int, list[int]] = defaultdict(list)
    for p, keys in enumerate(keys_of):
        for k in keys:
            members[k].append(p)
    usable = {k: m for k, m in members.items() if 1 < len(m) <= cap_of(k, big, name)}
    pairs = {pair for m in usable.values() for pair in combinations(m, 2)}
    skipped = sum(1 for k, m in members.items() if len(m) > cap_of(k, big, name))
    bound = sum(len(m) * (len(m) - 1) // 2 for m in usable.values())
    return pairs, skipped, bound


@settings(max_examples=80, deadline=None)
@given(KEYS, st.integers(min_value=2, max_value=6), st.integers(min_value=2, max_value=6))
def test_frozen_blocks_equal_the_definition(keys_of, big, name) -> None:
    blocks = Blocks(big, name)
    for p, keys in enumerate(keys_of):
        blocks.add(p, keys)
    pairs, skipped, bound = reference(keys_of, big, name)
    got = list(blocks.pairs())
    assert got == sorted(pairs)                      # each pair once, in (a, b) order
    assert (blocks.skipped, blocks.bound) == (skipped, bound)
    groups = {k: list(m) for k, m in blocks.groups()}
    assert all(len(m) > 1 and m == sorted(m) for m in groups.values())
    assert sum(len(m) for m in groups.values()) == sum(
        n for n in (sum(k in keys for keys in keys_of) for k in groups) if n > 1)
    # built from the key lists' flat arrays (a full build's way): the same blocks
    lists = KeyLists()
    for keys in keys_of:
        lists.append(keys)
    whole = Blocks.of(lists, big, name)
    assert [(k, list(m)) for k, m in whole.groups()] == \
        [(k, list(m)) for k, m in blocks.groups()]
    assert (whole.skipped, whole.bound, list(whole.pairs())) == (skipped, bound, got)


def test_blocks_cannot_grow_once_read() -> None:
    blocks = Blocks(5, 5)
    blocks.add(0, [2])
    blocks.add(1, [2])
    assert list(blocks.pairs()) == [(0, 1)]
    with pytest.raises(RuntimeError, match="already read"):
        blocks.add(2, [2])


@pytest.mark.parametrize("processes", [2, 3])
def test_blocks_from_forked_helpers_equal_one_process(processes: int) -> None:
    """Keys computed in contiguous parts by forked helpers give the same key lists,
    in the same order, and the same blocks."""
    people = [Features(i, g, f, frozenset({f"{g}.{f}@x.com".lower()} if i % 3 else ()),
                       frozenset(), "", "Acme" if i % 2 else "", "")
              for i, (g, f) in enumerate([("marie", "tremblay"), ("jean", "roy"),
                                          ("marie", "tremblay"), ("luc", "roy")] * 7)]
    engine = Engine()
    blocks, keys_of = engine.block(people)
    shared_blocks, shared_keys = engine.block(people, processes)
    assert list(map(list, shared_keys)) == list(map(list, keys_of))
    assert list(shared_blocks.pairs()) == list(blocks.pairs())
    assert [(k, list(m)) for k, m in shared_blocks.groups()] == \
        [(k, list(m)) for k, m in blocks.groups()]
