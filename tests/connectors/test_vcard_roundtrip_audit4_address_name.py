"""A contact known only by its e-mail, exported as vCard and read back (QA: the
export fills the required FN with the address, and the re-import named the contact
by it, so the round trip changed its name)."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def _people(db: str) -> list[dict]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_address_only_contact_keeps_no_name_through_a_round_trip(tmp_path) -> None:
    (tmp_path / "in.csv").write_text("First Name,Last Name,Labels,E-mail 1 - Value\n"
                                     "Ann,Roy,* myContacts,ann@example.org\n"
                                     ",,* myContacts,NoName.Person@gmail.com\n", encoding="utf-8")
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert run_cli("import", str(tmp_path / "in.csv"), "--db", first).returncode == 0
    for version in ("3.0", "4.0"):
        out = tmp_path / f"out{version}.vcf"
        done = run_cli("export", "--format", "vcf", "--vcard-version", version,
                       "-o", str(out), "--db", first)
        assert done.returncode == 0, done.stderr
        assert "FN:noname.person@gmail.com" in out.read_text(encoding="utf-8")
        db = f"{second}{version}"
        assert run_cli("import", str(out), "--db", db).returncode == 0
        names = sorted((c["display_name"], c["emails"]) for c in _people(db))
        assert names == sorted((c["display_name"], c["emails"]) for c in _people(first))


def test_a_name_that_merely_contains_an_at_sign_is_kept(tmp_path) -> None:
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann @ Acme\r\nEMAIL:ann@acme.com\r\n"
            "END:VCARD\r\n")
    (tmp_path / "b.vcf").write_text(card, encoding="utf-8", newline="")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(tmp_path / "b.vcf"), "--db", db).returncode == 0
    assert [c["display_name"] for c in _people(db)] == ["Ann @ Acme"]
