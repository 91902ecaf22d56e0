"""QA5 #3 and #4: the people who held an address or a number over time.

#3: a person who changes employer keeps the old address only on a removed record
(a Google row re-keyed to the new address) or in no record at all (a phone card
edited in place): the mails of the old job linked to nobody, and a real exchange
read as "wrote to you, never answered". #4: a recycled number credited the
previous owner's calls to the new holder, collected today.

Each test writes the files the way the exporters do, syncs them through the CLI
into a real directory file, changes them as the person's life does, syncs again,
and reads the directory as the user does.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

CONFIG = """region = "CA"
[me]
emails = ["marie@example.com"]
[[sources]]
name = "phone"
connector = "vcard"
path = "phone.vcf"
[[sources]]
name = "mail"
connector = "mbox"
path = "mail"
[[sources]]
name = "log"
connector = "interactions"
path = "log.csv"
"""

GOOGLE = """[[sources]]
name = "google"
connector = "csv"
path = "google.csv"
mapping = "google"
"""

OTHERS = [("Kate", "O'Brien", "kate.obrien@shopify.com", "+1 613-555-0199"),
          ("Marc", "Lavoie", "marc.lavoie@desjardins.com", "514-555-0101"),
          ("Sophie", "Bélanger", "sophie.belanger@videotron.ca", "819-555-0123")]

EXCHANGE = [("jf.tremblay@acme.ca", "Tue, 5 Mar 2024 09:12:05 -0500", "Tue Mar  5 14:12:05 2024",
             "acme1")]


class Book:
    """A folder of exports, its config and its directory file."""

    def __init__(self, root: Path, google: bool = False) -> None:
        self.root = root
        (root / "mail").mkdir()
        (root / "rs.toml").write_text(CONFIG + (GOOGLE if google else ""), encoding="utf-8")
        self.db = str(root / "dir.db")

    def run(self, *args: str) -> str:
        done = run_cli(*args, "--db", self.db, "--config", str(self.root / "rs.toml"),
                       cwd=self.root)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def cards(self, *cards: str) -> None:
        (self.root / "phone.vcf").write_text("".join(cards), encoding="utf-8", newline="")

    def log(self, *rows: str) -> None:
        (self.root / "log.csv").write_text("date,who,channel,note,direction\n"
                                           + "".join(f"{r}\n" for r in rows), encoding="utf-8")

    def mbox(self, messages: list[tuple[str, str, str, str]]) -> None:
        """Each message from the person, and Marie's reply to the bare address."""
        text = ""
        for addr, date, from_line, mid in messages:
            text += (f"From {addr} {from_line}\nMessage-ID: <{mid}@mail.example>\nDate: {date}\n"
                     f"From: Jean-Francois Tremblay <{addr}>\nTo: Marie <marie@example.com>\n"
                     f"Subject: Projet {mid}\n\nBonjour Marie\n\n"
                     f"From marie@example.com {from_line}\nMessage-ID: <re-{mid}@mail.example>\n"
                     f"Date: {date.replace('09:12', '11:40')}\nFrom: Marie <marie@example.com>\n"
                     f"To: <{addr}>\nSubject: Re: Projet {mid}\n"
                     f"In-Reply-To: <{mid}@mail.example>\n\nMerci!\n\n")
        (self.root / "mail" / "inbox.mbox").write_text(text, encoding="utf-8", newline="")

    def google(self, *rows: tuple[str, str, str, str]) -> None:
        lines = ["First Name,Last Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value,"
                 "Phone 1 - Label,Phone 1 - Value"]
        lines += [f"{g},{f},{org},* Work,{email},Mobile,{phone}" for g, f, email, phone, org
                  in ((*row[:3], row[3], "") for row in rows)]
        (self.root / "google.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def contacts(self) -> dict[str, dict[str, Any]]:
        return {c["display_name"]: c
                for c in json.loads(self.run("contacts", "--format", "json"))}

    def links(self) -> list[tuple[str, str | None, str]]:
        """(when, contact, method) of every stored participant link but the owner's."""
        with sqlite3.connect(self.db) as db:
            return db.execute(
                "SELECT i.occurred_at, l.contact_id, l.method FROM interaction_links l "
                "JOIN interactions i ON i.id = l.interaction_id WHERE l.method <> 'owner' "
                "ORDER BY i.occurred_at").fetchall()


def vcard(uid: str, given: str, family: str, phone: str, email: str = "",
          org: str = "") -> str:
    return ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{family};{given};;;\r\nFN:{given} {family}\r\n"
            + (f"ORG:{org};\r\n" if org else "")
            + (f"EMAIL;type=INTERNET;type=WORK:{email}\r\n" if email else "")
            + f"TEL;type=CELL:{phone}\r\n" + (f"UID:{uid}\r\n" if uid else "") + "END:VCARD\r\n")


