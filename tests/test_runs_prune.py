"""The run history is pruned by `sync`, once a day (QA S9: never pruned, a year of
a 5-minute schedule is 300,000 runs).

Real syncs of a real directory make the history; the older runs are then dated
back in the file, as a year of syncs would have left them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from reseausync.config import Settings
from reseausync.store import Store
from reseausync.sync import PRUNED, sync_sources
from tests.conftest import run_cli
from tests.test_sync import ensure_vcard_connector, people, settings_for, write_cards


def history(tmp_path: Path, syncs: int) -> tuple[str, Path]:
    """`syncs` syncs of sources a and b, all but the last five of each dated
    200 days back, and today's prune already done (so each test prunes itself)."""
    ensure_vcard_connector()
    db = str(tmp_path / "d.db")
    a = write_cards(tmp_path / "a.vcf", people("a", 3))
    b = write_cards(tmp_path / "b.vcf", people("b", 2))
    settings = settings_for({"a": a, "b": b})
    for i in range(syncs):
        write_cards(a, people("a", 3 + i % 2), bump=i + 1)    # a changes, b does not
        sync_sources(settings, db=db)
    old = (datetime.now(UTC) - timedelta(days=200)).isoformat(timespec="seconds")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE runs SET started=?, finished=? WHERE id <= ?",
                    (old, old, 2 * (syncs - 5)))
        con.execute("DELETE FROM meta WHERE key=?", (PRUNED,))
    return db, a


def run_ids(db: str) -> list[int]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT id FROM runs ORDER BY id")]


def test_sync_prunes_old_runs_beyond_each_sources_last(tmp_path: Path) -> None:
    db, a = history(tmp_path, 12)          # runs 1..24: a odd, b even; 1..14 old
    with sqlite3.connect(db) as con:       # a reject of an old run: its run stays
        con.execute("INSERT INTO rejects (run, source, unit, location, reason, message) "
                    "VALUES (3, 'a', 'x', 'x:1', 'garbage', 'unreadable')")
        units = {r[0] for r in con.execute("SELECT run FROM units")}
    settings = settings_for({"a": a, "b": tmp_path / "b.vcf"}, keep_runs_for="30d",
                            keep_last_runs=3)
    sync_sources(settings, db=db)          # runs 25, 26, then the prune
    kept = set(run_ids(db))
    newest_three = {21, 23, 25, 22, 24, 26}
    recent = set(range(15, 27))            # dated today
    assert kept == recent | newest_three | {3} | units
    assert not kept & (set(range(1, 15)) - {3} - units)
    done = run_cli("rejects", "--run", "3", "--format", "json", "--db", db)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["run"] == 3
    listed = json.loads(run_cli("runs", "--format", "json", "--db", db).stdout)
    assert [r["run"] for r in listed] == sorted(kept)
    sync_sources(settings, db=db)
    assert run_ids(db)[-2:] == [27, 28]    # ids are never given twice


def test_old_runs_are_kept_while_few(tmp_path: Path) -> None:
    """Each source keeps its `keep_last_runs` most recent runs, however old."""
    db, a = history(tmp_path, 7)           # runs 1..14; 1..4 old
    settings = settings_for({"a": a, "b": tmp_path / "b.vcf"}, keep_runs_for="1d")
    sync_sources(settings, db=db)
    assert run_ids(db) == list(range(1, 17))


def test_pruning_is_once_a_day_and_never_on_a_dry_run(tmp_path: Path) -> None:
    db, a = history(tmp_path, 8)           # runs 1..16; 1..6 old
    settings = settings_for({"a": a, "b": tmp_path / "b.vcf"}, keep_runs_for="30d",
                            keep_last_runs=1)
    sync_sources(settings, db=db, dry_run=True)
    assert len(run_ids(db)) == 18
    sync_sources(settings, db=db)
    after = run_ids(db)                    # b's file was last read by run 2
    assert after[:2] == [2, 7] and len(after) == 15
    old = (datetime.now(UTC) - timedelta(days=200)).isoformat(timespec="seconds")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE runs SET started=? WHERE id IN (7, 8)", (old,))
    sync_sources(settings, db=db)          # the same day: no second prune
    assert run_ids(db)[:3] == [2, 7, 8]


def test_a_running_run_is_never_pruned(tmp_path: Path) -> None:
    db, _ = history(tmp_path, 7)           # runs 1..14; 1..4 old, 2 read b's file
    with sqlite3.connect(db) as con:
        con.execute("UPDATE runs SET status='running' WHERE id=1")
    store = Store.open(db)
    try:
        pruned = store.prune_runs(timedelta(days=30), 1)
    finally:
        store.close()
    assert pruned == 2
    assert run_ids(db)[:3] == [1, 2, 5]


