"""`sync --dry-run` in `runs` and `rejects` (QA CLI finding 11): a dry run was
listed exactly like a real run ("ok", added 11), so a script summing `added`
counted contacts never added, and its `rejected: 1` had no row in `rejects --run
N` (rolled back with everything else). A dry run is now marked `dry_run: true`
and keeps its rejects; nothing else of it is written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reseausync import api
from reseausync.store import Store
from tests.conftest import run_cli

GOOD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{family};{given};;;\r\n"
        "EMAIL:{email}\r\nEND:VCARD\r\n")
BROKEN = "BEGIN:VCARD\r\nEND:VCARD\r\n"         # no property at all: a reject


def phone_book(path: Path, *, broken: bool = True) -> Path:
    cards = [GOOD.format(uid="ada", name="Ada Lovelace", given="Ada", family="Lovelace",
                         email="ada@example.org")]
    if broken:
        cards.append(BROKEN)
    cards.append(GOOD.format(uid="alan", name="Alan Turing", given="Alan", family="Turing",
                             email="alan@example.org"))
    path.write_bytes("".join(cards).encode("utf-8"))
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    phone_book(tmp_path / "phone.vcf")
    path = tmp_path / "reseausync.toml"
    path.write_text('[directory]\npath = "d.db"\n[[sources]]\nname = "phone"\n'
                    'connector = "vcard"\npath = "phone.vcf"\n', encoding="utf-8")
    return path


def cli_json(*args: str) -> list[dict]:
    out = run_cli(*args, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_a_dry_run_is_marked_and_keeps_its_rejects(config: Path) -> None:
    dry = run_cli("sync", "--dry-run", "--config", str(config))
    assert dry.returncode == 0, dry.stderr
    assert "2 added" in dry.stdout and "1 rejected" in dry.stdout
    [run] = cli_json("runs", "--config", str(config))
    assert (run["status"], run["dry_run"], run["added"], run["rejected"]) == ("ok", True, 2, 1)
    [reject] = cli_json("rejects", "--run", "1", "--config", str(config))
    assert reject["location"].endswith("phone.vcf:8") and reject["run"] == 1
    assert cli_json("contacts", "--config", str(config)) == []       # nothing else kept

    assert run_cli("sync", "--config", str(config)).returncode == 0
    runs = cli_json("runs", "--config", str(config))
    assert [(r["dry_run"], r["added"], r["rejected"]) for r in runs] == [
        (True, 2, 1), (False, 2, 1)]
    added = sum(r["added"] for r in runs if not r["dry_run"])
    assert added == len(cli_json("contacts", "--config", str(config))) == 2
    assert [r["run"] for r in cli_json("rejects", "--config", str(config))] == [1, 2]


def test_runs_table_and_csv_say_dry_run(config: Path) -> None:
    assert run_cli("sync", "--dry-run", "--config", str(config)).returncode == 0
    assert run_cli("sync", "--config", str(config)).returncode == 0
    table = run_cli("runs", "--config", str(config)).stdout.splitlines()
    assert "ok (dry run)" in table[2] and "dry run" not in table[3]
    csv = run_cli("runs", "--config", str(config), "--format", "csv").stdout.splitlines()
    assert csv[0].endswith(",dry_run")
    assert csv[1].endswith(",true") and csv[2].endswith(",false")


def test_a_failed_dry_run_is_marked_and_counts_no_rejects(tmp_path: Path, db: str) -> None:
    """Refused by the mass-removal guard: failed, nothing counted, nothing kept."""
    from reseausync.config import Settings
    from reseausync.sync import sync_sources
    book = phone_book(tmp_path / "phone.vcf", broken=False)
    settings = Settings.model_validate({"sources": [
        {"name": "phone", "connector": "vcard", "path": str(book)}]})
    sync_sources(settings, db=db)
    book.write_bytes(BROKEN.encode("utf-8"))                       # both cards gone
    [result] = sync_sources(settings, db=db, dry_run=True)
    assert result.status == "failed"
    last = api.runs(db)[-1]
    assert (last["status"], last["dry_run"], last["rejected"]) == ("failed", True, 0)
    assert api.rejects(db, last["run"]) == []
    assert [r["dry_run"] for r in api.runs(db)] == [False, True]


def test_dry_runs_recorded_before_the_upgrade_are_marked(tmp_path: Path, config: Path) -> None:
    db = str(tmp_path / "d.db")
    assert run_cli("sync", "--dry-run", "--config", str(config)).returncode == 0
    assert run_cli("sync", "--config", str(config)).returncode == 0
    raw = sqlite3.connect(db, isolation_level=None)   # as the previous release left it
    raw.execute("ALTER TABLE runs DROP COLUMN dry_run")
    raw.execute("DELETE FROM migrations WHERE name='016_runs_dry_run'")
    raw.close()
    Store.open(db).close()
    assert [r["dry_run"] for r in api.runs(db)] == [True, False]
