"""`stats` counts the people `contacts` lists: the owner's own card (flag `me`) is
in neither (QA finding C: `stats` said 2 contacts where `contacts` listed 1)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

BOOK = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marie Example\r\nN:Example;Marie;;;\r\n"
        b"EMAIL:marie@example.com\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Martin\r\nN:Martin;Alice;;;\r\n"
        b"EMAIL:alice@acme.ca\r\nEND:VCARD\r\n")


def test_stats_leaves_the_owner_out_as_contacts_does(tmp_path: Path) -> None:
    (tmp_path / "book.vcf").write_bytes(BOOK)
    (tmp_path / "me.toml").write_text('[me]\nemails = ["marie@example.com"]\n')
    db, config = str(tmp_path / "d.db"), str(tmp_path / "me.toml")
    done = run_cli("import", str(tmp_path / "book.vcf"), "--db", db, "--config", config)
    assert done.returncode == 0, done.stderr
    listed = json.loads(run_cli("contacts", "--db", db, "--config", config,
                                "--format", "json").stdout)
    stats = json.loads(run_cli("stats", "--db", db, "--config", config,
                               "--format", "json").stdout)
    assert [c["display_name"] for c in listed] == ["Alice Martin"]
    assert stats["contacts"] == 1
    assert sum(stats["by_status"].values()) == sum(stats["by_layer"].values()) == 1
    assert [counts["contacts"] for counts in stats["by_source"].values()] == [1]
