"""A card without UID (an Android export) keeps its id when it is edited
(qa5_lifecycle #1: its id was a hash of its text, so adding a phone to the son's
card made a new record, the user's split no longer applied, and father and son
were merged again, silently)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.api import make_connector
from reseausync.models import SourceRecord

from ..conftest import run_cli

FAMILY = "roy.famille@gmail.com"
DANIEL = ("Daniel", "Roy", FAMILY, ["(450) 555-6060"])
DAN = ("Dan", "Roy", FAMILY, ["(450) 555-6060"])
OTHERS = [("Kate", "O'Brien", "kate.obrien@shopify.com", ["+1 613-555-0199"]),
          ("Marc", "Lavoie", "marc.lavoie@desjardins.com", ["514-555-0101"]),
          ("Nathalie", "Roy", "nroy@bnc.ca", ["418-555-0177"])]


def _card(given_name: str, family: str, email: str, phones: list[str]) -> str:
    """A card as Android's Contacts app writes it: vCard 2.1, no UID, CRLF."""
    lines = ["BEGIN:VCARD", "VERSION:2.1", f"N:{family};{given_name};;;",
             f"FN:{given_name} {family}"]
    lines += [("TEL;HOME:" if i == 0 else "TEL;CELL:") + p for i, p in enumerate(phones)]
    lines += [f"EMAIL;HOME:{email}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def _write(path: Path, people: list) -> None:
    path.write_bytes("".join(_card(*p) for p in people).encode("utf-8"))


def _ids(path: Path) -> dict[str, str]:
    """first phone + name -> external id, as the connector reads the file."""
    conn = make_connector("vcard", "", source="phone")
    return {f"{r.display_name} {r.phones[0].value}": r.external_id
            for u in conn.discover(str(path)) for r in conn.read_unit(u)
            if isinstance(r, SourceRecord)}


def test_a_card_without_uid_is_keyed_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "phone.vcf"
    _write(path, [DANIEL, DAN, *OTHERS])
    ids = _ids(path)
    assert ids["Dan Roy (450) 555-6060"] == "name:dan-roy"
    assert ids["Kate O'Brien +1 613-555-0199"] == "name:kate-o-brien"
    _write(path, [DANIEL, ("Dan", "Roy", FAMILY, ["(450) 555-6060", "(514) 555-9911"]),
                  *OTHERS])
    assert _ids(path) == ids                   # a phone added: the same id


def test_a_card_with_uid_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "phone.vcf"
    path.write_bytes(_card(*DAN).replace("VERSION:2.1", "VERSION:2.1\r\nUID:abc-1").encode())
    assert list(_ids(path).values()) == ["abc-1"]


def test_namesakes_are_told_apart_by_their_own_card(tmp_path: Path) -> None:
    path = tmp_path / "phone.vcf"
    junior = ("Daniel", "Roy", "dan.jr@gmail.com", ["(514) 555-1212"])
    _write(path, [DANIEL, junior, *OTHERS])
    ids = _ids(path)
    namesakes = [v for k, v in ids.items() if k.startswith("Daniel Roy")]
    assert len(set(namesakes)) == 2
    assert all(v.startswith("name:daniel-roy#sha256:") for v in namesakes)


@settings(max_examples=25, deadline=None)
@given(st.permutations([DANIEL, ("Daniel", "Roy", "jr@x.ca", ["1"]), *OTHERS]),
       st.integers(0, 2))
def test_an_unrelated_card_edited_or_moved_changes_no_other_id(order: list,
                                                               edited: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "phone.vcf"
        _write(path, [DANIEL, ("Daniel", "Roy", "jr@x.ca", ["1"]), *OTHERS])
        before = _ids(path)
        other = OTHERS[edited]
        changed = [(*other[:3], [*other[3], "(819) 555-0000"]) if p == other else p
                   for p in order]
        _write(path, changed)
        after = _ids(path)
    assert {k: v for k, v in after.items() if not k.startswith(other[0])} == \
        {k: v for k, v in before.items() if not k.startswith(other[0])}


def _contacts(db: str, config: Path) -> dict[str, dict]:
    done = run_cli("contacts", "--config", str(config), "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return {c["id"]: c for c in json.loads(done.stdout)}


def test_a_split_holds_after_the_card_is_edited(tmp_path: Path) -> None:
    """s7: split father and son, add the son's mobile on the phone, sync."""
    (tmp_path / "src").mkdir()
    config = tmp_path / "rs.toml"
    config.write_text('region = "CA"\n[me]\nemails = ["marie@example.com"]\n'
                      '[[sources]]\nname = "phone"\nconnector = "vcard"\n'
                      'path = "src/phone.vcf"\n')
    db = str(tmp_path / "dir.db")
    book = tmp_path / "src" / "phone.vcf"
    _write(book, [DANIEL, DAN, *OTHERS])
    assert run_cli("sync", "--config", str(config), "--db", db).returncode == 0
    done = run_cli("split", "phone:name:daniel-roy", "phone:name:dan-roy",
                   "--config", str(config), "--db", db)
    assert done.returncode == 0, done.stderr
    split = {v["display_name"]: c for c, v in _contacts(db, config).items()}
    assert {"Daniel Roy", "Dan Roy"} <= set(split)
    _write(book, [DANIEL, ("Dan", "Roy", FAMILY, ["(450) 555-6060", "(514) 555-9911"]),
                  *OTHERS])
    done = run_cli("sync", "--config", str(config), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "phone: 0 added, 1 updated" in done.stdout
    after = _contacts(db, config)
    assert {v["display_name"]: c for c, v in after.items()} == split
    assert after[split["Dan Roy"]]["phones"] == ["+14505556060", "+15145559911"]
    assert after[split["Daniel Roy"]]["phones"] == ["+14505556060"]
