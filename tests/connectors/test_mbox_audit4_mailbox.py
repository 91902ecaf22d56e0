"""Mail that is no person's answer (QA round 4, mail/calendar findings 1, 2, 9): a
Gmail draft never sent counted as the owner's reply; a vacation responder without
Auto-Submitted counted as the contact's answer; spam filled `unknown`."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.mbox import MboxConnector
from reseausync_connectors.mbox.message import automated_by, is_draft

from .audit4_mailcal import ME, imported

# The QA's mail/takeout2026.mbox: Marie writes to Sophie, whose responder answers
# (X-Autoreply, no Auto-Submitted); Luc writes to Marie, whose answer is a draft;
# a spam from a lottery.
TAKEOUT = b"""From 1849000000000000001@xxx Tue Nov 10 14:00:00 +0000 2026
X-GM-THRID: 1849000000000000001
X-Gmail-Labels: Sent,Opened
Message-ID: <CAmarie-100@mail.gmail.com>
Date: Tue, 10 Nov 2026 09:00:00 -0500
From: Marie Example <marie.example@gmail.com>
To: Sophie Tremblay <sophie.tremblay@example.com>
Subject: Proposition de partenariat

Bonjour Sophie, ...

From 1849000000000000002@xxx Tue Nov 10 14:00:05 +0000 2026
X-GM-THRID: 1849000000000000001
X-Gmail-Labels: Inbox,Opened
Message-ID: <20261110140005.ABCD@mail.example.com>
Date: Tue, 10 Nov 2026 09:00:05 -0500
From: Sophie Tremblay <sophie.tremblay@example.com>
To: Marie Example <marie.example@gmail.com>
Subject: Absent du bureau: Proposition de partenariat
In-Reply-To: <CAmarie-100@mail.gmail.com>
References: <CAmarie-100@mail.gmail.com>
X-Autoreply: yes
X-Autorespond: Absent du bureau
Precedence: auto_reply

Je suis en vacances jusqu au 30.

From 1849000000000000003@xxx Thu Nov 12 14:00:00 +0000 2026
X-GM-THRID: 1849000000000000003
X-Gmail-Labels: Inbox,Important,Opened,Category Personal
Message-ID: <CAluc-200@mail.gmail.com>
Date: Thu, 12 Nov 2026 09:00:00 -0500
From: Luc Gagnon <luc.gagnon@example.net>
To: Marie Example <marie.example@gmail.com>
Subject: Un cafe la semaine prochaine?

Dis-moi.

From 1849000000000000004@xxx Fri Nov 13 14:00:00 +0000 2026
X-GM-THRID: 1849000000000000003
X-Gmail-Labels: Drafts
Message-ID: <CAmarie-draft-201@mail.gmail.com>
Date: Fri, 13 Nov 2026 09:00:00 -0500
From: Marie Example <marie.example@gmail.com>
To: Luc Gagnon <luc.gagnon@example.net>
Subject: Re: Un cafe la semaine prochaine?
In-Reply-To: <CAluc-200@mail.gmail.com>
References: <CAluc-200@mail.gmail.com>

Oui, mardi ? (brouillon jamais envoye)

From 1849000000000000005@xxx Sat Nov 14 03:00:00 +0000 2026
X-GM-THRID: 1849000000000000005
X-Gmail-Labels: Spam,Opened
Message-ID: <0.7731.spam@bulkmailer.example>
Date: Sat, 14 Nov 2026 03:00:00 +0000
From: "Lottery Office" <winner-notice@lotto-intl.example>
To: marie.example@gmail.com
Subject: RE: Claim your prize

You won
"""

LUC_WRITES = b"""From - Thu Nov 12 14:00:00 2026
Message-ID: <luc-1@example.net>
Date: Thu, 12 Nov 2026 09:00:00 -0500
From: Luc Gagnon <luc.gagnon@example.net>
To: marie.example@gmail.com
Subject: Un cafe?

