"""Benchmark: `runs` over a long history, and pruning it.

    python benchmarks/runs_history.py [--runs 300000] [--sources 3] [--keep DIR]

A year of a 5-minute schedule is about 100,000 runs per source (QA S9: plain
`runs` on 300,000 runs took ~10 s). The generator writes such a history into a
real directory (the product's schema): runs every few minutes over the past
year, one in 200 with rejects, each source's unit read by its latest run. The
ground truth of a prune is computed here from the same rules the config states
(runs of the last `keep_runs_for`, the last `keep_last_runs` of each source, every
run a stored file still names, and every run with a reject no later run says
again or reads past) and checked against what
the store keeps.

Measured, each in a fresh `reseausync` process: plain `runs` (table),
`runs --format json`, `runs --last 20`, before and after the prune; and the prune.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reseausync.config import SyncSettings
from reseausync.store import Store

YEAR = timedelta(days=365)


def generate(db: str, runs: int, sources: int) -> None:
    """`runs` finished runs spread over the past year, oldest first."""
    names = [f"source{i}" for i in range(sources)]
    now = datetime.now(UTC)
    step = YEAR / runs
    Store.open(db).close()          # the schema, as the product makes it
    con = sqlite3.connect(db)
    rows, rejects = [], []
    for i in range(1, runs + 1):
        started = now - YEAR + step * i
        status = "failed" if i % 97 == 0 else "ok"
        rows.append((i, names[i % sources], "vcard", "schedule", _iso(started),
                     _iso(started + timedelta(seconds=2)), status, i % 5, 0, 1000, 0,
                     2 if i % 200 == 0 else 0,
                     "" if status == "ok" else "book.vcf: No such file or directory"))
        if i % 200 == 0:
            rejects += [(i, names[i % sources], "book.vcf", f"book.vcf:{n}", "garbage",
                         "a line that is no vCard property", "") for n in (10, 20)]
    con.executemany("INSERT INTO runs (id, source, connector, command, started, finished, "
                    "status, added, updated, unchanged, removed, rejected, message, writer) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'benchmark')", rows)
    con.executemany("INSERT INTO rejects (run, source, unit, location, reason, message, "
                    "excerpt) VALUES (?, ?, ?, ?, ?, ?, ?)", rejects)
    con.executemany("INSERT INTO units (source, unit, fingerprint, run) VALUES (?, ?, ?, ?)",
                    [(name, "book.vcf", "x", runs - k) for k, name in enumerate(names)])
    con.commit()
    con.close()


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def expected_kept(db: str, keep: SyncSettings) -> set[int]:
    """The runs a prune keeps, computed apart from the store's own query."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, source, started, command FROM runs").fetchall()
    cutoff = _iso(datetime.now(UTC) - keep.keep_runs_for)
    kept = {r[0] for r in rows if r[2] >= cutoff}
    by_source: dict[str, list[int]] = {}
    newest: dict[tuple[str, str], int] = {}
    for rid, source, _, command in rows:
        by_source.setdefault(source, []).append(rid)
        newest[source, command] = max(newest.get((source, command), 0), rid)
    for ids in by_source.values():
        kept.update(sorted(ids)[-keep.keep_last_runs:] if keep.keep_last_runs else [])
    kept.update(newest.values())
    units = {(source, unit): run for source, unit, run in
             con.execute("SELECT source, unit, run FROM units")}
    kept.update(units.values())
    last_word: dict[tuple[str, str, str, str], int] = {}
    for run, source, unit, location, reason in con.execute(
            "SELECT run, source, unit, location, reason FROM rejects"):
        key = (source, unit, location, reason)
        last_word[key] = max(last_word.get(key, 0), run)
    kept.update(run for (source, unit, _, _), run in last_word.items()
                if units.get((source, unit), 0) <= run)
    kept.add(max(r[0] for r in rows))
    con.close()
    return kept


def timed_cli(db: str, *args: str) -> tuple[float, int]:
    """Seconds a `reseausync runs ...` takes, and the lines it printed."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "reseausync", "--db", db, "runs", *args],
                         check=True, capture_output=True, text=True)
    return time.perf_counter() - start, out.stdout.count("\n")


def measure(db: str, label: str) -> None:
    for args in ((), ("--format", "json"), ("--last", "20")):
        seconds, lines = timed_cli(db, *args)
        print(f"{label}: runs {' '.join(args) or '(table)'}: {seconds:.2f} s, {lines} lines")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300000)
    parser.add_argument("--sources", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="keep the directory in DIR")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="runs-history-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = str(folder / "history.db")
    Path(db).unlink(missing_ok=True)
    start = time.perf_counter()
    generate(db, args.runs, args.sources)
    print(f"generated {args.runs} runs of {args.sources} sources in "
          f"{time.perf_counter() - start:.1f} s")
    measure(db, "before prune")
    keep = SyncSettings()
    truth = expected_kept(db, keep)
    store = Store.open(db)
    try:
        start = time.perf_counter()
        pruned = store.prune_runs(keep.keep_runs_for, keep.keep_last_runs)
        seconds = time.perf_counter() - start
        kept = {r[0] for r in store.db.execute("SELECT id FROM runs")}
    finally:
        store.close()
    print(f"prune (keep_runs_for {keep.keep_runs_for.days} d, keep_last_runs "
          f"{keep.keep_last_runs}): {pruned} runs pruned, {len(kept)} kept, {seconds:.2f} s")
    assert kept == truth, (len(kept - truth), len(truth - kept))
    measure(db, "after prune")
    if not args.keep:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
