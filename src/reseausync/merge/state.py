"""Reading the directory's match state: live records, overrides, previous ids, settings.

The settings a resolve ran with are remembered in `meta`, so that a command run
without a config (`link` and `split` as the tour types them, an `import` beside
a cron job's configured syncs) re-resolves with the same region, owner and
thresholds: it must not reformat every phone number or list the owner.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from ..match.settings import MatchSettings
from ..sqlbatch import chunks, marks
from ..store import Store
from .survivorship import content_date

SETTINGS_KEY = "match.settings"
MODEL_KEY = "match.model"


def remembered(db: str) -> dict[str, Any] | None:
    """The settings the directory at `db` was last resolved with, read without
    opening it as a Store (no migration, no lock: the command has not begun).
    None when there are none or the file cannot tell."""
    try:
        uri = Path(db).absolute().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as con:
            row = con.execute("SELECT value FROM meta WHERE key=?",
                              (SETTINGS_KEY,)).fetchone()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def record_rows(store: Store, rids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """The given records' rows (id, source, connector, external id, locator, data,
    photo, collected_at, first_seen, first_run, changed_at, changed_run), data still
    JSON text: a regroup hands them to whichever process builds their contact, which
    decodes them a batch at a time. A record whose content never changed since it
    was first read (changed_at NULL) changed when it was first read."""
    out: dict[int, tuple[Any, ...]] = {}
    cursor = store.db.cursor()
    cursor.row_factory = None          # plain tuples: cheaper than sqlite3.Row, picklable
    for batch in chunks(rids):
        for r in cursor.execute(
                "SELECT id, source, connector, external_id, locator, data, photo, "
                "collected_at, first_seen, first_run, COALESCE(changed_at, first_seen), "
                "COALESCE(changed_run, first_run) FROM records WHERE id IN "
                f"({marks(batch)})", batch):
            out[r[0]] = r
    cursor.close()
    return out


def record_dates(store: Store, rids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """The given records' content dates (survivorship.content_date): how the
    clustering tells which of two employers a person left (merge/regroup.py)."""
    out: dict[int, tuple[str, int]] = {}
    for batch in chunks(list(rids)):
        for rid, *dates in store.db.execute(
                "SELECT id, collected_at, first_seen, first_run, changed_at, changed_run "
                f"FROM records WHERE id IN ({marks(batch)})", batch):
            out[rid] = content_date(*dates)
    return out


def overrides(store: Store) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The user's decisions as pairs of live records, (a, b) with a < b: a link
    joins its two sides' representatives (each side's live record with the smallest
    (source, external id)), a split keeps every live record of one side apart from
    every live record of the other (merge/overrides.py says why). A decision with a
    side that has no live record left does nothing until one comes back."""
    sides: dict[int, tuple[str, list[list[tuple[str, str, int]]]]] = {}
    for oid, kind, side, source, external_id, rid in store.db.execute(
            "SELECT o.id, o.kind, m.side, r.source, r.external_id, r.id FROM overrides o "
            "JOIN override_records m ON m.override_id = o.id "
            "JOIN records r ON r.id = m.record_id WHERE r.removed_at IS NULL"):
        sides.setdefault(oid, (kind, [[], []]))[1][side].append((source, external_id, rid))
    links, splits = [], []
    for oid in sorted(sides):
        kind, (a, b) = sides[oid]
        if not (a and b):
            continue
        if kind == "link":
            x, y = min(a)[2], min(b)[2]
            links.append((min(x, y), max(x, y)))
        else:
            splits.extend((min(x[2], y[2]), max(x[2], y[2])) for x in a for y in b)
    return links, splits


def decision_records(store: Store, kind: str | None = None) -> list[set[int]]:
    """Every record each of the user's decisions (of `kind`) named, live or not, one
    set per decision: a resolve regroups them together (a link's representative
    may be any of them)."""
    out: dict[int, set[int]] = {}
    sql = ("SELECT m.override_id, m.record_id FROM override_records m "
           "JOIN overrides o ON o.id = m.override_id")
    for oid, rid in store.db.execute(sql + (" WHERE o.kind=?" if kind else ""),
                                     (kind,) if kind else ()):
        out.setdefault(oid, set()).add(rid)
    return list(out.values())


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
            url = getattr(getattr(settings, "me", None), "linkedin_url", "") or ""
            store.set_meta(SETTINGS_KEY, json.dumps(
                {"match": match.model_dump(), "region": region, "me": list(me),
                 "me_linkedin_url": url}))
        return match, region, list(me)
    stored = store.get_meta(SETTINGS_KEY)
    if stored:
        data = json.loads(stored)
        return MatchSettings(**data["match"]), data["region"], data["me"]
    return MatchSettings(), None, []
