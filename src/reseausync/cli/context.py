"""Where the directory, the config and the phone region come from for one command.

INTERFACE.md fixes the order: the command line, then the environment, then the
config file, then a default. The config is only required by commands that need
sources (`sync`, `schedule`, `publish`, `check`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .. import config as cfg


@dataclass
class Env:
    db: str
    settings: Any
    config_path: Path | None
    region: str | None


def resolve(args: argparse.Namespace, need_config: bool = False) -> Env:
    path = cfg.resolve_config_path(getattr(args, "config", None))
    if path is None and need_config:
        from ..errors import UsageError
        raise UsageError(f"`{args.command}` needs a config file, and none was found",
                         hint="pass --config PATH, set RESEAUSYNC_CONFIG, or create "
                              "./reseausync.toml (see config/reseausync.example.toml)")
    settings = cfg.load_settings(path) if path is not None else cfg.Settings()
    db = cfg.resolve_db_path(getattr(args, "db", None), settings)
    region = cfg.resolve_region(getattr(args, "region", None), settings)
    # Every stage reads the region from the settings: make them carry the one
    # resolved from --region, the environment or the locale.
    settings = settings.model_copy(update={"region": region})
    return Env(db=db, settings=settings, config_path=path, region=region)


def as_of(args: argparse.Namespace) -> date:
    text = getattr(args, "as_of", None)
    if not text:
        return date.today()
    from ..engagement import parse_as_of
    return parse_as_of(text)
