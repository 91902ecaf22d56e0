"""LinkedIn export connector: the shared contract, then one test per real-world oddity."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.errors import SourceError
from reseausync.models import Interaction, Reject, SourceRecord
from reseausync.registry import registry
from reseausync_connectors.linkedin import LinkedInConnector

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "linkedin"
SAMPLE_ZIP = ROOT / "samples" / "Basic_LinkedInDataExport_11-20-2026.zip"
FIX = ROOT / "tests" / "fixtures" / "linkedin"


class TestLinkedInFolderContract(ConnectorContract):
    connector_cls = LinkedInConnector
    good_target = SAMPLE
    broken_target = FIX / "broken"
    expected_records = 7
    expected_interactions = 7   # 4 messages (1 draft left out), 2 invitations, 1 recommendation
    after_bad_external_id = "https://www.linkedin.com/in/chloeroy"


class TestLinkedInZipContract(TestLinkedInFolderContract):
    good_target = SAMPLE_ZIP


def read(target: Path | str, **ctx) -> list:
    conn = LinkedInConnector({}, ReadContext(source="test", **ctx))
    return list(conn.read(list(conn.discover(str(target)))))


def records(items: list) -> list[SourceRecord]:
    return [i for i in items if isinstance(i, SourceRecord)]


def interactions(items: list) -> list[Interaction]:
    return [i for i in items if isinstance(i, Interaction)]


def rejects(items: list) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


# --- the sample export --------------------------------------------------------

def test_folder_and_zip_give_the_same_items() -> None:
    def strip(items: list) -> list:
        return [(type(i).__name__, i.external_id, i.locator.rsplit("/", 1)[-1])
                for i in items]
    assert strip(read(SAMPLE)) == [
        (kind, key, where.rsplit("!", 1)[-1]) for kind, key, where in strip(read(SAMPLE_ZIP))]


def test_locators_name_the_file_a_user_can_find() -> None:
    """Every export holds a `Connections.csv`: a locator names the folder's file,
    or the zip and its member, as the vCard connector does."""
    folder = records(read(SAMPLE))[0]
    assert folder.locator == f"{SAMPLE / 'Connections.csv'}:5"
    zipped = records(read(SAMPLE_ZIP))[0]
    assert zipped.locator == f"{SAMPLE_ZIP}!Connections.csv:5"
    bad = [r for r in rejects(read(FIX / "broken")) if r.reason == "bad-date"]
    assert sorted(r.locator for r in bad) == [f"{FIX / 'broken' / 'Connections.csv'}:5",
                                             f"{FIX / 'broken' / 'messages.csv'}:2"]


def test_sample_connection_fields() -> None:
    by_id = {r.external_id: r for r in records(read(SAMPLE))}
    jf = by_id["https://www.linkedin.com/in/jftremblay"]
    assert (jf.given_name, jf.family_name) == ("Jean-François", "Tremblay")
    assert jf.title == "Directeur des ventes, Québec"   # quoted comma kept in the cell
    assert jf.emails == [] and jf.collected_at == date(2023, 5, 4)
    assert jf.locator == f"{SAMPLE / 'Connections.csv'}:5"   # header found after the preamble
    bob = by_id["https://www.linkedin.com/in/robertchen-nimbus"]  # mixed case + slash folded
    assert [e.value for e in bob.emails] == ["bob@nimbuslabs.io"]
    assert bob.organization == "Nimbus Labs, Inc."


def test_sample_messages_direction_threads_and_drafts() -> None:
    msgs = [i for i in interactions(read(SAMPLE)) if i.kind == "message"]
    assert len(msgs) == 4      # the draft to Robert Chen and guide_messages.csv are left out
    assert not any("Robert" in p.name for m in msgs for p in m.participants)
    jf = [m for m in msgs if m.participants[0].name == "Jean-François Tremblay"]
    assert sorted(m.direction for m in jf) == ["in", "in", "out"]
    assert len({m.thread for m in jf}) == 1
    kate = [m for m in msgs if m.participants[0].name == "Catherine O'Brien"]
    assert [m.direction for m in kate] == ["in"]       # never answered
    assert kate[0].occurred_at == datetime(2026, 6, 17, 18, 30, tzinfo=UTC)
    for m in msgs:  # the owner is never a participant
        assert all(p.linkedin_url != "https://www.linkedin.com/in/marie-example"
                   for p in m.participants)


def test_sample_invitations_and_recommendation() -> None:
    items = interactions(read(SAMPLE))
    inv = {i.direction: i for i in items if i.kind == "invitation"}
    assert inv["out"].participants[0].linkedin_url == "https://www.linkedin.com/in/alexdubois-ml"
    assert inv["out"].occurred_at == datetime(2026, 1, 10, 14, 37, tzinfo=UTC)
    assert inv["in"].participants[0].name == "Catherine O'Brien"
    assert "Toronto" in inv["in"].extra["message"]
    (rec,) = [i for i in items if i.kind == "recommendation"]
    assert rec.direction == "in" and rec.participants[0].name == "Priya Natarajan"
    assert rec.occurred_at == datetime(2024, 4, 12, 15, 15, tzinfo=UTC)


def test_detected_over_the_csv_connector() -> None:
    assert registry.detect(str(SAMPLE)) is LinkedInConnector
    assert registry.detect(str(SAMPLE_ZIP)) is LinkedInConnector


# --- Connections.csv oddities ---------------------------------------------------

@pytest.mark.parametrize("folder", ["notes_padded", "wrapped_preamble", "comma_rows",
                                    "semicolon"])
def test_header_found_behind_any_preamble(folder: str) -> None:
    items = read(FIX / folder)
    assert not rejects(items), [r.message for r in rejects(items)]
    ana = records(items)[0]
    assert ana.external_id == "https://www.linkedin.com/in/anasilva"
    assert (ana.given_name, ana.collected_at) == ("Ana", date(2024, 1, 15))


def test_comma_only_rows_skipped_and_urls_canonical() -> None:
    recs = records(read(FIX / "comma_rows"))
    assert [r.external_id for r in recs] == ["https://www.linkedin.com/in/anasilva",
                                             "https://www.linkedin.com/in/benokafor"]
    assert recs[1].organization == "Initech, Inc."
    assert recs[1].locator == f"{FIX / 'comma_rows' / 'Connections.csv'}:10"


def test_export_without_url_uses_name_and_date() -> None:
    recs = records(read(FIX / "no_url"))
    assert [r.external_id for r in recs] == [
        "ana silva (2024-01-15)", "ana silva (2024-01-16)", "zoé côté (no date)"]
    assert recs[2].emails[0].value == "zoe@example.org" and recs[2].collected_at is None
    assert all(r.linkedin_url == "" for r in recs)


def test_spreadsheet_dates() -> None:
    recs = records(read(FIX / "spreadsheet_dates"))
    assert [r.collected_at for r in recs] == [date(2021, 3, 29), date(1999, 12, 1)]
    assert recs[1].locator == f"{FIX / 'spreadsheet_dates' / 'Connections.csv'}:3"


def test_truncated_tail_line_rejected_rest_kept() -> None:
    items = read(FIX / "truncated_tail")
    assert [r.external_id for r in records(items)] == ["https://www.linkedin.com/in/anasilva"]
    (bad,) = rejects(items)
    assert bad.locator == f"{FIX / 'truncated_tail' / 'Connections.csv'}:3"
    assert bad.reason == "cell-count"


def test_broken_rows_each_rejected_with_file_and_line() -> None:
    items = read(FIX / "broken")
    got = sorted((r.locator.rsplit("/", 1)[-1], r.reason) for r in rejects(items))
    assert got == [("Connections.csv:5", "bad-date"), ("messages.csv:2", "bad-date")]
    # line 6 lacks its last cell (Connected On), as Excel leaves out empty last cells:
    # the connection is read, without a date
    ben = next(r for r in records(items) if r.locator.endswith("Connections.csv:6"))
    assert (ben.display_name, ben.organization, ben.collected_at) == ("Ben Okafor", "Initech",
                                                                      None)
    assert "31 Feb 2024" in next(r.message for r in rejects(items) if r.reason == "bad-date"
                                 and "/Connections.csv:" in r.locator)
    (msg,) = interactions(items)
    assert msg.direction == "none"   # one conversation, no profile, no config: no guess


# --- messages.csv ----------------------------------------------------------------

def test_messages_columns_by_name_and_drafts() -> None:
    items = read(FIX / "messages_old_columns")
    msgs = interactions(items)
    assert [(m.direction, m.participants[0].name) for m in msgs] == [
        ("in", "Ana Silva"), ("out", "Ana Silva")]
    assert msgs[0].subject == "Hello" and msgs[0].participants[0].linkedin_url.endswith("anasilva")
    assert msgs[1].participants[0].linkedin_url == ""   # no recipient URLs in this version


def test_owner_guessed_when_no_profile_and_no_config() -> None:
    msgs = interactions(read(FIX / "messages_no_profile"))
    assert [m.direction for m in msgs] == ["in", "out", "in", "in"]
    group = msgs[3]
    assert {p.name for p in group.participants} == {"Chloé Roy", "Ana Silva"}


def test_owner_from_config_url() -> None:
    ctx = {"me_linkedin_url": "http://linkedin.com/in/Marie-Example/"}
    msgs = interactions(read(FIX / "broken", **ctx))
    assert [m.direction for m in msgs] == ["out"]
    assert msgs[0].participants[0].name == "Chloé Roy"


def test_message_ids_stable_and_distinct() -> None:
    first = [m.external_id for m in interactions(read(SAMPLE))]
    assert len(set(first)) == len(first)
    assert first == [m.external_id for m in interactions(read(SAMPLE_ZIP))]


# --- invitations, endorsements, recommendations ------------------------------------

def test_old_invitations_and_bad_direction() -> None:
    items = read(FIX / "invitations_old")
    inv = interactions(items)
    assert [(i.direction, i.participants[0].name) for i in inv] == [
        ("out", "Ana Silva"), ("in", "Ben Okafor")]
    assert inv[0].occurred_at == datetime(2026, 1, 29, 14, 37, tzinfo=UTC)
    assert inv[1].occurred_at == datetime(2025, 12, 1, 11, 59, tzinfo=UTC)
    (bad,) = rejects(items)
    assert (bad.locator, bad.reason) == (f"{FIX / 'invitations_old' / 'Invitations.csv'}:4",
                                         "bad-direction")


def test_endorsements_and_recommendations_given_and_received() -> None:
    got = {(i.kind, i.direction): i for i in interactions(read(FIX / "endorsements"))}
    assert set(got) == {("endorsement", "in"), ("endorsement", "out"), ("recommendation", "out")}
    received = got[("endorsement", "in")]
    assert received.participants[0].linkedin_url == "https://www.linkedin.com/in/anasilva"
    assert received.subject == "Product Management"
    assert received.occurred_at == datetime(2020, 5, 11, 11, 45, 46, tzinfo=UTC)
    assert got[("recommendation", "out")].participants[0].name == "Chloé Roy"


# --- zips and folders that are not what they claim ---------------------------------

def test_not_a_linkedin_zip(tmp_path: Path) -> None:
    target = tmp_path / "holiday.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("photos/list.csv", "a,b\n1,2\n")
    assert not LinkedInConnector.can_open(str(target))
    with pytest.raises(SourceError) as err:
        read(target)
    assert "not a LinkedIn data export" in str(err.value)
    assert "Connections.csv" in str(err.value) and "messages.csv" in str(err.value)


def test_not_a_linkedin_folder(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text("Name\nAna\n")
    with pytest.raises(SourceError, match="Connections.csv"):
        read(tmp_path)


def test_escaping_member_rejected_others_read(tmp_path: Path) -> None:
    target = tmp_path / "Basic_LinkedInDataExport_01-01-2026.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../../etc/messages.csv", "CONVERSATION ID,FROM,DATE\nx,y,z\n")
        archive.write(FIX / "no_url" / "Connections.csv", "Connections.csv")
    items = read(target)
    (bad,) = rejects(items)
    assert bad.reason == "unsafe-path" and "escapes" in bad.message
    assert len(records(items)) == 3


def test_guide_messages_are_not_units() -> None:
    conn = LinkedInConnector({}, ReadContext(source="test"))
    names = {u.name for u in conn.discover(str(SAMPLE))}
    assert "guide_messages.csv" not in names and "messages.csv" in names


def test_can_open_a_single_connections_file() -> None:
    target = FIX / "no_url" / "Connections.csv"
    assert LinkedInConnector.can_open(str(target))
    assert len(records(read(target))) == 3


# --- the owner from Invitations.csv (no Profile.csv) ----------------------------------

OLD_MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,"
    "FOLDER,IS MESSAGE DRAFT\n"
    "o1,,Marc Gauthier,https://www.linkedin.com/in/marcgauthier,Marie Example,"
    "2019-03-01 10:00:00 UTC,,salut,INBOX,No\n"
    "o1,,Marie Example,https://www.linkedin.com/in/marie-example,Marc Gauthier,"
    "2019-03-02 10:00:00 UTC,,allo,INBOX,No\n"
    "o2,,Marie Example,https://www.linkedin.com/in/marie-example,\"Anne Lapointe, Marc Gauthier\","
    "2019-04-02 10:00:00 UTC,,group,INBOX,No\n")


def _old_export(tmp_path: Path, invitations: str) -> Path:
    """QA's older export: no Profile.csv, no RECIPIENT PROFILE URLS; Marc is in both
    conversations, as the owner is, so the messages alone cannot tell them apart."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "messages.csv").write_text(OLD_MESSAGES, encoding="utf-8")
    (folder / "Invitations.csv").write_text(invitations, encoding="utf-8")
    return folder


