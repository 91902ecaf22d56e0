"""What the user's terminal and pipes get (QA, a new user's first week): a Latin-1
locale crashed `contacts` on "Łukasz" and wrote vCards 4.0 in Latin-1; an 80-column
terminal cut contact ids so `show` of the shown id failed; `contacts > list.txt`
was cut at 120 columns, so a grep for a full address missed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from reseausync.report.output import shown_width, to_table
from tests.conftest import run_cli

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Łukasz Dvořák\r\nN:Dvořák;Łukasz;;;\r\n"
        "EMAIL:lukasz.dvorak.with.a.rather.long.address@example-consulting.cz\r\n"
        "END:VCARD\r\n")
LATIN1 = {"PYTHONIOENCODING": "latin-1"}


def _imported(tmp_path) -> str:
    (tmp_path / "pl.vcf").write_text(CARD, encoding="utf-8", newline="")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(tmp_path / "pl.vcf"), "--db", db).returncode == 0
    return db


def test_a_table_in_a_latin1_locale_replaces_what_it_cannot_show(tmp_path) -> None:
    db = _imported(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESEAUSYNC_")}
    done = subprocess.run([sys.executable, "-m", "reseausync", "contacts", "--db", db],
                          env={**env, **LATIN1}, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "?ukasz Dvo?ák" in done.stdout.decode("latin-1")


def test_machine_formats_are_utf8_whatever_the_locale(tmp_path) -> None:
    db = _imported(tmp_path)
    vcf = run_cli("export", "--format", "vcf", "--db", db, env=LATIN1)
    assert vcf.returncode == 0, vcf.stderr
    assert "FN:Łukasz Dvořák" in vcf.stdout        # decoded as UTF-8 by run_cli
    listed = run_cli("contacts", "--format", "json", "--db", db, env=LATIN1)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["display_name"] == "Łukasz Dvořák"


def test_a_table_written_to_a_pipe_is_not_cut(tmp_path) -> None:
    db = _imported(tmp_path)
    done = run_cli("contacts", "--db", db, env={"COLUMNS": "60"})
    assert "lukasz.dvorak.with.a.rather.long.address@example-consulting.cz" in done.stdout
    assert "…" not in done.stdout


def test_a_narrow_terminal_cuts_names_never_ids_or_statuses() -> None:
    rows = [{"id": "cf7c1dcf0a1b", "display_name": "Alexandra Konstantinopoulou-Smith",
             "emails": "alexandra.konstantinopoulou@example.org", "status": "never_engaged"}]
    columns = [("id", "ID"), ("display_name", "NAME"), ("emails", "EMAILS"),
               ("status", "STATUS")]
    table = to_table(rows, columns, width=48)
    row = table.splitlines()[2]
    assert row.startswith("cf7c1dcf0a1b  ") and row.endswith("never_engaged")
    assert "…" in row and shown_width(row) <= 48
