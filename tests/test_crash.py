"""Crash safety: `kill -9` in the middle of a sync leaves the last good state.

A subprocess syncs a large generated source and is killed as soon as it reports
the first unit read (so the kill lands inside the run's transaction, wherever the
clock is). The directory must pass SQLite's integrity check, hold exactly what
the last complete run left, and the next run must converge to what an
uninterrupted run produces.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from reseausync.sync import sync_sources
from tests.test_sync import ensure_vcard_connector, people, settings_for, write_cards

ROOT = Path(__file__).resolve().parents[1]
FILES, PER_FILE = 4, 300

SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.test_sync import ensure_vcard_connector, settings_for
ensure_vcard_connector()
from reseausync.sync import sync_sources
settings = settings_for({{"big": Path(sys.argv[1])}})
sync_sources(settings, db=sys.argv[2],
             progress=lambda done, total, unit: print(done, total, flush=True))
print("finished", flush=True)
"""


def baseline(folder: Path) -> None:
    for f in range(FILES // 2):
        write_cards(folder / f"part{f:02}.vcf", people(f"p{f}", PER_FILE))


def changed(folder: Path) -> None:
    """Every old file changes (edits, a few removals) and as many new files appear."""
    for f in range(FILES // 2):
        cards = people(f"p{f}", PER_FILE)[: PER_FILE - 10]
        cards[::7] = [(uid, name + " Jr", "new." + email) for uid, name, email in cards[::7]]
        write_cards(folder / f"part{f:02}.vcf", cards, bump=5)
    for f in range(FILES // 2, FILES):
        write_cards(folder / f"part{f:02}.vcf", people(f"p{f}", PER_FILE))


def state(db: str) -> dict[str, set[tuple]]:
    with sqlite3.connect(db) as con:
        return {
            "records": set(con.execute(
                "SELECT source, external_id, data, removed_at IS NULL FROM records")),
            "units": set(con.execute("SELECT source, unit, fingerprint FROM units")),
            "contacts": set(con.execute("SELECT id, data FROM contacts "
                                        "WHERE removed_at IS NULL")),
        }


def test_kill_9_mid_sync_keeps_the_last_good_state_and_converges(tmp_path):
    ensure_vcard_connector()
    folder = tmp_path / "big"
    baseline(folder)
    db = str(tmp_path / "dir.db")
    settings = settings_for({"big": folder})
    [first] = sync_sources(settings, db=db)
    assert first.status == "ok" and first.counts["added"] == FILES // 2 * PER_FILE
    good = state(db)

    changed(folder)
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(root=str(ROOT)),
                             str(folder), db], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.split()[0] == "1", line                 # one unit read, not committed
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT status FROM runs ORDER BY id").fetchall() == \
            [("ok",), ("running",)]
    assert state(db) == good                                # the last complete run, whole

    [resumed] = sync_sources(settings, db=db)               # takes over the dead lock
    assert resumed.status == "ok"

    reference = str(tmp_path / "reference.db")
    fresh = tmp_path / "fresh"
    baseline(fresh)
    sync_sources(settings_for({"big": fresh}), db=reference)
    changed(fresh)
    [uninterrupted] = sync_sources(settings_for({"big": fresh}), db=reference)
    assert resumed.counts == uninterrupted.counts
    assert resumed.counts["removed"] == FILES // 2 * 10

    def comparable(db_state: dict[str, set[tuple]], root: Path) -> dict[str, set]:
        """Unit ids and contact data embed the folder's path: compare without it."""
        return {key: {tuple(str(v).replace(str(root), "<root>") for v in row) for row in rows}
                for key, rows in db_state.items() if key != "units"}

    assert comparable(state(db), folder) == comparable(state(reference), fresh)
    with sqlite3.connect(db) as con:
        statuses = con.execute("SELECT status, message FROM runs ORDER BY id").fetchall()
    assert [s for s, _ in statuses] == ["ok", "failed", "ok"]
    assert "interrupted" in statuses[1][1]
