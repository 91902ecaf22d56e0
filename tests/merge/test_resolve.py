"""The canonical directory built from records on a real SQLite file."""

from __future__ import annotations

import json

import pytest

from reseausync.config import Settings
from reseausync.store import Store

from .directory import contacts, members, person, together, write

REGION = Settings(region="CA")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "dir.db")
    yield s
    s.close()


def cast() -> list:
    """A small address book, as CAST.md describes it, plus strangers to give the model
    a realistic sense of how rare a shared name is."""
    records = [
        person("phone", "jf", "Jean-François Tremblay", phones=("(514) 555-1234",)),
        person("linkedin", "jf", "Jean-François Tremblay", org="Acme",
               linkedin="linkedin.com/in/jftremblay"),
        person("google", "jf", "JF Tremblay", emails=("jf.tremblay@acme.ca",),
               phones=("514-555-1234",), org="Acme Inc."),
        person("phone", "kate", "Kate O'Brien", emails=("kate.obrien@shopify.com",),
               phones=("613 555 0199",)),
        person("linkedin", "kate", "Catherine O'Brien", org="Shopify"),
        person("outlook", "kate", "Catherine O'Brien", emails=("kate.obrien@shopify.com",)),
        person("phone", "marie", "Marie Tremblay", org="Desjardins",
               emails=("marie.t@desjardins.com",), phones=("514 555 7000",)),
        person("linkedin", "marie", "Marie Tremblay", org="UQAM",
               emails=("marie.tremblay@uqam.ca",)),
        person("phone", "lucas", "Lucas Tremblay", phones=("514 555 0000",),
               emails=("famille.tremblay@videotron.ca",)),
        person("phone", "nathalie", "Nathalie Tremblay", phones=("514 555 0000",),
               emails=("famille.tremblay@videotron.ca",)),
        person("linkedin", "bob", "Robert Chen", org="Nimbus Labs"),
        person("google", "bob", "Bob Chen", emails=("bob@nimbuslabs.io",),
               phones=("416 555 0142",)),
        person("cards", "bob", "ROBERT CHEN", org="NIMBUS LABS INC.",
               emails=("bob@nimbuslabs.io",)),
        person("phone", "empty", ""),
    ]
    for i in range(60):
        records.append(person("phone", f"s{i}", f"Given{i:02d}x Family{i % 37:02d}y",
                              phones=(f"450 555 {1000 + i}",)))
    return records


def test_each_person_once(store) -> None:
    write(store, cast(), settings=REGION)
    assert together(store, "phone:jf", "linkedin:jf")
    assert together(store, "phone:jf", "google:jf")
    assert together(store, "phone:kate", "outlook:kate")
    assert together(store, "linkedin:kate", "outlook:kate")
    assert together(store, "google:bob", "cards:bob")
    assert together(store, "linkedin:bob", "cards:bob")


def test_homonyms_and_relatives_never_merge(store) -> None:
    write(store, cast(), settings=REGION)
    assert not together(store, "phone:marie", "linkedin:marie")
    assert not together(store, "phone:lucas", "phone:nathalie")


def test_canonical_shape_and_provenance(store) -> None:
    write(store, cast(), settings=REGION)
    (jf,) = [c for c in contacts(store).values() if "jf.tremblay@acme.ca" in c["emails"]]
    assert jf["phones"] == ["+15145551234"]
    assert jf["linkedin_url"] == "https://www.linkedin.com/in/jftremblay"
    assert jf["given_name"] == "Jean-François" and jf["family_name"] == "Tremblay"
    assert {s["source"] for s in jf["sources"]} == {"phone", "linkedin", "google"}
    rid = {r[0]: r[1] for r in store.db.execute(
        "SELECT source || ':' || external_id, id FROM records")}
    assert jf["provenance"]["emails"]["jf.tremblay@acme.ca"] == [rid["google:jf"]]
    assert sorted(jf["provenance"]["phones"]["+15145551234"]) == sorted(
        [rid["phone:jf"], rid["google:jf"]])
    assert jf["provenance"]["linkedin_url"] == rid["linkedin:jf"]
    for key in ("display_name", "emails", "phones", "organization", "title", "addresses",
                "categories", "urls", "note", "birthday", "photo", "first_collected",
                "sources", "provenance", "flags"):
        assert key in jf


def test_no_identity_stays_alone_and_flagged(store) -> None:
    write(store, cast() + [person("cards", "org", org="Acme Inc.")], settings=REGION)
    flagged = {tuple(c["flags"]) for c in contacts(store).values() if c["flags"]}
    assert ("no_identity",) in flagged
    assert ("no_identity", "organization_only") in flagged
    for m in members(store).values():
        if "phone:empty" in m:
            assert m == {"phone:empty"}


def test_ids_are_stable_and_deterministic(tmp_path) -> None:
    first = Store.open(tmp_path / "a.db")
    write(first, cast(), settings=REGION)
    ids = {frozenset(m): cid for cid, m in members(first).items()}
    write(first, [person("phone", "new", "Zoé Lefebvre", phones=("514 555 8888",))],
          settings=REGION)
    after = {frozenset(m): cid for cid, m in members(first).items()}
    assert all(after[m] == cid for m, cid in ids.items())
    fresh = Store.open(tmp_path / "b.db")
    write(fresh, cast(), settings=REGION)
    assert {frozenset(m): cid for cid, m in members(fresh).items()} == ids


def test_split_keeps_the_id_with_the_larger_part(store) -> None:
    write(store, cast(), settings=REGION)
    (cid,) = [c for c, m in members(store).items() if "google:jf" in m]
    from reseausync.merge import split
    split(store, "linkedin:jf", "phone:jf")
    groups = members(store)
    assert not together(store, "linkedin:jf", "phone:jf")
    assert len(groups[cid]) == 2           # the larger part kept the id
    assert any(m == {"linkedin:jf"} for m in groups.values())


