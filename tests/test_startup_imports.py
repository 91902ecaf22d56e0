"""What a read command loads: its start-up is most of what the user waits for.

Every command paid about a second of imports (numpy, the matcher, the import
pipeline) before reading anything (audit 5, scale #4). Reading the directory needs
none of them; these tests fail if one comes back on the read path.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PHONE, run_cli

HEAVY = ("numpy", "reseausync.pipeline", "reseausync.resolve", "reseausync.match.engine")

PROBE = """
import contextlib, io, sys
from reseausync.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(code, *sorted(m for m in {heavy!r} if m in sys.modules))
"""


def loaded_by(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    code, *modules = done.stdout.split()
    assert code == "0", done.stdout
    return modules


def test_read_commands_load_neither_numpy_nor_the_matcher(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    assert run_cli("import", PHONE, "--db", db, "--region", "CA").returncode == 0
    for command in (["contacts"], ["contacts", "--format", "json"], ["cold"], ["stats"],
                    ["rejects"], ["runs"], ["review"]):
        assert loaded_by(*command, "--db", db) == [], command


def test_the_public_api_still_names_everything_it_exports() -> None:
    import reseausync
    for name in reseausync.__all__:
        assert getattr(reseausync, name) is not None, name
    from reseausync import registry
    assert hasattr(registry, "get")          # the registry object, not its module
