"""Withdrawing a decision from the command line: a user who linked the wrong Marie
Tremblay (QA: `split A B` then failed, A's contact having taken B's id, and the
hint said to "remove that link first" with no command to do it)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .conftest import run_cli

SAMPLES = Path(__file__).parent.parent / "samples"


def _contacts(db: str) -> dict[str, str]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    return {c["id"]: c["display_name"] for c in json.loads(done.stdout)}


def test_link_undo_gives_back_both_contacts_and_their_ids(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(SAMPLES / "phone.vcf"), str(SAMPLES / "linkedin"),
                   "--db", db, "--region", "CA")
    assert done.returncode == 0, done.stderr
    before = _contacts(db)
    a, b = sorted(cid for cid, name in before.items() if name == "Marie Tremblay")
    assert run_cli("link", a, b, "--db", db).returncode == 0
    assert len(_contacts(db)) == len(before) - 1
    refused = run_cli("split", a, b, "--db", db)      # the very ids just linked (QA: "no contact")
    assert refused.returncode == 2
    assert f"split {a} {b} contradicts the earlier link {a} {b}" in refused.stderr
    assert f"reseausync link --undo {a} {b}" in refused.stderr
    undone = run_cli("link", "--undo", a, b, "--db", db)
    assert undone.returncode == 0, undone.stderr
    assert "withdrew your link" in undone.stdout
    assert _contacts(db) == before
    again = run_cli("link", "--undo", a, b, "--db", db)
    assert again.returncode == 2 and f"no link between {a} and {b}" in again.stderr


def test_a_contradiction_names_the_command_that_withdraws(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(SAMPLES / "phone.vcf"), "--db", db,
                   "--region", "CA").returncode == 0
    ids = sorted(_contacts(db))
    assert run_cli("split", ids[0], ids[1], "--db", db).returncode == 0
    refused = run_cli("link", ids[1], ids[0], "--db", db)
    assert refused.returncode == 2
    assert f"reseausync split --undo {ids[0]} {ids[1]}" in refused.stderr
    assert run_cli("split", "--undo", ids[1], ids[0], "--db", db).returncode == 0
    assert run_cli("link", ids[1], ids[0], "--db", db).returncode == 0


def test_show_says_when_a_contact_was_removed(tmp_path: Path) -> None:
    """QA: `show` of a contact whose records left their source said "no contact"."""
    book = tmp_path / "book.vcf"
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{0}\r\nFN:{1}\r\nTEL:+1514555{2}\r\n"
            "END:VCARD\r\n")
    book.write_text(card.format("a", "Ann Proulx", "0101") + card.format("b", "Bob Lessard",
                                                                       "0202"))
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(book), "--db", db).returncode == 0
    bob = next(cid for cid, name in _contacts(db).items() if name == "Bob Lessard")
    book.write_text(card.format("a", "Ann Proulx", "0101"))
    assert run_cli("import", str(book), "--db", db).returncode == 0
    shown = run_cli("show", bob, "--db", db)
    assert shown.returncode == 2 and f"contact '{bob}' was removed on" in shown.stderr
    assert "no contact with id" in run_cli("show", "cnope", "--db", db).stderr


OWNER_BOOK = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marie Example\r\nN:Example;Marie;;;\r\n"
    "EMAIL:marie@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Martin\r\nN:Martin;Alice;;;\r\n"
    "EMAIL:alice@acme.ca\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A. Martin\r\nN:Martin;A.;;;\r\n"
    "TEL:438-555-0100\r\nEND:VCARD\r\n")


def _configured(tmp_path: Path) -> tuple[str, Path, Path]:
    """A directory built with a config giving the region and the owner."""
    (tmp_path / "ca.toml").write_text('region = "CA"\n[me]\nemails = ["marie@example.com"]\n',
                                      encoding="utf-8")
    (tmp_path / "book.vcf").write_bytes(OWNER_BOOK.encode())
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(tmp_path / "book.vcf"), "--db", db,
                   "--config", str(tmp_path / "ca.toml"), env={"LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    return db, tmp_path / "ca.toml", tmp_path / "book.vcf"


def _people(db: str) -> dict[str, list[str]]:
    done = run_cli("contacts", "--db", db, "--format", "json", env={"LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    return {c["display_name"]: c["phones"] for c in json.loads(done.stdout)}


def test_a_link_without_the_config_keeps_the_region_and_the_owner(tmp_path: Path) -> None:
    db, _config, _book = _configured(tmp_path)
    assert _people(db) == {"A. Martin": ["+14385550100"], "Alice Martin": []}
    ids = sorted(_contacts(db))
    done = run_cli("link", *ids, "--db", db, env={"LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    # was {"Alice Martin": ["4385550100"], "Marie Example": []}: rebuilt with no region, no owner
    assert _people(db) == {"Alice Martin": ["+14385550100"]}


def test_an_import_without_the_config_keeps_them(tmp_path: Path) -> None:
    db, _config, _book = _configured(tmp_path)
    more = tmp_path / "more.vcf"
    more.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Chen\r\nTEL:514 555 0199\r\n"
                     b"END:VCARD\r\n")
    assert run_cli("import", str(more), "--db", db, env={"LC_ALL": "C.UTF-8"}).returncode == 0
    assert _people(db)["Bob Chen"] == ["+15145550199"]
    assert "Marie Example" not in _people(db)


def _card(uid: str, name: str, email: str = "", tel: str = "", org: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}"]
    lines += [f"EMAIL:{email}"] * bool(email) + [f"TEL:{tel}"] * bool(tel)
    lines += [f"ORG:{org}"] * bool(org)
    return "\r\n".join(lines + ["END:VCARD", ""])


def test_show_and_link_of_a_contact_a_link_merged_say_where_it_went(tmp_path: Path) -> None:
    """QA: `show` of the id a link absorbed said "its records left their sources", and
    `link` with it "no contact or record"."""
    book = tmp_path / "a.vcf"
    book.write_text(_card("a", "Paul Gagné", "paul@alpha.com")
                    + _card("b", "Pierre Girard", "pg@gamma.com")
                    + _card("c", "Hugo Bernier", "hugo@delta.com"), encoding="utf-8")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(book), "--db", db).returncode == 0
    ids = {name: cid for cid, name in _contacts(db).items()}
    paul, pierre, hugo = ids["Paul Gagné"], ids["Pierre Girard"], ids["Hugo Bernier"]
    assert run_cli("link", paul, pierre, "--db", db).returncode == 0
    shown = run_cli("show", pierre, "--db", db)
    assert shown.returncode == 2
    assert f"contact '{pierre}' was merged into {paul} on " in shown.stderr
    assert f"by your `reseausync link {paul} {pierre}`" in shown.stderr
    assert f"reseausync show {paul}" in shown.stderr and "left their sources" not in shown.stderr
    linked = run_cli("link", pierre, hugo, "--db", db)      # the id the user was just using
    assert linked.returncode == 0, linked.stderr
    assert set(_contacts(db)) == {paul}


def test_review_lists_each_pair_once_and_forgets_it_once_split(tmp_path: Path) -> None:
    """QA: four Marie Tremblay cards, two contacts of two records each: the pair was
    listed twice (A,B and B,A) and again after `split` with the ids review gave.
    Eight other people in the first book: where everyone is Marie Tremblay, the
    name says nothing and no pair is worth a review."""
    others = "".join(_card(f"o{i}", name, f"{name.split()[0].lower()}@x{i}.org")
                     for i, name in enumerate(["Jean Dupont", "Ann Smith", "Bob Chen",
                                               "Luc Roy", "Ines Diaz", "Tom Nguyen",
                                               "Zoe Park", "Eli Cohen"]))
    cards = {"z": _card("r0", "Marie Tremblay", "marie.tremblay@videotron.ca", "+1 450 555 7777")
             + others,
             "a": _card("r1", "Marie Tremblay", "mt@desjardins.com", org="Desjardins"),
             "b": _card("r2", "Marie Tremblay", "mt@desjardins.com", "+1 514 555 2020"),
             "c": _card("r3", "Marie Tremblay", org="UQAM")
             + _card("r4", "Marie Tremblay", "marie.tremblay@videotron.ca")}
    db = str(tmp_path / "d.db")
    for n, (name, text) in enumerate(cards.items()):
        (tmp_path / f"{name}.vcf").write_text(text, encoding="utf-8")
        done = run_cli("import", str(tmp_path / f"{name}.vcf"), "--db", db, "--region", "CA",
                       "--source", f"s{n}")
        assert done.returncode == 0, done.stderr
    pairs = json.loads(run_cli("review", "--db", db, "--format", "json").stdout)
    assert pairs, "the namesakes are worth a review"
    keys = [frozenset((p["a"], p["b"])) for p in pairs]
    assert len(keys) == len(set(keys))
    first = pairs[0]
    assert run_cli("split", first["a"], first["b"], "--db", db).returncode == 0
    left = json.loads(run_cli("review", "--db", db, "--format", "json").stdout)
    assert frozenset((first["a"], first["b"])) not in {frozenset((p["a"], p["b"])) for p in left}


def test_review_lists_pairs_a_conflict_keeps_apart_last_and_says_so(tmp_path: Path) -> None:
    """QA: relatives sharing a landline were listed first with SCORE 1.0, under a README
    saying review lists the pairs between `review` and `auto_merge`."""
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(SAMPLES / "phone.vcf"), "--db", db,
                   "--region", "CA").returncode == 0
    pairs = json.loads(run_cli("review", "--db", db, "--format", "json").stdout)
    couples = [p for p in pairs if {p["a_name"], p["b_name"]} == {"Daniel Roy", "Danielle Roy"}]
    assert couples and couples[0]["kept_apart"] == ["given_name: else"]
    assert couples[0]["reasons"].startswith("kept apart: given_name: else")
    table = run_cli("review", "--db", db).stdout
    assert "kept apart: given_name: else" in table


def test_a_remembered_nickname_file_gone_is_a_clear_error(tmp_path: Path) -> None:
    """Review: a command run without the config loaded the remembered nicknames
    path and crashed with a traceback when the file had moved."""
    nick = tmp_path / "nick.txt"
    nick.write_text("Robert, Bob\n", encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text('[match]\nnicknames = "nick.txt"\n', encoding="utf-8")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(SAMPLES / "phone.vcf"), "--db", db, "--config",
                   str(config), "--region", "CA").returncode == 0
    nick.unlink()
    ids = sorted(_contacts(db))[:2]
    done = run_cli("link", *ids, "--db", db)
    assert done.returncode == 2 and "nicknames file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_contact_an_older_version_merged_by_link_says_where_it_went(tmp_path: Path) -> None:
    """QA: a directory whose link predates `contacts.merged_into` (migration 018) said
    the merged id was "removed: its records left their sources", and `split` with it
    "no contact or record"."""
    book = tmp_path / "a.vcf"
    book.write_text(_card("a", "Paul Gagné", "paul@alpha.com")
                    + _card("b", "Pierre Girard", "pg@gamma.com"), encoding="utf-8")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(book), "--db", db).returncode == 0
    ids = {name: cid for cid, name in _contacts(db).items()}
    paul, pierre = ids["Paul Gagné"], ids["Pierre Girard"]
    assert run_cli("link", paul, pierre, "--db", db).returncode == 0
    with sqlite3.connect(db) as conn:       # as the older version left it
        conn.execute("UPDATE contacts SET merged_into = NULL")
    shown = run_cli("show", pierre, "--db", db)
    assert shown.returncode == 2
    assert f"was merged into {paul}" in shown.stderr and "left their sources" not in shown.stderr
    split = run_cli("split", paul, pierre, "--db", db)
    assert split.returncode == 2 and f"link --undo {paul} {pierre}" in split.stderr
