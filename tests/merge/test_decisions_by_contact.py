"""The user's link and split name contacts, not their smallest records (QA: a split
stopped holding, and a link was lost, when the contact's first record left its
source; the ids then swapped people)."""

from __future__ import annotations

import pytest

from reseausync.config import Settings
from reseausync.errors import UsageError
from reseausync.merge import link, review_pairs, split, undo
from reseausync.store import Store

from .directory import members, person, together, write
from .test_resolve import cast

REGION = Settings(region="CA")
JEAN = {"phone": "p-jean", "crm": "c-jean", "work": "w-jean"}


def _jean(source: str) -> object:
    return person(source, JEAN[source], "Jean Dupont", emails=("jd@acme.com",),
                  phones=("514 555 1111",), org="Acme")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "dir.db")
    write(s, cast() + [_jean(source) for source in JEAN], settings=REGION)
    yield s
    s.close()


def _id_of(store: Store, ref: str) -> str:
    return next(cid for cid, refs in members(store).items() if ref in refs)


@pytest.mark.parametrize("leaving", ["phone", "work"])
def test_a_split_holds_whichever_record_of_the_contact_leaves(store, leaving) -> None:
    assert together(store, "phone:p-jean", "crm:c-jean")
    jean = _id_of(store, "phone:p-jean")
    split(store, jean, "crm:c-jean")        # the CRM's Jean Dupont is someone else
    assert members(store)[jean] == {"phone:p-jean", "work:w-jean"}
    staying = ({"phone", "work"} - {leaving}).pop()
    stay_ref = f"{staying}:{JEAN[staying]}"

    write(store, [], remove=((leaving, JEAN[leaving]),), settings=REGION)
    assert not together(store, stay_ref, "crm:c-jean")
    assert members(store)[jean] == {stay_ref}             # the contact keeps its id

    write(store, [_jean(leaving)], settings=REGION)       # the card comes back
    assert members(store)[jean] == {"phone:p-jean", "work:w-jean"}
    assert not together(store, "phone:p-jean", "crm:c-jean")


def test_a_link_holds_when_the_contacts_first_record_leaves(store) -> None:
    write(store, [person("crm", "c-jd", "J.-P. Smith-Dupont", emails=("jp@beta.org",))],
          settings=REGION)
    jean, other = _id_of(store, "phone:p-jean"), _id_of(store, "crm:c-jd")
    split(store, jean, "crm:c-jean")                      # leaves phone + work in `jean`
    link(store, jean, other)
    assert members(store)[jean] == {"phone:p-jean", "work:w-jean", "crm:c-jd"}
    write(store, [], remove=(("phone", "p-jean"),), settings=REGION)
    assert members(store)[jean] == {"work:w-jean", "crm:c-jd"}     # still one, same id
    undo(store, "link", jean, other)                      # withdrawn: each its own id back
    assert members(store)[jean] == {"work:w-jean"}
    assert members(store)[other] == {"crm:c-jd"}
    from reseausync.directory import resolve_ref
    assert resolve_ref(store, other) == other          # no longer "merged into" anyone
    assert store.db.execute("SELECT merged_into FROM contacts WHERE id=?",
                            (other,)).fetchone()[0] is None


def test_split_right_after_link_with_the_same_ids_names_the_undo(store) -> None:
    a, b = _id_of(store, "phone:marie"), _id_of(store, "linkedin:marie")
    link(store, a, b)
    with pytest.raises(UsageError) as err:
        split(store, a, b)
    assert f"contradicts the earlier link {a} {b}" in str(err.value)
    assert f"reseausync link --undo {a} {b}" in err.value.hint


def test_a_split_of_a_record_named_by_a_link_of_its_contact_is_a_contradiction(store) -> None:
    """Linking a contact says every record it held is that person."""
    jean, marie = _id_of(store, "phone:p-jean"), _id_of(store, "phone:marie")
    link(store, jean, marie)
    with pytest.raises(UsageError, match=f"contradicts the earlier link {jean} {marie}"):
        split(store, "work:w-jean", "phone:marie")


def test_review_leaves_out_a_pair_split_by_the_ids_review_gave(store) -> None:
    pairs = {frozenset((p["a"], p["b"])) for p in review_pairs(store)}
    assert len(pairs) == len(review_pairs(store))         # one line per pair of contacts
    first = review_pairs(store)[0]
    split(store, first["a"], first["b"])
    assert frozenset((first["a"], first["b"])) not in {
        frozenset((p["a"], p["b"])) for p in review_pairs(store)}


def test_show_of_a_contact_the_matcher_merged_says_where_it_went(tmp_path) -> None:
    """google:jf joins phone:jf and linkedin:jf, until then two contacts."""
    from reseausync.directory import resolve_ref
    store = Store.open(tmp_path / "d.db")
    records = cast()
    bridge = next(r for r in records if (r.source, r.external_id) == ("google", "jf"))
    write(store, [r for r in records if r is not bridge], settings=REGION)
    before = {_id_of(store, "phone:jf"), _id_of(store, "linkedin:jf")}
    assert len(before) == 2
    write(store, [bridge], settings=REGION)
    now = _id_of(store, "phone:jf")
    (old,) = before - {now}
    with pytest.raises(UsageError) as err:
        resolve_ref(store, old)
    assert f"contact '{old}' was merged into {now} on " in str(err.value)
    assert "by the matcher" in str(err.value) and f"reseausync show {now}" in err.value.hint


def test_review_lists_the_pairs_a_conflict_keeps_apart_after_the_unsure_ones(store) -> None:
    """Lucas and Nathalie share a landline: scored near 1.0, kept apart by their two
    given names. A pair the matcher is unsure of (0.3) comes first."""
    ids = dict(store.db.execute("SELECT source || ':' || external_id, id FROM records"))
    a, b = sorted((ids["phone:kate"], ids["phone:marie"]))
    store.db.execute("INSERT INTO match_pairs (a, b, score, decision, explanation) "
                     "VALUES (?, ?, 0.3, 'review', ?)",
                     (a, b, '{"family_name": {"level": "exact", "weight": 2.0}}'))
    pairs = review_pairs(store)
    assert [(p["score"], p["kept_apart"]) for p in pairs][0] == (0.3, [])
    couple = next(p for p in pairs if {p["a_name"], p["b_name"]}
                  == {"Lucas Tremblay", "Nathalie Tremblay"})
    assert couple["kept_apart"] == ["given_name: else"] and couple["score"] > 0.5
    assert couple["reasons"].startswith("kept apart: given_name: else")
    assert pairs.index(couple) > 0