def _messages(items: list) -> list[tuple[str, list[str]]]:
    return [(m.direction, [p.name for p in m.participants])
            for m in interactions(items) if m.kind == "message"]


def test_owner_from_an_incoming_invitation(tmp_path: Path) -> None:
    folder = _old_export(tmp_path, "From,To,Sent At,Message,Direction\n"
                                   'Anne Lapointe,Marie Example,"1/14/19, 9:00 AM",,INCOMING\n')
    assert _messages(read(folder)) == [
        ("in", ["Marc Gauthier"]), ("out", ["Marc Gauthier"]),
        ("out", ["Anne Lapointe", "Marc Gauthier"])]


def test_owner_from_an_outgoing_invitation_with_urls(tmp_path: Path) -> None:
    """The newer layout gives the owner's URL too: recognised under another name."""
    folder = _old_export(
        tmp_path, "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
                  'Marie Example,Anne Lapointe,"1/14/19, 9:00 AM",,OUTGOING,'
                  "https://www.linkedin.com/in/marie-example,"
                  "https://www.linkedin.com/in/annelapointe\n")
    path = folder / "messages.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Marie Example,https", "Marie E.,https"), encoding="utf-8")
    assert [d for d, _ in _messages(read(folder))] == ["in", "out", "out"]


def test_without_profile_or_invitations_a_tie_stays_unknown(tmp_path: Path) -> None:
    """Marc and the owner are each in both conversations: no honest guess."""
    folder = _old_export(tmp_path, "From,To,Sent At,Message,Direction\n")
    assert [d for d, _ in _messages(read(folder))] == ["none", "none", "none"]


def test_invitations_name_the_owner_beside_a_configured_url(tmp_path: Path) -> None:
    """The URL tells sent messages; without recipient URLs only the name tells the
    owner among an incoming message's recipients."""
    folder = _old_export(tmp_path, "From,To,Sent At,Message,Direction\n"
                                   'Anne Lapointe,Marie Example,"1/14/19, 9:00 AM",,INCOMING\n')
    got = _messages(read(folder, me_linkedin_url="https://www.linkedin.com/in/marie-example"))
    assert got[0] == ("in", ["Marc Gauthier"])


def test_profile_outranks_invitations(tmp_path: Path) -> None:
    folder = _old_export(tmp_path, "From,To,Sent At,Message,Direction\n"
                                   'Anne Lapointe,Marc Gauthier,"1/14/19, 9:00 AM",,INCOMING\n')
    (folder / "Profile.csv").write_text("First Name,Last Name,Headline\nMarie,Example,CEO\n",
                                        encoding="utf-8")
    assert [d for d, _ in _messages(read(folder))] == ["in", "out", "out"]
