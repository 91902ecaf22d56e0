"""Bad paths on the command line: `export -o`, `--db`, import paths. Each is
wrong usage (exit 2) with a message naming the path, never a traceback, and a
failing command leaves the user's files as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PHONE, run_cli


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


READ_COMMANDS = [("contacts",), ("show", "c000000000000"), ("cold",), ("review",), ("runs",),
                 ("rejects",), ("stats",), ("unknown",), ("export", "--format", "csv")]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_a_read_command_refuses_a_directory_that_does_not_exist(command: tuple[str, ...],
                                                                 tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    done = run_cli(*command, "--db", str(typo))
    _clean_usage_error(done, f"{command[0]}: error: no directory at {typo} (from --db)")
    assert "reseausync import" in done.stderr
    assert list(tmp_path.iterdir()) == []            # nothing created


def test_the_message_names_the_variable_the_path_came_from(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    done = run_cli("contacts", env={"RESEAUSYNC_DB": str(typo)})
    _clean_usage_error(done, f"no directory at {typo} (from RESEAUSYNC_DB)")


def test_a_failed_export_from_a_mistyped_db_keeps_the_previous_file(imported: str,
                                                                    tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    assert run_cli("export", "--format", "csv", "-o", str(good), "--db", imported).returncode == 0
    before = good.read_bytes()
    done = run_cli("export", "--format", "csv", "-o", str(good), "--db", str(tmp_path / "t.db"))
    assert done.returncode == 2 and good.read_bytes() == before
    assert not (tmp_path / "t.db").exists()


def test_import_still_creates_a_new_directory(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    assert run_cli("import", PHONE, "--db", str(db)).returncode == 0
    assert db.is_file()
    assert run_cli("contacts", "--db", str(db)).returncode == 0


@pytest.mark.parametrize("option", ["--db", "--config"])
def test_an_empty_path_option_is_not_the_default(option: str, tmp_path: Path) -> None:
    done = run_cli("import", PHONE, option, "", cwd=tmp_path)
    _clean_usage_error(done, f"import: error: {option} is empty")
    assert list(tmp_path.iterdir()) == []            # no ./reseausync.db


def test_a_db_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "nodir" / "x.db"
    done = run_cli("import", PHONE, "--db", str(db))
    _clean_usage_error(done, f"{db}: folder {db.parent} does not exist (from --db)")
    assert not db.parent.exists()
    assert run_cli("contacts", "--db", str(db)).returncode == 2


def test_a_db_that_is_a_folder_or_not_a_database_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("import", PHONE, "--db", str(tmp_path))
    _clean_usage_error(done, f"{tmp_path}: is a folder, not a directory file")
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for command in (("import", PHONE), ("contacts",)):
        done = run_cli(*command, "--db", str(notes))
        _clean_usage_error(done, f"{notes}: not a reseausync directory")
    assert notes.read_text() == "my notes\n"
