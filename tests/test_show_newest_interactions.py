"""`show` of a contact with years of history (QA: the table listed the 30 oldest
interactions and said nothing of the rest, so ten years of stand-ups showed
December 2016 while the status said "4 days ago")."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import run_cli

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sophie Martin\r\nN:Martin;Sophie;;;\r\n"
        "EMAIL:sophie@example.org\r\nEND:VCARD\r\n")


def test_show_lists_the_newest_and_says_how_many_earlier(tmp_path) -> None:
    (tmp_path / "book.vcf").write_text(CARD, encoding="utf-8", newline="")
    first = date(2026, 1, 5)
    rows = [f"{first + timedelta(days=7 * k)},sophie@example.org,café,week {k},both"
            for k in range(40)]
    (tmp_path / "log.csv").write_text("date,who,channel,note,direction\n"
                                      + "\n".join(rows) + "\n", encoding="utf-8")
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(tmp_path / "book.vcf"), str(tmp_path / "log.csv"),
                   "--db", db)
    assert done.returncode == 0, done.stderr
    cid = run_cli("contacts", "--db", db, "--format", "csv").stdout.splitlines()[1].split(",")[0]
    shown = run_cli("show", cid, "--db", db, "--as-of", "2026-11-22").stdout
    newest, oldest = str(first + timedelta(days=7 * 39)), str(first)
    assert newest in shown and oldest not in shown
    assert "… 10 earlier interactions (`--format json` lists them all)" in shown
