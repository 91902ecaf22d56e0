"""Status as of a date: each boundary, engagement versus attempts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reseausync.engagement import annotate

from .conftest import Directory, settings

AS_OF = date(2026, 11, 20)
JF = {"email": "jf.tremblay@acme.ca"}


def jf(d: Directory) -> str:
    return d.person("jf", "Jean-François Tremblay", emails=("jf.tremblay@acme.ca",))


def days_before(n: int) -> str:
    return (AS_OF - timedelta(days=n)).isoformat()


@pytest.mark.parametrize(("age", "status"), [
    (0, "engaged"), (90, "engaged"), (91, "cooling"), (365, "cooling"), (366, "cold"),
    (3000, "cold")])
def test_status_boundaries_with_default_thresholds(directory: Directory, age: int,
                                                   status: str) -> None:
    jf(directory)
    directory.interaction("meeting", days_before(age), "both", JF)
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == status
    assert got["last_interaction"].startswith(days_before(age))


def test_thresholds_come_from_settings(directory: Directory) -> None:
    jf(directory)
    directory.interaction("meeting", days_before(40), "both", JF)
    directory.settings = settings(cooling_after="30d", cold_after="5w")
    assert directory.annotated(AS_OF)["jf"]["status"] == "cold"
    directory.settings = settings(cooling_after="30d", cold_after="6w")
    assert directory.annotated(AS_OF)["jf"]["status"] == "cooling"


def test_collected_and_never_engaged(directory: Directory) -> None:
    jf(directory)
    got = directory.annotated(AS_OF)["jf"]
    assert (got["status"], got["last_interaction"], got["last_attempt"],
            got["interaction_count"], got["tie_strength"]) == ("never_engaged", None, None, 0, 0)


@pytest.mark.parametrize("kind", ["invitation", "endorsement", "card_exchange"])
def test_collection_kinds_are_attempts(directory: Directory, kind: str) -> None:
    jf(directory)
    directory.interaction(kind, days_before(3), "out", JF)
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == "never_engaged"
    assert got["last_attempt"].startswith(days_before(3))
    assert got["interaction_count"] == 1


@pytest.mark.parametrize(("kind", "direction"), [
    ("meeting", "both"), ("meeting", "none"), ("call", "out"), ("recommendation", "in"),
    ("note", "both"), ("message", "both")])
def test_presence_and_testimony_are_engagement(directory: Directory, kind: str,
                                               direction: str) -> None:
    jf(directory)
    directory.interaction(kind, days_before(3), direction, JF)
    assert directory.annotated(AS_OF)["jf"]["status"] == "engaged"


def test_one_sided_note_is_an_attempt(directory: Directory) -> None:
    jf(directory)
    directory.interaction("note", days_before(3), "out", JF)
    assert directory.annotated(AS_OF)["jf"]["status"] == "never_engaged"


def test_message_never_answered_is_an_attempt_either_way(directory: Directory) -> None:
    jf(directory)
    directory.person("kate", "Kate O'Brien", emails=("kate@shopify.com",))
    directory.interaction("message", days_before(10), "out", JF, thread="t1")
    directory.interaction("message", days_before(9), "in", {"email": "kate@shopify.com"},
                          thread="t2")
    got = directory.annotated(AS_OF)
    assert got["jf"]["status"] == got["kate"]["status"] == "never_engaged"
    assert got["kate"]["last_attempt"].startswith(days_before(9))


def test_answered_email_engages_both_messages(directory: Directory) -> None:
    jf(directory)
    directory.interaction("email", days_before(20), "out", JF, thread="t")
    directory.interaction("email", days_before(15), "in", JF, thread="t")
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == "engaged"
    assert got["last_interaction"].startswith(days_before(15))
    assert got["last_attempt"] is None
    assert got["interaction_count"] == 2


def test_reply_in_another_thread_or_too_late_is_no_exchange(directory: Directory) -> None:
    jf(directory)
    directory.interaction("message", days_before(200), "out", JF, thread="a")
    directory.interaction("message", days_before(199), "in", JF, thread="b")
    directory.interaction("email", days_before(100), "out", JF)
    directory.interaction("email", days_before(60), "in", JF)      # 40 days > 30-day window
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == "never_engaged"
    assert got["interaction_count"] == 4
    assert got["last_attempt"].startswith(days_before(60))


def test_old_exchange_then_unanswered_followup(directory: Directory) -> None:
    jf(directory)
    directory.interaction("message", days_before(400), "in", JF, thread="t")
    directory.interaction("message", days_before(399), "out", JF, thread="t")
    directory.interaction("message", days_before(5), "out", JF, thread="t")
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == "cold"
    assert got["last_interaction"].startswith(days_before(399))
    assert got["last_attempt"].startswith(days_before(5))


def test_nothing_after_the_as_of_date_counts(directory: Directory) -> None:
    jf(directory)
    directory.interaction("email", days_before(2), "out", JF, thread="t")
    directory.interaction("email", (AS_OF + timedelta(days=1)).isoformat(), "in", JF, thread="t")
    directory.interaction("meeting", (AS_OF + timedelta(days=3)).isoformat(), "both", JF)
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == "never_engaged"
    assert got["interaction_count"] == 1
    later = directory.annotated(AS_OF + timedelta(days=1))["jf"]
    assert later["status"] == "engaged"


def test_late_in_the_as_of_day_counts(directory: Directory) -> None:
    jf(directory)
    directory.interaction("meeting", f"{AS_OF.isoformat()}T23:59:59+00:00", "both", JF)
    assert directory.annotated(AS_OF)["jf"]["status"] == "engaged"


def test_automated_mail_is_ignored(directory: Directory) -> None:
    jf(directory)
    directory.interaction("email", days_before(3), "in", JF, extra={"automated": True})
    directory.interaction("email", days_before(2), "out", JF)
    got = directory.annotated(AS_OF)["jf"]
    assert got["status"] == "never_engaged"
    assert got["interaction_count"] == 1


def test_person_named_twice_in_one_interaction_counts_once(directory: Directory) -> None:
    jf(directory)
    directory.interaction("meeting", days_before(3), "both", JF, {"name": "Jean-François Tremblay"})
    assert directory.annotated(AS_OF)["jf"]["interaction_count"] == 1


def test_annotate_a_subset_matches_the_whole(directory: Directory) -> None:
    jf(directory)
    directory.person("kate", "Kate O'Brien", emails=("kate@shopify.com",))
    directory.interaction("meeting", days_before(100), "both", JF)
    whole = directory.annotated(AS_OF)
    one = annotate(directory.store, [c for c in directory.contacts() if c["id"] == "jf"], AS_OF,
                   directory.settings)
    assert one == [whole["jf"]]
    assert whole["jf"]["status"] == "cooling"


def test_without_settings_defaults_apply(directory: Directory) -> None:
    jf(directory)
    directory.interaction("meeting", days_before(100), "both", JF)
    directory.link()
    (got,) = annotate(directory.store, directory.contacts(), AS_OF)
    assert got["status"] == "cooling"