def others() -> list[str]:
    return [vcard(f"UID-{i}", g, f, p, e) for i, (g, f, e, p) in enumerate(OTHERS)]


def test_a_card_edited_to_the_new_employer_keeps_the_old_exchange(tmp_path: Path) -> None:
    """iPhone card (same UID) edited from Acme to Globex: the old address is on no
    record any more; Marie's reply to it still engages Jean-François."""
    book = Book(tmp_path)
    book.cards(vcard("7A1B-JFT", "Jean-François", "Tremblay", "(514) 555-1234",
                     "jf.tremblay@acme.ca", "Acme"), *others())
    book.mbox(EXCHANGE)
    book.log()
    book.run("sync")
    before = book.contacts()["Jean-François Tremblay"]
    assert (before["status"], before["interaction_count"]) == ("cold", 2)

    book.cards(vcard("7A1B-JFT", "Jean-François", "Tremblay", "(514) 555-1234",
                     "jf.tremblay@globex.com", "Globex"), *others())
    book.run("sync")
    after = book.contacts()["Jean-François Tremblay"]
    assert after["emails"] == ["jf.tremblay@globex.com"]
    assert (after["id"], after["status"], after["interaction_count"]) == (
        before["id"], "cold", 2)
    assert after["last_interaction"] == before["last_interaction"]
    assert [(cid, method) for _, cid, method in book.links()] == [
        (before["id"], "email"), (before["id"], "email")]
    assert "jf.tremblay@acme.ca" not in book.run("unknown")


def test_a_google_row_re_keyed_to_the_new_address_keeps_the_old_exchange(
        tmp_path: Path) -> None:
    """The Google row's id is its first e-mail: the new address makes a new record
    and removes the old one, which alone still carries the Acme address."""
    book = Book(tmp_path, google=True)
    book.cards(*others())
    book.google(("JF", "Tremblay", "jf.tremblay@acme.ca", "514-555-1234"), *OTHERS)
    book.mbox(EXCHANGE)
    book.log()
    book.run("sync")
    assert book.contacts()["JF Tremblay"]["status"] == "cold"

    book.google(("JF", "Tremblay", "jf.tremblay@globex.com", "514-555-1234"), *OTHERS)
    book.run("sync")
    jf = book.contacts()["JF Tremblay"]
    assert (jf["status"], jf["interaction_count"]) == ("cold", 2)
    assert {cid for _, cid, _ in book.links()} == {jf["id"]}


def test_a_recycled_number_leaves_the_old_calls_with_the_previous_holder(
        tmp_path: Path) -> None:
    """Luc's card deleted, Amélie added with his (reassigned) number: the 2024 calls
    stay Luc's; a call after Amélie was collected is hers."""
    book = Book(tmp_path)
    book.cards(vcard("android-0042-luc", "Luc", "Gauthier", "(514) 555-3344"), *others())
    book.mbox([])
    book.log("2024-06-01 10:00,(514) 555-3344,appel,Appel pour le chalet,both",
             "2024-09-12 18:00,(514) 555-3344,appel,Rappel,both")
    book.run("sync")
    luc = book.contacts()["Luc Gauthier"]
    assert luc["status"] == "cold"

    book.cards(vcard("android-0107-amelie", "Amélie", "Dufour", "(514) 555-3344"), *others())
    book.run("sync")
    amelie = book.contacts()["Amélie Dufour"]
    assert "Luc Gauthier" not in book.contacts()
    assert (amelie["status"], amelie["interaction_count"]) == ("never_engaged", 0)
    assert book.links() == [("2024-06-01T10:00:00+00:00", luc["id"], "phone"),
                            ("2024-09-12T18:00:00+00:00", luc["id"], "phone")]
    shown = run_cli("show", luc["id"], "--db", book.db)
    assert shown.returncode == 2 and "was removed on" in shown.stderr
    assert "Traceback" not in shown.stderr

    book.log("2024-06-01 10:00,(514) 555-3344,appel,Appel pour le chalet,both",
             "2024-09-12 18:00,(514) 555-3344,appel,Rappel,both",
             "2099-01-05 09:00,(514) 555-3344,appel,Bienvenue,both")
    book.run("sync")
    assert [cid for _, cid, _ in book.links()] == [luc["id"], luc["id"], amelie["id"]]


