"""The user's link and split name contacts, not their smallest records (QA: a split
stopped holding, and a link was lost, when the contact's first record left its
source; the ids then swapped people)."""

from __future__ import annotations

import pytest

from reseausync.config import Settings
from reseausync.errors import UsageError
from reseausync.merge import link, split, undo
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


def test_a_split_of_a_record_named_by_a_link_of_its_contact_is_a_contradiction(store) -> None:
    """Linking a contact says every record it held is that person."""
    jean, marie = _id_of(store, "phone:p-jean"), _id_of(store, "phone:marie")
    link(store, jean, marie)
    with pytest.raises(UsageError, match=f"contradicts the earlier link {jean} {marie}"):
        split(store, "work:w-jean", "phone:marie")
