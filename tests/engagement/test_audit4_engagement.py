"""QA round 4, engagement findings 1-5 and 8, end to end: the auditor's files
(`audit4_inputs/`, copied from the audit) imported through the CLI into a real
SQLite directory, then read as a user reads them (`contacts --format json`,
`show`, `cold`). Statuses are read `--as-of` the audit's day, so they do not move
with the clock.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli, seen_before

INPUTS = Path(__file__).parent / "audit4_inputs"
AS_OF = "2026-11-22"
BUILT_ON = "2026-11-21"     # the directory was built the day before the as-of date


class Book:
    """A directory in tmp_path with the audit's `[me]`."""

    def __init__(self, tmp_path: Path, name: str = "d.db") -> None:
        self.tmp = tmp_path
        self.db = str(tmp_path / name)
        self.config = str(INPUTS / "me.toml")

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = run_cli(*args, "--db", self.db, "--config", self.config, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def load(self, name: str, source: str, *more: str) -> None:
        """Import one input, from a copy of it in tmp_path (the file name kept)."""
        copy = self.tmp / source / name
        copy.parent.mkdir(exist_ok=True)
        if (INPUTS / name).is_dir():
            shutil.copytree(INPUTS / name, copy)
        else:
            shutil.copyfile(INPUTS / name, copy)
        self.run("import", str(copy), "--source", source, *more)
        seen_before(self.db, BUILT_ON)

    def contacts(self, as_of: str = AS_OF) -> dict[str, dict[str, Any]]:
        rows = json.loads(self.run("contacts", "--format", "json", "--as-of", as_of))
        return {c["display_name"]: c for c in rows}

    def show(self, cid: str, as_of: str = AS_OF) -> dict[str, Any]:
        return json.loads(self.run("show", cid, "--format", "json", "--as-of", as_of))

    def cold(self, as_of: str = AS_OF) -> dict[str, str]:
        """Name -> WHY, from the table a user reads."""
        lines = self.run("cold", "--as-of", as_of).splitlines()[2:]
        return {name: why for name, why in (_cells(line) for line in lines)}


def _cells(line: str) -> tuple[str, str]:
    cells = [c for c in line.split("  ") if c.strip()]
    return cells[1].strip(), cells[3].strip()


def _interactions(detail: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(i["kind"], i["direction"], i["counts_as"], i["why"])
            for i in detail["engagement"]["interactions"]]


@pytest.fixture
def base(tmp_path: Path) -> Book:
    """The audit's `a.db`: phone book, Gmail Takeout, Google Calendar."""
    book = Book(tmp_path)
    book.load("book.vcf", "phone")
    book.load("takeout.mbox", "mail")
    book.load("marie.ics", "cal")
    return book


# -- finding 1: an invitation the owner never answered -----------------------------

def test_an_invitation_the_owner_never_answered_is_no_meeting(base: Book) -> None:
    """Olga invited the owner (PARTSTAT=NEEDS-ACTION on the owner's line): she was
    `engaged` by a meeting. It is an invitation from her, an attempt."""
    olga = base.contacts()["Olga Lebrun"]
    assert olga["status"] == "never_engaged"
    assert olga["last_interaction"] is None
    assert _interactions(base.show(olga["id"])) == [
        ("invitation", "in", "attempt", "invitation (a connection, not a conversation)")]


# -- finding 2: a reply after reply_window in its own thread -----------------------

def test_a_late_reply_in_its_thread_engages(base: Book) -> None:
    """Frank answers (In-Reply-To) 45 days after the owner's mail, reply_window 30."""
    base.load("late-reply.mbox", "mail3")
    frank = base.contacts()["Frank Ouellet"]
    assert frank["status"] == "cooling"     # 99 days before the as-of date
    assert frank["last_interaction"] == "2026-08-15T14:00:00+00:00"
    assert _interactions(base.show(frank["id"])) == [
        ("email", "out", "engagement", "answered"),
        ("email", "out", "engagement", "answered"),
        ("email", "in", "engagement", "their reply")]


# -- finding 3: an address on the owner's own card that [me] does not list ---------

def test_the_owners_card_addresses_are_the_owners(tmp_path: Path) -> None:
    """The owner writes from an old job's address (on their card, not in `[me]`) and
    Karine answers: a two-way exchange, the owner's mail "out"."""
    book = Book(tmp_path)
    book.load("owner-book.vcf", "phone")
    book.load("owner-old.mbox", "oldmail")
    karine = book.contacts()["Karine Kim"]
    assert karine["status"] == "cooling"
    assert karine["last_interaction"] == "2026-03-03T15:00:00+00:00"
    assert _interactions(book.show(karine["id"])) == [
        ("email", "out", "engagement", "answered"),
        ("email", "in", "engagement", "their reply")]
    stats = json.loads(book.run("stats", "--format", "json"))
    assert stats["participants"] == {"email": 2, "owner": 2}


# -- finding 4: one mail or meeting from two sources -------------------------------

def _counts(book: Book) -> dict[str, tuple[str, int, float]]:
    """Name -> (status, interaction_count, tie_strength), from `export --format jsonl`."""
    rows = [json.loads(line) for line in
            book.run("export", "--format", "jsonl", "--as-of", AS_OF).splitlines()]
    return {c["display_name"]: (c["status"], c["interaction_count"], c["tie_strength"])
            for c in rows}


def test_one_mail_or_meeting_from_two_sources_counts_once(base: Book) -> None:
    """The same mailbox as Thunderbird keeps it and the same calendar shared by the
    team: the counts and ties are those of one copy, `show` names both sources on
    one line, and removing a source leaves the other's copy counted."""
    alone = _counts(base)
    base.load("takeout.mbox", "thunderbird", "--connector", "mbox")
    base.load("marie.ics", "teamcal")
    assert _counts(base) == alone
    quentin = base.contacts()["Quentin Quirion"]
    lines = base.show(quentin["id"])["engagement"]["interactions"]
    assert len(lines) == alone["Quentin Quirion"][1] == 7
    assert all(line["source"] == "cal" and line["also_in"] == ["teamcal"] for line in lines)
    table = base.run("show", quentin["id"], "--as-of", AS_OF)
    assert table.count("cal+teamcal") == 7
    base.run("sync", "--source", "cal", "--allow-mass-removal")
    base.run("sync", "--source", "mail", "--allow-mass-removal")
    assert _counts(base) == alone


# -- finding 5: cold's WHY says what the evidence says ------------------------------

def test_cold_groups_follow_the_evidence(base: Book) -> None:
    """Frank got two mails, Dana was on one: "you wrote". A phone book imported
    today is not "no trace for years"."""
    why = base.cold()
    assert why["Frank Ouellet"] == "you wrote, no answer"
    assert why["Dana Côté"] == "you wrote, no answer"
    assert why["Karine Kim"] == "address-book contact never engaged"
    assert why["Yves Fortin"] == "address-book contact never engaged"
    assert "no trace for years" not in "".join(v for k, v in why.items() if k != "Gina Morin")


def test_cold_says_who_wrote_on_linkedin(tmp_path: Path) -> None:
    """Nora wrote and got no answer; on 2023-05-02 the owner had written to Gabriel
    the day before."""
    book = Book(tmp_path)
    book.load("li2", "linkedin")
    assert book.cold()["Nora Haddad"] == "wrote to you, never answered"
    assert book.cold("2023-05-02")["Gabriel Sauvé"] == "you wrote, no answer"


# -- finding 8: show's times and days ----------------------------------------------

def test_show_prints_local_times_with_their_offset(base: Book) -> None:
    """Tom's call was on 24 Aug at 23:30 in Vancouver (06:30 UTC on the 25th)."""
    tom = base.contacts()["Tom Zhang"]["id"]
    table = base.run("show", tom, "--as-of", "2026-08-26",
                     env={"TZ": "America/Vancouver"})
    assert "2026-08-24T23:30-07:00  meeting" in table
    assert "last engagement 1 day ago," in table
    utc = base.run("show", tom, "--as-of", "2026-08-26", env={"TZ": "UTC"})
    assert "2026-08-25T06:30+00:00  meeting" in utc
