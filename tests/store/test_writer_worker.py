"""A read done by the forked worker stores exactly what a single-process read stores.

`RunWriter.add_all` hands large reads to a worker process (RESEAUSYNC_READ_WORKER=1
forces it here, =0 forbids it). Each test runs the same runs both ways on real
SQLite files and compares every stored row, the counts, the progress reports, the
cursor and the failures.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reseausync.connector import Connector, ReadContext, Unit
from reseausync.errors import SourceError
from reseausync.models import Interaction, Labeled, Participant, SourceItem, SourceRecord
from reseausync.pipeline import run_source
from reseausync.store import Store
from reseausync.store.feed import WORKER_ENV, read_worker
from reseausync.store.writer import BATCH


class Roster(Connector):
    """Each `*.roster` file is one unit; a line `id;name;email` is one record, a line
    `@thread;name` one message from that person. `!` lines are rejects, `boom` fails
    the whole source, `cursor=` sets the resume point. Ids may repeat across files,
    which is how a record moves from one unit to another."""

    name = "roster"
    read_in_worker = True

    def discover(self, target: str) -> Iterator[Unit]:
        for path in sorted(Path(target).glob("*.roster")):
            stat = path.stat()
            yield Unit(id=path.name, fingerprint=f"{stat.st_size}:{stat.st_mtime_ns}",
                       path=path)

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        assert unit.path is not None
        for n, line in enumerate(unit.path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{unit.id}:{n}"
            if line == "boom":
                raise SourceError(f"{where}: the source went away", hint="try later")
            if line.startswith("cursor="):
                self.cursor = line.removeprefix("cursor=")
            elif line.startswith("!"):
                yield self.reject(unit, where, "bad-line", f"{where}: {line}", line)
            elif line.startswith("@"):
                thread, person = line[1:].split(";")
                yield Interaction(source=self.source, connector=self.name,
                                  external_id=f"{thread}:{n}", locator=where, kind="message",
                                  occurred_at=_when(n), unit=unit.id, direction="in",
                                  participants=[Participant(name=person)], thread=thread)
            else:
                key, person, email = line.split(";")
                yield SourceRecord(source=self.source, connector=self.name, external_id=key,
                                   locator=where, unit=unit.id, display_name=person,
                                   emails=[Labeled(email)] if email else [], raw=line)


def _when(n: int):
    from datetime import UTC, datetime, timedelta
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=n)


def _write(folder: Path, files: dict[str, list[str]]) -> None:
    for old in folder.glob("*.roster"):
        if old.name not in files:
            old.unlink()
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(db: str, folder: Path, **kw) -> tuple[dict, list]:
    store = Store.open(db)
    reports: list[tuple[int, int, str]] = []
    try:
        result = run_source(store, Roster({}, ReadContext(source="team")), [str(folder)],
                            command="test", full_listing=True,
                            progress=lambda d, t, u: reports.append((d, t, u)), **kw)
        cursor = store.get_meta("cursor:team")
    finally:
        store.close()
    return {**result.counts, "cursor": cursor, "changed": result.changed}, reports


def _rows(db: str) -> dict[str, list]:
    con = sqlite3.connect(db)
    try:
        return {
            "records": con.execute(
                "SELECT external_id, unit, locator, content_hash, data, raw, removed_at "
                "IS NULL, first_run, last_run, removed_run FROM records ORDER BY id").fetchall(),
            "interactions": con.execute(
                "SELECT external_id, unit, locator, occurred_at, participants, content_hash, "
                "removed_at IS NULL, removed_run FROM interactions ORDER BY id").fetchall(),
            "rejects": con.execute(
                "SELECT run, unit, location, reason, message, excerpt FROM rejects "
                "ORDER BY id").fetchall(),
            "units": con.execute("SELECT unit, run FROM units ORDER BY unit").fetchall(),
        }
    finally:
        con.close()


def _big(prefix: str, n: int) -> list[str]:
    """More lines than a batch, so the worker sends several batches and seen lists."""
    lines = []
    for i in range(n):
        if i % 97 == 0:
            lines.append(f"!odd line {i}")
        elif i % 3 == 0:
            lines.append(f"@{prefix}-t{i % 50};Person {i % 50}")
        else:
            lines.append(f"{prefix}{i};Person {i};p{i}@example.org")
    return lines


HISTORY: list[dict[str, list[str]]] = [
    {"a.roster": _big("a", BATCH + 700), "b.roster": ["b1;Bea;bea@x.org", "@tb;Bea"],
     "c.roster": ["cursor=token-1", "c1;Cy;"]},
    # a2 moves from a to c (read after a: tombstoned with a, revived by c), a4 vanishes,
    # b vanishes with its message, a duplicate id in c is a reject
    {"a.roster": [x for x in _big("a", BATCH + 700) if not x.startswith(("a2;", "a4;"))],
     "c.roster": ["cursor=token-2", "c1;Cy;cy@x.org", "a2;Person 2;p2@example.org",
                  "c1;Cy again;"]},
]


@pytest.mark.parametrize("step", [1, 2])
def test_worker_read_stores_what_a_single_process_stores(tmp_path: Path, step: int,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    outcomes = []
    for mode in ("0", "1"):
        monkeypatch.setenv(WORKER_ENV, mode)
        folder = tmp_path / f"roster{mode}"
        folder.mkdir()
        db = str(tmp_path / f"d{mode}.db")
        runs = []
        for files in HISTORY[:step]:
            _write(folder, files)
            # the roster's message ids are line numbers: a rewrite replaces them all
            runs.append(_run(db, folder, allow_mass_removal=True))
        outcomes.append((runs, _rows(db)))
    single, forked = outcomes
    assert forked[1] == single[1]
    assert [counts for counts, _ in forked[0]] == [counts for counts, _ in single[0]]
    assert [[r[:2] for r in reports] for _, reports in forked[0]] == \
           [[r[:2] for r in reports] for _, reports in single[0]]
    last_counts = single[0][-1][0]
    assert last_counts["cursor"] == f"token-{step}"
    if step == 2:
        assert last_counts["removed"] >= 2 and last_counts["rejected"] >= 1


def test_a_failure_in_the_worker_fails_the_run_like_a_single_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "roster"
    folder.mkdir()
    _write(folder, {"a.roster": _big("a", BATCH * 2) + ["boom"]})
    for mode in ("0", "1"):
        monkeypatch.setenv(WORKER_ENV, mode)
        db = str(tmp_path / f"d{mode}.db")
        with pytest.raises(SourceError) as caught:
            _run(db, folder)
        assert caught.value.hint == "try later"
        assert "the source went away" in str(caught.value)
        assert _rows(db)["records"] == []       # the run's transaction rolled back


def test_dry_run_in_the_worker_counts_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "roster"
    folder.mkdir()
    _write(folder, HISTORY[0])
    counts = []
    for mode in ("0", "1"):
        monkeypatch.setenv(WORKER_ENV, mode)
        db = str(tmp_path / f"d{mode}.db")
        counts.append(_run(db, folder, dry_run=True)[0])
        assert _rows(db)["records"] == []
    assert counts[0] == counts[1]
    assert counts[0]["added"] + counts[0]["interactions"] > BATCH


def test_worker_is_used_only_for_large_files_of_willing_connectors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster = Roster({}, ReadContext(source="team"))
    small = tmp_path / "small.roster"
    small.write_text("x;y;z\n")
    units = [Unit(id="small", fingerprint="", path=small)]
    monkeypatch.delenv(WORKER_ENV, raising=False)
    assert not read_worker(roster, units)
    assert not read_worker(roster, [Unit(id="https://dav/x", fingerprint="")])  # no size
    big = [Unit(id="big", fingerprint="", path=tmp_path / "big.roster")]
    with (tmp_path / "big.roster").open("wb") as out:
        out.truncate(9 << 20)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert read_worker(roster, big)
    unwilling = Connector({}, ReadContext(source="x"))   # keeps its state: never forked
    assert not read_worker(unwilling, big)
    monkeypatch.setenv(WORKER_ENV, "0")
    assert not read_worker(roster, big)
    monkeypatch.setenv(WORKER_ENV, "1")
    assert read_worker(roster, units)
    assert not read_worker(unwilling, units)
