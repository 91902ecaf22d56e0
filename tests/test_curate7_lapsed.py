"""A record a lapsed decision named, deleted in one sync and created again under a new
key in a later one, rebinds the decision and takes its contact's id back (QA7 #2: the
re-created card merged into the contact the user had split it from, silently), and
`link`/`split` with a removed contact's id say it was removed."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{0}\r\nFN:Julie Morin\r\nTEL:+15145550101\r\n"
        "EMAIL:{1}\r\nEND:VCARD\r\n")
WORK = CARD.format("work-0001", "julie.morin@desjardins.com")
HOME = CARD.format("home-0002", "juliemorin14@outlook.com")
HOME_AGAIN = CARD.format("home-0003", "juliemorin14@outlook.com")     # new UID, same card
OTHER = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:other-0009\r\nFN:Paul Roy\r\n"
         "TEL:+15145550999\r\nEND:VCARD\r\n")


def _contacts(db: str) -> list[dict]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return [c for c in json.loads(done.stdout) if c["display_name"] == "Julie Morin"]


def _ref(source: dict) -> str:
    return f"{source['source']}:{source['external_id']}"


def _import(book: Path, db: str, *cards: str) -> str:
    book.write_bytes("".join(cards).encode())
    done = run_cli("import", str(book), "--db", db)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_split_card_recreated_under_a_new_uid_stays_split(tmp_path: Path) -> None:
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    _import(book, db, WORK, HOME, OTHER)
    (merged,) = _contacts(db)
    home_ref = next(_ref(s) for s in merged["sources"] if s["external_id"] == "home-0002")
    done = run_cli("split", merged["id"], home_ref, "--db", db)
    assert done.returncode == 0, done.stderr
    before = {tuple(c["emails"]): c["id"] for c in _contacts(db)}
    assert len(before) == 2
    home_id = before[("juliemorin14@outlook.com",)]
    assert "no longer holds" in _import(book, db, WORK, OTHER)
    back = _import(book, db, WORK, OTHER, HOME_AGAIN)
    assert "1 of your link/split decisions holds again" in back, back
    after = {tuple(c["emails"]): c["id"] for c in _contacts(db)}
    assert after == before
    assert run_cli("show", home_id, "--db", db).returncode == 0
    review = run_cli("review", "--db", db)
    assert review.returncode == 0 and "no longer holds" not in review.stdout


def test_link_and_split_name_a_removed_contact_as_removed(tmp_path: Path) -> None:
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    _import(book, db, HOME, OTHER)
    (julie,) = _contacts(db)
    _import(book, db, OTHER)
    for kind in ("split", "link"):
        done = run_cli(kind, julie["id"], "--db", db, *[c["id"] for c in json.loads(
            run_cli("contacts", "--db", db, "--format", "json").stdout)])
        assert done.returncode == 2
        assert f"contact '{julie['id']}' was removed on " in done.stderr, done.stderr
        assert "no contact or record" not in done.stderr
    ref = _ref(julie["sources"][0])
    done = run_cli("split", ref, julie["id"], "--db", db)
    assert done.returncode == 2 and f"record '{ref}' was removed on " in done.stderr
