"""The config file `reseausync.toml`: read once, validated whole, every problem at once.

Why this shape:
- Unknown keys are errors everywhere (`extra="forbid"`), including connector
  options, which sit beside `name` and `connector` in a source and are validated
  by that connector's own `Options` model: a typo must not be silently ignored.
- `load_settings` reports *every* problem in one `ConfigError`, each line naming
  the key (`sources[1].connector: unknown connector 'vcrad' (known: ...)`), so a
  user fixes the file once instead of once per problem.
- Secrets never live in the file: a key such as `password` holding a value is
  refused with a message saying to write `password_env = "VAR"` instead.
- Relative paths in the file are relative to the file's folder, not to the
  directory the command happens to run from (a cron job's cwd is `/`).

Where the directory, the config and the phone region come from (INTERFACE.md) is
decided by the `resolve_*` helpers at the bottom, which the CLI calls.
"""

from __future__ import annotations

import locale
import logging
import os
import re
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .durations import duration_value
from .engagement.settings import EngagementSettings
from .errors import ConfigError, ReseausyncError
from .files import anchored
from .match.settings import MatchSettings
from .normalize import normalize_email, normalize_linkedin

SECRET_KEYS = frozenset({"password", "token", "secret", "api_key"})
DUPLICATE_NAME = "duplicate_source_name"
_FORBID = ConfigDict(extra="forbid")


class OptionsError(ValueError):
    """Carries a connector Options model's ValidationError out of a pydantic
    validator, so `load_settings` can name each offending option key."""

    def __init__(self, errors: list[tuple[tuple[Any, ...], str]]) -> None:
        super().__init__("; ".join(f"{_dotted(loc)}: {msg}" for loc, msg in errors))
        self.errors = errors


def validate_connector_options(connector: str, options: dict[str, Any]) -> BaseModel:
    """Validate `options` with the connector's Options model; unknown keys are errors
    even when a third-party Options model forgot `extra="forbid"`."""
    from .registry import registry

    cls = registry.get(connector)
    model = cls.Options
    known = set(model.model_fields)
    known |= {f.alias for f in model.model_fields.values() if f.alias}
    errors: list[tuple[tuple[Any, ...], str]] = []
    if model.model_config.get("extra") != "forbid":
        errors += [((key,), f"unknown key for connector {connector!r}")
                   for key in options if key not in known]
    try:
        validated = model.model_validate(options)
    except ValidationError as exc:
        errors += [(tuple(e["loc"]), _message(e, connector)) for e in exc.errors()]
        validated = None
    except Exception as exc:  # a plugin's validator raising a TypeError: not a traceback
        errors.append(((), f"connector {connector!r} could not check its options "
                           f"({type(exc).__name__}: {exc})"))
        validated = None
    if errors or validated is None:
        raise OptionsError(errors)
    return validated


def _message(error: Any, connector: str) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown key for connector {connector!r}"
    return str(error["msg"]).removeprefix("Value error, ")


def _check_connector(name: str) -> str:
    from .registry import registry

    try:
        registry.get(name)
    except ReseausyncError as exc:
        if name in registry.broken:
            raise ValueError(str(exc)) from None
        raise ValueError(f"unknown connector {name!r} "
                         f"(known: {', '.join(registry.names()) or 'none'})") from None
    return name


class DirectorySettings(BaseModel):
    model_config = _FORBID

    path: str = ""


def _owner_email(value: str) -> str:
    """An owner address that is none would silently never match: every message the
    owner sent would look received. Kept in the form the pipeline compares
    ("Marie <Marie@Example.com>" -> "marie@example.com")."""
    address = normalize_email(value)
    if not address:
        raise ValueError(f"{value!r} is not an email address")
    return address


class MeSettings(BaseModel):
    """The directory owner: tells sent from received, and is never a contact."""

    model_config = _FORBID

    emails: list[Annotated[str, AfterValidator(_owner_email)]] = []
    linkedin_url: str = ""

    @field_validator("linkedin_url")
    @classmethod
    def _profile(cls, value: str) -> str:
        if value.strip() and not normalize_linkedin(value):
            raise ValueError(f"{value!r} is not a LinkedIn profile URL such as "
                             "'https://www.linkedin.com/in/your-name'")
        return value


