"""Why a contact has its status, tie strength and layer: what `show` prints."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..errors import UsageError
from ..store import Store
from .context import context
from .evidence import classify
from .layers import NO_RULE, NOT_COLLECTED, LayerFacts, compile_rules, matching_rules
from .status import (
    contact_events,
    contact_facts,
    cutoff_of,
    evidence_cutoff,
    layer_facts_for,
    status_of,
    summarize,
    tie_of,
)
from .tie import FORMULA


def explain_engagement(store: Store, contact_id: str, as_of: date,
                       settings: Any = None) -> dict[str, Any]:
    """Interactions (kind, date, direction, what each counted as and why), the status
    with its reason, the tie-strength components and formula, and the layer rule."""
    ctx = context(settings)
    row = store.db.execute("SELECT data FROM contacts WHERE id=?", (contact_id,)).fetchone()
    if row is None:
        raise UsageError(f"no contact with id {contact_id!r}",
                         hint="list ids with `reseausync contacts`")
    contact = dict(json.loads(row[0]), id=contact_id)
    cutoff = cutoff_of(as_of)
    events = next((e for _, e in contact_events(store, [contact_id],
                                                evidence_cutoff(as_of))), [])
    verdicts = classify(events, ctx.engagement.reply_window)
    summary = summarize(events, verdicts)
    status, reason = status_of(summary.last_engagement, as_of, ctx.engagement)
    tie = tie_of(summary, as_of, ctx.engagement)
    facts, uncollected = contact_facts(store, [contact_id], cutoff)
    found = layer_facts_for(contact, facts, uncollected, as_of)
    rules = ctx.engagement.layer_rules()
    layer_info = _layer(found, rules, ctx.engagement)
    details = _details(store, contact_id)
    return {
        "contact_id": contact_id,
        "as_of": as_of.isoformat(),
        "status": status,
        "status_reason": reason,
        "last_interaction": summary.last_engagement.isoformat()
        if summary.last_engagement else None,
        "last_attempt": summary.last_attempt.isoformat() if summary.last_attempt else None,
        "interaction_count": summary.count,
        "engagements": summary.engagements,
        "attempts": summary.attempts,
        "tie_strength": {**tie.as_dict(), "engaged_days": summary.engaged_days,
                         "formula": FORMULA},
        **layer_info,
        "interactions": [
            {"id": e.id, "kind": e.kind, "occurred_at": e.at.isoformat(),
             "direction": e.direction, "thread": e.thread, "counts_as": verdict, "why": why,
             **details.get(e.id, {}), **_copies(e.copies, details)}
            for e, (verdict, why) in zip(events, verdicts, strict=True)],
    }


def _layer(found: LayerFacts | None, rules: list[Any], settings: Any) -> dict[str, Any]:
    """The layer, the rule that decided (None when none did, `layer_reason` then
    says why, so a program never takes the reason for a rule's name), the contact's
    values it held on, and the other rules that held, which it outweighed."""
    verdicts = matching_rules(found, compile_rules(rules), settings.webmail()) if found else []
    first = verdicts[0] if verdicts else None
    return {
        "layer": first.layer if first else "unknown",
        "layer_rule": first.rule if first else None,
        "layer_reason": None if first else NOT_COLLECTED if found is None else NO_RULE,
        "layer_values": first.values if first else [],
        "layer_rule_detail": next((r.model_dump(exclude_defaults=True) for r in rules
                                   if first and r.name == first.rule), None),
        "layer_outweighed": [{"rule": v.rule, "layer": v.layer, "values": v.values}
                             for v in verdicts[1:]],
    }


def _copies(copies: list[int], details: dict[int, dict[str, str]]) -> dict[str, Any]:
    """The same interaction as other sources carry it (counted once): their ids and
    sources, so `show` names every source of one mail or meeting on its line."""
    if not copies:
        return {}
    return {"copies": copies,
            "also_in": sorted({details[c]["source"] for c in copies if c in details})}


_DETAILS_SQL = """
SELECT i.id, i.source, i.locator, i.subject, l.method,
       CASE WHEN i.extra IN ('{}', '') OR NOT json_valid(i.extra) THEN ''
            WHEN json_extract(i.extra, '$.all_day') THEN 'date'
            WHEN json_extract(i.extra, '$.floating') THEN 'floating' ELSE '' END
FROM interaction_links l JOIN interactions i ON i.id = l.interaction_id
WHERE l.contact_id = ?
"""


def _details(store: Store, contact_id: str) -> dict[int, dict[str, str]]:
    """Each interaction's source, locator, subject, link method, and `written_as`
    when its time is not an instant ("date": an all-day event or a log's date
    alone; "floating": a time written without a zone), which `show` prints as
    written rather than in the machine's zone."""
    rows = store.db.execute(_DETAILS_SQL, (contact_id,))
    return {r[0]: {"source": r[1], "locator": r[2], "subject": r[3], "linked_by": r[4],
                   **({"written_as": r[5]} if r[5] else {})} for r in rows}
