"""The mbox connector: the shared contract, one fixture per real-world oddity, and
hypothesis on arbitrary bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from email.utils import getaddresses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync.registry import registry
from reseausync_connectors.mbox import MboxConnector
from reseausync_connectors.mbox.message import split_addresses
from reseausync_connectors.mbox.owner import guess_owner
from reseausync_connectors.mbox.split import MAX_HEADER_BYTES, READ_PIECE, messages

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "mbox"
ME = frozenset({"marie@example.com", "marie.example@gmail.com"})


def read(path: Path) -> list:
    conn = MboxConnector({}, ReadContext(source="test", me_emails=ME))
    return list(conn.read(list(conn.discover(str(path)))))


def interactions(path: Path) -> list[Interaction]:
    return [i for i in read(path) if isinstance(i, Interaction)]


class TestMboxContract(ConnectorContract):
    connector_cls = MboxConnector
    good_target = ROOT / "samples" / "mail"
    broken_target = FIXTURES / "broken.mbox"
    expected_records = 0
    expected_interactions = 7    # 5 in marie.mbox, 2 .eml files
    after_bad_external_id = "after-bad@acme.ca"
    context = ReadContext(source="test", me_emails=ME)


def test_sample_directions_threads_and_robots() -> None:
    items = {i.external_id: i for i in interactions(ROOT / "samples" / "mail")}
    first = items["CAE1x9Q-souper-1@mail.gmail.com"]
    assert first.direction == "in" and first.kind == "email"
    assert first.subject == "Souper des fêtes ?"
    assert [(p.name, p.email) for p in first.participants] == [
        ("Élise Gagnon", "elise.gagnon@gmail.com")]
    assert first.occurred_at == datetime(2025, 12, 2, 14, 12, 5, tzinfo=UTC)
    reply = items["CAM4r1e-souper-2@mail.gmail.com"]
    assert reply.direction == "out" and reply.locator == "marie.mbox#2"
    assert reply.thread == first.thread == "CAE1x9Q-souper-1@mail.gmail.com"
    assert items["CAM4r1e-souper-4@mail.gmail.com"].locator == "merci-elise.eml#1"
    assert items["CAM4r1e-souper-4@mail.gmail.com"].thread == first.thread
    automated = {k for k, i in items.items() if i.extra.get("automated")}
    assert automated == {"20251203110000.4242@lists.mtlblog.example",
                         "alert-88123@accounts.example"}


def test_bad_messages_are_rejected_at_their_line_with_their_number() -> None:
    """Rejects were located at `broken.mbox#2`; INTERFACE.md says "file:line": the
    line of the message's From_ line, the number in the message."""
    found = [(r.locator, r.reason, r.message.split(":")[0])
             for r in read(FIXTURES / "broken.mbox") if isinstance(r, Reject)]
    path = str(FIXTURES / "broken.mbox")
    # messages 2 (bad Date) and 5 (no Date) take their From_ line's date
    # (test_mbox_audit4_dates.py); an .eml without a date is still a reject there
    assert found == [(f"{path}:18", "bad-header", "message 3"),
                     (f"{path}:27", "bad-header", "message 4")]
    assert [i.external_id for i in interactions(FIXTURES / "broken.mbox")] == [
        "good-1@acme.ca", "bad-date@acme.ca", "no-date@acme.ca", "after-bad@acme.ca"]


def test_from_lines_inside_bodies_do_not_split_messages() -> None:
    items = interactions(FIXTURES / "from_lines_in_bodies.mbox")
    assert [(i.external_id, i.direction, i.locator) for i in items] == [
        ("kate-1@shopify.com", "in", "from_lines_in_bodies.mbox#1"),
        ("marie-draft@example.com", "out", "from_lines_in_bodies.mbox#2")]
    assert items[1].thread == "kate-1@shopify.com"


def test_a_forwarded_mail_in_a_body_is_not_a_message() -> None:
    """"From 10:30 to 12:00" opened a message, so the forwarded headers under it made
    a mail from bob@corp.com (in 2018) and every later message number was shifted."""
    found = read(FIXTURES / "forwarded_in_body.mbox")
    assert [(i.locator, i.reason if isinstance(i, Reject) else i.external_id)
            for i in found] == [
        ("forwarded_in_body.mbox#1", "m3@example.com"),
        ("forwarded_in_body.mbox#2", "m4@example.com"),   # dated by its From_ line
        ("forwarded_in_body.mbox#3", "takeout@example.com"),
        ("forwarded_in_body.mbox#4", "thunderbird@example.com")]
    assert found[1].occurred_at.isoformat() == "2024-06-06T11:00:00+00:00"
    assert not any(p.email == "bob@corp.com" for i in found if isinstance(i, Interaction)
                   for p in i.participants)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
           "dec")
