"""Each contact's status, tie strength and layer, computed as of a date.

Nothing here is stored: the same directory read `--as-of` two different dates
gives two different answers, and the same date always the same answer, because
only interactions that occurred on or before the date (UTC) and records collected
on or before it are read; and only interactions that have happened
(`evidence_cutoff`), so a date's answer is final once the date is past. Statuses:

    never_engaged  no engaging interaction on or before the date
    cold           last engagement more than `cold_after` days before the date
    cooling        last engagement more than `cooling_after` days before the date
    engaged        otherwise

("more than": a last engagement exactly `cooling_after` days old is still engaged.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any

from ..gcpause import gc_paused
from ..store import Store
from . import summary
from .context import Context, context
from .evidence import ATTEMPT, ENGAGEMENT, Event, classify, lost_thread, parse_instant
from .layers import Compiled, LayerFacts, compile_rules, decide_layer
from .settings import EngagementSettings
from .tie import Tie, tie_strength
from .webmail import Webmail

STATUSES = ("never_engaged", "cold", "cooling", "engaged")
_SCAN_ABOVE = 2000     # more contacts than this: scan everything instead of IN (...)
_CHUNK = 500

_EVENTS_SQL = """
SELECT l.contact_id, i.id, i.kind, i.occurred_at, i.direction, i.thread,
       CASE WHEN i.extra IN ('{{}}', '') THEN NULL
            WHEN json_valid(i.extra) THEN json_extract(i.extra, '$.automated') END,
       CASE WHEN i.direction <> 'in' OR l.participant = 0 THEN 1
            ELSE l.participant = (SELECT COUNT(*) FROM interaction_links o
                                  WHERE o.interaction_id = i.id AND o.method = 'owner'
                                    AND o.participant < l.participant) END,
       CASE WHEN i.thread = i.external_id AND i.subject <> '' THEN i.subject END,
       i.direction = 'in' AND EXISTS (SELECT 1 FROM interaction_links p
                                      WHERE p.interaction_id = i.id AND p.participant = 0
                                        AND p.method = 'owner' AND p.contact_id IS NOT NULL),
       i.external_id
FROM interaction_links l JOIN interactions i ON i.id = l.interaction_id
WHERE +l.contact_id IS NOT NULL AND l.method <> 'owner' AND i.removed_at IS NULL
  AND i.occurred_at < ? {scope}
ORDER BY +l.contact_id, l.rowid
"""
"""Interactions by contact. The subject column is that of a message that starts a
thread of its own (its thread is its own id), for `lost_thread`. The column before
it tells a received message's sender from the people copied on it: connectors list
the sender of an "in" message first among its participants (mbox: From, then To and
Cc; LinkedIn: FROM, then TO; the log: the first person named), so the contact wrote
it when it is linked at the first position that is not the owner's (owner rows are
method "owner"; the subquery runs only for a contact further down an "in" message's
list). The next column: an "in" message whose sender links to the owner's own
contact (an address of theirs `[me]` does not list: linking.Linker.match) was sent
by the owner, so it is "out". Rows of method "owner" are never a contact's evidence.

