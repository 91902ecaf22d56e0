"""A real SQLite directory in tmp_path, filled with SQL the way the pipeline fills it.

`Directory.person` writes a source record, its canonical contact and the link
between them; `Directory.interaction` writes a stored interaction. Tests then call
the engagement functions on the file exactly as the commands do.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from reseausync.config import MeSettings, Settings
from reseausync.engagement import link_interactions
from reseausync.store import Store

# When the directory first saw a record. An undated record counts as collected
# then (engagement.status.contact_facts), so the fixture's records were first
# seen long before any as-of date the tests use, as the pipeline's ISO UTC text.
FIRST_SEEN = "2000-01-01T00:00:00+00:00"

OWNER = MeSettings(emails=["marie@example.com", "marie.example@gmail.com"],
                   linkedin_url="https://www.linkedin.com/in/marie-example")


def settings(**engagement: Any) -> Settings:
    return Settings.model_validate({"region": "CA", "me": OWNER.model_dump(),
                                    "engagement": engagement})


class Directory:
    def __init__(self, path: Path) -> None:
        self.store = Store.open(path)
        self.db = self.store.db
        self._ext = 0
        self.settings = settings()

    def person(self, cid: str, name: str = "", *, emails: tuple[str, ...] = (),
               phones: tuple[str, ...] = (), linkedin_url: str = "", organization: str = "",
               categories: tuple[str, ...] = (), source: str = "phone",
               connector: str = "vcard", collected: str | None = None,
               given: str = "", family: str = "", first_seen: str = FIRST_SEEN) -> str:
        """One contact made of one record (add more with `record`)."""
        contact = {
            "display_name": name, "given_name": given, "family_name": family,
            "emails": list(emails), "phones": list(phones), "organization": organization,
            "title": "", "linkedin_url": linkedin_url or None, "addresses": [],
            "categories": list(categories), "urls": [], "note": "", "birthday": "",
            "photo": "", "first_collected": collected[:10] if collected else None,
            "sources": [], "provenance": {}, "flags": []}
        self.db.execute("INSERT INTO contacts (id, data) VALUES (?, ?)",
                        (cid, json.dumps(contact)))
        self.record(cid, source=source, connector=connector, emails=emails,
                    organization=organization, categories=categories, collected=collected,
                    first_seen=first_seen)
        return cid

    def record(self, cid: str, *, source: str, connector: str, emails: tuple[str, ...] = (),
               organization: str = "", categories: tuple[str, ...] = (),
               collected: str | None = None, first_seen: str = FIRST_SEEN) -> None:
        self._ext += 1
        ext = f"r{self._ext}"
        data = {"emails": [{"value": e, "label": ""} for e in emails],
                "organization": organization, "categories": list(categories)}
        cur = self.db.execute(
            "INSERT INTO records (source, connector, external_id, unit, locator, content_hash,"
            " data, collected_at, first_seen, last_seen, first_run, last_run) "
            "VALUES (?, ?, ?, 'u', 'u:1', 'h', ?, ?, ?, ?, 1, 1)",
            (source, connector, ext, json.dumps(data), collected, first_seen, first_seen))
        self.db.execute("INSERT INTO contact_records VALUES (?, ?, '{}')", (cur.lastrowid, cid))
        row = self.db.execute("SELECT data FROM contacts WHERE id=?", (cid,)).fetchone()
        contact = json.loads(row[0])
        contact["sources"].append({"source": source, "connector": connector,
                                   "external_id": ext, "locator": "u:1"})
        self.db.execute("UPDATE contacts SET data=? WHERE id=?", (json.dumps(contact), cid))

    def interaction(self, kind: str, at: str, direction: str = "none",
                    *participants: dict[str, str], thread: str = "",
                    extra: dict[str, Any] | None = None, removed: bool = False,
                    source: str = "mail") -> int:
        self._ext += 1
        moment = datetime.fromisoformat(at if "T" in at else at + "T12:00:00+00:00")
        people = [{"name": "", "email": "", "phone": "", "linkedin_url": "", **p}
                  for p in participants]
        cur = self.db.execute(
            "INSERT INTO interactions (source, connector, external_id, unit, locator, kind, "
            "occurred_at, direction, thread, participants, extra, content_hash, first_run, "
            "last_run, removed_at) VALUES (?, 'x', ?, 'u', 'u:1', ?, ?, ?, ?, ?, ?, 'h', 1, 1, ?)",
            (source, f"i{self._ext}", kind, moment.isoformat(), direction, thread,
             json.dumps(people), json.dumps(extra or {}), "gone" if removed else None))
        return int(cur.lastrowid)

    def link(self) -> dict[str, int]:
        return link_interactions(self.store, self.settings)

    def contacts(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT id, data FROM contacts ORDER BY id")
        return [dict(json.loads(r[1]), id=r[0]) for r in rows]

    def annotated(self, as_of: date) -> dict[str, dict[str, Any]]:
        from reseausync.engagement import annotate
        self.link()
        return {c["id"]: c for c in annotate(self.store, self.contacts(), as_of, self.settings)}

    def stored_links(self) -> list[tuple[int, int, str | None, str]]:
        return [tuple(r) for r in self.db.execute(
            "SELECT interaction_id, participant, contact_id, method FROM interaction_links "
            "ORDER BY interaction_id, participant")]

    def links(self) -> list[tuple[int, int, str | None, str]]:
        """Every participant's link, those linked to nobody (no row) as method none."""
        from reseausync.engagement.linking import UNLINKED_SQL
        unlinked = [(r[0], r[1], None, "none") for r in self.db.execute(UNLINKED_SQL)]
        return sorted(self.stored_links() + unlinked, key=lambda r: (r[0], r[1]))


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    d = Directory(tmp_path / "dir.db")
    yield d
    d.store.close()
