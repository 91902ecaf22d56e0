"""QA6 #6: `stats --format csv` and the table carry the totals and order the
by-source columns as the statuses are ordered.

The CSV left out `contacts` and `not_collected` (how many were not collected yet
on the date), and the by-source columns came alphabetical (cold, contacts,
cooling...). `--format json` is unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import SAMPLES, run_cli

STATUSES = ["never_engaged", "cold", "cooling", "engaged"]


def filled(tmp_path: Path) -> str:
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(SAMPLES / "phone.vcf"), str(SAMPLES / "google.csv"),
                   str(SAMPLES / "calendar.ics"), "--db", db,
                   "--config", str(SAMPLES / "reseausync.toml"))
    assert done.returncode == 0, done.stderr
    return db


def stats_csv(*args: str) -> tuple[dict, list[str], list[dict[str, str]]]:
    """`stats` as JSON, and its CSV's header and rows."""
    data = json.loads(run_cli("stats", "--format", "json", *args).stdout)
    out = run_cli("stats", "--format", "csv", *args)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    return data, out.stdout.splitlines()[0].split(","), rows


def test_stats_csv_has_the_totals_and_the_status_order(tmp_path: Path) -> None:
    common = ("--db", filled(tmp_path), "--config", str(SAMPLES / "reseausync.toml"))
    data, header, rows = stats_csv(*common)
    assert list(data)[:2] == ["contacts", "not_collected"]      # JSON as before
    assert header == ["dimension", "value", "count", "contacts", *STATUSES]
    assert rows[0] == {"dimension": "total", "value": "contacts",
                       "count": str(data["contacts"]), "contacts": "", "never_engaged": "",
                       "cold": "", "cooling": "", "engaged": ""}
    assert (rows[1]["dimension"], rows[1]["value"], rows[1]["count"]) == \
        ("total", "not_collected", str(data["not_collected"]))
    sources = {r["value"]: r for r in rows if r["dimension"] == "source"}
    assert set(sources) == set(data["by_source"]) and sources
    for name, counts in data["by_source"].items():
        assert {k: int(sources[name][k]) for k in counts} == counts
    table = run_cli("stats", *common).stdout.splitlines()
    assert table[0].split() == ["BY", "VALUE", "COUNT", "CONTACTS", "NEVER_ENGAGED", "COLD",
                                "COOLING", "ENGAGED"]
    assert table[2].split() == ["total", "contacts", str(data["contacts"])]
    assert table[3].split() == ["total", "not_collected", str(data["not_collected"])]


def test_stats_csv_says_how_many_were_not_collected_yet(tmp_path: Path) -> None:
    """Before anything was collected, every contact is `not_collected`: the CSV
    says how many, as the JSON does."""
    db = filled(tmp_path)
    data, header, rows = stats_csv("--db", db, "--as-of", "2000-01-01")
    assert data["contacts"] == 0 and data["not_collected"] > 0
    assert header == ["dimension", "value", "count"]
    assert rows[:2] == [{"dimension": "total", "value": "contacts", "count": "0"},
                        {"dimension": "total", "value": "not_collected",
                         "count": str(data["not_collected"])}]
