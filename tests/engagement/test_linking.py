"""Linking participants to contacts: each key, ambiguity, the owner, the unknown."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.engagement.keys import name_key

from .conftest import Directory


def people(d: Directory) -> None:
    d.person("jf", "Jean-François Tremblay", emails=("jf.tremblay@acme.ca",),
             phones=("+15145551234",), linkedin_url="https://www.linkedin.com/in/jftremblay")
    d.person("kate", "Kate O'Brien", emails=("kate.obrien@shopify.com",))


def test_links_by_email_whatever_the_spelling(directory: Directory) -> None:
    people(directory)
    a = directory.interaction("email", "2026-01-01", "in", {"email": "JF.Tremblay@ACME.ca "})
    b = directory.interaction("email", "2026-01-02", "out", {"email": "mailto:jf.tremblay@acme.ca"})
    counts = directory.link()
    assert directory.links() == [(a, 0, "jf", "email"), (b, 0, "jf", "email")]
    assert counts["email"] == 2


def test_links_by_phone_in_the_default_region(directory: Directory) -> None:
    people(directory)
    call = directory.interaction("call", "2026-01-01", "both", {"phone": "(514) 555-1234"})
    directory.link()
    assert directory.links() == [(call, 0, "jf", "phone")]


def test_links_by_profile_url_variant(directory: Directory) -> None:
    people(directory)
    msg = directory.interaction("message", "2026-01-01", "in",
                                {"linkedin_url": "http://ca.linkedin.com/in/JFTremblay/?trk=a"})
    directory.link()
    assert directory.links() == [(msg, 0, "jf", "url")]


def test_name_alone_links_a_unique_full_name_in_any_order(directory: Directory) -> None:
    people(directory)
    note = directory.interaction("meeting", "2026-01-01", "both",
                                 {"name": "TREMBLAY, Jean-Francois"})
    directory.link()
    assert directory.links() == [(note, 0, "jf", "name")]


def test_name_shared_by_two_contacts_links_nobody(directory: Directory) -> None:
    directory.person("banker", "Marie Tremblay", emails=("marie.t@desjardins.com",))
    directory.person("prof", "Marie Tremblay", emails=("marie.tremblay@uqam.ca",))
    meeting = directory.interaction("meeting", "2026-01-01", "both", {"name": "Marie Tremblay"})
    mail = directory.interaction("email", "2026-01-02", "in",
                                 {"name": "Marie Tremblay", "email": "marie.tremblay@uqam.ca"})
    directory.link()
    assert directory.links() == [(meeting, 0, None, "none"), (mail, 0, "prof", "email")]


def test_one_word_name_never_links(directory: Directory) -> None:
    directory.person("kate", "Kate")
    msg = directory.interaction("message", "2026-01-01", "in", {"name": "Kate"})
    directory.link()
    assert directory.links() == [(msg, 0, None, "none")]


def test_shared_email_is_settled_by_the_name_or_left_ambiguous(directory: Directory) -> None:
    home = "famille.tremblay@videotron.ca"
    directory.person("lucas", "Lucas Tremblay", emails=(home,), phones=("+15145550000",))
    directory.person("nath", "Nathalie Tremblay", emails=(home,), phones=("+15145550000",))
    named = directory.interaction("email", "2026-01-01", "in",
                                  {"name": "Nathalie Tremblay", "email": home})
    bare = directory.interaction("email", "2026-01-02", "in", {"email": home})
    phoned = directory.interaction("call", "2026-01-03", "both",
                                   {"name": "Lucas", "phone": "514 555 0000"})
    directory.link()
    assert directory.links() == [(named, 0, "nath", "email"), (bare, 0, None, "ambiguous"),
                                 (phoned, 0, None, "ambiguous")]


def test_owner_is_never_a_contact_participant(directory: Directory) -> None:
    people(directory)
    directory.person("me", "Marie Example", emails=("marie@example.com",))
    mail = directory.interaction("email", "2026-01-01", "out",
                                 {"name": "Marie Example", "email": "Marie@Example.com"},
                                 {"email": "kate.obrien@shopify.com"})
    msg = directory.interaction(
        "message", "2026-01-02", "out",
        {"linkedin_url": "https://linkedin.com/in/Marie-Example/"},
        {"linkedin_url": "https://www.linkedin.com/in/jftremblay"})
    directory.link()
    assert directory.links() == [(mail, 0, None, "owner"), (mail, 1, "kate", "email"),
                                 (msg, 0, None, "owner"), (msg, 1, "jf", "url")]


def test_unmatched_participants_are_kept_and_empty_ones_skipped(directory: Directory) -> None:
    people(directory)
    mail = directory.interaction("email", "2026-01-01", "in", {"email": "stranger@nowhere.org"},
                                 {}, {"email": "kate.obrien@shopify.com"})
    directory.link()
    assert directory.links() == [(mail, 0, None, "none"), (mail, 2, "kate", "email")]


def test_strong_key_beats_name_and_name_fills_in_for_new_email(directory: Directory) -> None:
    people(directory)
    # Kate's address with JF's name: the address decides.
    a = directory.interaction("email", "2026-01-01", "in",
                              {"name": "Jean-François Tremblay",
                               "email": "kate.obrien@shopify.com"})
    # JF from an address no contact has: his unique full name links him.
    b = directory.interaction("email", "2026-01-02", "in",
                              {"name": "Jean-François Tremblay", "email": "jf@perso.ca"})
    directory.link()
    assert directory.links() == [(a, 0, "kate", "email"), (b, 0, "jf", "name")]


def test_relinking_rebuilds_and_skips_tombstoned_interactions(directory: Directory) -> None:
    people(directory)
    live = directory.interaction("email", "2026-01-01", "in", {"email": "jf.tremblay@acme.ca"})
    directory.interaction("email", "2026-01-02", "in", {"email": "jf.tremblay@acme.ca"},
                          removed=True)
    directory.link()
    first = directory.links()
    directory.link()
    assert directory.links() == first == [(live, 0, "jf", "email")]
    directory.db.execute("DELETE FROM contact_records WHERE contact_id='jf'")
    directory.db.execute("DELETE FROM contacts WHERE id='jf'")
    directory.link()
    assert directory.links() == [(live, 0, None, "none")]


def test_relinking_writes_only_what_changed(directory: Directory) -> None:
    people(directory)
    a = directory.interaction("email", "2026-01-01", "in", {"email": "jf.tremblay@acme.ca"},
                              {"email": "kate.obrien@shopify.com"})
    b = directory.interaction("email", "2026-01-02", "in", {"email": "kate.obrien@shopify.com"})
    first = directory.link()
    assert (first["written"], first["dropped"]) == (3, 0)
    again = directory.link()
    assert (again["written"], again["dropped"], again["email"]) == (0, 0, 3)
    directory.db.execute("UPDATE interactions SET removed_at='x' WHERE id=?", (b,))
    directory.db.execute("UPDATE contacts SET data=json_set(data, '$.emails', json('[]')) "
                         "WHERE id='kate'")
    changed = directory.link()
    # b's row goes with b, and Kate's participant in a, now linked to nobody, loses hers
    assert (changed["written"], changed["dropped"], changed["none"]) == (0, 2, 1)
    assert directory.links() == [(a, 0, "jf", "email"), (a, 1, None, "none")]
    assert directory.stored_links() == [(a, 0, "jf", "email")]


def test_participants_linked_to_nobody_have_no_row_but_are_counted(directory: Directory
                                                                   ) -> None:
    people(directory)
    mail = directory.interaction("email", "2026-01-01", "in", {"email": "stranger@nowhere.org"},
                                 {}, {"email": "kate.obrien@shopify.com"},
                                 {"name": "Someone Else"})
    counts = directory.link()
    assert (counts["none"], counts["email"], counts["written"]) == (2, 1, 1)
    assert directory.stored_links() == [(mail, 2, "kate", "email")]
    assert directory.links() == [(mail, 0, None, "none"), (mail, 2, "kate", "email"),
                                 (mail, 3, None, "none")]


def test_rows_earlier_versions_kept_for_nobody_are_dropped_by_the_migration(
        tmp_path) -> None:
    from reseausync.store import Store
    from reseausync.store.schema import m013_links_without_none
    store = Store.open(tmp_path / "old.db")
    db = store.db
    db.execute("INSERT INTO interactions (source, connector, external_id, unit, locator, kind, "
               "occurred_at, direction, participants, content_hash, first_run, last_run) "
               "VALUES ('s', 'c', 'x', 'u', 'l', 'email', '2026-01-01', 'in', "
               "'[{\"email\": \"a@b.c\"}, {\"email\": \"me@x.y\"}]', 'h', 1, 1)")
    db.execute("INSERT INTO interaction_links VALUES (1, 0, NULL, 'none')")
    db.execute("INSERT INTO interaction_links VALUES (1, 1, NULL, 'owner')")
    m013_links_without_none(db)
    rows = db.execute("SELECT participant, method FROM interaction_links").fetchall()
    assert [tuple(r) for r in rows] == [(1, "owner")]
    store.close()


def test_unreadable_participants_do_not_stop_linking(directory: Directory) -> None:
    people(directory)
    bad = directory.interaction("email", "2026-01-01", "in", {"email": "jf.tremblay@acme.ca"})
    odd = directory.interaction("email", "2026-01-02", "in", {"email": "jf.tremblay@acme.ca"})
    good = directory.interaction("email", "2026-01-03", "in", {"email": "jf.tremblay@acme.ca"})
    directory.db.execute("UPDATE interactions SET participants='[{not json' WHERE id=?", (bad,))
    directory.db.execute("UPDATE interactions SET participants='[\"a\", 3, {\"email\": null}]' "
                         "WHERE id=?", (odd,))
    directory.link()
    assert directory.links() == [(good, 0, "jf", "email")]


@given(st.lists(st.text(alphabet="abcdeéÉ- .'", min_size=1, max_size=8), min_size=1,
                max_size=4), st.randoms())
@settings(max_examples=60)
def test_name_key_ignores_order_case_and_is_idempotent(words: list[str], rnd) -> None:
    name = " ".join(words)
    shuffled = words[:]
    rnd.shuffle(shuffled)
    assert name_key(" ".join(shuffled).upper()) == name_key(name)
    assert name_key(name_key(name)) == name_key(name)


def test_an_address_book_without_interactions_links_nothing(directory: Directory) -> None:
    people(directory)
    assert directory.link() == {"participants": 0, "written": 0, "dropped": 0}


def test_links_of_interactions_all_gone_are_dropped(directory: Directory) -> None:
    people(directory)
    mail = directory.interaction("email", "2026-01-01", "in", {"email": "jf.tremblay@acme.ca"})
    directory.link()
    assert directory.links() == [(mail, 0, "jf", "email")]
    directory.db.execute("UPDATE interactions SET removed_at = 'gone'")
    assert directory.link()["dropped"] == 1
    assert directory.links() == []


_FIELDS = ("name", "email", "phone", "linkedin_url")
_participant = st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS),
                    st.sampled_from(["", " ", "Jean Roy", "jf.tremblay@acme.ca", "514 555 1234",
                                     "https://www.linkedin.com/in/someone"])),
    st.sampled_from(["text", 3, None, []]))


@settings(max_examples=40, deadline=None)
@given(st.lists(_participant, max_size=5))
def test_every_participant_naming_someone_is_linked_or_unlinked_once(tmp_path_factory,
                                                                      participants) -> None:
    # The rows the linker writes and the participants UNLINKED_SQL finds without one
    # are two halves of one set: every participant that is an object naming someone.
    d = Directory(tmp_path_factory.mktemp("links") / "dir.db")
    try:
        people(d)
        iid = d.interaction("email", "2026-01-01", "in")
        d.db.execute("UPDATE interactions SET participants=? WHERE id=?",
                     (json.dumps(participants), iid))
        counts = d.link()
        named = [i for i, p in enumerate(participants)
                 if isinstance(p, dict) and any(p.get(k) for k in _FIELDS)]
        assert [(r[0], r[1]) for r in d.links()] == [(iid, i) for i in named]
        assert counts["participants"] == len(named)
    finally:
        d.store.close()
