"""`--as-of DATE` on a real import: people collected after DATE are left out,
whichever of their records carries a date (QA finding 12: the report for 1999
listed people first collected in 2026, and business cards imported that day)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

LINKEDIN = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Undated phone cards, dated LinkedIn connections, dated business cards."""
    db = str(tmp_path_factory.mktemp("asof") / "d.db")
    for path in (SAMPLES / "phone.vcf", LINKEDIN, SAMPLES / "cards"):
        done = run_cli("import", str(path), "--db", db, "--region", "CA")
        assert done.returncode == 0, done.stderr
    return db


def listed(db: str, *args: str, command: str = "contacts") -> list[dict]:
    out = run_cli(command, "--db", db, "--format", "json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_nobody_was_collected_in_1999(filled: str) -> None:
    assert listed(filled, "--as-of", "1999-01-01") == []
    assert listed(filled, "--as-of", "1999-01-01", command="cold") == []
    stats = json.loads(run_cli("stats", "--db", filled, "--format", "json",
                               "--as-of", "1999-01-01").stdout)
    assert stats["contacts"] == 0 and stats["not_collected"] == len(listed(filled)) > 0


def test_before_the_import_only_what_a_source_dated_is_listed(filled: str) -> None:
    """Yesterday the directory held none of today's undated phone cards: only the
    people a source dates on or before yesterday, each with that date."""
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    everyone = listed(filled)
    before = listed(filled, "--as-of", yesterday)
    assert 0 < len(before) < len(everyone)
    for contact in before:
        assert contact["first_collected"] is not None, contact["display_name"]
        assert contact["first_collected"] <= yesterday, contact["display_name"]
    dated = [c for c in everyone if c["first_collected"] and c["first_collected"] <= yesterday]
    assert {c["id"] for c in before} == {c["id"] for c in dated}


@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Etc/GMT-14"])
def test_without_as_of_a_fresh_import_is_listed_in_any_time_zone(
        tmp_path: Path, zone: str) -> None:
    """Twelve hours west of UTC, or fourteen east, the local date differs from
    the UTC date for part of every day: whichever it is now, `contacts` right
    after an import lists every card, dated or not."""
    db = str(tmp_path / "d.db")
    env = {"TZ": zone}
    assert run_cli("import", str(SAMPLES / "phone.vcf"), "--db", db, env=env).returncode == 0
    out = run_cli("contacts", "--db", db, "--format", "json", env=env)
    everyone = run_cli("contacts", "--db", db, "--format", "json", "--as-of",
                       (date.today() + timedelta(days=2)).isoformat(), env=env)
    assert len(json.loads(out.stdout)) == len(json.loads(everyone.stdout)) > 0
