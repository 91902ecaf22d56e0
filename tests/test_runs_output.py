"""Plain `runs` stays fast on a long history (QA S9: ~10 s for 300,000 runs).

The table shows the 1,000 most recent runs and says older ones were left out;
programs (`--format json|csv`) still get every run, in the same bytes as before.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.cli.commands import TABLE_RUNS
from reseausync.report.output import safe_cell, to_csv, to_json, to_json_rows
from reseausync.store import Store
from tests.conftest import run_cli


def many_runs(tmp_path: Path, count: int) -> str:
    """`count` finished runs, written as the pipeline writes them."""
    db = str(tmp_path / "d.db")
    store = Store.open(db)
    try:
        with store.transaction():
            for i in range(count):
                run = store.start_run(f"s{i % 3}", "vcard", "sync", dry_run=i == count - 1)
                store.finish_run(run, "ok", {"added": i, "unchanged": 7})
    finally:
        store.close()
    return db


def test_the_table_shows_the_most_recent_runs(tmp_path: Path) -> None:
    db = many_runs(tmp_path, TABLE_RUNS + 50)
    done = run_cli("runs", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 + TABLE_RUNS
    assert lines[2].split()[0] == "51" and lines[-1].split()[0] == str(TABLE_RUNS + 50)
    assert "ok (dry run)" in lines[-1]
    assert "older ones are not shown" in done.stderr and "--last N" in done.stderr
    short = run_cli("runs", "--last", "5", "--db", db)
    assert len(short.stdout.splitlines()) == 7 and short.stderr == ""


def test_programs_get_every_run(tmp_path: Path) -> None:
    db = many_runs(tmp_path, TABLE_RUNS + 50)
    rows = json.loads(run_cli("runs", "--format", "json", "--db", db).stdout)
    assert [r["run"] for r in rows] == list(range(1, TABLE_RUNS + 51))
    assert rows[-1]["dry_run"] is True and rows[0]["dry_run"] is False
    assert set(rows[0]) == {"run", "source", "started", "finished", "status", "added",
                            "updated", "unchanged", "removed", "rejected", "dry_run"}
    table = list(csv.DictReader(io.StringIO(
        run_cli("runs", "--format", "csv", "--db", db).stdout)))
    assert len(table) == TABLE_RUNS + 50 and table[-1]["dry_run"] == "true"


def test_a_short_history_is_shown_whole(tmp_path: Path) -> None:
    db = many_runs(tmp_path, 4)
    done = run_cli("runs", "--db", db)
    assert len(done.stdout.splitlines()) == 6 and done.stderr == ""


values = st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70), st.just("\ud800"),
                   st.text(), st.text(alphabet=st.characters(max_codepoint=0x2100)))
rows = st.lists(st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=6),
                max_size=5)


@given(rows)
def test_json_rows_are_the_bytes_to_json_writes(data: list[dict[str, object]]) -> None:
    assert to_json_rows(data) == to_json(data)


@given(st.lists(st.fixed_dictionaries({"a": values, "b": values}), max_size=5))
def test_csv_cells_are_checked_as_before(data: list[dict[str, object]]) -> None:
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    quoted = csv.writer(expected, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["a", "b"])
    for row in data:
        cells = [safe_cell(row.get("a")), safe_cell(row.get("b"))]
        # a row holding a carriage return is quoted whole (to_csv's docstring)
        (quoted if any("\r" in c for c in cells) else writer).writerow(cells)
    assert to_csv(data, ["a", "b"]) == expected.getvalue()
