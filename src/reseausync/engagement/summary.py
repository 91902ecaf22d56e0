"""Each contact's engagement summary, kept between reads (migration 025).

A contact's status and tie strength as of a date come from `status.summarize` of
its interactions before that date. Once the date is past its latest interaction
(`through`), that is the summary of all of them, whatever the date: the stored
one. So a read keeps the stored summaries of the contacts whose interactions all
came before its date and computes the others as before (a report for last year
recomputes the contacts with newer interactions): the result is the one the
interactions give, for any `--as-of`.

A stored summary is right as long as neither its contact's links nor those
interactions changed. Triggers on `interaction_links` and `interactions` list
every contact a change can reach in `engagement_stale` (whoever writes: a run, a
link or split, a relink, a removal); a read computes those itself, and the next
build (`refresh`, after the links) stores them again. A bulk linking (the first
of a directory, or one that rewrites many links) would pay a trigger per link
row: it drops the link triggers and forgets every summary instead
(`bulk_links`), and the build's refresh computes them all once.

The summaries are valid for one reply window and this code: `KEY` in meta names
both (a digest of the modules that classify and summarize), so another
`reply_window` or another release computes them all again rather than trust them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..store import Store

KEY = "engagement_summary"
BULK = 20_000
"""Link rows written at once above which the link triggers are dropped (bulk_links)."""
_NEVER = "\U0010ffff"      # after every stored instant: no cutoff
_CHUNK = 500

Stored = tuple[str, str | None, str | None, int, int, int, str | None]
"""(through, last_engagement, last_attempt, engagements, attempts, engaged_days,
written) as the table holds them."""


def _code_digest() -> str:
    """The modules whose change changes a summary: a release that classifies or
    reads interactions otherwise computes every summary again."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("evidence.py", "status.py", "summary.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:       # no source beside the module: trust nothing stored
            return "unknown"
    return digest.hexdigest()[:16]


_DIGEST = _code_digest()


def key_of(reply_window: timedelta) -> str:
    """What stored summaries are valid for: this code and this reply window."""
    return f"{_DIGEST}:{reply_window.total_seconds()!r}"


def usable(store: Store, reply_window: timedelta) -> bool:
    """Whether the stored summaries hold for `reply_window` (a directory before
    migration 025, or before its first refresh, has none)."""
    return store.get_meta(KEY) == key_of(reply_window)


def load(store: Store, ids: list[str] | None) -> tuple[dict[str, Stored], set[str]]:
    """The stored summaries of `ids` (None: all) and the stale contacts among them.
    The caller reads them in the same transaction as the interactions."""
    stored: dict[str, Stored] = {}
    stale: set[str] = set()
    cursor = store.db.cursor()
    cursor.row_factory = None
    for part in _parts(ids):
        scope, params = _scope(part)
        for row in cursor.execute("SELECT contact_id, through, last_engagement, "
                                  "last_attempt, engagements, attempts, engaged_days, "
                                  f"written FROM engagement_summaries {scope}", params):
            stored[row[0]] = row[1:]
        stale.update(r[0] for r in cursor.execute(
            f"SELECT contact_id FROM engagement_stale {scope}", params))
    return stored, stale


def _parts(ids: list[str] | None) -> Iterator[list[str] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _scope(part: list[str] | None) -> tuple[str, tuple[str, ...]]:
    if part is None:
        return "", ()
    return f"WHERE contact_id IN ({','.join('?' * len(part))})", tuple(part)


def as_summary(row: Stored) -> Any:
    """The status.Summary a stored row holds."""
    from .status import Summary
    _, engaged, attempted, engagements, attempts, days, written = row
    return Summary(last_engagement=_instant(engaged), last_attempt=_instant(attempted),
                   count=engagements + attempts, engagements=engagements,
                   attempts=attempts, engaged_days=days, written=written)


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def refresh(store: Store, settings: Any = None) -> int:
    """Store the summaries of the stale contacts (every contact's when none are
    valid for these settings); returns how many contacts were computed. Called by
    the writers after linking, inside their transaction."""
    from .context import context
    from .status import _SCAN_ABOVE, summaries_of
    window = context(settings).engagement.reply_window
    key = key_of(window)
    with store.transaction() as db:
        if store.get_meta(KEY) != key:
            db.execute("DELETE FROM engagement_summaries")
            db.execute("DELETE FROM engagement_stale")
            ids: list[str] | None = None
        else:
            ids = [r[0] for r in db.execute("SELECT contact_id FROM engagement_stale")]
            if not ids:
                return 0
            db.execute("DELETE FROM engagement_stale")
            db.executemany("DELETE FROM engagement_summaries WHERE contact_id=?",
                           [(cid,) for cid in ids])
        scope = None if ids is None or len(ids) > _SCAN_ABOVE else ids
        keep = None if ids is None else set(ids)
        rows = [(cid, through, _iso(s.last_engagement), _iso(s.last_attempt),
                 s.engagements, s.attempts, s.engaged_days, s.written)
                for cid, s, through in summaries_of(store, scope, _NEVER, keep, window)]
        db.executemany("INSERT INTO engagement_summaries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       rows)
        store.set_meta(KEY, key)
    return len(rows) if ids is None else len(ids)


_LINK_TRIGGERS = ("engagement_stale_link_replaced", "engagement_stale_link_added",
                  "engagement_stale_link_dropped", "engagement_stale_link_changed")


@contextmanager
def bulk_links(db: sqlite3.Connection, rows: int) -> Iterator[None]:
    """Around a write of `rows` link rows: when they are many, drop the link
    triggers and forget every summary (the next refresh computes them all), then
    create the triggers again from their stored definitions, inside the caller's
    transaction (a failure restores them). A trigger per row costs as much as
    the insert itself; computing every summary again costs less than that
    for a write of the order of the table."""
    if rows < BULK:
        yield
        return
    found = db.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND "
                       f"name IN ({','.join('?' * len(_LINK_TRIGGERS))})",
                       _LINK_TRIGGERS).fetchall()
    for name, _ in found:
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DELETE FROM meta WHERE key=?", (KEY,))
    yield
    for _, sql in found:
        db.execute(sql)
