"""What the mail and calendar audit-4 tests share: the people of the QA fixtures,
the owner's config, and a real import into a real SQLite directory read back as
the user sees it (`contacts`, `unknown`, `rejects` in JSON)."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from reseausync.cli import main
from tests.conftest import seen_before

ME = "marie.example@gmail.com"
AS_OF = "2026-11-22"
BUILT_ON = "2026-11-21"     # the directory was built the day before the as-of date
PEOPLE = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{given} {family}\r\nN:{family};{given};;;\r\n"
    f"EMAIL:{email}\r\nEND:VCARD\r\n"
    for given, family, email in (
        ("Bob", "Martin", "bob.martin@acme.ca"),
        ("Carole", "Roy", "carole.roy@example.org"),
        ("Luc", "Gagnon", "luc.gagnon@example.net"),
        ("Sophie", "Tremblay", "sophie.tremblay@example.com")))


@dataclass
class Seen:
    """What the user sees after the imports: each contact's status by name, the
    people `unknown` proposes, the rejects, and the last import's summary line."""

    status: dict[str, str]
    unknown: list[dict]
    rejects: list[dict]
    summary: str


def cli(tmp_path: Path, *args: str) -> str:
    """The command's standard output; run in this process (the CLI's own entry
    point, as `reseausync` runs it), which keeps these tests quick."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*args, "--db", str(tmp_path / "d.db"), "--config", str(_config(tmp_path))])
    assert code == 0, out.getvalue()
    return out.getvalue()


def imported(tmp_path: Path, *targets: str | Path, connector: str = "") -> Seen:
    """The people imported, then `targets` in one import (`--connector` when named)."""
    book = tmp_path / "people.vcf"
    if not book.exists():
        book.write_text(PEOPLE, encoding="utf-8", newline="")
        cli(tmp_path, "import", str(book))
    named = ["--connector", connector] if connector else []
    summary = cli(tmp_path, "import", *map(str, targets), *named)
    seen_before(str(tmp_path / "d.db"), BUILT_ON)
    contacts = json.loads(cli(tmp_path, "contacts", "--as-of", AS_OF, "--format", "json"))
    return Seen(status={c["display_name"]: c["status"] for c in contacts},
                unknown=json.loads(cli(tmp_path, "unknown", "--format", "json")),
                rejects=json.loads(cli(tmp_path, "rejects", "--format", "json")),
                summary=summary)


def interactions(tmp_path: Path, name: str) -> list[dict]:
    """The interactions `show --format json` lists for the contact named `name`."""
    contacts = json.loads(cli(tmp_path, "contacts", "--format", "json"))
    found = next(c["id"] for c in contacts if c["display_name"] == name)
    shown = json.loads(cli(tmp_path, "show", found, "--format", "json"))
    return shown["engagement"]["interactions"]


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "me.toml"
    if not path.exists():
        path.write_text(f'[me]\nemails = ["{ME}"]\n', encoding="utf-8")
    return path
