"""Reading the directory's match state: live records, overrides, previous ids, settings.

The settings a resolve ran with are remembered in `meta`, so that `link` and
`split` (which the CLI calls without a config) re-resolve with the same region
and thresholds and do not reformat every phone number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..match.persist import chunks, marks
from ..match.settings import MatchSettings
from ..store import Store

SETTINGS_KEY = "match.settings"
MODEL_KEY = "match.model"


def record_rows(store: Store, rids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """The given records' rows (id, source, connector, external id, locator, data,
    photo, collected_at), data still JSON text: a regroup hands them to whichever
    process builds their contact, which decodes them a batch at a time."""
    out: dict[int, tuple[Any, ...]] = {}
    cursor = store.db.cursor()
    cursor.row_factory = None          # plain tuples: cheaper than sqlite3.Row, picklable
    for batch in chunks(rids):
        for r in cursor.execute(
                "SELECT id, source, connector, external_id, locator, data, photo, "
                f"collected_at FROM records WHERE id IN ({marks(batch)})", batch):
            out[r[0]] = r
    cursor.close()
    return out


def overrides(store: Store) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    links, splits = [], []
    for kind, a, b in store.db.execute("SELECT kind, a, b FROM overrides ORDER BY id"):
        (links if kind == "link" else splits).append((min(a, b), max(a, b)))
    return links, splits


def resolve_settings(store: Store, settings: Any, *, remember: bool = True
                     ) -> tuple[MatchSettings, str | None, list[str]]:
    """(match settings, region, the owner's emails) from `settings`, else as last used.
    Given settings are remembered for the commands that run without them (link,
    split), unless `remember` is False (a check that only compares)."""
    if settings is not None:
        match = getattr(settings, "match", None) or MatchSettings()
        region = getattr(settings, "region", None) or None
        me = getattr(getattr(settings, "me", None), "emails", None) or []
        if remember:
            store.set_meta(SETTINGS_KEY, json.dumps(
                {"match": match.model_dump(), "region": region, "me": list(me)}))
        return match, region, list(me)
    stored = store.get_meta(SETTINGS_KEY)
    if stored:
        data = json.loads(stored)
        return MatchSettings(**data["match"]), data["region"], data["me"]
    return MatchSettings(), None, []
