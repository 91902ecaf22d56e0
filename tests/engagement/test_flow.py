"""The stage on what the pipeline writes: RunWriter records, resolved contacts, links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reseausync.engagement import (
    annotate,
    cold_contacts,
    explain_engagement,
    link_interactions,
    unknown_people,
)
from reseausync.errors import UsageError
from reseausync.models import Interaction, Labeled, Participant, SourceRecord
from reseausync.resolve import resolve_contacts
from reseausync.store import RunWriter, Store

from .conftest import settings

AS_OF = date(2026, 11, 20)
# The directory was filled before AS_OF: a record without a date of its own is
# collected when the directory first saw it (engagement.status.contact_facts).
IMPORTED = "2026-11-01T08:00:00+00:00"
JF_URL = "https://www.linkedin.com/in/jftremblay"


def write(store: Store, source: str, connector: str, items: list) -> None:
    with store.transaction():
        run = store.start_run(source, connector, "import")
        writer = RunWriter(store, run, source)
        writer.now = IMPORTED
        for item in items:
            writer.add(item)
        writer.flush()
        resolve_contacts(store, run, None)
        store.finish_run(run, "ok", writer.counts)


def message(ext: str, when: str, direction: str, who: Participant, kind: str = "message",
            thread: str = "") -> Interaction:
    return Interaction(source="linkedin", connector="linkedin", external_id=ext,
                       locator=f"messages.csv:{ext}", kind=kind, direction=direction,
                       occurred_at=datetime.fromisoformat(when).replace(tzinfo=UTC),
                       participants=[who], thread=thread, unit="messages.csv")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "flow.db")
    write(store, "phone", "vcard", [
        SourceRecord(source="phone", connector="vcard", external_id="jf", locator="phone.vcf:1",
                     unit="phone.vcf", display_name="Jean-François Tremblay",
                     given_name="Jean-François", family_name="Tremblay",
                     emails=[Labeled("JF.Tremblay@acme.ca")], phones=[Labeled("(514) 555-1234")],
                     organization="Acme Inc."),
        SourceRecord(source="phone", connector="vcard", external_id="elise",
                     locator="phone.vcf:9", unit="phone.vcf", display_name="Élise Gagnon",
                     emails=[Labeled("elise.gagnon@gmail.com")], categories=["Amis"])])
    jf = Participant(name="Jean-François Tremblay",
                     linkedin_url="https://www.linkedin.com/in/jftremblay")
    alex = Participant(name="Alexandre Dubois",
                       linkedin_url="https://www.linkedin.com/in/alexdubois")
    write(store, "linkedin", "linkedin", [
        SourceRecord(source="linkedin", connector="linkedin",
                     external_id="https://www.linkedin.com/in/jftremblay",
                     locator="Connections.csv:5", unit="Connections.csv",
                     given_name="Jean-François", family_name="Tremblay", organization="Acme",
                     linkedin_url="https://www.linkedin.com/in/jftremblay",
                     collected_at=date(2024, 1, 15)),
        SourceRecord(source="linkedin", connector="linkedin",
                     external_id="https://www.linkedin.com/in/alexdubois",
                     locator="Connections.csv:6", unit="Connections.csv",
                     given_name="Alexandre", family_name="Dubois", organization="Element AI",
                     linkedin_url="https://www.linkedin.com/in/alexdubois",
                     collected_at=date(2026, 3, 1)),
        message("m1", "2026-09-01T14:00:00", "in", jf, thread="c1"),
        message("m2", "2026-09-02T09:00:00", "out", jf, thread="c1"),
        message("i1", "2026-03-01T10:00:00", "out", alex, kind="invitation"),
        message("m3", "2026-06-01T10:00:00", "in",
                Participant(name="Recruteur Anonyme",
                            linkedin_url="https://www.linkedin.com/in/recruteur")),
        message("m4", "2026-06-02T10:00:00", "out",
                Participant(name="Marie Example",
                            linkedin_url="https://www.linkedin.com/in/marie-example"))])
    yield store
    store.close()


def contacts(store: Store) -> list[dict]:
    import json
    return [dict(json.loads(r[1]), id=r[0])
            for r in store.db.execute("SELECT id, data FROM contacts ORDER BY id")]


def test_pipeline_written_directory(store: Store) -> None:
    counts = link_interactions(store, settings())
    assert counts["url"] == 3 and counts["none"] == 1 and counts["owner"] == 1
    annotated = annotate(store, contacts(store), AS_OF, settings())
    # Whether the phone card merged with the connection is the match stage's call;
    # the contact holding the profile URL is the one the conversation links to.
    jf = next(c for c in annotated if c["linkedin_url"] == JF_URL)
    assert (jf["status"], jf["layer"]) == ("engaged", "professional")
    assert jf["last_interaction"] == "2026-09-02T09:00:00+00:00"
    elise = next(c for c in annotated if c["display_name"] == "Élise Gagnon")
    assert (elise["status"], elise["layer"], elise["layer_rule"]) == (
        "never_engaged", "personal", "personal-category")
    cold = cold_contacts(annotated)
    assert [c["group"] for c in cold if "Dubois" in c["display_name"]] == [
        "LinkedIn connection never messaged"]
    assert [p["name"] for p in unknown_people(store)] == ["Recruteur Anonyme"]


def test_explain_engagement(store: Store) -> None:
    link_interactions(store, settings())
    jf_id = next(c["id"] for c in contacts(store) if c["linkedin_url"] == JF_URL)
    got = explain_engagement(store, jf_id, AS_OF, settings())
    assert got["status"] == "engaged"
    assert "within cooling_after (90 days)" in got["status_reason"]
    assert [(i["kind"], i["direction"], i["counts_as"], i["why"], i["linked_by"])
            for i in got["interactions"]] == [
        ("message", "in", "engagement", "you replied", "url"),
        ("message", "out", "engagement", "your reply", "url")]
    assert got["tie_strength"]["reciprocity"] == 1.0
    assert "recency" in got["tie_strength"]["formula"]
    assert got["layer"] == "professional"
    assert got["layer_rule_detail"]["layer"] == "professional"
    before = explain_engagement(store, jf_id, date(2026, 9, 1), settings())
    assert before["status"] == "never_engaged"
    assert [i["why"] for i in before["interactions"]] == ["received, never answered"]
    with pytest.raises(UsageError, match="no contact"):
        explain_engagement(store, "nobody", AS_OF)