class _ConnectorSection(BaseModel):
    """A section naming a connector, whose other keys are that connector's options."""

    model_config = _FORBID

    connector: str
    path: str = ""
    url: str = ""
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _gather_options(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        own = set(cls.model_fields)
        kept = {k: v for k, v in data.items() if k in own and k != "options"}
        if not _is_table(data.get("options")):       # reported by `_options_table`
            return {**kept, "options": data["options"]}
        return {**kept, "options": section_options(data, own)}

    @field_validator("options", mode="before")
    @classmethod
    def _options_table(cls, value: Any) -> Any:
        """`options = 1` or `[[sources.options]]` crashed every command with a
        TypeError (QA round 4): a config error naming the key instead."""
        if not isinstance(value, dict):
            raise ValueError("must be a table: the connector's options (which may also "
                             "be written beside `connector`)")
        return value

    @field_validator("connector")
    @classmethod
    def _known_connector(cls, value: str) -> str:
        return _check_connector(value)

    @field_validator("options")
    @classmethod
    def _valid_options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        connector = info.data.get("connector")
        if connector is None:      # the connector itself is wrong: reported there
            return value
        place = {k: info.data.get(k, "") for k in ("path", "url")}
        validate_connector_options(connector, with_place(connector, value, **place))
        return value

    def target(self) -> str:
        """What the connector opens: the path when given, else the URL."""
        return self.path or self.url

    def effective_options(self) -> dict[str, Any]:
        """The options as the connector gets them: with `url` / `path` added when its
        Options model declares them (a CardDAV connector needs its URL as an option)."""
        return with_place(self.connector, self.options, path=self.path, url=self.url)

    def connector_options(self) -> BaseModel:
        return validate_connector_options(self.connector, self.effective_options())


def section_options(data: dict[str, Any], own: set[str]) -> dict[str, Any]:
    """The connector options of a section as written: its keys that are not the
    section's own (`name`, `path`, ...), over an explicit `options` table (one that
    is no table is left out: the model reports it)."""
    given = data.get("options")
    options = dict(given) if isinstance(given, dict) else {}
    options.update({k: v for k, v in data.items() if k not in own})
    return options


def _is_table(value: Any) -> bool:
    """Whether a section's `options` is absent or a table (the only shapes it takes)."""
    return value is None or isinstance(value, dict)


def with_place(connector: str, options: dict[str, Any], *, path: str = "",
               url: str = "") -> dict[str, Any]:
    from .registry import registry

    fields = registry.get(connector).Options.model_fields
    out = dict(options)
    for key, value in (("path", path), ("url", url)):
        if value and key in fields and key not in out:
            out[key] = value
    return out


class SourceSettings(_ConnectorSection):
    """One `[[sources]]` entry; runs on `schedule` (cron) or `every` (interval)."""

    name: str
    schedule: str = ""
    every: timedelta | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a source needs a name")
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        """Read as crontab reads it (reseausync.cron: 0 and 7 are Sunday), and refused
        when it names no date at all: `31 February` passed and idled for ever."""
        if value:
            from .cron import cron_trigger, never_fires

            if len(value.split()) != 5:
                raise ValueError(f"{value!r} is not a cron expression: write 5 fields "
                                 "(minute hour day month weekday), e.g. '0 */6 * * *'")
            try:
                cron_trigger(value, timezone="UTC")
            except ValueError as exc:
                raise ValueError(f"{value!r} is not a cron expression ({exc})") from None
            if never_fires(value):
                raise ValueError(f"{value!r} never fires: no month has that day "
                                 "(write a day the month has, e.g. '0 0 28 2 *')")
        return value

    @field_validator("every", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_value(value, "6h")

    @field_validator("every")
    @classmethod
    def _positive(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value.total_seconds() <= 0:
            raise ValueError("the interval must be longer than 0s")
        return value

    @model_validator(mode="after")
    def _one_place_one_trigger(self) -> SourceSettings:
        problem = source_shape_problem(self.model_dump())
        if problem:
            raise ValueError(problem)
        return self


def source_shape_problem(source: dict[str, Any]) -> str:
    """What is wrong with where a source is and when it runs ('' when nothing).

    Shared by the model and by `load_settings`, which also checks it on the raw file
    so that it is reported even when other keys of the same source are wrong."""
    if source.get("path") and source.get("url"):
        return "give either path or url, not both"
    if not source.get("path") and not source.get("url"):
        return "missing path: give the source's path (file, folder or zip) or its url"
    if source.get("schedule") and source.get("every") is not None:
        return "give either schedule (cron) or every (interval), not both"
    return ""


def duplicate_names(sources: list[Any]) -> list[tuple[int, str]]:
    """(index, message) of each source whose name an earlier source already has."""
    seen: set[str] = set()
    problems = []
    for index, source in enumerate(sources):
        name = source.get("name") if isinstance(source, dict) else getattr(source, "name", None)
        if not isinstance(name, str):
            continue
        if name in seen:
            problems.append((index, f"duplicate source name {name!r}: "
                                    "each source needs its own name"))
        seen.add(name)
    return problems


class PublishSettings(_ConnectorSection):
    """Where `reseausync publish` writes the clean directory."""

    @field_validator("connector")
    @classmethod
    def _can_publish(cls, value: str) -> str:
        """Checked here, not only by `publish`: `check` must not call valid a
        config whose publish can never work."""
        from .connector import can_publish
        from .registry import registry

        if not can_publish(registry.get(value)):
            able = [e.name for e in registry.entries() if can_publish(e.cls)]
            raise ValueError(f"connector {value!r} cannot publish "
                             f"(use one that can: {', '.join(able) or 'none installed'})")
        return value


class SyncSettings(BaseModel):
    model_config = _FORBID

    max_removal_share: float = Field(0.5, ge=0.0, le=1.0)
    lock_timeout: timedelta = timedelta(seconds=60)
    # the run history `sync` keeps: runs older than keep_runs_for go, but each
    # source keeps its keep_last_runs most recent (Store.prune_runs)
    keep_runs_for: timedelta = timedelta(days=90)
    keep_last_runs: int = Field(100, ge=1)

    @field_validator("lock_timeout", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_value(value, "60s")

    @field_validator("keep_runs_for", mode="before")
    @classmethod
    def _keep_for(cls, value: object) -> object:
        return duration_value(value, "90d")


class Settings(BaseModel):
    """The whole config; `Settings()` is a valid default (no file needed)."""

    model_config = _FORBID

    region: str | None = None
    directory: DirectorySettings = Field(default_factory=DirectorySettings)
    me: MeSettings = Field(default_factory=MeSettings)
    sources: list[SourceSettings] = []
    publish: PublishSettings | None = None
    engagement: EngagementSettings = Field(default_factory=EngagementSettings)
    match: MatchSettings = Field(default_factory=MatchSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)

    _config_path: Path | None = PrivateAttr(default=None)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError(f"{value!r} is not an ISO country code such as 'CA' or 'FR'")
        code = value.upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            # "UK" passed the shape, and every national number stayed bare digits
            better = {"UK": " (the United Kingdom is 'GB')", "EL": " (Greece is 'GR')"}
            raise ValueError(f"{value!r} is no country phonenumbers knows"
                             f"{better.get(code, '')}: an ISO 3166 code such as 'CA' or 'FR'")
        return code

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        """For settings built in Python; a file's duplicates are reported by
        `_raw_source_problems` at their key, so `_describe` drops this one (QA: the
        same duplicate was listed twice)."""
        problems = duplicate_names(self.sources)
        if problems:
            raise PydanticCustomError(DUPLICATE_NAME, problems[0][1])
        return self

    @property
    def config_path(self) -> Path | None:
        """The file these settings were read from, if any."""
        return self._config_path

    def source(self, name: str) -> SourceSettings:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise ReseausyncError(f"no source named {name!r} in the config (known: {known})")


# loading ---------------------------------------------------------------------


def load_settings(path: str | Path) -> Settings:
    """Read and validate `path`; raise ConfigError listing every problem found."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(["no such file"], str(path),
                          hint="pass --config, or set RESEAUSYNC_CONFIG") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read the file ({exc})"], str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], str(path)) from None

    secrets = find_secrets(raw)
    problems = [msg for _, msg in secrets]
    secret_locs = {loc for loc, _ in secrets}
    try:
        settings = Settings.model_validate(_without(raw, secret_locs))
    except ValidationError as exc:
        problems += _describe(exc)
        settings = None
    problems += _raw_source_problems(raw)
    problems += _layer_connector_problems(raw)
    problems += setup_problems(_without(raw, secret_locs), path.resolve().parent)
    problems += _nickname_problems(settings, path.resolve().parent)
    problems = list(dict.fromkeys(problems))      # the model may have said the same
    if problems or settings is None:
        raise ConfigError(problems, str(path), hint=_hint(problems))
    return _anchor(settings, path)


def _nickname_problems(settings: Settings | None, folder: Path) -> list[str]:
    """`[match] nicknames` read now, as every run will read it (QA: a missing file
    passed `check`, then each import stored its records and crashed before
    building any contact). Relative to the config file, like every path in it."""
    name = settings.match.nicknames if settings is not None else ""
    if not name:
        return []
    from .normalize.nicknames import Nicknames
    try:
        Nicknames.load(anchored(name, folder))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [f"match.nicknames: cannot read {anchored(name, folder)} ({exc})"]
    return []


def _hint(problems: list[str]) -> str:
    """The next step for these problems: how durations are written only when one
    of them is about a duration (QA: every config error talked of durations)."""
    about_time = any(word in p for p in problems
                     for word in ("duration", "every", "_after", "window", "timeout"))
    return ("fix these keys; durations are written 45s, 30m, 6h, 1d, 2w" if about_time
            else "fix these keys (config/reseausync.example.toml shows each one)")


def _raw_sources(raw: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, table) of each `[[sources]]` table as written, before the model."""
    sources = raw.get("sources")
    if not isinstance(sources, list):
        return []
    return [(i, s) for i, s in enumerate(sources) if isinstance(s, dict)]


def _raw_source_problems(raw: dict[str, Any]) -> list[str]:
    """Problems the model only sees once every field of a source is valid."""
    problems = [f"sources[{index}]: {problem}" for index, source in _raw_sources(raw)
                if (problem := source_shape_problem(source))]
    if isinstance(raw.get("sources"), list):
        problems += [f"sources[{index}].name: {p}"
                     for index, p in duplicate_names(raw["sources"])]
    return problems


def _layer_connector_problems(raw: dict[str, Any]) -> list[str]:
    """A layer rule's `connectors` naming no registered connector: a typo
    ("vcards") that would make the rule match nothing, silently (QA audit 5)."""
    engagement = raw.get("engagement")
    rules = engagement.get("layers") if isinstance(engagement, dict) else None
    problems = []
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        names = rule.get("connectors") if isinstance(rule, dict) else None
        for name in names if isinstance(names, list) else []:
            try:
                _check_connector(name) if isinstance(name, str) else None
            except ValueError as exc:
                problems.append(f"engagement.layers[{index}].connectors: {exc}")
    return problems


def setup_problems(raw: dict[str, Any], folder: Path) -> list[str]:
    """Options each source's options model accepts but its connector cannot start
    with: a `mapping` no mapping is named, a `mappings` file that is not there.

    Each source's connector is built as `sync` builds it (options anchored to the
    config's folder), so these are config errors naming the key, reported by
    `check` and every command with the file's other problems, instead of a sync
    that fails with exit 1 and no key. Only the connector knows what its options
    mean, so it is asked rather than told; a source whose connector or options the
    model already refused is left to that message."""
    return [f"{_dotted(('sources', index, *loc))}: {message}"
            for index, source in _raw_sources(raw)
            for loc, message in _source_setup_problems(source, folder)]


def _source_setup_problems(source: dict[str, Any],
                           folder: Path) -> list[tuple[tuple[Any, ...], str]]:
    """The problem building this source's connector meets first, at the option key
    it comes from: the one key without which that problem goes away or becomes
    another (at the source itself when no single key is to blame). A connector
    stops at its first problem, so a second one shows once the first is fixed."""
    from .registry import registry

    connector = source.get("connector")
    try:
        cls = registry.get(connector) if isinstance(connector, str) else None
    except ReseausyncError:
        cls = None
    if cls is None or not _is_table(source.get("options")):
        return []
    options = section_options(source, set(SourceSettings.model_fields))
    place = {key: value for key in ("path", "url") if isinstance(value := source.get(key), str)}
    if _options_refused(cls.name, with_place(cls.name, options, **place)):
        return []
    place = {key: anchored(value, folder) if key == "path" else value
             for key, value in place.items()}

    def failure(given: dict[str, Any]) -> str | None:
        return _build_failure(cls, lambda: with_place(
            cls.name, cls.anchor_options(given, folder), **place))

    problem = failure(options)
    if problem is None:
        return []
    culprits = [key for key in options
                if failure({k: v for k, v in options.items() if k != key}) != problem]
    return [((culprits[0],) if len(culprits) == 1 else (), problem)]


def _options_refused(connector: str, options: dict[str, Any]) -> bool:
    try:
        validate_connector_options(connector, options)
    except (OptionsError, ValueError, ReseausyncError):
        return True
    return False


def _build_failure(cls: Any, options: Callable[[], dict[str, Any]]) -> str | None:
    """Why the connector cannot be built with `options()` (None when it can). Only the
    errors that mean "these options are wrong" count: a connector's own bug is
    reported by `check` and `sync` for that source, not as the config's fault, and
    never stops every command with a traceback."""
    try:
        cls(validate_connector_options(cls.name, options()))
    except (ReseausyncError, ValueError, OSError) as exc:
        hint = getattr(exc, "hint", "")
        return f"{exc} ({hint})" if hint else str(exc)
    except Exception as exc:  # a plugin's bug: left to `check` and `sync`
        logging.getLogger(__name__).debug("connector %s: %r at config load", cls.name, exc)
    return None


def find_secrets(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every key named like a secret that holds a value, with a message saying how
    to give it instead."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = (*loc, key)
            if str(key).lower() in SECRET_KEYS and value not in ("", None):
                found.append((here, (
                    f"{_dotted(here)}: secrets must not be written in the config file; "
                    f"put it in an environment variable and write "
                    f'{key}_env = "VARIABLE_NAME" instead')))
            else:
                found += find_secrets(value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += find_secrets(value, (*loc, index))
    return found


def _without(data: Any, locs: set[tuple[Any, ...]], loc: tuple[Any, ...] = ()) -> Any:
    """`data` without the refused secret keys, so they are reported once, not twice."""
    if isinstance(data, dict):
        return {k: _without(v, locs, (*loc, k)) for k, v in data.items()
                if (*loc, k) not in locs}
    if isinstance(data, list):
        return [_without(v, locs, (*loc, i)) for i, v in enumerate(data)]
    return data


def _describe(exc: ValidationError) -> list[str]:
    problems: list[str] = []
    for error in exc.errors():
        if error["type"] == DUPLICATE_NAME:      # reported at its key from the raw file
            continue
        loc = tuple(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, OptionsError):
            # options sit beside `name` in the file: drop the "options" level
            base = loc[:-1] if loc and loc[-1] == "options" else loc
            problems += [f"{_dotted((*base, *sub))}: {msg}" for sub, msg in cause.errors]
            continue
        problems.append(f"{_dotted(loc) or '(top level)'}: {_plain(error)}")
    return problems


def _plain(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "missing key"
    msg = str(error["msg"])
    return msg.removeprefix("Value error, ")


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _anchor(settings: Settings, config: Path) -> Settings:
    """Make relative paths in the file relative to the file's folder."""
    from .registry import registry

    base = config.resolve().parent
    settings.directory.path = anchored(settings.directory.path, base)
    if settings.match.nicknames:
        settings.match.nicknames = anchored(settings.match.nicknames, base)
    sections = [*settings.sources, *([settings.publish] if settings.publish else [])]
    for section in sections:
        section.path = anchored(section.path, base)
        section.options = registry.get(section.connector).anchor_options(section.options, base)
    settings._config_path = config.resolve()
    return settings


# where things come from (INTERFACE.md) -------------------------------------------


def resolve_config_path(cli_value: str | None) -> Path | None:
    """--config, else RESEAUSYNC_CONFIG, else ./reseausync.toml when it exists."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("RESEAUSYNC_CONFIG")
    if env:
        return Path(env)
    local = Path("reseausync.toml")
    return local if local.is_file() else None


def resolve_db_path(cli_value: str | None, settings: Settings | None = None) -> str:
    """--db, else RESEAUSYNC_DB, else [directory] path (relative to the config
    file's folder), else ./reseausync.db."""
    if cli_value:
        return cli_value
    env = os.environ.get("RESEAUSYNC_DB")
    if env:
        return env
    if settings is not None and settings.directory.path:
        path = Path(settings.directory.path).expanduser()
        if not path.is_absolute() and settings.config_path is not None:
            path = settings.config_path.parent / path
        return str(path)
    return "reseausync.db"


def resolve_region(cli_value: str | None, settings: Settings | None = None) -> str | None:
    """--region, else RESEAUSYNC_REGION, else the config's region, else the system
    locale's country, else None (national numbers are then kept as digits)."""
    for value in (cli_value, os.environ.get("RESEAUSYNC_REGION"),
                  settings.region if settings is not None else None):
        if value:
            return value.strip().upper()
    return locale_country()


def locale_country() -> str | None:
    """The country of the system locale (`fr_CA.UTF-8` -> `CA`), or None for C/POSIX.

    The locale's own name is read (the first of LC_ALL, LC_CTYPE, LANG that is set,
    as the C library picks it), never `locale.getlocale()`: that maps names through
    an alias table, and C.UTF-8, the default of containers and CI machines, comes
    back as en_US, which would place every national number in the United States."""
    name = next((os.environ[v] for v in ("LC_ALL", "LC_CTYPE", "LANG") if os.environ.get(v)),
                "")
    if not name:
        try:
            name = locale.setlocale(locale.LC_CTYPE) or ""    # a query: changes nothing
        except locale.Error:
            name = ""
    match = re.match(r"^[a-zA-Z]{2,3}_([A-Za-z]{2})\b", name)
    return match.group(1).upper() if match else None
