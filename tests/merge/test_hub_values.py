"""A phone or address many different people bear (a switchboard, info@) weighs less.

match/hubs.py: an exact agreement on a shared value is weighed by how many other
people (name sounds) bear it in the live directory, so colleagues sharing the
office line stay apart while copies of one person sharing their mobile merge.
"""

from __future__ import annotations

from reseausync.config import Settings
from reseausync.store import Store

from ..match.test_full_build import crowd
from .directory import assert_same_as_rebuild, members, partition, person, write

REGION = Settings(region="CA")
GIVEN = ["William", "Marie", "Mohamed", "Julie"]
FAMILIES = ["Boumasvil", "Dryrobou", "Kaplanski", "Ozturk", "Nakamura", "Fitzgerald",
            "Abernathy", "Quintero", "Valdivia", "Henriksen", "Lindqvist", "Mbeki",
            "Okonkwo", "Petrovic", "Rasmussen", "Szymanski", "Takahashi", "Urquhart",
            "Vasquez", "Wojcik", "Yilmaz", "Zielinski", "Delacroix", "Ebersole"]
SWITCHBOARD = "+1 514 555 0000"


def colleagues(n: int, source: str = "crm", start: int = 0) -> list:
    """n different people (own mobile and mailbox) on the office's main line."""
    out = []
    for i in range(start, start + n):
        given, family = GIVEN[i % len(GIVEN)], FAMILIES[i % len(FAMILIES)]
        out.append(person(source, f"c{i}", f"{given} {family}",
                          phones=(SWITCHBOARD, f"+1 438 844 {4000 + i:04d}"),
                          emails=(f"{given}.{family}{i}@hotmail.com".lower(),),
                          org="Acme Inc."))
    return out


def people_per_contact(store: Store, source: str = "crm") -> list[int]:
    """Per contact holding a record of `source`, how many different names its
    records of that source carry."""
    names = dict(store.db.execute(
        "SELECT source || ':' || external_id, json_extract(data, '$.display_name') "
        "FROM records WHERE source = ?", (source,)))
    return sorted(len({names[r] for r in refs if r in names})
                  for refs in members(store).values() if any(r in names for r in refs))


def directory(tmp_path, name: str = "d.db") -> Store:
    """A directory of some five hundred records, its model estimated without the
    hub: the office's cards arrive later, as they do in a real directory."""
    store = Store.open(tmp_path / name)
    assert write(store, crowd(), settings=REGION)["mode"] == 2
    return store


def test_colleagues_sharing_the_main_line_stay_apart(tmp_path) -> None:
    """24 colleagues, six with each given name: the line and the organization were
    enough to merge those with one given name (different family names) into one."""
    store = directory(tmp_path)
    assert write(store, colleagues(24), settings=REGION)["mode"] == 1
    assert people_per_contact(store) == [1] * 24


def test_copies_of_one_person_sharing_their_mobile_still_merge(tmp_path) -> None:
    """The person's own number has one bearer however many copies carry it, and
    the switchboard on the same cards does not weaken it."""
    store = directory(tmp_path)
    me = [person(s, "me", "Ann Kowalczyk", phones=(SWITCHBOARD, "+1 438 555 7777"),
                 org="Acme Inc.") for s in ("crm", "phone", "google")]
    write(store, colleagues(24) + me, settings=REGION)
    assert people_per_contact(store) == [1] * 25
    assert {"crm:me", "phone:me", "google:me"} in partition(store)


def test_a_household_line_does_not_merge_relatives(tmp_path) -> None:
    """Relatives sharing the home landline: given names differ, they stay apart;
    the copies of each merge."""
    store = directory(tmp_path)
    home = "+1 450 555 1234"
    family = [person(s, name.split()[0], name, phones=(home,))
              for name in ("Luc Lachapelle", "Anne Lachapelle", "Paul Lachapelle")
              for s in ("crm", "phone")]
    write(store, family, settings=REGION)
    held = [sorted(refs) for refs in partition(store) if refs & {"crm:Luc", "crm:Anne",
                                                                  "crm:Paul"}]
    assert sorted(held) == [["crm:Anne", "phone:Anne"], ["crm:Luc", "phone:Luc"],
                            ["crm:Paul", "phone:Paul"]]


def test_a_hub_that_grows_run_by_run_ends_as_a_rebuild(tmp_path) -> None:
    """Colleagues arriving a few per run, after the model was estimated: each run
    re-scores the pairs on the line whose bearers changed, so the directory equals
    a full rebuild of the same records, pair for pair."""
    synced = directory(tmp_path, "synced.db")
    write(synced, [person("crm", "x", "William Boumasvil", phones=(SWITCHBOARD,),
                          org="Acme Inc.")], settings=REGION)
    everyone = colleagues(24)
    for start in range(0, 24, 4):
        assert write(synced, everyone[start:start + 4], settings=REGION)["mode"] == 1
    write(synced, [], remove=(("crm", "c3"), ("crm", "c9")), settings=REGION)
    rebuilt = Store.open(tmp_path / "rebuilt.db")
    live = [r for r in everyone if r.external_id not in ("c3", "c9")]
    write(rebuilt, crowd() + [person("crm", "x", "William Boumasvil", phones=(SWITCHBOARD,),
                           org="Acme Inc.")] + live, settings=REGION)
    assert_same_as_rebuild(synced, rebuilt, REGION)
    # x and c0 are one name on the line, one contact: 22 contacts for 23 records
    assert people_per_contact(synced) == [1] * 22
