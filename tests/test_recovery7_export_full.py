"""`export` on a full disk (QA7 #4): one line and exit 1, no traceback of three
chained OSErrors; with -o the previous file stays."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from reseausync import directory
from reseausync.cli import main

from .conftest import PHONE, run_cli


@pytest.fixture
def book(tmp_path: Path) -> str:
    db = str(tmp_path / "d.db")
    assert run_cli("import", PHONE, "--db", db).returncode == 0
    return db


def test_export_to_a_file_on_a_full_disk_keeps_the_previous_file(
        book: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    previous = tmp_path / "old.vcf"
    previous.write_text("old\n")
    written = directory._export

    def filling(rows, out, fmt, vcard_version):     # the disk fills up mid-export
        written(rows[:2], out, fmt, vcard_version)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(directory, "_export", filling)
    code = main(["export", "--db", book, "--format", "vcf", "-o", str(previous)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{previous}: the disk is full" in err and "previous file was kept" in err
    assert previous.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".old")] == []


def test_export_to_a_stdout_on_a_full_disk_is_one_line(book: str) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "reseausync", "export", "--db", book,
                               "--format", "jsonl"], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stderr.splitlines()[0].endswith("stdout: the disk is full (No space left "
                                                 "on device); what was written before is "
                                                 "incomplete")


def test_export_to_a_full_device_named_by_o(book: str) -> None:
    done = run_cli("export", "--db", book, "--format", "vcf", "-o", "/dev/full")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "/dev/full: the disk is full" in done.stderr