Dis-moi.
"""
MARIE_ANSWERS = b"""From - Fri Nov 13 14:00:00 2026
Message-ID: <marie-2@gmail.com>
Date: Fri, 13 Nov 2026 09:00:00 -0500
From: Marie Example <marie.example@gmail.com>
To: Luc Gagnon <luc.gagnon@example.net>
Subject: Re: Un cafe?
In-Reply-To: <luc-1@example.net>
References: <luc-1@example.net>
"""


def test_a_takeout_draft_auto_reply_and_spam_are_nobody_s_answer(tmp_path: Path) -> None:
    (tmp_path / "takeout.mbox").write_bytes(TAKEOUT)
    seen = imported(tmp_path, tmp_path / "takeout.mbox")
    assert seen.status["Luc Gagnon"] == "never_engaged"        # the reply is a draft
    assert seen.status["Sophie Tremblay"] == "never_engaged"   # her responder answered
    assert seen.unknown == []                                  # no lottery office
    assert "4 interactions" in seen.summary                    # the draft is left out


@pytest.mark.parametrize("box", ["Drafts", "Drafts.mbox", "Brouillons.mbox",
                                 "Drafts.mbox/mbox", "Templates"])
def test_a_drafts_mailbox_is_never_sent_mail(tmp_path: Path, box: str) -> None:
    """Thunderbird's and Apple Mail's Drafts folders hold mail never sent."""
    folder = tmp_path / "mail"
    (folder / box).parent.mkdir(parents=True, exist_ok=True)
    (folder / "Inbox.mbox").write_bytes(LUC_WRITES)
    (folder / box).write_bytes(MARIE_ANSWERS)
    seen = imported(tmp_path, folder, connector="mbox")
    assert seen.status["Luc Gagnon"] == "never_engaged"


def test_the_same_answer_in_sent_mail_engages(tmp_path: Path) -> None:
    """The control: the answer in a Sent folder, even with Thunderbird's draft
    header (it keeps it on mail queued and sent later), is an answer."""
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "Inbox.mbox").write_bytes(LUC_WRITES)
    (folder / "Sent.mbox").write_bytes(
        MARIE_ANSWERS.replace(b"Subject:", b"X-Mozilla-Draft-Info: internal/draft\nSubject:"))
    seen = imported(tmp_path, folder, connector="mbox")
    assert seen.status["Luc Gagnon"] == "engaged"


def test_thunderbird_draft_header_alone_is_no_draft(tmp_path: Path) -> None:
    """Review: Thunderbird keeps X-Mozilla-Draft-Info on mail it sent, so a reply in
    an Inbox or sent mail moved to Archives carries it: it is mail, not a draft."""
    box = tmp_path / "Archives.mbox"
    box.write_bytes(LUC_WRITES + b"\n" + MARIE_ANSWERS.replace(
        b"Subject:", b"X-Mozilla-Draft-Info: internal/draft; vcard=0\nSubject:"))
    conn = MboxConnector({}, ReadContext(source="t", me_emails=frozenset({ME})))
    found = [i for i in conn.read(list(conn.discover(str(box)))) if isinstance(i, Interaction)]
    assert len(found) == 2 and found[0].external_id == "luc-1@example.net"


@pytest.mark.parametrize(("headers", "why"), [
    ({"x-autoreply": "yes"}, "X-Autoreply"),
    ({"x-autorespond": "Absent du bureau"}, "X-Autorespond"),
    ({"precedence": "auto_reply"}, "Precedence: auto_reply"),
    ({"content-type": 'multipart/report; report-type=delivery-status; boundary="x"'},
     "Content-Type: multipart/report"),
    ({"content-type": "multipart/report; report-type=disposition-notification"},
     "Content-Type: multipart/report"),
    ({"return-path": "<>"}, "Return-Path: <>"),
    ({"x-gmail-labels": "Spam,Opened"}, "X-Gmail-Labels: Spam"),
    ({"x-gmail-labels": "Pourriel"}, "X-Gmail-Labels: Spam"),
])
def test_robots_and_spam_are_automated(headers: dict[str, str], why: str) -> None:
    assert automated_by(headers, "sophie@example.com") == why


def test_exchange_delivery_reports_are_automated() -> None:
    sender = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@acme.ca"
    assert automated_by({}, sender) == "sender"


@pytest.mark.parametrize("headers", [
    {}, {"x-autoreply": "no"}, {"return-path": "<sophie@example.com>"},
    {"content-type": "multipart/mixed; boundary=x"}, {"x-gmail-labels": "Inbox,Sent"},
])
def test_a_person_s_mail_is_not_automated(headers: dict[str, str]) -> None:
    assert automated_by(headers, "sophie@example.com") == ""


def test_a_sent_message_keeping_its_drafts_label_is_sent() -> None:
    assert is_draft({"x-gmail-labels": "Drafts"}, "")
    assert is_draft({"x-gmail-labels": "Brouillons"}, "")
    assert not is_draft({"x-gmail-labels": "Sent,Drafts"}, "")
    assert not is_draft({"x-gmail-labels": "Inbox"}, "")
