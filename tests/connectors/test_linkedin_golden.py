"""What the LinkedIn and CSV imports store, pinned byte for byte.

The import path is tuned for speed (caches, fast paths, batched writes); these
tests make sure no tuning changes a single stored byte. Each case imports a real
input into a fresh directory and compares what the store holds (records,
interactions, rejects: every column but run numbers and clocks) and what the
connector yielded, in order, with a golden file written from the code before the
tuning started (`tests/connectors/linkedin_golden/`). The seeded export of the
benchmark generator is pinned by digest: it exercises the million-row formats at
a few thousand rows.

To regenerate after an intended change of output: RESEAUSYNC_WRITE_GOLDEN=1 pytest
tests/connectors/test_linkedin_golden.py, then review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from reseausync.api import import_paths, make_connector
from reseausync.store.feed import WORKER_ENV

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "linkedin_golden"
FIX = ROOT / "tests" / "fixtures" / "linkedin"
WRITE = os.environ.get("RESEAUSYNC_WRITE_GOLDEN") == "1"

# Targets relative to the repository root, the tests' working directory: the stored
# unit ids are absolute, and `stored` takes the root off, the same in any clone.
CASES: dict[str, tuple[str, Path]] = {
    "sample_folder": ("linkedin", Path("samples/linkedin")),
    "sample_zip": ("linkedin", Path("samples/Basic_LinkedInDataExport_11-20-2026.zip")),
    "google_csv": ("csv", Path("samples/google.csv")),
    "outlook_csv": ("csv", Path("samples/outlook.csv")),
    **{f"fixture_{d.name}": ("linkedin", d.relative_to(ROOT))
       for d in sorted(FIX.iterdir()) if d.is_dir()},
}

RECORD_COLUMNS = ("source, connector, external_id, unit, locator, content_hash, data, raw, "
                  "photo, collected_at, removed_at")
INTERACTION_COLUMNS = ("source, connector, external_id, unit, locator, kind, occurred_at, "
                       "direction, thread, subject, participants, extra, content_hash, "
                       "removed_at")
REJECT_COLUMNS = "source, unit, location, reason, message, excerpt"


def stored(db: str, base: str = "") -> dict[str, list[list[Any]]]:
    """Every stored row of the import, in insertion order, without runs or clocks.

    An import names its files by their absolute paths: `base` (the folder the
    targets were given from) is taken off, so the golden rows are the same in any
    clone."""
    con = sqlite3.connect(db)

    def rows(sql: str) -> list[list[Any]]:
        return [[c.replace(base, "") if base and isinstance(c, str) else c for c in r]
                for r in con.execute(sql)]

    try:
        return {
            "records": rows(f"SELECT {RECORD_COLUMNS} FROM records ORDER BY id"),
            "interactions": rows(f"SELECT {INTERACTION_COLUMNS} FROM interactions ORDER BY id"),
            "rejects": rows(f"SELECT {REJECT_COLUMNS} FROM rejects ORDER BY id"),
        }
    finally:
        con.close()


def streamed(connector: str, target: Path) -> list[str]:
    """The connector's items, in order, as their reprs (every field of every item)."""
    conn = make_connector(connector, str(target), source="golden")
    return [repr(item) for item in conn.read(list(conn.discover(str(target))))]


def outcome(connector: str, target: Path, db: str) -> dict[str, Any]:
    (result,) = import_paths([str(target)], db=db, connector=connector, source="golden")
    return {"counts": result.counts, "stored": stored(db, os.getcwd() + os.sep),
            "items": streamed(connector, target)}


def check(name: str, got: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    if WRITE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got["counts"] == expected["counts"]
    for table in ("records", "interactions", "rejects"):
        assert got["stored"][table] == expected["stored"][table], table
    assert got["items"] == expected["items"]


@pytest.mark.parametrize("worker", ["0", "1"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_import_stores_exactly_the_pinned_rows(name: str, worker: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Single process (0) and with the read in a forked worker (1): the same bytes."""
    monkeypatch.setenv(WORKER_ENV, worker)
    monkeypatch.chdir(ROOT)
    connector, target = CASES[name]
    check(name, outcome(connector, target, str(tmp_path / "d.db")))


def test_reimport_of_a_touched_sample_changes_nothing(tmp_path: Path) -> None:
    """Files re-saved with new mtimes are read again, and every row is found unchanged:
    the writer's content hashes are stable, so nothing is rewritten."""
    target = tmp_path / "linkedin"
    shutil.copytree(ROOT / "samples" / "linkedin", target)
    db = str(tmp_path / "d.db")
    import_paths([str(target)], db=db, connector="linkedin", source="golden")
    first = stored(db)
    for file in target.iterdir():
        os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 10**9))
    (again,) = import_paths([str(target)], db=db, connector="linkedin", source="golden")
    assert again.counts["added"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == len(first["records"]) == 7
    assert again.counts["interactions"] == len(first["interactions"]) == 7
    assert not again.changed
    assert stored(db)["interactions"] == first["interactions"]


@pytest.mark.parametrize("worker", ["0", "1"])
def test_generated_export_stores_the_pinned_digest(worker: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's seeded export, small: drafts, bad dates, accents, quoted commas."""
    monkeypatch.setenv(WORKER_ENV, worker)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from import_csv import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    monkeypatch.chdir(tmp_path)
    folder = Path("export")
    truth = generate(folder, 600, 3000, seed=7)
    got = outcome("linkedin", folder, str(tmp_path / "d.db"))
    assert got["counts"]["added"] == truth["records"]
    assert got["counts"]["interactions"] == truth["messages"]
    assert got["counts"]["rejected"] == truth["record_rejects"] + truth["message_rejects"]
    blob = json.dumps(got, ensure_ascii=False, sort_keys=True)
    digest = {"digest": hashlib.sha256(blob.encode("utf-8")).hexdigest(),
              "counts": got["counts"]}
    path = GOLDEN / "generated_digest.json"
    if WRITE:
        path.write_text(json.dumps(digest, indent=1) + "\n", encoding="utf-8")
    assert digest == json.loads(path.read_text(encoding="utf-8"))
