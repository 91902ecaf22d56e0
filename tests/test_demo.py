"""The demo is the first thing a new user runs: it keeps its own promises."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_demo(folder: Path) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("RESEAUSYNC_DB", "RESEAUSYNC_CONFIG")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    out = subprocess.run(["bash", str(folder / "scripts" / "demo.sh")], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def commands(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT DISTINCT command FROM runs")}


def test_demo_imports_into_its_own_directory_and_syncs_into_another(tmp_path: Path) -> None:
    """Run as the README says (no RESEAUSYNC_DB), the import goes to ./reseausync.db
    and the configured sources' sync to ./reseausync-sync.db; the samples' config
    names the latter for its sources, and the import once went there too, so the
    phone book was read twice under two source names into one directory."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "demo.sh", tmp_path / "scripts" / "demo.sh")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    first = run_demo(tmp_path)
    assert "vcard: 11 added" in first
    assert commands(tmp_path / "reseausync.db") == {"import"}
    assert commands(tmp_path / "reseausync-sync.db") == {"sync"}
    again = run_demo(tmp_path)            # "safe to run twice"
    assert "vcard: 0 added, 0 updated, 11 unchanged" in again
    assert "phone: 0 added, 0 updated, 11 unchanged" in again
