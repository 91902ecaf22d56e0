"""What `import` checks on its command line before it starts a run.

A wrong option or path on the command line is wrong usage (exit 2, INTERFACE.md),
not a failed run (1): a cron wrapper must be able to tell "fix your command"
from "try again later", and a usage mistake should leave no failed run in
`runs`. So the options that only `import` gives a connector are checked here,
with the connector each path will be read by, before the directory is touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import zipfile
from pathlib import Path
from typing import Any

from .. import api
from ..connector import Connector
from ..errors import SourceError, UsageError
from ..registry import registry

logger = logging.getLogger(__name__)

CONFIG_HINT = ("add it as a [[sources]] entry of the config (see "
               "config/reseausync.example.toml) and run `reseausync sync --source NAME`")


def unique_paths(paths: list[str]) -> list[str]:
    """Each path once, as first written: overlapping shell globs (`*.vcf phone.vcf`)
    name a file twice, and reading it twice in one run makes every card of the
    second reading a duplicate-id reject. Paths are compared resolved, so
    `a.vcf` and `./a.vcf` are one file; URLs as written."""
    seen: set[str] = set()
    out = []
    for path in paths:
        key = path if "://" in path else os.path.realpath(path)
        if key in seen:
            logger.info("%s is given more than once; it is read once", path)
            continue
        seen.add(key)
        out.append(path)
    return out


def connector_for(path: str, named: str | None) -> type[Connector]:
    """The connector that will read `path`: the one named, else the detected one.

    A path that does not exist is a typo, whatever connector is named. When no
    connector recognises a path, the reason is looked for only then (so it costs
    nothing on paths that are recognised): an empty folder, or a damaged zip,
    which no connector can list and which would otherwise be reported as a file
    of an unknown kind."""
    if "://" not in path and not os.path.lexists(path):
        raise UsageError(f"{path}: no such file or folder",
                         hint="check the path; nothing was imported")
    if named:
        return registry.get(named)
    try:
        return registry.detect(path)
    except UsageError:
        _explain_unrecognised(Path(path))
        raise


def _explain_unrecognised(path: Path) -> None:
    if path.is_dir() and not any(path.iterdir()):
        raise UsageError(f"{path}: the folder is empty", hint="check the path")
    if path.is_file() and _looks_like_zip(path):
        try:
            with zipfile.ZipFile(path):
                pass
        except (zipfile.BadZipFile, OSError) as exc:
            raise UsageError(f"{path}: not a valid zip ({exc})",
                             hint="the file may be damaged or cut short: download or "
                                  "export it again") from None


def _looks_like_zip(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def check(args: argparse.Namespace, options: dict[str, Any] | None, settings: Any,
          region: str | None) -> None:
    """Refuse, as usage errors, what would otherwise fail inside the run."""
    checked: set[str] = set()
    for path in args.paths:
        cls = connector_for(path, args.connector)
        if cls.name in checked:           # a glob of 1,000 files builds no 1,000 connectors
            continue
        checked.add(cls.name)
        _check_required_options(path, cls, options)
        if args.mapping:
            _check_mapping(path, cls, args, options, settings, region)


def _check_required_options(path: str, cls: type[Connector],
                            options: dict[str, Any] | None) -> None:
    """A connector that needs options the command line cannot give (CardDAV's url,
    username and password_env) can only be a configured source."""
    missing = [name for name, field in cls.Options.model_fields.items()
               if field.is_required() and name not in (options or {})]
    if missing:
        raise UsageError(f"{path}: the {cls.name} connector runs only as a source of the "
                         f"config (it needs the option {', '.join(missing)}, which `import` "
                         f"does not take)", hint=CONFIG_HINT)


def _check_mapping(path: str, cls: type[Connector], args: argparse.Namespace,
                   options: dict[str, Any] | None, settings: Any,
                   region: str | None) -> None:
    """--mapping is the csv connector's option; an unknown name or an unreadable
    mapping file is a mistake on the command line."""
    if "mapping" not in cls.Options.model_fields:
        raise UsageError(f"--mapping applies to the csv connector only; {path} is read "
                         f"by the {cls.name} connector",
                         hint="leave --mapping out, or add --connector csv")
    try:
        api.make_connector(cls.name, path, source=args.source, options=options,
                           settings=settings, region=region)
    except SourceError as exc:
        raise UsageError(exc.message, hint=exc.hint or "name a shipped mapping (google, "
                         "google_legacy, outlook, outlook_fr, outlook_de) or the path of "
                         "a .toml file") from None