def test_an_android_card_re_keyed_keeps_its_history_with_the_live_contact(
        tmp_path: Path) -> None:
    """A card with no UID is keyed by its content: an edit (a new address) removes
    the old record and its contact; the person, under a new contact id, keeps the
    calls of the number and the mails of the old address."""
    book = Book(tmp_path)
    book.cards(vcard("", "Jean-François", "Tremblay", "(514) 555-1234",
                     "jf.tremblay@acme.ca"), *others())
    book.mbox(EXCHANGE)
    book.log("2024-06-01 10:00,(514) 555-1234,appel,Dîner,both")
    book.run("sync")
    assert book.contacts()["Jean-François Tremblay"]["interaction_count"] == 3

    book.cards(vcard("", "Jean-François", "Tremblay", "(514) 555-1234",
                     "jf.tremblay@globex.com"), *others())
    book.run("sync")
    jf = book.contacts()["Jean-François Tremblay"]
    assert (jf["status"], jf["interaction_count"]) == ("cold", 3)
    assert {cid for _, cid, _ in book.links()} == {jf["id"]}


def test_a_number_given_to_someone_before_the_previous_holder_left(tmp_path: Path) -> None:
    """Amélie's card was added (with the reassigned number) a day before Luc's was
    deleted: for a while both held it, but she came later, so the older calls are
    still Luc's. Whereas people collected together (one first build) hold a shared
    number together: the older call names neither one."""
    book = Book(tmp_path)
    luc = vcard("android-0042-luc", "Luc", "Gauthier", "(514) 555-3344")
    amelie = vcard("android-0107-amelie", "Amélie", "Dufour", "(514) 555-3344")
    book.cards(luc, *others())
    book.mbox([])
    book.log("2024-06-01 10:00,(514) 555-3344,appel,Appel pour le chalet,both")
    book.run("sync")
    with sqlite3.connect(book.db) as db:     # Luc's card was read the day before
        db.execute("UPDATE records SET first_seen = '2025-01-01T00:00:00+00:00'")
    book.cards(luc, amelie, *others())
    book.run("sync")
    book.cards(amelie, *others())
    book.run("sync")
    assert book.contacts()["Amélie Dufour"]["status"] == "never_engaged"
    assert [cid for _, cid, _ in book.links()] == [
        contact_of(book, "phone:android-0042-luc")]


def test_people_collected_together_share_the_number_s_past(tmp_path: Path) -> None:
    book = Book(tmp_path)
    luc = vcard("android-0042-luc", "Luc", "Gauthier", "(514) 555-3344")
    amelie = vcard("android-0107-amelie", "Amélie", "Dufour", "(514) 555-3344")
    book.cards(luc, amelie, *others())
    book.mbox([])
    book.log("2024-06-01 10:00,(514) 555-3344,appel,Appel pour le chalet,both")
    book.run("sync")
    assert book.links() == [("2024-06-01T10:00:00+00:00", None, "ambiguous")]
    book.cards(amelie, *others())
    book.run("sync")
    assert book.links() == [("2024-06-01T10:00:00+00:00", None, "ambiguous")]
    assert book.contacts()["Amélie Dufour"]["status"] == "never_engaged"


def contact_of(book: Book, ref: str) -> str:
    """The contact a record was last part of (a removed contact's id included)."""
    source, external = ref.split(":", 1)
    with sqlite3.connect(book.db) as db:
        return db.execute("SELECT cr.contact_id FROM contact_records cr JOIN records r "
                          "ON r.id = cr.record_id WHERE r.source=? AND r.external_id=?",
                          (source, external)).fetchone()[0]
