"""Connector discovery through the `reseausync.connectors` entry-point group.

The built-in connectors register through the same door as a third party's: the
core never imports a connector by name. Entry points are loaded lazily, once per
process. A plugin that fails to import does not take the CLI down: it is listed
as broken (with the error) and cannot be used, while the others can.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from .connector import Connector
from .errors import RegistryError, UsageError
from .itemcheck import is_builtin

GROUP = "reseausync.connectors"
SHIPPED = "reseausync"     # the distribution of the built-in connectors


@dataclass(frozen=True)
class Registered:
    name: str
    cls: type[Connector]
    distribution: str


class Registry:
    def __init__(self) -> None:
        self._loaded: dict[str, Registered] | None = None
        self._extra: dict[str, Registered] = {}
        self._broken: dict[str, str] = {}

    @property
    def broken(self) -> dict[str, str]:
        """Entry points that cannot be used, with the reason (loaded first)."""
        self._all()
        return self._broken

    def register(self, cls: type[Connector], distribution: str = "<runtime>") -> None:
        """Add a connector from Python code (tests, embedding applications)."""
        _validate(cls, cls.name, distribution)
        existing = self._all().get(cls.name)
        if existing is not None and existing.cls is not cls:
            raise RegistryError(
                f"connector {cls.name!r} is provided by both {existing.distribution} "
                f"and {distribution}", hint="uninstall one of the two distributions")
        self._extra[cls.name] = Registered(cls.name, cls, distribution)

    def unregister(self, name: str) -> None:
        self._extra.pop(name, None)

    def reload(self) -> None:
        """Forget loaded entry points; the next lookup scans the environment again."""
        self._loaded = None
        self._broken = {}

    def names(self) -> list[str]:
        return sorted(self._all())

    def entries(self) -> list[Registered]:
        return [self._all()[n] for n in self.names()]

    def get(self, name: str) -> type[Connector]:
        found = self._all().get(name)
        if found is not None:
            return found.cls
        if name in self._broken:
            raise RegistryError(f"connector {name!r} failed to load: {self._broken[name]}")
        raise UsageError(f"unknown connector {name!r}",
                         hint=f"known connectors: {', '.join(self.names())}")

    def detect(self, target: str) -> type[Connector]:
        """The connector that reads `target` when the user names none (`rank`)."""
        able = [r.cls for r in self.entries() if _safe_can_open(r.cls, target)]
        if not able:
            raise UsageError(
                f"{target}: no connector recognises this file or folder",
                hint=f"name one with --connector ({', '.join(self.names())})")
        return max(able, key=rank)

    def whole_reader(self, folder: str) -> type[Connector] | None:
        """The connector that reads `folder` as one export (`whole_folder`), if any."""
        able = [r.cls for r in self.entries()
                if r.cls.whole_folder and _safe_can_open(r.cls, folder)]
        return max(able, key=rank) if able else None

    def claimant(self, target: str, holder: type[Connector]) -> type[Connector] | None:
        """The connector that reads the file `target` instead of `holder`, whose
        folder lists it: one naming `holder` in its `claims_from` and recognising
        the file. None when `holder` keeps it."""
        able = [r.cls for r in self.entries()
                if holder.name in r.cls.claims_from and _safe_can_open(r.cls, target)]
        return max(able, key=rank) if able else None

    def _all(self) -> dict[str, Registered]:
        if self._loaded is None:
            self._loaded = self._load_entry_points()
        return {**self._loaded, **self._extra}

    def _load_entry_points(self) -> dict[str, Registered]:
        """Every entry point that loads and validates; the others are listed in
        `broken` with the reason and fail only when used (QA round 4: one misnamed
        plugin stopped every command, the built-in sources' syncs included)."""
        offers: dict[str, list[Registered]] = {}
        for ep in entry_points(group=GROUP):
            dist = _distribution(ep)
            try:
                cls = ep.load()
                _validate(cls, ep.name, dist)
            except RegistryError as exc:
                self._broken[ep.name] = f"{exc} ({exc.hint})" if exc.hint else str(exc)
                continue
            except Exception as exc:  # a broken plugin must not break the others
                self._broken[ep.name] = f"{type(exc).__name__}: {exc}"
                continue
            same = offers.setdefault(ep.name, [])
            if all(r.cls is not cls for r in same):
                same.append(Registered(ep.name, cls, dist))
        return {name: chosen for name, offered in offers.items()
                if (chosen := self._one_of(name, offered)) is not None}

    def _one_of(self, name: str, offered: list[Registered]) -> Registered | None:
        """The connector a name stands for when distributions offer several: the
        shipped one over a plugin (which is listed as broken: it cannot replace a
        built-in); between plugins none, since neither can be preferred."""
        if len(offered) == 1:
            return offered[0]
        shipped = [r for r in offered if r.distribution.split(" ")[0] == SHIPPED]
        others = " and ".join(r.distribution for r in offered if r not in shipped)
        if len(shipped) == 1:
            self._broken[name] = (f"connector {name!r} of {others} has the name of a "
                                 f"built-in connector: the built-in one is used (rename "
                                 f"the plugin's connector, or uninstall {others})")
            return shipped[0]
        self._broken[name] = (f"connector {name!r} is provided by both {others}: neither "
                             "is used (uninstall one of the two distributions)")
        return None


def rank(cls: type[Connector]) -> tuple[bool, int]:
    """Which of the connectors recognising one target reads it: a third-party one
    before the built-ins, then the highest `priority`.

    A plugin is installed for its own files, and recognises them by its own test;
    a built-in's guess may be generic (`cards` takes any JSON with `name` and
    `emails` keys, at priority 8), and a plugin written from the README, at the
    default priority 0, lost its own files to it without a word (QA round 4).
    `--connector` still chooses any connector for one import."""
    return (not is_builtin(cls), cls.priority)


def _distribution(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return f"{dist.name} {dist.version}" if dist is not None else "<unknown>"


def _validate(cls: object, name: str, dist: str) -> None:
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        raise RegistryError(f"entry point {name!r} of {dist} is not a Connector subclass")
    if cls.name != name:
        raise RegistryError(
            f"entry point {name!r} of {dist} loads a connector named {cls.name!r}",
            hint="the entry-point name and the connector's `name` must be the same")


def _safe_can_open(cls: type[Connector], target: str) -> bool:
    try:
        return bool(cls.can_open(target))
    except Exception:
        return False


registry = Registry()
