"""`review` between two contacts that hold a `merge` pair the clustering refused: the
strongest pair between them, marked with what kept them apart (QA7 #3: it listed the
two halves of one person at their weakest pair, or not at all); and its JSON's
`record_refs` are refs `link`, `split` and `show` take (QA7 #5)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli


def _card(uid: str, tel: str, email: str, org: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", "N:Gagnon;Marc;;;",
             "FN:Marc Gagnon", f"TEL:{tel}", f"EMAIL:{email}",
             *([f"ORG:{org}"] if org else []), "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def _directory(tmp_path: Path) -> str:
    """Marc #1 (a hotmail card and a CGI card sharing his phone), Marc #2 at CGI, then
    a card with #1's work e-mail and #2's phone: it scores `merge` with #1's CGI card
    (the e-mail) yet its phone clashes with #1's hotmail card, so it stays apart."""
    db = str(tmp_path / "d.db")
    (tmp_path / "book.vcf").write_bytes((
        _card("a1", "+14385552274", "marcgagnon5@hotmail.com")
        + _card("a2", "+14385552274", "marc.gagnon@cgi.com", "CGI")
        + _card("b1", "+14185552589", "marc.gagnon2@cgi.com", "CGI")).encode())
    (tmp_path / "more.vcf").write_bytes(
        _card("s9", "+14185552589", "marc.gagnon@cgi.com", "CGI").encode())
    for name in ("book.vcf", "more.vcf"):
        done = run_cli("import", str(tmp_path / name), "--db", db, "--region", "CA")
        assert done.returncode == 0, done.stderr
    return db


def _review(db: str) -> list[dict]:
    done = run_cli("review", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _holder(db: str, uid: str) -> str:
    done = run_cli("contacts", "--db", db, "--format", "json")
    return next(c["id"] for c in json.loads(done.stdout)
                if any(s["external_id"] == uid for s in c["sources"]))


def test_a_refused_merge_pair_is_listed_with_what_kept_it_apart(tmp_path: Path) -> None:
    db = _directory(tmp_path)
    one, card = _holder(db, "a2"), _holder(db, "s9")
    assert one != card and _holder(db, "a1") == one
    (pair,) = [p for p in _review(db) if {p["a"], p["b"]} == {one, card}]
    assert pair["score"] > 0.9                        # the exact work e-mail
    assert pair["fields"]["email"]["level"] == "exact_work"
    assert pair["kept_apart"] and "vcard:a1" in pair["kept_apart"][0]
    assert "vcard:s9" in pair["kept_apart"][0]
    table = run_cli("review", "--db", db).stdout
    assert "kept apart by vcard:a1 and vcard:s9" in table


def test_review_json_gives_record_refs_the_commands_take(tmp_path: Path) -> None:
    db = _directory(tmp_path)
    pairs = _review(db)
    assert pairs
    for pair in pairs:
        assert len(pair["record_refs"]) == 2
        assert all(isinstance(r, int) for r in pair["records"])    # as before
        for ref, cid in zip(pair["record_refs"], (pair["a"], pair["b"]), strict=True):
            shown = run_cli("show", ref, "--db", db, "--format", "json")
            assert shown.returncode == 0, shown.stderr
            assert json.loads(shown.stdout)["id"] == cid
    first = pairs[0]
    done = run_cli("split", *first["record_refs"], "--db", db)
    assert done.returncode == 0, done.stderr
    assert all({p["a"], p["b"]} != {first["a"], first["b"]} for p in _review(db))
