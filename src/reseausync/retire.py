"""Taking a source out of the directory: `reseausync sync --source NAME` for a
source the config no longer names (or that only ever came from `import`).

Why a sync rather than a command of its own: a source taken out of the config is a
source that now lists nothing, and a sync of a source that lists nothing
tombstones what it held. So the removal is one run that `runs` shows, has a dry
run, goes through the mass-removal guard (removing all of a source always needs
`--allow-mass-removal`), and is undone by putting the source back: its files have
no fingerprints left, so they are read again and the records revive with their ids.
"""

from __future__ import annotations

from collections.abc import Iterator

from .connector import Connector, ReadContext, Unit
from .store import Store


class Retired(Connector):
    """Lists nothing: every unit the source held is missing from this run."""

    name = "retired"
    reads_owner = False

    @classmethod
    def can_open(cls, target: str) -> bool:
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        return iter(())


def retired_connector(source: str) -> Retired:
    return Retired(context=ReadContext(source=source))


def held(store: Store, source: str) -> tuple[int, int]:
    """(live records, live interactions) of `source`: nothing held, nothing to remove
    (and a mistyped name stays a usage error)."""
    counts = [store.db.execute(
        f"SELECT COUNT(*) FROM {table} WHERE source=? AND removed_at IS NULL",
        (source,)).fetchone()[0] for table in ("records", "interactions")]
    return counts[0], counts[1]


def removal_hint(source: str) -> str:
    return (f"source {source!r} is not in the config: `reseausync sync --source {source} "
            "--allow-mass-removal` removes its records and interactions from the directory")
