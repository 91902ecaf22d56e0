"""keep_ids: lineage before the majority in a contest over an id others were merged into
(QA7 #1), the majority still deciding an ordinary split."""

from __future__ import annotations

from reseausync.merge.ids import keep_ids


def test_a_group_that_can_take_back_its_merged_id_yields_the_contested_one() -> None:
    # cA held by 1 record of group 0 and 3 of group 1; group 1 derives cB, merged into cA
    groups = [[0], [1, 2, 3]]
    previous = ["cA"] * 4
    kept, used = keep_ids(groups, previous, lambda g, cid: g == 0,
                          lambda g, cid: g == 1)
    assert kept == ["cA", None] and used == {"cA"}


def test_without_lineage_the_larger_part_keeps_the_id() -> None:
    # an ordinary split by the matcher: the small part derives the id, the large one keeps it
    groups = [[0], [1, 2, 3]]
    previous = ["cA"] * 4
    kept, _ = keep_ids(groups, previous, lambda g, cid: g == 0, lambda g, cid: False)
    assert kept == [None, "cA"]


def test_when_every_group_can_take_back_an_id_derivation_decides() -> None:
    groups = [[0, 1], [2, 3, 4]]
    previous = ["cA"] * 5
    kept, _ = keep_ids(groups, previous, lambda g, cid: g == 0, lambda g, cid: True)
    assert kept == ["cA", None]