_BODY_WORDS = st.sampled_from(["10:30", "12:00", "9:00:00", "to", "Mon", "Tue", "Sunday",
                               "2024", "24", "3", "+0000", "PST", "bob@corp.com", "-",
                               "at", "the", "team", "I'm", "free.", "  ", ":", "From"])


def _no_month(text: str) -> bool:
    """An asctime date names its month: a line without one is never a separator."""
    return not any(month in text.lower() for month in _MONTHS)


_BODY_FROM_LINES = st.one_of(
    st.lists(_BODY_WORDS, min_size=1, max_size=10).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                   blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                                                        "\x85\u2028\u2029"),
            max_size=60).filter(_no_month),
).map(lambda rest: "From " + rest)


def _mailbox(body_lines: list[str], separator: str) -> bytes:
    first = ("From a@b.ca Mon Jun  3 09:00:00 2024\nMessage-ID: <one@b.ca>\n"
             "Date: Mon, 3 Jun 2024 09:00:00 +0000\nFrom: a@b.ca\nTo: c@d.ca\n\n")
    second = (f"{separator}\nMessage-ID: <two@b.ca>\n"
              "Date: Tue, 4 Jun 2024 09:00:00 +0000\nFrom: e@f.ca\nTo: c@d.ca\n\nbye\n")
    return (first + "\n".join(body_lines) + "\n\n" + second).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(body=st.lists(_BODY_FROM_LINES, min_size=1, max_size=6))
def test_body_lines_starting_with_from_never_split_a_message(body: list[str]) -> None:
    found = list(messages(io.BytesIO(_mailbox(body, "From e@f.ca Tue Jun  4 09:00:00 2024"))))
    assert [m.number for m in found] == [1, 2]
    assert b"<two@b.ca>" in found[1].headers


_SEPARATORS = st.builds(
    lambda sender, weekday, month, day, time, zone, year: " ".join(
        part for part in ("From", sender, weekday, month, day, time, zone, year) if part),
    st.sampled_from(["MAILER-DAEMON", "bob@x.com", "-", "1784712345678901234@xxx",
                     "jdoe at example.com", ""]),
    st.sampled_from(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
    st.sampled_from(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                     "Nov", "Dec"]),
    st.sampled_from([" 2", "02", "2", "12", "31"]),
    st.sampled_from(["14:12:05", "05:53", "9:00:00"]),
    st.sampled_from(["", "+0000", "-0500", "PST", "MET DST"]),
    st.sampled_from(["2025", "1996", "92", "2024 remote from host"]))


@settings(max_examples=100, deadline=None)
@given(separator=_SEPARATORS)
def test_the_from_lines_real_writers_produce_split_messages(separator: str) -> None:
    found = list(messages(io.BytesIO(_mailbox(["hello"], separator))))
    assert [m.number for m in found] == [1, 2]
    assert found[1].headers.startswith(b"Message-ID: <two@b.ca>")


def test_an_empty_file_is_a_reject(tmp_path: Path) -> None:
    """An empty .eml (or .mbox) gave nothing at all: neither a mail nor a reject."""
    (tmp_path / "empty.eml").write_bytes(b"")
    [reject] = read(tmp_path / "empty.eml")
    assert isinstance(reject, Reject)
    assert (reject.reason, reject.message) == ("empty-file", "empty.eml: the file is empty")


def test_an_address_cut_short_is_not_kept() -> None:
    """A file that ends in `To: marie@exa` kept "marie@exa" as a participant; an
    address without the shape of one is left out, and named in the extra."""
    [item] = interactions(FIXTURES / "truncated.eml")
    assert [p.email for p in item.participants] == ["trunc@example.com"]
    assert item.extra["unreadable_addresses"] == ["marie@exa"]


def test_a_sender_without_an_address_shape_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "bad-from.eml"
    path.write_bytes(b"From: Jo <jo@localhost>\nTo: a@b.ca\n"
                     b"Date: Mon, 1 Dec 2025 10:00:00 +0000\n\nhi\n")
    [reject] = read(path)
    assert isinstance(reject, Reject) and reject.reason == "bad-header"
    assert "'jo@localhost' is not an address" in reject.message


