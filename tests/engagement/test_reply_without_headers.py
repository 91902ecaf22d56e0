"""A reply that carries no In-Reply-To/References still answers (QA finding H: Bruno
answered "RE: question" two hours after the owner's mail, from a client that sends
no threading headers, and stayed never_engaged).

The mbox connector gives such a mail a thread of its own (its own id or a digest);
its subject says it is a reply, so engagement pairs it with the contact's whole
channel within the reply window. A mail with no reply marker is a new conversation.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

BOOK = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bruno Roy\r\nN:Roy;Bruno;;;\r\n"
        b"EMAIL:bruno@acme.ca\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Chloe Dion\r\nN:Dion;Chloe;;;\r\n"
        b"EMAIL:chloe@acme.ca\r\nEND:VCARD\r\n")
MBOX = b"""From x Tue Nov 03 10:00:00 2026
From: Marie <marie@example.com>
To: Bruno Roy <bruno@acme.ca>
Date: Tue, 03 Nov 2026 10:00:00 +0000
Subject: question
Message-ID: <b1@example.com>

q?

From x Tue Nov 03 12:00:00 2026
From: Bruno Roy <bruno@acme.ca>
To: Marie <marie@example.com>
Date: Tue, 03 Nov 2026 12:00:00 +0000
Subject: RE: question

answer without threading headers or message-id

From x Tue Nov 03 10:00:00 2026
From: Marie <marie@example.com>
To: Chloe Dion <chloe@acme.ca>
Date: Tue, 03 Nov 2026 10:00:00 +0000
Subject: question
Message-ID: <c1@example.com>

q?

From x Tue Nov 03 12:00:00 2026
From: Chloe Dion <chloe@acme.ca>
To: Marie <marie@example.com>
Date: Tue, 03 Nov 2026 12:00:00 +0000
Subject: lunch on friday
Message-ID: <c2@acme.ca>

a new conversation, not an answer
"""


def test_reply_without_threading_headers_is_an_answer(tmp_path: Path) -> None:
    (tmp_path / "book.vcf").write_bytes(BOOK)
    (tmp_path / "box.mbox").write_bytes(MBOX)
    (tmp_path / "me.toml").write_text('[me]\nemails = ["marie@example.com"]\n')
    db, config = str(tmp_path / "d.db"), str(tmp_path / "me.toml")
    for path in ("book.vcf", "box.mbox"):
        done = run_cli("import", str(tmp_path / path), "--db", db, "--config", config)
        assert done.returncode == 0, done.stderr
    out = run_cli("contacts", "--db", db, "--config", config, "--format", "json")
    got = {c["display_name"]: c for c in json.loads(out.stdout)}
    assert got["Bruno Roy"]["last_interaction"].startswith("2026-11-03T12:00")
    assert got["Bruno Roy"]["status"] != "never_engaged"
    assert got["Chloe Dion"]["status"] == "never_engaged"
    shown = json.loads(run_cli("show", got["Bruno Roy"]["id"], "--db", db, "--config",
                               config, "--format", "json").stdout)
    assert [i["why"] for i in shown["engagement"]["interactions"]] == ["answered",
                                                                       "their reply"]
