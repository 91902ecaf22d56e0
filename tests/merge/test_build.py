"""Contacts built by forked workers are byte for byte what one process builds.

The workers only run for large regroups; here the threshold is lowered and the
batches made tiny, so that a small address book is shared out between processes
over many batches, and a worker that fails or dies is seen to cost nothing but time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reseausync import forking
from reseausync.merge import build, regroup
from reseausync.store import Store, writer

from .directory import person, write
from .test_resolve import REGION, cast


def tables(store: Store) -> list[tuple]:
    """Both tables in storage order (contacts by rowid: the order they were written)."""
    contacts = [tuple(r) for r in store.db.execute(
        "SELECT id, data, created_run, updated_run, removed_at IS NULL FROM contacts "
        "ORDER BY rowid")]
    links = [tuple(r) for r in store.db.execute(
        "SELECT record_id, contact_id, reason FROM contact_records ORDER BY record_id")]
    return contacts + links


def directory(path: Path) -> list[tuple]:
    """A first import, then a run that adds, changes and removes records."""
    store = Store.open(path)
    write(store, cast(), settings=REGION)
    write(store, [person("phone", "new", "Zoé Lefebvre", phones=("514 555 8888",)),
                  person("google", "kate", "Kate O'Brien", emails=("kate.obrien@shopify.com",),
                         org="Shopify")],
          remove=(("phone", "s3"), ("linkedin", "jf")), settings=REGION)
    out = tables(store)
    store.close()
    return out


@pytest.fixture
def shared_out(monkeypatch, tmp_path):
    """Tiny batches, workers at any size; each process that builds a batch leaves a
    file named after its pid in tmp_path/pids."""
    monkeypatch.setattr(regroup, "BATCH", 4)
    monkeypatch.setattr(forking, "MIN_RECORDS", 0)
    (tmp_path / "pids").mkdir()
    return tmp_path / "pids"


def _trace(monkeypatch, pids: Path, child_fails: str = "") -> None:
    original = build.Builder.build
    parent = os.getpid()

    def traced(self, groups, rows):
        (pids / str(os.getpid())).touch()
        if os.getpid() != parent and child_fails == "raise":
            raise RuntimeError("worker failure")
        if os.getpid() != parent and child_fails == "die":
            os._exit(3)
        return original(self, groups, rows)

    monkeypatch.setattr(build.Builder, "build", traced)


def test_workers_write_what_one_process_writes(monkeypatch, tmp_path, shared_out) -> None:
    monkeypatch.setenv(forking.ENV, "1")
    alone = directory(tmp_path / "one.db")
    _trace(monkeypatch, shared_out)
    monkeypatch.setenv(forking.ENV, "3")
    assert directory(tmp_path / "three.db") == alone
    builders = {int(p.name) for p in shared_out.iterdir()}
    assert len(builders) >= 3 and os.getpid() not in builders   # workers; the parent only
    # read and wrote (each run's regroup forks its own)


@pytest.mark.parametrize("failure", ["raise", "die"])
def test_a_failing_worker_changes_nothing(monkeypatch, tmp_path, shared_out,
                                          failure: str) -> None:
    monkeypatch.setenv(forking.ENV, "1")
    alone = directory(tmp_path / "one.db")
    _trace(monkeypatch, shared_out, failure)
    monkeypatch.setenv(forking.ENV, "2")
    assert directory(tmp_path / "two.db") == alone
    assert len(list(shared_out.iterdir())) >= 2          # the worker did try


def test_workers_only_for_large_regroups(monkeypatch) -> None:
    monkeypatch.setenv(forking.ENV, "4")
    assert forking.workers(forking.MIN_RECORDS) == 4
    assert forking.workers(forking.MIN_RECORDS - 1) == 1
    monkeypatch.setenv(forking.ENV, "1")
    assert forking.workers(10 * forking.MIN_RECORDS) == 1
    monkeypatch.setenv(forking.ENV, "many")
    assert forking.workers(10 * forking.MIN_RECORDS) == 1


def test_no_fork_available_builds_in_the_parent(monkeypatch, tmp_path, shared_out) -> None:
    """Inside a daemon process (a scheduler's worker) a child cannot be started."""
    monkeypatch.setenv(forking.ENV, "1")
    alone = directory(tmp_path / "one.db")
    real = forking.multiprocessing.get_context("fork")

    class NoChildren:
        def Pipe(self):  # noqa: N802 (multiprocessing's name)
            return real.Pipe()

        def Process(self, **kwargs):  # noqa: N802
            proc = real.Process(**kwargs)

            def refuse() -> None:
                raise AssertionError("daemonic processes are not allowed to have children")
            proc.start = refuse
            return proc

    monkeypatch.setattr(forking.multiprocessing, "get_context", lambda method: NoChildren())
    _trace(monkeypatch, shared_out)
    monkeypatch.setenv(forking.ENV, "2")
    assert directory(tmp_path / "two.db") == alone
    assert [p.name for p in shared_out.iterdir()] == [str(os.getpid())]


def _index_sql(store_path: Path) -> str | None:
    store = Store.open(store_path)
    row = store.db.execute("SELECT sql FROM sqlite_master WHERE name='contact_records_contact'"
                           ).fetchone()
    store.close()
    return row[0] if row else None


def test_bulk_regroup_writes_what_row_by_row_writes(monkeypatch, tmp_path) -> None:
    """A large regroup builds the links' contact index after writing; the rows and
    the index are those of the row-by-row path (BULK lowered so the cast is large)."""
    row_by_row = directory(tmp_path / "rows.db")
    monkeypatch.setattr(regroup, "BULK", 1)
    calls = []
    original = regroup.index_dropped
    monkeypatch.setattr(regroup, "index_dropped",
                        lambda db, name: calls.append(name) or original(db, name))
    assert directory(tmp_path / "bulk.db") == row_by_row
    assert calls and set(calls) == {"contact_records_contact"}
    assert _index_sql(tmp_path / "bulk.db") == _index_sql(tmp_path / "rows.db") is not None


def test_the_cast_does_not_depend_on_the_clock_between_its_writers(monkeypatch,
                                                                    tmp_path) -> None:
    """`directory` writes several sources in one run; their writers straddling a
    second made "newest" pick another display name (Bob Chen / ROBERT CHEN), and
    the bulk test above failed now and then on a loaded machine."""
    ticks = iter(range(3600))
    monkeypatch.setattr(writer, "now_iso", lambda: _second(next(ticks)))
    ticking = directory(tmp_path / "ticking.db")
    monkeypatch.setattr(writer, "now_iso", lambda: "2026-11-23T11:00:00+00:00")
    steady = directory(tmp_path / "steady.db")
    assert _names(ticking) == _names(steady)


def _second(n: int) -> str:
    minutes, seconds = divmod(n, 60)
    return f"2026-11-23T11:{minutes:02d}:{seconds:02d}+00:00"


def _names(rows: list[tuple]) -> list[str]:
    return sorted(json.loads(r[1]).get("display_name", "") for r in rows if len(r) == 5)
