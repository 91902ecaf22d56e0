"""QA5 #6: the directory, its lock file and new exports hold other people's
personal data: created 0600 whatever the umask (they were 0644 under the usual
022); a file that already exists keeps its own mode."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PHONE, run_cli


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The subprocesses inherit the umask most systems give their users."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_new_directory_its_lock_and_an_export_are_private(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    done = run_cli("import", PHONE, "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert mode(db) == 0o600
    assert mode(tmp_path / "d.db.lock") == 0o600
    for side in ("d.db-wal", "d.db-shm"):
        if (tmp_path / side).exists():
            assert mode(tmp_path / side) == 0o600
    for fmt in ("csv", "vcf"):
        out = tmp_path / f"out.{fmt}"
        done = run_cli("export", "--format", fmt, "-o", str(out), "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert mode(out) == 0o600


def test_a_directory_shared_on_purpose_keeps_its_mode(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    assert run_cli("import", PHONE, "--db", str(db)).returncode == 0
    os.chmod(db, 0o640)
    (tmp_path / "d.db.lock").unlink()
    done = run_cli("import", PHONE, "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert mode(db) == 0o640
    assert mode(tmp_path / "d.db.lock") == 0o640       # its group can read who writes
