"""Mail folders as mail programs keep them (QA round 4, mail/calendar findings 6 and
11): Thunderbird's extensionless mbox files were not read, silently, even with
`--connector mbox`; Apple Mail's export gave every mail the locator `mbox#N` and
made its Info.plist a reject on every run."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync.registry import registry
from reseausync_connectors.mbox import MboxConnector

from .audit4_mailcal import imported, interactions

CAROLE_WRITES = (b"From - Mon Nov 16 09:00:00 2026\r\nX-Mozilla-Status: 0001\r\n"
                 b"X-Mozilla-Status2: 00000000\r\nMessage-ID: <tb-1@example.org>\r\n"
                 b"Date: Mon, 16 Nov 2026 09:00:00 -0500\r\n"
                 b"From: Carole Roy <carole.roy@example.org>\r\n"
                 b"To: marie.example@gmail.com\r\nSubject: Lunch?\r\n\r\nOn dine jeudi?\r\n")
MARIE_ANSWERS = (b"From - Mon Nov 16 10:00:00 2026\r\nX-Mozilla-Status: 0001\r\n"
                 b"Message-ID: <tb-2@gmail.com>\r\nDate: Mon, 16 Nov 2026 10:00:00 -0500\r\n"
                 b"From: Marie Example <marie.example@gmail.com>\r\n"
                 b"To: Carole Roy <carole.roy@example.org>\r\nSubject: Re: Lunch?\r\n"
                 b"In-Reply-To: <tb-1@example.org>\r\nReferences: <tb-1@example.org>\r\n"
                 b"\r\nOui!\r\n")


def thunderbird(root: Path) -> Path:
    """`Local Folders` as Thunderbird keeps it: mbox files without extension, each
    with its .msf index, an empty Trash, the Sent mail in a subfolder's .sbd."""
    folders = root / "Local Folders"
    (folders / "Archives.sbd").mkdir(parents=True)
    (folders / "Inbox").write_bytes(CAROLE_WRITES)
    (folders / "Archives.sbd" / "Sent").write_bytes(MARIE_ANSWERS)
    (folders / "Trash").write_bytes(b"")
    (folders / "Archives").write_bytes(b"")
    for name in ("Inbox", "Trash", "Archives", "Archives.sbd/Sent"):
        (folders / f"{name}.msf").write_bytes(b"// <!-- <mdb:mork:z v=\"1.4\"/> -->\n")
    return folders


@pytest.mark.parametrize("connector", ["", "mbox"])
def test_a_thunderbird_folder_is_read(tmp_path: Path, connector: str) -> None:
    seen = imported(tmp_path, thunderbird(tmp_path), connector=connector)
    assert seen.status["Carole Roy"] == "engaged"
    assert seen.rejects == []        # no .msf named unread, no empty Trash rejected
    assert "2 interactions" in seen.summary


def test_a_thunderbird_folder_is_detected_as_mail(tmp_path: Path) -> None:
    assert registry.detect(str(thunderbird(tmp_path))) is MboxConnector


def test_an_extensionless_mbox_without_index_is_read_by_its_content(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "Inbox").write_bytes(CAROLE_WRITES)
    (folder / "Sent").write_bytes(MARIE_ANSWERS)
    (folder / "notes").write_bytes(b"From the desk of Marie: call Carole\n")
    seen = imported(tmp_path, folder)
    assert seen.status["Carole Roy"] == "engaged"
    # a text that starts with "From " but holds no header is not a mailbox: it
    # is named among the files not read
    assert [r["reason"] for r in seen.rejects] == ["1 file(s) no connector recognises "
                                                   "were not read: notes (if they hold "
                                                   "contacts, import them with --connector)"]


def test_a_folder_without_mail_read_as_mail_is_a_reject(tmp_path: Path) -> None:
    """`--connector mbox` on a folder with nothing it reads said "0 interactions"
    and exit 0: now a reject names the folder."""
    folder = tmp_path / "Mail"
    folder.mkdir()
    (folder / "readme.txt").write_text("nothing here\n")
    seen = imported(tmp_path, folder, connector="mbox")
    assert len(seen.rejects) == 1 and "no mailbox in this folder" in seen.rejects[0]["reason"]
    assert seen.rejects[0]["location"].endswith("Mail")


def test_an_apple_mail_export_names_each_mailbox(tmp_path: Path) -> None:
    export = tmp_path / "apple"
    for box, mail in (("Inbox.mbox", CAROLE_WRITES), ("Sent.mbox", MARIE_ANSWERS)):
        (export / box).mkdir(parents=True)
        (export / box / "mbox").write_bytes(mail)
    (export / "Inbox.mbox" / "Info.plist").write_text('<?xml version="1.0"?><plist/>')
    (export / "Sent.mbox" / "table_of_contents").write_bytes(b"\x00\x01")
    seen = imported(tmp_path, export)
    assert seen.rejects == []
    assert seen.status["Carole Roy"] == "engaged"
    assert [i["locator"] for i in interactions(tmp_path, "Carole Roy")] == [
        "Inbox.mbox#1", "Sent.mbox#1"]


def test_an_info_plist_without_its_mailbox_is_still_named_unread(tmp_path: Path) -> None:
    export = tmp_path / "apple"
    (export / "Inbox.mbox").mkdir(parents=True)
    (export / "Inbox.mbox" / "mbox").write_bytes(CAROLE_WRITES)
    (export / "Old.mbox").mkdir()
    (export / "Old.mbox" / "Info.plist").write_text("<plist/>")
    seen = imported(tmp_path, export)
    assert len(seen.rejects) == 1 and "Old.mbox/Info.plist" in seen.rejects[0]["reason"]


def test_thunderbird_mail_in_a_mixed_folder_is_read(tmp_path: Path) -> None:
    """A folder of exports holding a phone book and a Thunderbird folder: the
    mailboxes are recognised by their content, the empty Trash (it has its index)
    is no reject; the indexes are named among the files not read."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "book.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoé Roy\r\n"
                                      "EMAIL:zoe@example.com\r\nEND:VCARD\r\n")
    thunderbird(exports)
    seen = imported(tmp_path, exports)
    assert seen.status["Carole Roy"] == "engaged"
    assert [r["reason"].split(":")[0] for r in seen.rejects] == [
        "4 file(s) no connector recognises were not read"]
