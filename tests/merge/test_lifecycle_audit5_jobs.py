"""People change jobs (QA5 #5): an employer difference alone does not split a person
whose other records bridge the two employers at a merge-level score; two names or
two LinkedIn profiles stay two people, and so do namesakes at two employers whom
only a name links."""

from __future__ import annotations

from reseausync.config import Settings
from reseausync.merge.clusters import cluster
from reseausync.store import Store

from .directory import contacts, members, person, together, write
from .test_resolve import cast

REGION = Settings(region="CA")


def _cast() -> list:
    """The test address book without its Jean-François Tremblay."""
    return [r for r in cast() if r.external_id != "jf"]


def _jf(employer: str) -> tuple:
    """Jean-François's Google row, phone card and LinkedIn connection at `employer`."""
    email = f"jf.tremblay@{employer.lower()}.com"
    return (person("google", "jf", "JF Tremblay", emails=(email,), phones=("514-555-1234",),
                   org=employer),
            person("phone", "jf", "Jean-François Tremblay", emails=(email,),
                   phones=("(514) 555-1234",), org=employer),
            person("linkedin", "jf", "Jean-François Tremblay", org=employer,
                   linkedin="linkedin.com/in/jftremblay"))


def test_a_stale_export_of_the_old_employer_stays_with_the_person(tmp_path) -> None:
    # s1c: he moves from Acme to Globex; the phone card is edited (same mobile) and
    # LinkedIn exported again, the Google export on disk is the old one
    store = Store.open(tmp_path / "dir.db")
    write(store, [*_cast(), *_jf("Acme")], settings=REGION)
    (cid,) = {c for c, refs in members(store).items() if "phone:jf" in refs}
    assert members(store)[cid] == {"google:jf", "phone:jf", "linkedin:jf"}
    _, card, profile = _jf("Globex")
    write(store, [card, profile], settings=REGION)
    assert members(store)[cid] == {"google:jf", "phone:jf", "linkedin:jf"}
    assert contacts(store)[cid]["organization"] == "Globex"
    store.close()


def test_records_read_together_are_not_bridged(tmp_path) -> None:
    # nothing says which employer came first: the employer conflict holds
    store = Store.open(tmp_path / "dir.db")
    stale, _, _ = _jf("Acme")
    _, card, profile = _jf("Globex")
    write(store, [*_cast(), stale, card, profile], settings=REGION)
    assert not together(store, "google:jf", "linkedin:jf")
    store.close()


def test_namesakes_at_two_employers_are_not_bridged_by_a_name_alone(tmp_path) -> None:
    store = Store.open(tmp_path / "dir.db")
    acme = person("crm", "a", "Xavier Natarajan", emails=("xavier@acme.com",), org="Acme")
    globex = person("crm", "g", "Xavier Natarajan", emails=("xn@globex.com",), org="Globex")
    bare = person("phone", "x", "Xavier Natarajan", emails=("xn@globex.com",))
    write(store, [*_cast(), acme], settings=REGION)         # read first: the older
    write(store, [globex, bare], settings=REGION)
    assert not together(store, "crm:a", "crm:g")
    store.close()


def test_two_linkedin_profiles_stay_two_people_whatever_bridges_them(tmp_path) -> None:
    store = Store.open(tmp_path / "dir.db")
    old = person("linkedin", "a", "Jean-François Tremblay", org="Acme",
                 linkedin="linkedin.com/in/jft-acme", phones=("514-555-1234",))
    new = person("linkedin", "b", "Jean-François Tremblay", org="Globex",
                 linkedin="linkedin.com/in/jft-globex")
    card = person("phone", "jf", "Jean-François Tremblay", phones=("(514) 555-1234",),
                  org="Globex")
    write(store, [*_cast(), old], settings=REGION)
    write(store, [new, card], settings=REGION)
    assert not together(store, "linkedin:a", "linkedin:b")
    store.close()


def _kind(employer: set[tuple[int, int]], hard: set[tuple[int, int]]):
    def conflict(x: int, y: int) -> bool | str:
        key = (min(x, y), max(x, y))
        return True if key in hard else ("employer" if key in employer else False)
    return conflict


def test_a_bridge_is_found_whichever_edge_comes_first() -> None:
    # 0 = the old employer's record, 1 = the bridge, 2 = the new employer's record
    for edges in ([(0.99, 0, 1), (0.96, 1, 2)], [(0.96, 0, 1), (0.99, 1, 2)]):
        clusters, _ = cluster(3, edges, [], set(), _kind({(0, 2)}, set()),
                              lambda z, x, y: z == 1)
        assert clusters.find(0) == clusters.find(2)


def test_without_a_bridge_an_employer_difference_still_keeps_apart() -> None:
    edges = [(0.99, 0, 1), (0.96, 1, 2)]
    clusters, _ = cluster(3, edges, [], set(), _kind({(0, 2)}, set()), lambda z, x, y: False)
    assert clusters.find(0) != clusters.find(2)
    clusters, _ = cluster(3, edges, [], set(), _kind(set(), {(0, 2)}), lambda z, x, y: True)
    assert clusters.find(0) != clusters.find(2)
