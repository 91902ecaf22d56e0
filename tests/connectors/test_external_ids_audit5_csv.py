"""Google CSV rows sharing a family mailbox keep their ids whatever the row order
(qa5_lifecycle #2: Google sorts by first name; a new member sorted first took the
plain key `google:famille@…` from Rob, and the user's link glued Rob's LinkedIn
profile to the daughter)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.api import make_connector
from reseausync.connector import Connector

from ..conftest import run_cli

SAMPLES = Path(__file__).parent.parent.parent / "samples"
HEADER = next(csv.reader(open(SAMPLES / "google.csv", encoding="utf-8")))
FAMILY = "famille.tremblay@videotron.ca"
ROB = ("Rob", "Tremblay", FAMILY, "418-555-7001", "Desjardins")
LOUISE = ("Louise", "Tremblay", FAMILY, "418-555-7002", "")
ANNE = ("Anne", "Tremblay", FAMILY, "418-555-7003", "")
KATE = ("Kate", "O'Brien", "kate.obrien@shopify.com", "+1 613-555-0199", "Shopify")


def _write_google(path: Path, people: list[tuple[str, ...]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, HEADER)
        out.writeheader()
        for given_name, family, email, phone, org in people:
            row = dict.fromkeys(HEADER, "")
            row.update({"First Name": given_name, "Last Name": family,
                        "Organization Name": org, "Labels": "* myContacts",
                        "E-mail 1 - Label": "* Home", "E-mail 1 - Value": email,
                        "Phone 1 - Label": "Mobile", "Phone 1 - Value": phone})
            out.writerow(row)


def _connector() -> Connector:
    return make_connector("csv", "", source="google", options={"mapping": "google"})


def _ids(path: Path) -> dict[str, str]:
    """display name -> external id, as the connector reads the file."""
    conn = _connector()
    return {r.display_name: r.external_id for unit in conn.discover(str(path))
            for r in conn.read_unit(unit) if hasattr(r, "display_name")}


def test_a_unique_email_keeps_its_plain_key(tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    _write_google(path, [KATE, ROB])
    assert _ids(path) == {"Kate O'Brien": "kate.obrien@shopify.com", "Rob Tremblay": FAMILY}


def test_every_bearer_of_a_shared_email_is_keyed_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    _write_google(path, [ROB, LOUISE, KATE])
    first = _ids(path)
    assert first["Rob Tremblay"] == f"{FAMILY}#rob-tremblay"
    assert first["Louise Tremblay"] == f"{FAMILY}#louise-tremblay"
    assert first["Kate O'Brien"] == "kate.obrien@shopify.com"
    _write_google(path, [ANNE, KATE, LOUISE, ROB])
    second = _ids(path)
    assert {k: second[k] for k in first} == first
    assert second["Anne Tremblay"] == f"{FAMILY}#anne-tremblay"


def test_namesakes_on_one_mailbox_are_told_apart_by_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    junior = ("Rob", "Tremblay", FAMILY, "418-555-7009", "")
    _write_google(path, [ROB, junior, LOUISE])
    conn = _connector()
    keys = [r.external_id for u in conn.discover(str(path)) for r in conn.read_unit(u)]
    assert len(set(keys)) == 3
    _write_google(path, [junior, LOUISE, ROB])
    again = [r.external_id for u in conn.discover(str(path)) for r in conn.read_unit(u)]
    assert sorted(again) == sorted(keys)


@settings(max_examples=30, deadline=None)
@given(st.permutations([ROB, LOUISE, ANNE, KATE, ("Rob", "Tremblay", FAMILY, "1", "")]))
def test_row_order_never_decides_a_key(order: list[tuple[str, ...]]) -> None:
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "google.csv"
        _write_google(path, list(order))
        conn = _connector()
        keys = {(r.phones[0].value, r.external_id) for u in conn.discover(str(path))
                for r in conn.read_unit(u)}
        _write_google(path, [ROB, LOUISE, ANNE, KATE, ("Rob", "Tremblay", FAMILY, "1", "")])
        reference = {(r.phones[0].value, r.external_id) for u in conn.discover(str(path))
                     for r in conn.read_unit(u)}
    assert keys == reference


def _contacts(db: str, config: Path) -> dict[str, dict]:
    done = run_cli("contacts", "--config", str(config), "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return {c["id"]: c for c in json.loads(done.stdout)}


def test_a_new_family_member_sorted_first_takes_no_ones_record(tmp_path: Path) -> None:
    """s5b: Rob (Google) linked to Robert (LinkedIn); the next export adds Anne first."""
    (tmp_path / "src" / "linkedin").mkdir(parents=True)
    config = tmp_path / "rs.toml"
    config.write_text('region = "CA"\n[me]\nemails = ["marie@example.com"]\n'
                      '[[sources]]\nname = "google"\nconnector = "csv"\n'
                      'path = "src/google.csv"\nmapping = "google"\n'
                      '[[sources]]\nname = "linkedin"\nconnector = "linkedin"\n'
                      'path = "src/linkedin"\n')
    (tmp_path / "src" / "linkedin" / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Robert,Tremblay,https://www.linkedin.com/in/robert-tremblay-7a,,BDC,"
        "Directeur de compte,04 May 2019\n", encoding="utf-8")
    db = str(tmp_path / "dir.db")
    _write_google(tmp_path / "src" / "google.csv", [ROB, LOUISE, KATE])
    assert run_cli("sync", "--config", str(config), "--db", db).returncode == 0
    before = _contacts(db, config)
    rob = next(c for c, v in before.items() if v["display_name"] == "Rob Tremblay")
    robert = next(c for c, v in before.items() if v["display_name"] == "Robert Tremblay")
    louise = next(c for c, v in before.items() if v["display_name"] == "Louise Tremblay")
    done = run_cli("link", rob, robert, "--config", str(config), "--db", db)
    assert done.returncode == 0, done.stderr
    rob, linked = next((c, v) for c, v in _contacts(db, config).items()
                       if len(v["sources"]) == 2)     # whichever id the link kept
    assert linked["phones"] == ["+14185557001"]
    _write_google(tmp_path / "src" / "google.csv", [ANNE, KATE, LOUISE, ROB])
    done = run_cli("sync", "--config", str(config), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "google: 1 added, 0 updated" in done.stdout
    after = _contacts(db, config)
    assert after[rob]["phones"] == linked["phones"]          # Rob's mobile, no one else's
    assert ([(x["source"], x["external_id"]) for x in after[rob]["sources"]]
            == [(x["source"], x["external_id"]) for x in linked["sources"]])
    assert after[louise]["phones"] == ["+14185557002"]
    anne = [c for c, v in after.items() if v["display_name"] == "Anne Tremblay"]
    assert len(anne) == 1 and anne[0] not in before