The whole directory is read in table order and sorted by SQLite (the `+` keeps
the planner off the contact index): walking `interaction_links_contact` contact by
contact fetched each interaction by rowid in random order from the largest table,
2.6 s of CPU and 9 s on a cold cache instead of 2.2 s and 5.6 s for 300,000 links
(QA5 #1); sorted in SQLite, the rows still come one contact at a time, so memory
stays that of one contact's rows. Within a contact, rows come in link order, as the
index gave them: it decides the row kept among copies and the order of events at
one instant. A few contacts (`IN (...)`) are still found through the index."""

_FACTS_SQL = """
SELECT cr.contact_id, r.source, r.connector, COALESCE(r.collected_at, r.first_seen),
       json_extract(r.data, '$.categories'), json_extract(r.data, '$.organization'),
       json_extract(r.data, '$.emails')
FROM contact_records cr JOIN records r ON r.id = cr.record_id
WHERE r.removed_at IS NULL {scope}
"""


@dataclass(slots=True)
class Summary:
    last_engagement: datetime | None = None
    last_attempt: datetime | None = None
    count: int = 0
    engagements: int = 0
    attempts: int = 0
    engaged_days: int = 0
    # the latest message or mail nobody answered, by whom (cold.py's groups):
    # "out" (the owner wrote), "in" (they wrote), "copied" (on someone else's)
    written: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    rules: list[Compiled]
    webmail: Webmail


def cutoff_of(as_of: date) -> str:
    """Stored instants are ISO UTC strings: everything before the next day's date.
    The end of the records collected by `as_of` (a date a source gives, even one
    after today, counts on that date)."""
    return (as_of + timedelta(days=1)).isoformat()


def evidence_cutoff(as_of: date, now: datetime | None = None) -> str:
    """The end of the interactions that count as of `as_of`: `cutoff_of`, or the
    present instant (to the second, included) when it comes first. Evidence counts
    once it has happened: a meeting booked for later today or tomorrow is no
    engagement yet (QA8 dates #2: "engaged, 0 days ago" for a first coffee still to
    come). A date-only value (an all-day event, a log's date alone, stored at 00:00
    UTC) counts from its day on."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return min(cutoff_of(as_of), (moment + timedelta(seconds=1)).isoformat())


def _scoped(db: sqlite3.Connection, sql: str, column: str, ids: list[str] | None,
            params: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` for the contacts `ids` (None: all), by chunks of IN (...).

    A plain loop, not `yield from`: closing a generator suspended in `yield from`
    closes the cursor too, and a generator that Ctrl-C left suspended is closed only
    after the store was, where closing the cursor raised "Cannot operate on a closed
    database" as a traceback under the "interrupted" line (QA5 #3)."""
    cursor = db.cursor()
    cursor.row_factory = None      # plain tuples: sqlite3.Row costs seconds at 2M rows
    if ids is None:
        for row in cursor.execute(sql.format(scope=""), params):
            yield row
        return
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in cursor.execute(sql.format(scope=f"AND {column} IN ({marks})"),
                                  (*params, *chunk)):
            yield row


def contact_events(store: Store, ids: list[str] | None,
                   cutoff: str) -> Iterator[tuple[str, list[Event]]]:
    """(contact id, its interactions before `cutoff`, by time), one contact at a time.

    An interaction naming the same person twice (two participants linked to one
    contact) counts once, as sent by them when either is its sender. So does one
    message or meeting carried by two sources (the same mail in a work mbox and a
    Gmail Takeout, one meeting in two calendars: same kind, external id (Message-ID,
    UID#start) and time): the rows stay, each source's own evidence, and the event
    lists the other copies (`Event.copies`), so removing one source leaves the
    other's copy counted."""
    for cid, events, _ in _events_through(store, ids, cutoff, None):
        yield cid, events


def _events_through(store: Store, ids: list[str] | None, cutoff: str, keep: set[str] | None
                    ) -> Iterator[tuple[str, list[Event], str]]:
    """contact_events with the latest time among each contact's rows (a stored
    summary holds for the dates after it: summary.py), for the contacts of `keep`
    (None: all)."""
    rows = _scoped(store.db, _EVENTS_SQL, "l.contact_id", ids, (cutoff,))
    for cid, group in groupby(rows, key=itemgetter(0)):
        if keep is not None and cid not in keep:
            continue
        kept = _one_per_interaction(group)
        events = [_event(row, copies) for row, copies in kept]
        events.sort(key=attrgetter("at"))
        yield cid, events, max(row[3] for row, _ in kept)


def summaries_of(store: Store, ids: list[str] | None, cutoff: str, keep: set[str] | None,
                 window: timedelta) -> Iterator[tuple[str, Summary, str]]:
    """(contact, its summary as of `cutoff`, the latest time it counts) for the
    contacts with interactions among `ids` (None: all) and `keep` (None: all)."""
    for cid, events, through in _events_through(store, ids, cutoff, keep):
        yield cid, summarize(events, classify(events, window)), through


def _one_per_interaction(rows: Iterable[tuple[Any, ...]]
                         ) -> list[tuple[tuple[Any, ...], list[int]]]:
    """One row per interaction and per copy of it across sources (same kind,
    external id and time), as (the row kept, the ids of the copies). The row that
    names the contact as its sender wins (a contact named twice on one mail), then
    the lowest id."""
    kept: dict[tuple[str, str, str], tuple[tuple[Any, ...], list[int]]] = {}
    for row in rows:
        key = (row[2], row[10], row[3])
        found = kept.get(key)
        if found is None:
            kept[key] = (row, [row[1]])
            continue
        best, copies = found
        if row[1] not in copies:
            copies.append(row[1])
        if (bool(row[7]), -row[1]) > (bool(best[7]), -best[1]):
            kept[key] = (row, copies)
    return list(kept.values())


def _event(row: tuple[Any, ...], copies: list[int]) -> Event:
    """The Event of a kept row. Most interactions have no copy in another source:
    their copies list is the row's own id alone, an empty list without sorting (a
    generator and a sort per event were a third of this function's time at 300,000
    events)."""
    _, iid, kind, at, direction, thread, automated, sender, root, owner_sent, _ = row
    if owner_sent:
        direction, sender = "out", True
    others = [] if len(copies) == 1 else sorted(c for c in copies if c != iid)
    return Event(iid, kind, parse_instant(at), direction,
                 "" if root and lost_thread(root) else thread, bool(automated),
                 bool(sender), others)


def contact_facts(store: Store, ids: list[str] | None,
                  cutoff: str) -> tuple[dict[str, LayerFacts], set[str]]:
    """Layer facts per contact from records collected before `cutoff`, and the
    contacts that have records but none collected by then.

    A record is collected when its source says (`collected_at`: a LinkedIn
    connection's date, a business card's scan date); when the source says nothing
    (a vCard, a CSV row) it is collected when the directory first saw it
    (`first_seen`, which a re-import does not move). Counting undated records as
    collected forever put people imported today in every report for 1999, and
    every import of undated records changed the reports of past dates: with the
    first-seen time, a report for a past date is the one the directory gave on
    that date, unless a source later brings records dated on or before it."""
    facts: dict[str, LayerFacts] = {}
    later: set[str] = set()
    for cid, source, connector, collected, categories, organization, emails in _scoped(
            store.db, _FACTS_SQL, "cr.contact_id", ids, ()):
        if collected and collected >= cutoff:
            later.add(cid)
            continue
        found = facts.setdefault(cid, LayerFacts())
        found.add_record(source, connector, categories, organization, emails)
        if collected and (found.collected is None or collected < found.collected):
            found.collected = collected
    return facts, later - facts.keys()


def summarize(events: list[Event], verdicts: list[tuple[str, str]]) -> Summary:
    summary = Summary()
    days: set[date] = set()
    for event, (verdict, _) in zip(events, verdicts, strict=True):
        if verdict == ENGAGEMENT:
            summary.engagements += 1
            summary.last_engagement = event.at      # events are sorted by time
            days.add(event.at.date())
        elif verdict == ATTEMPT:
            summary.attempts += 1
            summary.last_attempt = event.at
            summary.written = _written(event) or summary.written
    summary.count = summary.engagements + summary.attempts
    summary.engaged_days = len(days)
    return summary


def _written(event: Event) -> str | None:
    """Who wrote an unanswered message or mail: "out", "in", "copied"; None for
    another attempt (an invitation, a card) or an unknown direction."""
    if event.kind not in ("message", "email") or event.direction not in ("in", "out"):
        return None
    return "copied" if event.direction == "in" and not event.sender else event.direction


def status_of(last_engagement: datetime | None, as_of: date,
              settings: EngagementSettings) -> tuple[str, str]:
    """(status, the sentence that explains it)."""
    if last_engagement is None:
        return "never_engaged", "no engaging interaction on or before this date"
    age = timedelta(days=(as_of - last_engagement.date()).days)
    ago = f"last engagement {_days(age.days)} ago"
    if age > settings.cold_after:
        return "cold", f"{ago}, more than cold_after ({_days(settings.cold_after.days)})"
    if age > settings.cooling_after:
        return "cooling", f"{ago}, more than cooling_after " \
                          f"({_days(settings.cooling_after.days)})"
    return "engaged", f"{ago}, within cooling_after ({_days(settings.cooling_after.days)})"


def _days(count: int) -> str:
    """"1 day", "2 days" (QA: `show` wrote "1 days ago")."""
    return f"{count} day" if count == 1 else f"{count} days"


def tie_of(summary: Summary, as_of: date, settings: EngagementSettings) -> Tie:
    return tie_strength(summary.last_engagement, summary.engaged_days, summary.engagements,
                        summary.attempts, as_of, settings.cooling_after.days)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def annotate(store: Store, contacts: list[dict[str, Any]], as_of: date,
             settings: Any = None) -> list[dict[str, Any]]:
    """Copies of `contacts` (dicts with "id") with status, last_interaction,
    as_of, last_attempt, interaction_count, tie_strength, tie (its components), layer,
    layer_rule, collected_as_of (False: no member record was collected by then),
    last_written (who wrote the latest unanswered message: Summary.written) and
    collected_on (the earliest record's date, the directory's first sight of it when
    the source gives none); the last two are for `cold`, not the public shape."""
    ctx = context(settings)
    ids = [c["id"] for c in contacts]
    scope = None if len(ids) > _SCAN_ABOVE else ids
    cutoff = cutoff_of(as_of)
    with gc_paused(), _snapshot(store):
        summaries = summaries_as_of(store, ids, evidence_cutoff(as_of),
                                    ctx.engagement.reply_window)
        facts, uncollected = contact_facts(store, scope, cutoff)
        rules = Rules(compile_rules(ctx.engagement.layer_rules()), ctx.engagement.webmail())
        return [_annotated(c, summaries.get(c["id"]) or Summary(), facts, uncollected, as_of,
                           ctx, rules) for c in contacts]


def summaries_as_of(store: Store, ids: list[str], cutoff: str,
                    window: timedelta) -> dict[str, Summary]:
    """The summaries of the contacts `ids` with interactions before `cutoff`: the
    stored ones of the contacts whose interactions all came before it and are
    unchanged since (summary.py), the others computed from their interactions."""
    scope = None if len(ids) > _SCAN_ABOVE else ids
    wanted = set(ids)
    found: dict[str, Summary] = {}
    if summary.usable(store, window):
        stored, stale = summary.load(store, scope)
        for cid, row in stored.items():
            if row[0] < cutoff and cid in wanted and cid not in stale:
                found[cid] = summary.as_summary(row)
        wanted = {cid for cid in wanted if cid in stale
                  or (cid in stored and stored[cid][0] >= cutoff)}
        scope = None if len(wanted) > _SCAN_ABOVE else sorted(wanted)
    for cid, computed, _ in summaries_of(store, scope, cutoff, wanted, window):
        found[cid] = computed
    return found


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """One read transaction around a read's queries, so the stored summaries, the
    stale list and the interactions are of one state of the directory (a sync may
    commit between two of them); inside a caller's transaction, that one."""
    if store.db.in_transaction:
        yield
        return
    store.db.execute("BEGIN")
    try:
        yield
    finally:
        if store.db.in_transaction:
            store.db.execute("COMMIT")


def layer_facts_for(contact: dict[str, Any], facts: dict[str, LayerFacts],
                    uncollected: set[str], as_of: date) -> LayerFacts | None:
    """None when the contact was not collected yet on `as_of`."""
    cid = contact["id"]
    if cid in facts:
        return facts[cid]
    if cid in uncollected:
        return None
    first = contact.get("first_collected")
    if first and str(first)[:10] > as_of.isoformat():
        return None
    return LayerFacts.from_contact(contact)


def _annotated(contact: dict[str, Any], summary: Summary, facts: dict[str, LayerFacts],
               uncollected: set[str], as_of: date, ctx: Context,
               rules: Rules) -> dict[str, Any]:
    settings = ctx.engagement
    status, _ = status_of(summary.last_engagement, as_of, settings)
    tie = tie_of(summary, as_of, settings)
    found = layer_facts_for(contact, facts, uncollected, as_of)
    layer, rule = decide_layer(found, rules.rules, rules.webmail)
    out = dict(contact)
    out.update(as_of=as_of.isoformat(), status=status,
               last_interaction=_iso(summary.last_engagement),
               last_attempt=_iso(summary.last_attempt), interaction_count=summary.count,
               tie_strength=tie.score, tie=tie.as_dict(), layer=layer, layer_rule=rule,
               collected_as_of=found is not None, last_written=summary.written,
               collected_on=found.collected[:10] if found and found.collected else None)
    return out