def test_a_dropped_source_is_still_named_after_the_prune(tmp_path: Path) -> None:
    """`sync` names a source it read that the config no longer lists (from its
    sync runs): the newest sync run of each source stays."""
    db, a = history(tmp_path, 7)
    with sqlite3.connect(db) as con:      # b's recent runs were imports
        con.execute("UPDATE runs SET command='import' WHERE source='b' AND id > 4")
    sync_sources(settings_for({"a": a}, keep_runs_for="30d", keep_last_runs=1), db=db)
    with sqlite3.connect(db) as con:
        commands = {r[0] for r in con.execute("SELECT command FROM runs WHERE source='b'")}
    assert commands == {"sync", "import"}


@pytest.mark.parametrize("sync", [{"keep_runs_for": 90}, {"keep_last_runs": 0},
                                  {"keep_runs_for": "ninety days"}])
def test_bad_keep_settings_are_config_errors(sync: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings.model_validate({"sync": sync})


def test_keep_settings_in_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[sync]\nkeep_runs_for = "2w"\nkeep_last_runs = 10\n')
    done = run_cli("--config", str(config), "check")
    assert done.returncode == 0 and "valid" in done.stdout, done.stderr
    config.write_text('[sync]\nkeep_runs_for = 90\n')
    done = run_cli("--config", str(config), "check")
    assert done.returncode == 2 and "sync.keep_runs_for" in done.stderr


GARBLED = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad\r\nFN:Bob Bad\r\n"
           "this line is garbage\r\nEND:VCARD\r\n")


def write_with_garbled(path: Path, run: int, garbled: bool) -> None:
    """Three good cards that change every run (so the file is read again) and,
    after them at the same line, a card with a line that is a reject each time."""
    write_cards(path, [(f"a-{i}", f"Ann{i} Lee", f"ann{i}.{run}@a.example") for i in range(3)],
                bump=run)
    if garbled:
        with path.open("a", encoding="utf-8", newline="") as out:
            out.write(GARBLED)


def reject_runs(db: str) -> list[int]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT run FROM rejects ORDER BY run")]


def test_a_reject_said_again_every_run_does_not_keep_every_run(tmp_path: Path) -> None:
    """A card the source sends garbled on every sync: each run rejects it at the
    same place. The older runs go with their rejects (the newest says it); a year
    of a 5-minute schedule had kept all 100,000 runs and their copies."""
    ensure_vcard_connector()
    db, a = str(tmp_path / "d.db"), tmp_path / "a.vcf"
    settings = settings_for({"a": a}, keep_runs_for="30d", keep_last_runs=2)
    for run in range(1, 9):
        write_with_garbled(a, run, garbled=True)
        sync_sources(settings, db=db)
    assert reject_runs(db) == list(range(1, 9))
    store = Store.open(db)
    try:
        later = datetime.now(UTC) + timedelta(days=60)
        pruned = store.prune_runs(timedelta(days=30), 2, now=later)
    finally:
        store.close()
    assert pruned == 6 and run_ids(db) == [7, 8] and reject_runs(db) == [7, 8]
    listed = json.loads(run_cli("rejects", "--format", "json", "--db", db).stdout)
    assert [r["run"] for r in listed] == [7, 8]
    assert {r["location"] for r in listed} == {f"{a}:26"}, listed


def test_a_reject_whose_file_was_read_again_goes_with_its_run(tmp_path: Path) -> None:
    """Fixed since (the file read again without it): the old reject is no longer the
    last word on the file, and its run goes; one never read again stays."""
    ensure_vcard_connector()
    db, a, b = str(tmp_path / "d.db"), tmp_path / "a.vcf", tmp_path / "b.vcf"
    write_with_garbled(b, 1, garbled=True)            # b: garbled once, never changed
    settings = settings_for({"a": a, "b": b}, keep_runs_for="30d", keep_last_runs=1)
    for run in range(1, 5):
        write_with_garbled(a, run, garbled=run == 1)  # a: garbled in run 1 only
        sync_sources(settings, db=db)                 # runs: a odd, b even
    assert reject_runs(db) == [1, 2]
    store = Store.open(db)
    try:
        store.prune_runs(timedelta(days=30), 1, now=datetime.now(UTC) + timedelta(days=60))
    finally:
        store.close()
    assert run_ids(db) == [2, 7, 8] and reject_runs(db) == [2]
