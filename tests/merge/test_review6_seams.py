"""Where two of this session's changes met (the merged review's findings).

Cards without UID are keyed by their name, and a record its source re-keys
succeeds the old one; survivorship dates a record by its content's last change.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def card(name: tuple[str, str], tel: str, email: str, uid: str = "", title: str = "") -> str:
    family, given = name
    lines = ["BEGIN:VCARD", "VERSION:3.0", *([f"UID:{uid}"] if uid else []),
             f"N:{family};{given};;;", f"FN:{given} {family}",
             *([f"TITLE:{title}"] if title else []), f"TEL:{tel}", f"EMAIL:{email}",
             "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def contacts(db: str) -> list[dict]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_namesakes_without_uid_in_two_files_are_both_kept(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.vcf").write_text(card(("Smith", "John"), "+1 514 555 0101",
                                     "john.smith@alpha.com"), newline="")
    (book / "b.vcf").write_text(card(("Smith", "John"), "+1 416 555 0199",
                                     "jsmith@beta.org"), newline="")
    db = str(tmp_path / "d.db")
    first = run_cli("import", str(book), "--db", db, "--region", "CA")
    assert first.returncode == 0, first.stderr
    assert "2 added" in first.stdout and "0 rejected" in first.stdout, first.stdout
    assert sorted(c["emails"][0] for c in contacts(db)) == [
        "john.smith@alpha.com", "jsmith@beta.org"]
    again = run_cli("import", str(book), "--db", db, "--region", "CA")
    assert "2 unchanged" in again.stdout and "0 rejected" in again.stdout, again.stdout


def test_a_re_keyed_card_saying_the_same_is_not_the_newest(tmp_path: Path) -> None:
    phone = tmp_path / "phone.vcf"
    daniel = card(("Roy", "Daniel"), "+1 514 555 0101", "daniel@alpha.com", "aaa-1",
                  "Engineer")
    phone.write_text(daniel + card(("Roy", "Dan"), "+1 514 555 0101", "daniel@alpha.com",
                                   "xxx-2", "Director"), newline="")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(phone), "--db", db, "--region", "CA").returncode == 0
    before = [(c["id"], c["display_name"], c.get("title")) for c in contacts(db)]
    assert len(before) == 1
    phone.write_text(daniel + card(("Roy", "Dan"), "+1 514 555 0101", "daniel@alpha.com",
                                   "yyy-2", "Director"), newline="")
    done = run_cli("import", str(phone), "--db", db, "--region", "CA")
    assert done.returncode == 0, done.stderr
    assert [(c["id"], c["display_name"], c.get("title")) for c in contacts(db)] == before


def test_re_keying_the_rest_of_a_book_does_not_hide_a_mass_removal(tmp_path: Path) -> None:
    people = [(("Tremblay", given), f"+1 514 555 01{i:02d}", f"{given.lower()}@ex.com")
              for i, given in enumerate(["Ana", "Ben", "Chloé", "Dara", "Éloi", "Fanny",
                                         "Gaspard", "Hugo", "Inès", "Jules"])]
    book = tmp_path / "book.vcf"
    book.write_text("".join(card(*p, uid=f"u{i}") for i, p in enumerate(people)), newline="")
    config = tmp_path / "c.toml"
    config.write_text(f'[[sources]]\nname = "phone"\nconnector = "vcard"\n'
                      f'path = "{book}"\n', encoding="utf-8")
    db = str(tmp_path / "d.db")
    first = run_cli("sync", "--config", str(config), "--db", db, "--region", "CA")
    assert first.returncode == 0, first.stderr + first.stdout
    # six people deleted, the four left exported again with new UIDs
    book.write_text("".join(card(*p, uid=f"v{i}") for i, p in enumerate(people) if i >= 6),
                    newline="")
    done = run_cli("sync", "--config", str(config), "--db", db, "--region", "CA")
    assert done.returncode != 0
    assert "would remove 6 of 10 records" in done.stdout + done.stderr


QP_CARD = ("BEGIN:VCARD\r\nVERSION:2.1\r\n"
           "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Tremblay-B=C3=A9langer-Ga=\r\n"
           "gnon;=C3=89ric;;;\r\nTEL;CELL:{tel}\r\nEND:VCARD\r\n")


def _ids_by_phone(path: Path) -> dict[str, str]:
    from reseausync.api import make_connector
    from reseausync.models import SourceRecord
    conn = make_connector("vcard", str(path))
    return {r.phones[0].value: r.external_id
            for u in conn.discover(str(path)) for r in conn.read_unit(u)
            if isinstance(r, SourceRecord)}


def test_a_2_1_name_broken_by_quoted_printable_keys_namesakes_by_content(tmp_path: Path) -> None:
    """vCard 2.1 continues a quoted-printable value after "=" on an unindented line:
    the first pass that counts names cut it, so two namesakes were told apart by
    their order and swapped ids when the export was sorted otherwise."""
    book = tmp_path / "a.vcf"
    one, two = QP_CARD.format(tel="+1 514 555 0001"), QP_CARD.format(tel="+1 418 555 0002")
    book.write_text(one + two, newline="")
    ids = _ids_by_phone(book)
    book.write_text(two + one, newline="")
    assert _ids_by_phone(book) == ids
    assert all("#sha256:" in i and "gagnon" in i for i in ids.values()), ids
