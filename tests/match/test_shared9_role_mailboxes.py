"""Role and machine mailboxes (noreply@, facturation@) name nobody: two colleagues
whose CRM-made cards both carry one must not merge over their different given names,
while a person's own work address still does (qa9 finding 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync.cli import main
from reseausync.normalize.emails import ROLE_LOCALS, is_role_address, role_local


def _card(uid: str, family: str, given_name: str, cell: str, email: str) -> str:
    return "\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"N:{family};{given_name};;;",
        f"FN:{given_name} {family}", "ORG:BigCo;", f"TEL;type=CELL;type=VOICE:{cell}",
        f"EMAIL;type=INTERNET;type=WORK:{email}", "END:VCARD", ""])


def _contacts(tmp_path: Path, capsys: pytest.CaptureFixture[str], cards: str) -> list[dict]:
    book = tmp_path / "iphone.vcf"
    book.write_bytes(cards.encode())
    db = str(tmp_path / "book.db")
    assert main(["import", "--db", db, str(book)]) == 0
    capsys.readouterr()
    assert main(["contacts", "--db", db, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("address", ["noreply@bigco.com", "No-Reply@bigco.com",
                                     "do_not_reply@bigco.com", "facturation@bigco.com"])
def test_a_shared_role_mailbox_does_not_merge_two_given_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str) -> None:
    cards = (_card("a1", "Ouellet", "Daniel", "+1 418-555-0120", address)
             + _card("a2", "Ouellet", "Danielle", "+1 418-555-0121", address))
    names = sorted(c["display_name"] for c in _contacts(tmp_path, capsys, cards))
    assert names == ["Daniel Ouellet", "Danielle Ouellet"]


def test_a_personal_work_address_still_joins_a_misspelt_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cards = (_card("a1", "Bergeron", "Thomas", "+1 418-555-0130", "thomas.bergeron@bigco.com")
             + _card("a2", "Bergeron", "Thmoas", "+1 418-555-0131", "thomas.bergeron@bigco.com"))
    assert len(_contacts(tmp_path, capsys, cards)) == 1


@given(st.sampled_from(sorted(ROLE_LOCALS)), st.lists(st.sampled_from([".", "-", "_"]), max_size=3),
       st.text(alphabet="abcxyz0123", max_size=6), st.booleans())
def test_role_names_hold_however_punctuated(local: str, seps: list[str], tag: str,
                                            upper: bool) -> None:
    cut = len(local) // 2
    written = local[:cut] + "".join(seps) + local[cut:]
    written = written.upper() if upper else written
    address = f"{written}+{tag}@example.org" if tag else f"{written}@example.org"
    assert role_local(address) == local
    assert is_role_address(address)


@given(st.from_regex(r"[a-z]{5,12}\.[a-z]{5,12}", fullmatch=True))
def test_a_first_dot_last_address_is_personal(local: str) -> None:
    assert not is_role_address(f"{local}@bigco.com") or local.replace(".", "") in ROLE_LOCALS
