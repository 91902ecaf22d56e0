"""Family-first display names through a real import (README Known gap, third
round): a phone book of FN-only cards and a Google CSV of first/last names, both
imported with the CLI into one SQLite directory. "Nguyễn Văn An" (FN only) and the
CSV's An (middle Văn) Nguyễn with the same mobile are one contact; before, the card
was read given name "Nguyễn" and the two given names kept them apart."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import import_and_list, run_cli

CARDS = [
    ("vn1", "Nguyễn Văn An", "TEL;TYPE=CELL:+1 514 555 0199"),
    ("ko1", "Kim Min-jun", "EMAIL:minjun.kim@example.org"),
    ("zh1", "王小明", "EMAIL:xiaoming@example.cn"),
    ("en1", "Kim Smith", "EMAIL:kim.smith@example.com"),
]
CSV = ("First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,"
       "Phone 1 - Label,Phone 1 - Value\n"
       "An,Văn,Nguyễn,* myContacts,,,Mobile,514-555-0199\n"
       "Min-jun,,Kim,* myContacts,* Home,minjun.kim@example.org,,\n")


def _phone_book(path: Path) -> None:
    cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\n{line}\r\n"
                    "END:VCARD\r\n" for uid, fn, line in CARDS)
    path.write_bytes(cards.encode("utf-8"))


def test_fn_only_and_first_last_columns_give_one_contact_each(tmp_path: Path) -> None:
    _phone_book(tmp_path / "phone.vcf")
    (tmp_path / "google.csv").write_text(CSV, encoding="utf-8")
    contacts = import_and_list(str(tmp_path / "d.db"), tmp_path / "phone.vcf",
                               tmp_path / "google.csv")
    by_family = {(c["family_name"], c["given_name"]): sorted(s["source"] for s in c["sources"])
                 for c in contacts}
    assert by_family == {
        ("Nguyễn", "An"): ["csv", "vcard"],
        ("Kim", "Min-jun"): ["csv", "vcard"],
        ("王", "小明"): ["vcard"],
        ("Smith", "Kim"): ["vcard"],
    }
    assert len(contacts) == 4


def test_a_display_name_alone_gives_the_contact_its_family_name(tmp_path: Path) -> None:
    _phone_book(tmp_path / "phone.vcf")
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(tmp_path / "phone.vcf"), "--db", db, "--region", "CA")
    assert done.returncode == 0, done.stderr
    contacts = json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)
    got = {c["display_name"]: (c["given_name"], c["family_name"]) for c in contacts}
    assert got == {"Nguyễn Văn An": ("Văn An", "Nguyễn"), "Kim Min-jun": ("Min-jun", "Kim"),
                   "王小明": ("小明", "王"), "Kim Smith": ("Kim", "Smith")}
