"""What `split` and `link` say: the ids of the contacts a split leaves (QA7 #4: the
split-off part's id was found only through `contacts --search`), and a link of a
contact with itself is told so, not given the split hint (QA7 #6)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{0}\r\nFN:Julie Morin\r\nTEL:+15145550101\r\n"
        "EMAIL:{1}\r\nEND:VCARD\r\n")


def _merged(tmp_path: Path) -> tuple[str, dict]:
    db = str(tmp_path / "d.db")
    (tmp_path / "b.vcf").write_bytes((CARD.format("work-1", "julie@desjardins.com")
                                      + CARD.format("home-2", "julie@outlook.com")).encode())
    assert run_cli("import", str(tmp_path / "b.vcf"), "--db", db).returncode == 0
    (contact,) = json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)
    return db, contact


def test_split_names_both_resulting_contacts(tmp_path: Path) -> None:
    db, contact = _merged(tmp_path)
    home = next(f"{s['source']}:{s['external_id']}" for s in contact["sources"]
                if s["external_id"] == "home-2")
    done = run_cli("split", contact["id"], home, "--db", db)
    assert done.returncode == 0, done.stderr
    after = {c["emails"][0]: c["id"]
             for c in json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)}
    assert len(after) == 2
    assert (f"(now {after['julie@desjardins.com']} and {after['julie@outlook.com']})"
            in done.stdout), done.stdout


def test_link_names_the_contact_it_made(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    (tmp_path / "b.vcf").write_bytes(
        (CARD.format("a-1", "a@x.ca").replace("Julie Morin", "Ann Proulx")
         + CARD.format("b-2", "b@y.ca").replace("Julie Morin", "Bob Roy")
         .replace("0101", "0202")).encode())
    assert run_cli("import", str(tmp_path / "b.vcf"), "--db", db).returncode == 0
    a, b = (c["id"] for c in json.loads(
        run_cli("contacts", "--db", db, "--format", "json").stdout))
    done = run_cli("link", b, a, "--db", db)
    assert done.returncode == 0, done.stderr
    (merged,) = json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)
    assert done.stdout.strip().endswith(f"({merged['id']})"), done.stdout


def test_linking_a_contact_with_itself_says_there_is_nothing_to_link(tmp_path: Path) -> None:
    db, contact = _merged(tmp_path)
    done = run_cli("link", contact["id"], contact["id"], "--db", db)
    assert done.returncode == 2
    assert "already one contact" in done.stderr and "nothing to link" in done.stderr
    assert "split" not in done.stderr
    split = run_cli("split", contact["id"], contact["id"], "--db", db)
    assert split.returncode == 2 and "to split a merged contact" in split.stderr
