"""Where the directory, the config and the phone region come from for one command.

INTERFACE.md fixes the order: the command line, then the environment, then the
config file, then a default. The config is only required by commands that need
sources (`sync`, `schedule`, `publish`, `check`).

The directory file is checked here, before any command opens it, because SQLite
creates whatever path it is given: a read command (`contacts`, `export`, ...)
given a mistyped --db or RESEAUSYNC_DB would otherwise create an empty directory
there and report it, successfully, to a cron job. So a command that only reads
the directory refuses one that does not exist; a command that writes (`import`,
`sync`, `link`...) creates it, but not in a folder that does not exist. A path
that cannot be a directory at all is wrong usage (exit 2), like `--db ""` (an
unset variable in a cron line), which must not quietly mean ./reseausync.db.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from .. import config as cfg
from ..errors import UsageError
from ..merge.state import remembered

# How a command uses the directory file: only reads it (it must exist), may
# create it, or does not open it.
DirectoryUse = Literal["read", "write", "none"]
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class Env:
    db: str
    settings: Any
    config_path: Path | None
    region: str | None


def resolve(args: argparse.Namespace, need_config: bool = False,
            directory: DirectoryUse = "read") -> Env:
    _refuse_empty(args)
    path = cfg.resolve_config_path(getattr(args, "config", None))
    if path is None and need_config:
        raise UsageError(f"`{args.command}` needs a config file, and none was found",
                         hint="pass --config PATH, set RESEAUSYNC_CONFIG, or create "
                              "./reseausync.toml (see config/reseausync.example.toml)")
    settings = cfg.load_settings(path) if path is not None else cfg.Settings()
    db = cfg.resolve_db_path(getattr(args, "db", None), settings)
    if directory != "none":
        check_db(db, directory, _db_origin(args, settings))
    if path is None:
        settings = as_remembered(settings, db, rebuilds=directory == "write")
    _check_region(getattr(args, "region", None))
    region = cfg.resolve_region(getattr(args, "region", None), settings)
    # Every stage reads the region from the settings: make them carry the one
    # resolved from --region, the environment or the locale.
    settings = settings.model_copy(update={"region": region})
    return Env(db=db, settings=settings, config_path=path, region=region)


def as_remembered(settings: Any, db: str, rebuilds: bool = True) -> Any:
    """Without a config file, the region, owner and match settings the directory
    was last built with (merge/state.remembered) rather than the defaults: a
    `link` typed by hand beside a cron job's configured syncs rebuilt the whole
    directory without them (phones lost E.164, the owner became a contact).
    --region and RESEAUSYNC_REGION still win, as over a config's `region`. A
    remembered nicknames file that is gone is an error for a command that rebuilds
    (it would re-match without it), and left out by one that only reads."""
    data = remembered(db) if Path(db).is_file() else None
    if not data:
        return settings
    try:
        me = cfg.MeSettings(emails=data.get("me") or [],
                            linkedin_url=data.get("me_linkedin_url") or "")
        match = cfg.MatchSettings(**data.get("match") or {})
    except (ValidationError, TypeError):
        return settings      # written by another version: the defaults, as before
    gone = bool(match.nicknames) and not Path(match.nicknames).is_file()
    if gone and rebuilds:
        raise UsageError(f"this directory was built with the nicknames file "
                         f"{match.nicknames}, which is not there any more",
                         hint="run the command with --config (the config naming the "
                              "nicknames file), or put the file back")
    if gone:             # a read command: the shipped table explains well enough
        match = match.model_copy(update={"nicknames": ""})
    return settings.model_copy(update={"region": data.get("region"), "me": me,
                                       "match": match})


def _refuse_empty(args: argparse.Namespace) -> None:
    """`--db ""` or `--config ""` is a variable that was not set, not "the default"."""
    for option in ("db", "config"):
        value = getattr(args, option, None)
        if value is not None and not value.strip():
            raise UsageError(f"--{option} is empty",
                             hint=f"give --{option} a path, or leave the option out")


def _check_region(cli_value: str | None) -> None:
    """--region and RESEAUSYNC_REGION pass the check the config's `region` passes:
    a typo ("Canada", "XYZ") would otherwise store every national number as bare
    digits that match nobody's E.164 number from another source. The config's own
    validator is used, so the two can never disagree."""
    for origin, value in (("--region", cli_value),
                          ("RESEAUSYNC_REGION", os.environ.get("RESEAUSYNC_REGION"))):
        if not value:
            continue
        try:
            cfg.Settings.model_validate({"region": value.strip()})
        except ValidationError as exc:
            problem = exc.errors()[0].get("ctx", {}).get("error", exc)
            raise UsageError(f"{origin}: {problem}",
                             hint="give a two-letter country code, e.g. --region CA") from None
        return          # the first one given wins (INTERFACE.md): the rest is not read


def _db_origin(args: argparse.Namespace, settings: Any) -> str:
    """Where the directory path came from, so the message points at what to fix."""
    if getattr(args, "db", None):
        return "--db"
    if os.environ.get("RESEAUSYNC_DB"):
        return "RESEAUSYNC_DB"
    if settings.directory.path:
        return f"[directory] path in {settings.config_path}"
    return "the default ./reseausync.db"


def check_db(db: str, use: DirectoryUse, origin: str) -> None:
    """Refuse a directory path the command cannot use (see the module docstring)."""
    if db == ":memory:":
        return
    path = Path(db)
    if path.is_dir():
        raise UsageError(f"{db}: is a folder, not a directory file (from {origin})",
                         hint="pass the directory's .db file with --db")
    if not path.exists():
        if use == "read":
            raise UsageError(f"no directory at {db} (from {origin})",
                             hint="import something first (`reseausync import PATH`), "
                                  "or pass the right --db or RESEAUSYNC_DB")
        if not path.parent.is_dir():
            raise UsageError(f"{db}: folder {path.parent} does not exist (from {origin})",
                             hint="create it, or pass another --db")
        return
    _check_header(path, db, origin)


def _check_header(path: Path, db: str, origin: str) -> None:
    """A file that is not an SQLite database was passed by mistake (16 bytes read)."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UsageError(f"{db}: cannot be read ({exc.strerror}) (from {origin})",
                         hint="check its permissions, or pass another --db") from None
    if head and head != SQLITE_HEADER:
        raise UsageError(f"{db}: not a reseausync directory (not an SQLite database; "
                         f"from {origin})", hint="pass the right file with --db")


def as_of(args: argparse.Namespace) -> date:
    from ..engagement import parse_as_of, today
    text = getattr(args, "as_of", None)
    return parse_as_of(text) if text else today()
