"""A reply engages the person who wrote it, never the people copied on it (QA
finding B: Bruno, only in the Cc of Alice's answer, was "engaged" by "their reply").

End to end through the real connectors, which list a received message's sender
first among its participants: a mailbox, a LinkedIn group conversation, and the
hand-kept log.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

BOOK = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Martin\r\nN:Martin;Alice;;;\r\n"
        b"EMAIL:alice@acme.ca\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bruno Roy\r\nN:Roy;Bruno;;;\r\n"
        b"EMAIL:bruno@acme.ca\r\nEND:VCARD\r\n")
GROUP_MBOX = b"""From marie@example.com Mon Nov 02 10:00:00 2026
From: Marie <marie@example.com>
To: Alice Martin <alice@acme.ca>, Bruno Roy <bruno@acme.ca>
Date: Mon, 02 Nov 2026 10:00:00 +0000
Subject: Projet
Message-ID: <m1@example.com>

Bonjour a tous

From alice@acme.ca Mon Nov 02 11:00:00 2026
From: Alice Martin <alice@acme.ca>
To: Marie <marie@example.com>
Cc: Bruno Roy <bruno@acme.ca>
Date: Mon, 02 Nov 2026 11:00:00 +0000
Subject: Re: Projet
Message-ID: <m2@acme.ca>
In-Reply-To: <m1@example.com>
References: <m1@example.com>

Merci
"""
PROFILE = ("First Name,Last Name,Maiden Name,Address,Birth Date,Headline\n"
           "Marie,Example,,,,Product lead\n")
CONNECTIONS = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
               "Alice,Martin,https://www.linkedin.com/in/alicemartin,,Acme,PM,15 Jan 2026\n"
               "Bruno,Roy,https://www.linkedin.com/in/brunoroy,,Acme,Dev,16 Jan 2026\n")
MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n"
    'conv-1,Team,Marie Example,https://www.linkedin.com/in/marie-example,'
    '"Alice Martin,Bruno Roy","https://www.linkedin.com/in/alicemartin,'
    'https://www.linkedin.com/in/brunoroy",2026-11-01 10:00:00 UTC,,Hello both,INBOX,No\n'
    'conv-1,Team,Alice Martin,https://www.linkedin.com/in/alicemartin,'
    '"Marie Example,Bruno Roy","https://www.linkedin.com/in/marie-example,'
    'https://www.linkedin.com/in/brunoroy",2026-11-01 11:00:00 UTC,,Hi Marie,INBOX,No\n')


def _statuses(tmp_path: Path, *imports: tuple[str, ...]) -> dict[str, dict]:
    (tmp_path / "me.toml").write_text('[me]\nemails = ["marie@example.com"]\n')
    db, config = str(tmp_path / "d.db"), str(tmp_path / "me.toml")
    for args in imports:
        done = run_cli("import", *args, "--db", db, "--config", config)
        assert done.returncode == 0, done.stderr
    out = run_cli("contacts", "--db", db, "--config", config, "--format", "json")
    assert out.returncode == 0, out.stderr
    return {c["display_name"]: c for c in json.loads(out.stdout)}


def _engaged(contact: dict) -> bool:
    """Engaged at some point (the status itself moves with today's date)."""
    return contact["status"] != "never_engaged" and contact["last_interaction"] is not None


def _why(tmp_path: Path, contact: dict) -> list[str]:
    out = run_cli("show", contact["id"], "--db", str(tmp_path / "d.db"), "--config",
                  str(tmp_path / "me.toml"), "--format", "json")
    assert out.returncode == 0, out.stderr
    return [i["why"] for i in json.loads(out.stdout)["engagement"]["interactions"]]


def test_mail_copied_on_someone_elses_reply(tmp_path: Path) -> None:
    (tmp_path / "book.vcf").write_bytes(BOOK)
    (tmp_path / "group.mbox").write_bytes(GROUP_MBOX)
    got = _statuses(tmp_path, (str(tmp_path / "book.vcf"),), (str(tmp_path / "group.mbox"),))
    assert _engaged(got["Alice Martin"])
    assert got["Bruno Roy"]["status"] == "never_engaged"
    assert _why(tmp_path, got["Bruno Roy"]) == ["sent, never answered",
                                                "copied on someone else's email"]


def test_linkedin_group_conversation(tmp_path: Path) -> None:
    folder = tmp_path / "li"
    folder.mkdir()
    (folder / "Profile.csv").write_text(PROFILE)
    (folder / "Connections.csv").write_text(CONNECTIONS)
    (folder / "messages.csv").write_text(MESSAGES)
    got = _statuses(tmp_path, (str(folder), "--connector", "linkedin"))
    assert _engaged(got["Alice Martin"])
    assert got["Bruno Roy"]["status"] == "never_engaged"


@pytest.mark.parametrize(("who", "engaged"), [
    ("Alice Martin <alice@acme.ca>; bruno@acme.ca", "Alice Martin"),
    # the owner written in the row does not take the sender's place
    ("marie@example.com; bruno@acme.ca; alice@acme.ca", "Bruno Roy"),
])
def test_log_row_credits_its_first_person(tmp_path: Path, who: str, engaged: str) -> None:
    (tmp_path / "book.vcf").write_bytes(BOOK)
    (tmp_path / "log.csv").write_text(
        "date,who,channel,direction\n"
        "2026-11-02 10:00,alice@acme.ca; bruno@acme.ca,email,out\n"
        f'2026-11-02 11:00,"{who}",email,in\n')
    got = _statuses(tmp_path, (str(tmp_path / "book.vcf"),),
                    (str(tmp_path / "log.csv"), "--connector", "interactions"))
    assert {name: _engaged(c) for name, c in got.items()} == {
        "Alice Martin": engaged == "Alice Martin", "Bruno Roy": engaged == "Bruno Roy"}


def test_linkedin_message_from_nobody_is_credited_to_nobody(tmp_path: Path) -> None:
    """A received message whose FROM and sender URL are empty (a deleted account) has
    no sender to put first: its direction is unknown rather than "in", or its first
    recipient would be taken for its author."""
    from reseausync.connector import ReadContext
    from reseausync.models import Interaction
    from reseausync_connectors.linkedin import LinkedInConnector

    folder = tmp_path / "li"
    folder.mkdir()
    (folder / "Profile.csv").write_text(PROFILE)
    (folder / "messages.csv").write_text(
        MESSAGES.splitlines()[0] + "\n"
        'conv-2,Team,,,"Marie Example,Bruno Roy","https://www.linkedin.com/in/marie-example,'
        'https://www.linkedin.com/in/brunoroy",2026-11-01 11:00:00 UTC,,Hi,INBOX,No\n')
    conn = LinkedInConnector({}, ReadContext(source="li"))
    (msg,) = [i for i in conn.read(list(conn.discover(str(folder))))
              if isinstance(i, Interaction)]
    assert msg.direction == "none"
    assert [p.name for p in msg.participants] == ["Bruno Roy"]
