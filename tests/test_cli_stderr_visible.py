"""Messages on stderr show a file name's controls as escapes.

A file may be named with anything but `/` and NUL: an ESC sequence in a name
cleared the screen or recoloured the terminal when an error named the file, and
a line break in it made up a second line of the message (cron mails stderr).
Tables and `show` already print other people's text through `visible`
(report/visible.py, QA5 #1); errors, hints, warnings and the schedule's log
lines now do too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reseausync.cli import _VisibleFormatter
from tests.conftest import run_cli

EVIL = "evil\x1b[2J\nfake: line\u202e.vcf"


def test_an_error_naming_a_file_shows_its_controls_as_escapes(tmp_path: Path) -> None:
    done = run_cli("import", str(tmp_path / EVIL), "--db", str(tmp_path / "d.db"))
    assert done.returncode != 0
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    assert "evil\\x1b[2J\\nfake: line\\u202e.vcf: no such file or folder" in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and lines[1].startswith("  next step:")   # the hint's own line


def test_a_sync_error_names_the_source_path_visibly(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    path = str(tmp_path / EVIL).replace("\\", "\\\\").replace("\n", "\\n")
    config.write_text(f'[[sources]]\nname = "book"\nconnector = "vcard"\npath = "{path}"\n'
                      .replace("\x1b", "\\u001b").replace("\u202e", "\\u202e"),
                      encoding="utf-8")
    done = run_cli("--config", str(config), "sync", "--db", str(tmp_path / "d.db"))
    assert done.returncode == 1, done.stderr
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "evil\\x1b[2J\\nfake: line\\u202e.vcf" in errors[0]


def test_log_records_keep_their_own_lines_and_escape_the_rest() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1,
                               "could not read %s\nsecond line", (EVIL,), None)
    text = _VisibleFormatter("reseausync: %(message)s").format(record)
    assert text == ("reseausync: could not read evil\\x1b[2J\\nfake: line\\u202e.vcf"
                    "\\nsecond line")      # one record, one line
