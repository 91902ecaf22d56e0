"""QA6 #7: `runs --format csv` carries `finished`, as the JSON does.

Without it a BI tool could not compute a run's duration from the CSV. The JSON
keeps the INTERFACE.md shape (plus `dry_run`): `command` and `message` stay
CSV-only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import PHONE, run_cli


def test_runs_csv_has_every_json_key_with_the_same_values(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    for _ in range(2):
        assert run_cli("import", PHONE, "--db", db).returncode == 0
    as_json = json.loads(run_cli("runs", "--format", "json", "--db", db).stdout)
    out = run_cli("runs", "--format", "csv", "--db", db)
    assert out.returncode == 0, out.stderr
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    header = out.stdout.splitlines()[0].split(",")
    assert header == ["run", "source", "command", "started", "finished", "status", "added",
                      "updated", "unchanged", "removed", "rejected", "message", "dry_run"]
    assert len(table) == len(as_json) == 2
    for row, run in zip(table, as_json, strict=True):
        assert row["finished"] == run["finished"] and run["finished"] >= run["started"]
        assert {k: row[k] for k in ("run", "started", "status", "added")} == \
            {k: str(run[k]) for k in ("run", "started", "status", "added")}
