"""Bad paths on the command line: `export -o`, `--db`, import paths. Each is
wrong usage (exit 2) with a message naming the path, never a traceback, and a
failing command leaves the user's files as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

PHONE = str(SAMPLES / "phone.vcf")


@pytest.fixture
def imported(tmp_path: Path) -> str:
    db = str(tmp_path / "d.db")
    done = run_cli("import", PHONE, "--db", db, "--region", "CA")
    assert done.returncode == 0, done.stderr
    return db


def _clean_usage_error(done, text: str) -> None:  # noqa: ANN001
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert text in done.stderr, done.stderr
    assert "next step:" in done.stderr


def test_export_to_a_missing_folder_is_a_usage_error(imported: str, tmp_path: Path) -> None:
    target = tmp_path / "nodir" / "x.csv"
    done = run_cli("export", "--format", "csv", "-o", str(target), "--db", imported)
    _clean_usage_error(done, f"export: error: {target}: folder {target.parent} does not exist")
    assert not target.parent.exists()


def test_export_to_a_folder_is_a_usage_error(imported: str, tmp_path: Path) -> None:
    done = run_cli("export", "--format", "csv", "-o", str(tmp_path), "--db", imported)
    _clean_usage_error(done, f"{tmp_path}: is a folder, not a file")


def test_a_failing_export_keeps_the_previous_file(imported: str, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    assert run_cli("export", "--format", "csv", "-o", str(good), "--db", imported).returncode == 0
    before = good.read_bytes()
    assert before.count(b"\n") > 5
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_text("not a db\n" * 20)
    done = run_cli("export", "--format", "csv", "-o", str(good), "--db", str(corrupt))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_export_replaces_the_file_and_keeps_its_permissions(imported: str,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    os.chmod(out, 0o640)
    done = run_cli("export", "--format", "jsonl", "-o", str(out), "--db", imported)
    assert done.returncode == 0, done.stderr
    assert "contacts written to" in done.stderr
    assert out.read_text().startswith("{") and out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
