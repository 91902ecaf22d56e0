"""Turning source records into canonical contacts (placeholder: one record, one contact).

This is the seam the match and merge stages replace: `resolve_contacts` is
called by the pipeline inside the run's transaction, after the records are
written, and must leave `contacts` / `contact_records` describing every live
record. Until matching lands, each live record is its own contact, with an id
derived from its (source, external id) so that ids are stable across runs and
across fresh directories.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .store import Store


def contact_id_for(source: str, external_id: str) -> str:
    digest = hashlib.sha1(f"{source}\0{external_id}".encode()).hexdigest()
    return f"c{digest[:11]}"


def resolve_contacts(store: Store, run: int, settings: Any = None) -> dict[str, int]:
    db = store.db
    db.execute("DELETE FROM contact_records")
    db.execute("DELETE FROM contacts")
    rows = db.execute("SELECT id, source, connector, external_id, locator, data, photo, "
                      "collected_at FROM records WHERE removed_at IS NULL").fetchall()
    contacts, links = [], []
    for row in rows:
        cid = contact_id_for(row["source"], row["external_id"])
        contacts.append((cid, json.dumps(_canonical(row), ensure_ascii=False), run, run))
        links.append((row["id"], cid, "{}"))
    db.executemany("INSERT INTO contacts (id, data, created_run, updated_run) "
                   "VALUES (?, ?, ?, ?)", contacts)
    db.executemany("INSERT INTO contact_records VALUES (?, ?, ?)", links)
    return {"contacts": len(contacts)}


def _canonical(row: Any) -> dict[str, Any]:
    data = json.loads(row["data"])
    rid = row["id"]
    emails = [e["value"].strip().lower() for e in data["emails"]]
    phones = [p["value"] for p in data["phones"]]
    collected = (row["collected_at"] or "")[:10] or None
    return {
        "display_name": data["display_name"] or " ".join(
            x for x in (data["given_name"], data["family_name"]) if x),
        "given_name": data["given_name"], "family_name": data["family_name"],
        "emails": emails, "phones": phones,
        "organization": data["organization"], "title": data["title"],
        "linkedin_url": data["linkedin_url"] or None,
        "addresses": data["addresses"], "categories": data["categories"],
        "urls": data["urls"], "note": data["note"], "birthday": data["birthday"],
        "photo": row["photo"], "first_collected": collected,
        "sources": [{"source": row["source"], "connector": row["connector"],
                     "external_id": row["external_id"], "locator": row["locator"]}],
        "provenance": {"display_name": rid, "emails": {e: [rid] for e in emails},
                       "phones": {p: [rid] for p in phones}},
        "flags": [],
    }