def read_without_owner(path: Path) -> list:
    conn = MboxConnector({}, ReadContext(source="test"))
    return list(conn.read(list(conn.discover(str(path)))))


def test_without_an_owner_a_sent_mail_is_not_received() -> None:
    """Without [me], the owner's sent mail was "in", with the owner as a participant:
    a mail she sent became a mail received and never answered."""
    [item] = read_without_owner(FIXTURES / "sent_by_owner.eml")
    assert item.direction == "none"
    assert [p.email for p in item.participants] == [
        "marie@example.com", "jf.tremblay@acme.ca", "catherine@shopify.com", "paul@kpmg.ca"]


def test_without_an_owner_a_mailbox_names_its_owner() -> None:
    """Marie's gmail address is on nearly every message of the sample mailbox: it is
    taken as the owner's, as the LinkedIn connector guesses its owner."""
    unit = next(MboxConnector({}, ReadContext(source="test")).discover(
        str(ROOT / "samples" / "mail" / "marie.mbox")))
    assert guess_owner(unit) == {"marie.example@gmail.com"}
    found = {i.external_id: i for i in read_without_owner(ROOT / "samples" / "mail" /
                                                          "marie.mbox")}
    configured = {i.external_id: i for i in interactions(ROOT / "samples" / "mail" /
                                                         "marie.mbox")}
    assert set(found) >= set(configured)
    for key, item in configured.items():
        if "marie@example.com" in {p.email for p in found[key].participants}:
            continue    # the guess knows one address: her other one is somebody else
        assert (found[key].direction, found[key].participants) == \
            (item.direction, item.participants), key


def test_a_tie_names_no_owner(tmp_path: Path) -> None:
    path = tmp_path / "two.mbox"
    path.write_bytes(b"From a Mon Dec  1 00:00:00 2025\nFrom: a@b.ca\nTo: c@d.ca\n"
                     b"Date: Mon, 1 Dec 2025 00:00:00 +0000\nMessage-ID: <1@b>\n\nhi\n"
                     b"From c Mon Dec  1 00:00:00 2025\nFrom: c@d.ca\nTo: a@b.ca\n"
                     b"Date: Mon, 1 Dec 2025 01:00:00 +0000\nMessage-ID: <2@b>\n\nho\n")
    assert [i.direction for i in read_without_owner(path)] == ["none", "none"]


def test_a_mailing_list_archive_names_no_owner(tmp_path: Path) -> None:
    """The list's address is on every message of its archive: it is not the owner."""
    posts = b"".join(
        b"From %s Mon Dec  1 0%d:00:00 2025\nFrom: %s\nTo: devs@lists.example.org\n"
        b"List-Id: <devs.lists.example.org>\nDate: Mon, 1 Dec 2025 0%d:00:00 +0000\n"
        b"Message-ID: <%d@x>\n\npost\n" % (who, i, who, i, i)
        for i, who in enumerate((b"a@x.org", b"b@y.org", b"c@z.org", b"a@x.org")))
    path = tmp_path / "devs.mbox"
    path.write_bytes(posts)
    unit = next(MboxConnector({}, ReadContext(source="test")).discover(str(path)))
    assert guess_owner(unit) == frozenset()


def test_the_bcc_of_the_owners_mail_are_participants() -> None:
    """The people the owner wrote to in Bcc were ignored; a Bcc on a received copy
    (which a sender's server should have removed) says nothing about the owner."""
    sent, received = interactions(FIXTURES / "bcc.mbox")
    assert [(p.name, p.email) for p in sent.participants] == [
        ("", "helene.gagnon@ville.qc.ca"), ("", "secret.person@example.net"),
        ("Paul", "paul@kpmg.ca")]
    assert [p.email for p in received.participants] == ["helene.gagnon@ville.qc.ca"]


def test_raw_8bit_and_cp1252_headers_are_decoded() -> None:
    [utf8] = interactions(FIXTURES / "raw_8bit_headers.eml")
    assert utf8.participants[0].name == "Élise Gagnon" and utf8.subject == "Café demain?"
    [latin] = interactions(FIXTURES / "cp1252_headers.eml")
    assert latin.participants[0].name == "Frédéric Lavoie" and latin.subject == "Réunion"