def test_overrides_win_on_later_runs(store) -> None:
    from reseausync.merge import link, split
    write(store, cast(), settings=REGION)
    link(store, "phone:marie", "linkedin:marie")
    split(store, "google:bob", "cards:bob")
    for _ in range(2):
        assert together(store, "phone:marie", "linkedin:marie")
        assert not together(store, "google:bob", "cards:bob")
        write(store, [person("phone", "x", "Somebody Else")])   # a later run, no settings


def test_link_by_contact_id_merges_whole_contacts(store) -> None:
    from reseausync.merge import link
    write(store, cast(), settings=REGION)
    ids = {m: cid for cid, ms in members(store).items() for m in ms}
    link(store, ids["phone:jf"], ids["phone:lucas"])
    assert together(store, "google:jf", "phone:lucas")
    assert together(store, "linkedin:jf", "phone:lucas")


def test_bad_overrides_are_usage_errors(store) -> None:
    from reseausync.errors import UsageError
    from reseausync.merge import link, split
    write(store, cast(), settings=REGION)
    with pytest.raises(UsageError, match="no contact or record 'nope'"):
        link(store, "nope", "phone:jf")
    link(store, "phone:marie", "linkedin:marie")
    with pytest.raises(UsageError) as err:
        split(store, "linkedin:marie", "phone:marie")
    assert "split linkedin:marie phone:marie" in str(err.value)
    assert "link phone:marie linkedin:marie" in str(err.value)
    split(store, "phone:lucas", "phone:nathalie")
    with pytest.raises(UsageError, match="contradicts the earlier split phone:lucas"):
        link(store, "phone:nathalie", "phone:lucas")


def test_a_decision_can_be_withdrawn(store) -> None:
    from reseausync.errors import UsageError
    from reseausync.merge import link, split, undo
    write(store, cast(), settings=REGION)
    ids = {m: cid for cid, ms in members(store).items() for m in ms}
    link(store, ids["phone:marie"], ids["linkedin:marie"])      # two namesakes, by mistake
    assert together(store, "phone:marie", "linkedin:marie")
    a, b = ids["phone:marie"], ids["linkedin:marie"]
    with pytest.raises(UsageError) as err:     # b's id was merged into a's: the link is in the way
        split(store, a, b)
    assert f"split {a} {b} contradicts the earlier link {a} {b}" in str(err.value)
    assert f"reseausync link --undo {a} {b}" in str(err.value.hint)
    undo(store, "link", ids["phone:marie"], ids["linkedin:marie"])
    assert not together(store, "phone:marie", "linkedin:marie")
    assert {m: c for c, ms in members(store).items() for m in ms} == ids   # ids as before
    split(store, "phone:jf", "google:jf")
    assert not together(store, "phone:jf", "google:jf")
    with pytest.raises(UsageError) as err:
        link(store, "google:jf", "phone:jf")
    assert "reseausync split --undo phone:jf google:jf" in str(err.value.hint)
    undo(store, "split", "google:jf", "phone:jf")                 # either order
    assert together(store, "phone:jf", "google:jf")
    with pytest.raises(UsageError, match="no split between phone:jf and google:jf to undo"):
        undo(store, "split", "phone:jf", "google:jf")
    assert store.db.execute("SELECT COUNT(*) FROM overrides").fetchone()[0] == 0


def test_review_and_explain(store) -> None:
    from reseausync.merge import explain, review_pairs
    write(store, cast(), settings=REGION)
    pairs = review_pairs(store)
    relatives = [p for p in pairs if {p["a_name"], p["b_name"]}
                 == {"Lucas Tremblay", "Nathalie Tremblay"}]
    assert relatives and relatives[0]["fields"]["given_name"]["level"] == "else"
    assert relatives[0]["fields"]["phone"]["level"] == "exact"
    assert any(r.startswith("given_name: else (-") for r in relatives[0]["levels"])
    # the level that says two people first, then the weightiest, for or against: a
    # table that cuts the line keeps what holds the couple apart
    assert relatives[0]["levels"][0].startswith("given_name: else (-")
    weights = [abs(float(r.rsplit("(", 1)[1].rstrip(")"))) for r in relatives[0]["levels"][1:]]
    assert weights == sorted(weights, reverse=True)
    ids = {m: cid for cid, ms in members(store).items() for m in ms}
    why = explain(store, ids["google:jf"])
    assert {r["ref"] for r in why["records"]} == {"phone:jf", "linkedin:jf", "google:jf"}
    assert any(p["decision"] == "merge" for p in why["pairs"])
    assert all("weight" in lv for p in why["pairs"] for lv in p["fields"].values())
    assert all(p["a_ref"] in {"phone:jf", "linkedin:jf", "google:jf"} for p in why["pairs"])
    json.dumps(why)


def test_removed_records_leave_and_come_back(store) -> None:
    write(store, cast(), settings=REGION)
    ids = {m: cid for cid, ms in members(store).items() for m in ms}
    write(store, [], remove=(("phone", "lucas"),))
    assert "phone:lucas" not in {m for ms in members(store).values() for m in ms}
    gone = store.db.execute("SELECT removed_at FROM contacts WHERE id=?",
                            (ids["phone:lucas"],)).fetchone()
    assert gone[0] is not None
    write(store, [person("phone", "lucas", "Lucas Tremblay", phones=("514 555 0000",),
                         emails=("famille.tremblay@videotron.ca",))])
    assert {m: cid for cid, ms in members(store).items() for m in ms}["phone:lucas"] \
        == ids["phone:lucas"]
