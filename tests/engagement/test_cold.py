"""The cold list: who is on it, in which order, in which group."""

from __future__ import annotations

from datetime import date, timedelta

from reseausync.engagement import cold_contacts

from .conftest import Directory

AS_OF = date(2026, 11, 20)


def ago(n: int) -> str:
    return (AS_OF - timedelta(days=n)).isoformat()


def build(d: Directory) -> None:
    # Engaged and cooling people stay off the list.
    d.person("thomas", "Thomas Nguyen", emails=("t@desjardins.com",))
    d.interaction("meeting", ago(5), "both", {"email": "t@desjardins.com"})
    d.person("elise", "Élise Gagnon", emails=("elise@gmail.com",))
    d.interaction("meeting", ago(200), "both", {"email": "elise@gmail.com"})
    # Cold: a strong past tie (many meetings) and a weak one (one meeting, attempts).
    d.person("fred", "Fred Lavoie", emails=("fred@bombardier.com",))
    for n in range(30):
        d.interaction("meeting", ago(500 + 7 * n), "both", {"email": "fred@bombardier.com"})
    d.person("priya", "Priya Natarajan", emails=("p@coveo.com",), source="linkedin",
             connector="linkedin")
    d.interaction("recommendation", ago(700), "in", {"email": "p@coveo.com"})
    d.interaction("message", ago(600), "out", {"email": "p@coveo.com"})
    d.interaction("message", ago(550), "out", {"email": "p@coveo.com"})
    # Cold phone contact, last seen four years ago.
    d.person("old", "Paul Ancien", emails=("paul@ancien.ca",), collected="2015-03-01")
    d.interaction("call", ago(1500), "both", {"email": "paul@ancien.ca"})
    # Never engaged, by source.
    d.person("bob", "Robert Chen", source="cards", connector="cards", collected=ago(30))
    d.record("bob", source="linkedin", connector="linkedin", collected=ago(400))
    d.person("alex", "Alexandre Dubois", source="linkedin", connector="linkedin",
             collected=ago(60))
    d.interaction("invitation", ago(60), "out", {"name": "Alexandre Dubois"})
    d.person("sophie", "Sophie Martin", source="cards", connector="cards", collected=ago(10))
    d.person("ancient", "Anne Vieux", collected="2012-01-01")
    d.person("recent", "Rita Neuve", collected=ago(100))
    d.person("undated", "Ulysse Sansdate", source="google", connector="csv")
    d.person("future", "Fanny Future", source="cards", connector="cards",
             collected=(AS_OF + timedelta(days=3)).isoformat())


def test_order_and_groups(directory: Directory) -> None:
    build(directory)
    annotated = list(directory.annotated(AS_OF).values())
    cold = cold_contacts(annotated)
    assert [(c["id"], c["group"]) for c in cold] == [
        ("fred", "strong tie gone cold"),
        ("old", "phone contact, no trace for years"),
        ("priya", "gone cold"),
        ("sophie", "business card never followed up"),
        ("bob", "business card never followed up"),
        ("alex", "LinkedIn connection never messaged"),
        ("recent", "address-book contact never engaged"),
        ("ancient", "phone contact, no trace for years"),
        ("undated", "address-book contact, no trace for years"),
    ]
    assert all(c["status"] in ("cold", "never_engaged") for c in cold)


def test_strength_orders_cold_ties(directory: Directory) -> None:
    build(directory)
    got = directory.annotated(AS_OF)
    assert got["fred"]["tie"]["past"] > got["old"]["tie"]["past"] > got["priya"]["tie"]["past"]
    assert got["priya"]["tie"]["past"] > 0
    assert got["fred"]["status"] == got["priya"]["status"] == "cold"


def test_an_earlier_date_puts_people_back_on_the_list(directory: Directory) -> None:
    build(directory)
    earlier = AS_OF - timedelta(days=11)
    cold = cold_contacts(list(directory.annotated(earlier).values()))
    ids = [c["id"] for c in cold]
    assert "thomas" in ids        # met 5 days before AS_OF: never engaged 11 days before
    assert "sophie" not in ids    # card collected 10 days before AS_OF: not yet