def test_message_without_id_gets_a_stable_digest() -> None:
    [first] = interactions(FIXTURES / "no_message_id.eml")
    [again] = interactions(FIXTURES / "no_message_id.eml")
    assert first.external_id.startswith("sha256:") and first.external_id == again.external_id
    assert first.thread == first.external_id


def test_note_to_self_is_skipped() -> None:
    assert read(FIXTURES / "note_to_self.eml") == []


def test_eml_with_from_line_is_one_message_and_dates_without_zone_are_utc() -> None:
    [item] = interactions(FIXTURES / "starts_with_from_line.eml")
    assert item.occurred_at == datetime(2025, 12, 18, 10, tzinfo=UTC)
    assert [(p.name, p.email) for p in item.participants] == [
        ("", "elise.gagnon@gmail.com"), ("Tremblay, JF", "jf.tremblay@acme.ca")]
    assert item.direction == "in"


def test_automated_senders_are_flagged_not_dropped() -> None:
    items = {i.external_id: i.extra.get("automated_by") for i in
             interactions(FIXTURES / "automated.mbox")}
    assert items == {
        "unsub@news.example": "List-Unsubscribe",
        "precedence@lists.example": "Precedence: list",
        "vacation@acme.ca": "Auto-Submitted: auto-replied",
        "bounce@mx.example.com": "sender",
        "billing@shop.example": "sender",
        "person@acme.ca": None,
    }


def test_can_open() -> None:
    assert MboxConnector.can_open(str(FIXTURES / "broken.mbox"))
    assert MboxConnector.can_open(str(FIXTURES / "note_to_self.eml"))
    assert MboxConnector.can_open(str(FIXTURES))
    assert not MboxConnector.can_open(str(ROOT / "samples" / "calendar.ics"))
    assert not MboxConnector.can_open(str(FIXTURES / "missing.mbox"))


def test_a_takeout_zip_is_detected_and_read() -> None:
    """A Google Takeout zip holding Takeout/Mail/*.mbox was "no connector recognises
    this file" unless --connector mbox was given."""
    takeout = FIXTURES / "takeout-20241120T000000Z-001.zip"
    assert registry.detect(str(takeout)) is MboxConnector
    items = read(takeout)
    # the mails without a readable Date take their From_ line's (test_mbox_audit4_dates.py)
    assert [i.reason for i in items if isinstance(i, Reject)] == []
    found = [i for i in items if isinstance(i, Interaction)]
    assert len(found) == 10 and found[0].external_id == "m1@ville.qc.ca"
    assert found[0].unit.endswith("!Takeout/Mail/All mail Including Spam and Trash.mbox")


def test_apple_mail_mbox_members_of_a_zip_are_read(tmp_path: Path) -> None:
    archive = tmp_path / "Mail.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("Inbox.mbox/mbox", (FIXTURES / "bcc.mbox").read_bytes())
        out.writestr("Inbox.mbox/Info.plist", "<plist/>")
    assert MboxConnector.can_open(str(archive))
    assert [i.external_id for i in interactions(archive)] == ["m2@example.com",
                                                             "m3@ville.qc.ca"]


def test_a_zip_without_mail_is_not_a_mailbox(tmp_path: Path) -> None:
    archive = tmp_path / "contacts.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("contacts.vcf", "BEGIN:VCARD\r\nEND:VCARD\r\n")
    assert not MboxConnector.can_open(str(archive))


def test_can_open_a_mailbox_without_extension(tmp_path: Path) -> None:
    inbox = tmp_path / "Inbox"
    inbox.write_bytes((FIXTURES / "broken.mbox").read_bytes())
    assert MboxConnector.can_open(str(inbox))


def test_header_block_is_bounded_and_bodies_are_not_kept() -> None:
    huge = b"From a Mon Dec  1 00:00:00 2025\nX-Junk: " + b"x" * (MAX_HEADER_BYTES + 10) \
        + b"\n\n" + b"body line\n" * 1000 \
        + b"From b Mon Dec  1 00:00:00 2025\nDate: Mon, 1 Dec 2025 00:00:00 +0000\n\nbody\n"
    found = list(messages(io.BytesIO(huge)))
    assert [(m.number, m.problem, m.line) for m in found] == [
        (1, "headers-too-long", 1), (2, "", 1004)]
    assert b"body" not in found[1].headers


