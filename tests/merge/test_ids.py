"""Contact ids: kept by the larger part of a split, minted deterministically past taken ids."""

from __future__ import annotations

from reseausync.merge.ids import contact_id_for, keep_ids, mint_id


def test_the_part_holding_more_records_keeps_a_split_contacts_id() -> None:
    groups = [[0], [1, 2], [3]]
    previous = ["cA", "cA", "cA", None]
    kept, used = keep_ids(groups, previous)
    assert kept == [None, "cA", None]
    assert used == {"cA"}


def test_a_merged_contact_keeps_the_id_most_of_its_records_had() -> None:
    kept, _ = keep_ids([[0, 1, 2], [3]], ["cA", "cB", "cB", "cA"])
    assert kept == ["cB", "cA"]


def test_minting_is_deterministic_and_skips_used_and_taken_ids() -> None:
    key = ("phone", "jf")
    plain = contact_id_for(*key)
    assert mint_id(key, set(), ()) == plain
    used = {plain}
    salted = mint_id(key, used, ())
    assert salted == contact_id_for(*key, 1) and salted in used
    taken = {contact_id_for(*key, 2)}
    assert mint_id(key, used, taken) == contact_id_for(*key, 3)
