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


class Given(dict):
    """Ids given out: id -> whether its contact is removed."""

    def removed(self, cid: str) -> bool:
        return self[cid]


def test_minting_is_deterministic_and_skips_used_and_taken_ids() -> None:
    key = ("phone", "jf")
    plain = contact_id_for(*key)
    assert mint_id(key, set(), Given()) == (plain, True)
    used = {plain}
    salted, fresh = mint_id(key, used, Given())
    assert salted == contact_id_for(*key, 1) and salted in used and fresh
    taken = Given({contact_id_for(*key, 2): False})
    assert mint_id(key, used, taken) == (contact_id_for(*key, 3), True)


def test_a_removed_contact_derived_from_the_same_record_comes_back() -> None:
    key = ("phone", "jf")
    given = Given({contact_id_for(*key): False, contact_id_for(*key, 1): True})
    assert mint_id(key, set(), given) == (contact_id_for(*key, 1), False)
    assert mint_id(key, {contact_id_for(*key, 1)}, given) == (contact_id_for(*key, 2), True)
