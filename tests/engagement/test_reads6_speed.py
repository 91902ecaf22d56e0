"""The whole-directory read commands at scale (README "Known gaps": 10-11 s of CPU at
33,000 contacts and 300,000 interactions) print what they printed, faster.

- The cyclic garbage collector waits while `contacts`, `cold`, `stats` and `export`
  load, annotate and print the directory: each of its passes walked every loaded
  contact and annotation again (about a quarter of the command's CPU at 33,000
  contacts), for objects that hold no cycles.
- An event without copies in another source gets its empty copies list without a
  generator and a sort (status._event): the same events, compared with the old
  computation on random directories and as-of dates.
"""

from __future__ import annotations

import gc
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync import api
from reseausync.cli import main
from reseausync.engagement import annotate, status
from reseausync.engagement.evidence import Event, lost_thread, parse_instant

from .conftest import Directory
from .test_status_audit5_reads import AS_OF, random_directory


def small_directory(path: Path) -> Directory:
    """Two people, one of them written to and answered, on a real SQLite file."""
    d = Directory(path)
    d.person("c001", "Zoé Roy", emails=("zoe@example.org",))
    d.person("c002", "Jean Roy", emails=("jean@example.org",), source="linkedin",
             connector="linkedin")
    d.interaction("email", "2026-10-01", "out", {"email": "zoe@example.org"}, thread="t1")
    d.interaction("email", "2026-10-02", "in", {"email": "zoe@example.org"}, thread="t1")
    d.link()
    d.store.close()
    return d


@pytest.mark.parametrize("command", [
    ["contacts"], ["contacts", "--status", "never_engaged"], ["contacts", "--format", "csv"],
    ["cold"], ["stats"], ["export", "--format", "csv"], ["export", "--format", "vcf"]])
def test_read_commands_load_and_print_without_the_cyclic_collector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    small_directory(tmp_path / "d.db")
    seen: list[bool] = []
    load = api.load_contacts

    def watched(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        seen.append(gc.isenabled())
        return load(*args, **kwargs)

    monkeypatch.setattr(api, "load_contacts", watched)
    from reseausync.cli import commands
    printers = () if command == ["stats"] else ("to_table", "to_csv")   # stats: 16 lines
    for name in printers:                         # what prints the rows
        printer = getattr(commands, name)
        monkeypatch.setattr(commands, name, lambda *a, _p=printer, **k: (
            seen.append(gc.isenabled()), _p(*a, **k))[1])
    was = gc.isenabled()
    assert main(["--db", str(tmp_path / "d.db"), *command, "--as-of", "2026-11-20"]) == 0
    assert "Roy" in capsys.readouterr().out or command == ["stats"]
    assert seen and not any(seen)
    assert gc.isenabled() == was                  # given back afterwards


def old_event(row: tuple[Any, ...], copies: list[int]) -> Event:
    """status._event as it was before this change."""
    _, iid, kind, at, direction, thread, automated, sender, root, owner_sent, _ = row
    if owner_sent:
        direction, sender = "out", True
    return Event(iid, kind, parse_instant(at), direction,
                 "" if root and lost_thread(root) else thread, bool(automated),
                 bool(sender), sorted(c for c in copies if c != iid))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), days=st.lists(st.integers(-30, 900), min_size=1,
                                                 max_size=3))
def test_events_and_annotations_are_the_old_ones(seed: int, days: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        d = random_directory(Path(folder) / "d.db", seed)
        try:
            for back in days:
                as_of = AS_OF - timedelta(days=back)
                cutoff = status.cutoff_of(as_of)
                new_events = list(status.contact_events(d.store, None, cutoff))
                new = annotate(d.store, d.contacts(), as_of, d.settings)
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(status, "_event", old_event)
                    assert list(status.contact_events(d.store, None, cutoff)) == new_events
                    assert annotate(d.store, d.contacts(), as_of, d.settings) == new
        finally:
            d.store.close()


def test_the_comparison_sees_copies_and_lone_events(tmp_path: Path) -> None:
    """The random directories hold both kinds of event the fast path tells apart."""
    d = random_directory(tmp_path / "d.db", 3)
    try:
        events = [e for _, found in status.contact_events(d.store, None,
                                                          status.cutoff_of(date(2027, 1, 1)))
                  for e in found]
    finally:
        d.store.close()
    assert any(e.copies for e in events) and any(not e.copies for e in events)
