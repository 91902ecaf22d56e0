"""People nobody knows, and the counts for `stats`."""

from __future__ import annotations

from datetime import date

from reseausync.engagement import stats, unknown_people

from .conftest import Directory

AS_OF = date(2026, 11, 20)


def build(d: Directory) -> None:
    d.person("jf", "Jean-François Tremblay", emails=("jf@acme.ca",), categories=("Clients",))
    d.person("bob", "Robert Chen", source="cards", connector="cards")
    d.record("bob", source="linkedin", connector="linkedin")
    # JF writes (the sender is listed first), Zoé and the owner are copied
    d.interaction("email", "2026-01-05", "in", {"email": "jf@acme.ca"},
                  {"name": "Zoé Inconnue", "email": "ZOE@x.org"}, {"email": "marie@example.com"})
    d.interaction("email", "2026-01-20", "out", {"email": "zoe@x.org", "name": "Zoé I."},
                  {"email": "jf@acme.ca"}, thread="", source="mail")
    d.interaction("meeting", "2026-02-01", "both", {"name": "Henri Seul"})
    d.interaction("email", "2026-04-01", "in", {"email": "noreply@news.com"},
                  extra={"automated": True})
    d.interaction("message", "2026-05-01", "in",
                  {"linkedin_url": "https://www.linkedin.com/in/someone", "name": "Some One"})


def test_unknown_people_are_aggregated_and_ranked(directory: Directory) -> None:
    build(directory)
    directory.link()
    got = unknown_people(directory.store)
    assert [(p["email"], p["name"], p["linkedin_url"], p["count"]) for p in got] == [
        ("zoe@x.org", "Zoé I.", "", 2),
        ("", "Some One", "https://www.linkedin.com/in/someone", 1),
        ("", "Henri Seul", "", 1),
    ]
    zoe = got[0]
    assert zoe["first_seen"].startswith("2026-01-05") and zoe["last_seen"].startswith("2026-01-20")
    assert zoe["kinds"] == ["email"]


def test_stats_counts_status_layer_source_and_links(directory: Directory) -> None:
    build(directory)
    annotated = list(directory.annotated(AS_OF).values())
    got = stats(directory.store, annotated)
    assert got["contacts"] == 2
    assert got["by_status"] == {"never_engaged": 1, "cold": 0, "cooling": 1, "engaged": 0}
    assert got["by_layer"] == {"personal": 0, "professional": 2, "extra_professional": 0,
                               "unknown": 0}
    assert got["by_source"]["cards"] == {"contacts": 1, "never_engaged": 1, "cold": 0,
                                         "cooling": 0, "engaged": 0}
    assert got["by_source"]["phone"]["cooling"] == 1
    assert got["participants"] == {"email": 2, "none": 5, "owner": 1}
