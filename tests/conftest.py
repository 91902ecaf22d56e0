"""Shared fixtures: a real SQLite file per test, and the test-only plugin."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from reseausync.registry import registry

from . import clirunner

# CI explores the same examples on every run, so a red build always reproduces and
# never depends on the draw; a developer's run keeps drawing new examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PLUGIN_DIR = Path(__file__).parent / "plugin"
ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"
PHONE = str(SAMPLES / "phone.vcf")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "directory.db")


@pytest.fixture
def lines_plugin() -> Iterator[None]:
    """Install the test-only `lines` connector distribution for this test."""
    sys.path.insert(0, str(PLUGIN_DIR))
    registry.reload()
    try:
        yield
    finally:
        sys.path.remove(str(PLUGIN_DIR))
        sys.modules.pop("reseausync_lines", None)
        registry.reload()


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            plugin: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the `reseausync` command as a user would, in a process of its own
    (tests/clirunner.py: forked from a warm server unless `env` needs a fresh
    interpreter)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RESEAUSYNC_")}
    full_env.update(env or {})
    command = [sys.executable, "-m", "reseausync", *args]
    if plugin:
        full_env["PYTHONPATH"] = str(PLUGIN_DIR)
    if plugin or clirunner.needs_interpreter(env or {}):
        return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True,
                              text=True, timeout=120)
    code, out, err = clirunner.run_forked(list(args), cwd, full_env, timeout=120)
    return subprocess.CompletedProcess(command, code, out, err)


def import_and_list(db: str, *paths: Path | str, region: str = "CA") -> list[dict]:
    """Import each path in turn through the CLI, then `contacts --format json`."""
    for path in paths:
        done = run_cli("import", str(path), "--db", db, "--region", region)
        assert done.returncode == 0, done.stderr
    listed = run_cli("contacts", "--db", db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.fixture
def imported(tmp_path: Path) -> str:
    """A directory holding the sample phone book, imported through the CLI."""
    db = str(tmp_path / "d.db")
    done = run_cli("import", PHONE, "--db", db, "--region", "CA")
    assert done.returncode == 0, done.stderr
    return db


def sync_folder(db: str, folder: Path, connector: str = "vcard", source: str = "phone"):
    """One run of a configured source whose whole listing is `folder`."""
    from reseausync import api
    from reseausync.pipeline import run_source
    from reseausync.store import Store

    store = Store.open(db)
    try:
        conn = api.make_connector(connector, str(folder), source=source)
        return run_source(store, conn, [str(folder)], command="sync", full_listing=True)
    finally:
        store.close()



def live_ids(db: str) -> set[str]:
    """The external ids of the records not removed: what a run kept or removed."""
    from reseausync.store import Store

    store = Store.open(db)
    try:
        return {r[0] for r in store.db.execute(
            "SELECT external_id FROM records WHERE removed_at IS NULL")}
    finally:
        store.close()


def write_stamped(path: Path, data: bytes, stamp: int) -> None:
    """`data` at `path` with the modification time `stamp` (ns): each version of a
    file a test rewrites is a change the size-and-mtime fingerprint sees."""
    path.write_bytes(data)
    os.utime(path, ns=(stamp, stamp))

def seen_before(db: str, day: str) -> None:
    """Date every record first seen after `day` as first seen on it: a test asking
    about a fixed as-of date (its fixtures' mails and meetings are dated) means a
    directory built before that date, whatever day the suite runs on (records
    without a collected date count from their first sight, and a contact first
    seen after the as-of date is left out of it)."""
    stamp = f"{day}T00:00:00+00:00"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE records SET first_seen = ? WHERE first_seen > ?", (stamp, stamp))

