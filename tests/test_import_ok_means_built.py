"""An import's run is "ok" in `runs` only once its people are in the directory
(QA S2: a script that waited for "ok" and then exported got the old directory,
and a SIGTERM in between left "ok, 50000 added" over a directory without them).

A reader polls the directory while a large import runs, each time reading the
run's status and the contacts in one snapshot, as `runs` then `export` would.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.test_sync import people, write_cards

CARDS = 20000


def snapshot(db: str) -> tuple[str | None, int] | None:
    try:
        con = sqlite3.connect(db, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        con.execute("BEGIN")
        row = con.execute("SELECT status FROM runs WHERE id=1").fetchone()
        count = con.execute(
            "SELECT COUNT(*) FROM contacts WHERE removed_at IS NULL").fetchone()[0]
        con.execute("COMMIT")
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return (row[0] if row else None), count


def test_an_ok_import_is_in_the_contacts(tmp_path: Path) -> None:
    big = write_cards(tmp_path / "big.vcf", people("big", CARDS))
    db = str(tmp_path / "d.db")
    proc = subprocess.Popen([sys.executable, "-m", "reseausync", "--db", db, "import",
                             str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    seen = []
    while proc.poll() is None:
        if Path(db).exists() and (state := snapshot(db)) is not None:
            seen.append(state)
        time.sleep(0.01)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert snapshot(db) == ("ok", CARDS)
    oks = [count for status, count in seen if status == "ok"]
    assert all(count == CARDS for count in oks), sorted(set(oks))[:3]
    assert any(status == "running" for status, _ in seen)   # the poll saw the run
