"""A participant named as one of a merged contact's records is named links to that
contact (QA finding G: "Bob Chen", the name on the contact's own phone-book card, was
"unknown" because the merged contact displays "Robert Chen" from LinkedIn).

The rule for names is unchanged: a name links only when exactly one contact bears
it, now counting the names on their records too.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

from .conftest import Directory


def named_record(d: Directory, cid: str, display: str, given: str, family: str,
                 *, removed: bool = False) -> None:
    """One more record of contact `cid`, carrying a name."""
    d.record(cid, source="phone", connector="vcard")
    d.db.execute("UPDATE records SET data=json_set(data, '$.display_name', ?, "
                 "'$.given_name', ?, '$.family_name', ?), removed_at=? WHERE id=("
                 "SELECT max(id) FROM records)",
                 (display, given, family, "2026-01-01" if removed else None))


def test_a_record_name_links_the_merged_contact(directory: Directory) -> None:
    directory.person("bob", "Robert Chen", given="Robert", family="Chen",
                     source="linkedin", connector="linkedin")
    named_record(directory, "bob", "Bob Chen", "Bob", "Chen")
    beer = directory.interaction("meeting", "2026-11-12", "both", {"name": "Bob Chen"})
    coffee = directory.interaction("meeting", "2026-11-10", "both", {"name": "chen, robert"})
    directory.link()
    assert directory.links() == [(beer, 0, "bob", "name"), (coffee, 0, "bob", "name")]


def test_a_record_name_shared_with_another_contact_links_neither(
        directory: Directory) -> None:
    directory.person("bob", "Robert Chen", source="linkedin", connector="linkedin")
    named_record(directory, "bob", "Bob Chen", "Bob", "Chen")
    directory.person("other", "Bob Chen", emails=("bob.chen@acme.ca",))
    beer = directory.interaction("meeting", "2026-11-12", "both", {"name": "Bob Chen"})
    # a shared key still picks the contact whose record bears the participant's name
    directory.db.execute("UPDATE contacts SET data=json_set(data, '$.phones', "
                         "json_array('+15145550142')) WHERE id IN ('bob', 'other')")
    call = directory.interaction("call", "2026-11-13", "both",
                                 {"name": "Robert Chen", "phone": "514 555 0142"})
    directory.link()
    assert directory.links() == [(beer, 0, None, "none"), (call, 0, "bob", "phone")]


def test_a_removed_record_names_nobody(directory: Directory) -> None:
    directory.person("bob", "Robert Chen", source="linkedin", connector="linkedin")
    named_record(directory, "bob", "Bob Chen", "Bob", "Chen", removed=True)
    beer = directory.interaction("meeting", "2026-11-12", "both", {"name": "Bob Chen"})
    directory.link()
    assert directory.links() == [(beer, 0, None, "none")]


def test_end_to_end_phone_book_and_linkedin(tmp_path: Path) -> None:
    (tmp_path / "book.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Chen\r\nN:Chen;Bob;;;\r\n"
        b"EMAIL:bob@gmail.com\r\nTEL:+15145550142\r\nEND:VCARD\r\n")
    li = tmp_path / "li"
    li.mkdir()
    (li / "Profile.csv").write_text("First Name,Last Name,Headline\nMarie,Example,Lead\n")
    (li / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Robert,Chen,https://www.linkedin.com/in/robertchen,bob@gmail.com,Nimbus Labs,CTO,"
        "15 Jan 2026\n")    # the same address: one person in a directory of any size
    (tmp_path / "log.csv").write_text("date,who,channel,note\n2026-11-12,Bob Chen,bière,after\n")
    (tmp_path / "me.toml").write_text('[me]\nemails = ["marie@example.com"]\n')
    db, config = str(tmp_path / "d.db"), str(tmp_path / "me.toml")
    for args in ([str(tmp_path / "book.vcf")], [str(li), "--connector", "linkedin"],
                 [str(tmp_path / "log.csv"), "--connector", "interactions"]):
        done = run_cli("import", *args, "--db", db, "--config", config)
        assert done.returncode == 0, done.stderr
    (contact,) = json.loads(run_cli("contacts", "--db", db, "--config", config,
                                    "--format", "json").stdout)
    assert contact["display_name"] == "Robert Chen"     # the two records merged
    assert contact["interaction_count"] == 1
    assert contact["last_interaction"].startswith("2026-11-12")
    unknown = json.loads(run_cli("unknown", "--db", db, "--config", config,
                                 "--format", "json").stdout)
    assert unknown == []
