"""`contacts --search` in other scripts: the needle is folded as the matcher folds,
and a Han, Hangul or Cyrillic needle folded to nothing, which every contact
contains, so the search listed the whole directory."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

NAMES = ["王小明", "김민준", "Иван Петров", "Jean Tremblay"]


def test_a_search_in_another_script_finds_only_its_contacts(tmp_path: Path) -> None:
    (tmp_path / "c.vcf").write_bytes("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u{i}\r\nFN:{fn}\r\nEND:VCARD\r\n"
        for i, fn in enumerate(NAMES)).encode("utf-8"))
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(tmp_path / "c.vcf"), "--db", db, "--region", "CA")
    assert done.returncode == 0, done.stderr
    found = {}
    for needle in ("王", "민준", "ИВАН", "petrov"):
        listed = run_cli("contacts", "--db", db, "--search", needle, "--format", "json")
        assert listed.returncode == 0, listed.stderr
        found[needle] = [c["display_name"] for c in json.loads(listed.stdout)]
    assert found == {"王": ["王小明"], "민준": ["김민준"], "ИВАН": ["Иван Петров"], "petrov": []}
