"""People seen in interactions who match no contact: a list of people to add.

Participants linked to nobody (method "none": they have no link row) are grouped
by their strongest key (email, else profile URL, else phone, else name) and
counted. Automated senders (mailing lists, no-reply) are left out: nobody wants
to add a newsletter. The owner and ambiguous participants (a key shared by
several contacts) are not unknown people and are not listed.
"""

from __future__ import annotations

from typing import Any

from .. import jsonfast
from ..store import Store
from .keys import email_key, name_key, phone_key, url_key
from .linking import UNLINKED_SQL

_SQL = f"""
SELECT u.participant_json, i.occurred_at, i.kind
FROM ({UNLINKED_SQL}) u JOIN interactions i ON i.id = u.interaction_id
WHERE NOT coalesce(CASE WHEN json_valid(i.extra) THEN json_extract(i.extra, '$.automated') END,
                   0)
"""


def _key(p: dict[str, Any]) -> str:
    for prefix, key in (("email", email_key(p.get("email"))),
                        ("url", url_key(p.get("linkedin_url"))),
                        ("phone", phone_key(p.get("phone"))),
                        ("name", name_key(p.get("name")))):
        if key:
            return f"{prefix}:{key}"
    return ""


def unknown_people(store: Store) -> list[dict[str, Any]]:
    """[{email, name, phone, linkedin_url, count, first_seen, last_seen, kinds}], the
    most often seen first, then the most recently seen."""
    people: dict[str, dict[str, Any]] = {}
    for blob, occurred_at, kind in store.db.execute(_SQL):
        participant = jsonfast.loads(blob)      # a JSON object: UNLINKED_SQL checked
        key = _key(participant)
        if not key:
            continue
        entry = people.setdefault(key, {
            "email": "", "name": "", "phone": "", "linkedin_url": "", "count": 0,
            "first_seen": occurred_at, "last_seen": occurred_at, "kinds": set()})
        entry["count"] += 1
        entry["kinds"].add(kind)
        entry["first_seen"] = min(entry["first_seen"], occurred_at)
        if occurred_at >= entry["last_seen"]:
            entry["last_seen"] = occurred_at
            for field in ("email", "name", "phone", "linkedin_url"):
                entry[field] = (participant.get(field) or "").strip() or entry[field]
        else:
            for field in ("email", "name", "phone", "linkedin_url"):
                entry[field] = entry[field] or (participant.get(field) or "").strip()
    result = [dict(e, kinds=sorted(e["kinds"])) for e in people.values()]
    result.sort(key=lambda e: (e["email"], e["name"]))
    result.sort(key=lambda e: e["last_seen"], reverse=True)   # stable sorts: the last
    result.sort(key=lambda e: e["count"], reverse=True)       # one is the main order
    return result