def test_a_long_line_is_one_line_and_its_pieces_never_separate() -> None:
    """A line longer than a read piece: the piece that carries on is neither a new
    line nor, when it happens to begin with a From_ line, a new message."""
    long_line = b"x" * READ_PIECE + b"From a Mon Dec  1 00:00:00 2025 in a long line\n"
    mailbox = (b"From a Mon Dec  1 00:00:00 2025\nDate: Mon, 1 Dec 2025 00:00:00 +0000\n\n"
               + long_line + b"end\n"
               + b"From b Mon Dec  1 00:00:00 2025\nDate: Mon, 1 Dec 2025 00:00:00 +0000\n")
    found = list(messages(io.BytesIO(mailbox)))
    assert [(m.number, m.line) for m in found] == [(1, 1), (2, 6)]


FIXTURE_OK = [HealthCheck.function_scoped_fixture]


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=st.binary(max_size=3000))
def test_never_raises_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.mbox"
    path.write_bytes(b"From x Mon Dec  1 00:00:00 2025\n" + data)
    assert all(isinstance(i, Interaction | Reject) for i in read(path))


_HEADERS = st.sampled_from([
    "From: a@b.c", "From: =?utf-8?b?w6k=?= <x@y.z>", "From: <<>>", "To: ,,,", "Cc: a:;",
    "Date: Mon, 1 Dec 2025 00:00:00 +0000", "Date: 99 Foo 99999", "Date: ",
    "References: <a@b> <c@d>", "In-Reply-To: garbage", "Message-ID: <>", "List-Id: x",
    "Subject: =?bad?q?x?=", "no colon", "", "From marie@example.com Mon Dec  1 2025",
])


@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURE_OK)
@given(lines=st.lists(st.one_of(_HEADERS, st.text(max_size=30)), max_size=25))
def test_never_raises_on_arbitrary_header_text(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.eml"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    for item in read(path):
        assert isinstance(item, Interaction | Reject)
        if isinstance(item, Interaction):
            assert item.occurred_at.tzinfo is not None and item.participants
            assert not {p.email for p in item.participants} & ME


_NAME_CHARS = st.sampled_from(list("abcJÉé .,'\"()<>@:;\\-_=?\t")
                              + ["\udcc3", "=?utf-8?q?=C3=89?="])
_ADDRESS = st.sampled_from(["a@b.ca", "jf.tremblay@acme.ca", "x+y@mail.example.org", "a@b",
                            "a..b@c.de", "a@-b.ca", "@x.ca", "nobody", ""])


@st.composite
def _address_list(draw: st.DrawFn) -> str:
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        name = "".join(draw(st.lists(_NAME_CHARS, max_size=8)))
        addr = draw(_ADDRESS)
        shape = draw(st.sampled_from(["{a}", "<{a}>", "{n} <{a}>", '"{n}" <{a}>', "{a} ({n})",
                                      "{n}<{a}>", " {n}  <{a}> "]))
        entries.append(shape.format(n=name, a=addr))
    return draw(st.sampled_from([",", ", ", " ,", ",,"])).join(entries)


@settings(max_examples=300, deadline=None)
@given(value=_address_list())
def test_fast_address_split_equals_getaddresses(value: str) -> None:
    assert split_addresses(value) == getaddresses([value])


def test_common_address_shapes_are_split_like_getaddresses() -> None:
    value = ('Jean  Tremblay <jf@acme.ca>, "Gagnon, Élise" <elise@x.ca>, bob@y.org,'
             " <z@w.ca>, =?utf-8?q?Zo=C3=A9?= <zoe@x.ca>")
    assert split_addresses(value) == getaddresses([value]) == [
        ("Jean Tremblay", "jf@acme.ca"), ("Gagnon, Élise", "elise@x.ca"), ("", "bob@y.org"),
        ("", "z@w.ca"), ("=?utf-8?q?Zo=C3=A9?=", "zoe@x.ca")]


def test_a_name_in_a_comment_is_not_a_display_name(tmp_path: Path) -> None:
    path = tmp_path / "comment.eml"
    path.write_bytes(b"From: jo@x.ca (Jo Comment)\nTo: marie@example.com\n"
                     b"Date: Mon, 1 Dec 2025 10:00:00 +0000\nMessage-ID: <c@x>\n\nhi\n")
    [item] = interactions(path)
    assert [(p.name, p.email) for p in item.participants] == [("", "jo@x.ca")]
