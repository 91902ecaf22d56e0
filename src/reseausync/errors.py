"""Errors named by what the caller must do.

    ReseausyncError            anything this package raises on purpose; has a hint
    ├── UsageError             the command line is wrong (exit 2)
    ├── ConfigError            the config file is wrong; lists every problem (exit 2)
    ├── RegistryError          a connector plugin is broken or clashes with another
    ├── SourceError            one source cannot be read at all (path gone, 401);
    │   └── RetriableError     ... but may work later (timeout, 5xx): retry with backoff
    ├── UnitError              one unit (file, zip member, href) is unreadable: a reject
    ItemError (a ValueError)   one item (card, row, event, message) is unreadable:
                               the connector turns it into a reject and reads on
    ├── MassRemovalError       a sync would tombstone too much; needs --allow-mass-removal
    └── LockError              another writer holds the directory (exit 1)

Library code raises these; only the CLI boundary turns them into a message and an
exit code, so the API stays usable from Python.
"""

from __future__ import annotations

from .report.visible import visible


class ReseausyncError(Exception):
    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def shown(self) -> str:
        """The message for a terminal: one line, a file name's controls and line
        breaks as escapes (a name may hold anything but `/` and NUL)."""
        return visible(self.message)

    def __str__(self) -> str:
        return self.message


class UsageError(ReseausyncError):
    exit_code = 2


class ConfigError(ReseausyncError):
    exit_code = 2

    def __init__(self, problems: list[str], path: str = "", hint: str = "") -> None:
        where = f"{path}: " if path else ""
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{where}invalid configuration:\n{lines}", hint)
        self.problems = problems
        self.path = path

    def shown(self) -> str:
        """One line per problem, each made visible on its own."""
        where = f"{visible(self.path)}: " if self.path else ""
        return "\n".join([f"{where}invalid configuration:",
                          *(f"  - {visible(p)}" for p in self.problems)])


class RegistryError(ReseausyncError):
    exit_code = 2


class SourceError(ReseausyncError):
    """The whole source is unreadable this time; the run fails, nothing is tombstoned."""


class RetriableError(SourceError):
    pass


UNREADABLE = "unreadable"
"""The reject reason of a unit whose reading failed (a damaged zip member, a disk
error): what it holds past the failure is unknown, so its records not seen are
kept and the unit is read again next run (pipeline._read_units)."""


class UnitError(ReseausyncError):
    """One unit cannot be read; it becomes a reject and the other units go on.
    `line`, when the failure has one, goes into the reject's locator (file:line),
    as every reject of a line-based file names its line."""

    def __init__(self, reason: str, message: str, excerpt: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.excerpt = excerpt
        self.line = line


class ItemError(ValueError):
    """One item of a unit cannot be read; connectors subclass it per format and turn
    it into a reject with `reason` (a stable code) and `message` (for people).
    A ValueError, because that is what bad input is to the parsing code around it."""

    def __init__(self, reason: str, message: str, excerpt: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.excerpt = excerpt


class MassRemovalError(ReseausyncError):
    pass


class LockError(ReseausyncError):
    pass


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd stop, `timeout` in a cron line) asked a command to stop: it
    unwinds as Ctrl-C does (the run's transaction is rolled back and the run closed
    as failed), with its own words in `runs`."""

    run_message = "interrupted (SIGTERM): nothing of this run was kept"
