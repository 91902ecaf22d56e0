"""The interactions-log connector: the shared contract, one fixture per oddity of a
hand-kept file, and hypothesis on arbitrary text and dates."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync.registry import registry
from reseausync_connectors.interactions import InteractionsLogConnector
from reseausync_connectors.interactions.columns import kind_of
from reseausync_connectors.interactions.row import RowError, parse_date, participants

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "interactions"
ME = frozenset({"marie@example.com", "marie.example@gmail.com"})


def read(path: Path) -> list:
    conn = InteractionsLogConnector({}, ReadContext(source="test", me_emails=ME))
    return list(conn.read(list(conn.discover(str(path)))))


def interactions(path: Path) -> list[Interaction]:
    return [i for i in read(path) if isinstance(i, Interaction)]


def people(item: Interaction) -> list[tuple[str, str, str, str]]:
    return [(p.name, p.email, p.phone, p.linkedin_url) for p in item.participants]


class TestInteractionsLogContract(ConnectorContract):
    connector_cls = InteractionsLogConnector
    good_target = ROOT / "samples" / "interactions.csv"
    broken_target = FIXTURES / "broken.csv"
    expected_records = 0
    expected_interactions = 5
    # Pinned: the id is a digest of the row, and must not change between versions.
    after_bad_external_id = "row-4b9526b4c010a92d"
    context = ReadContext(source="test", me_emails=ME)


def test_sample_rows() -> None:
    sample = ROOT / "samples" / "interactions.csv"
    items = interactions(sample)
    mike = items[0]
    assert mike.occurred_at == datetime(2026, 11, 10, 22, 30, tzinfo=UTC)
    assert mike.kind == "meeting" and mike.direction == "both"
    assert people(mike) == [("Mike Rossi", "mike.rossi@outlook.com", "", "")]
    assert mike.subject == "Bière après la game, parlé du tournoi de février"
    assert mike.extra == {"channel": "bière", "floating": True}     # 22:30, no zone
    assert mike.locator == f"{sample}:2"
    assert [i.kind for i in items] == ["meeting"] * 5       # bière, café, 5 à 7 x2, souper


def test_bad_rows_are_rejected_at_their_line() -> None:
    broken = FIXTURES / "broken.csv"
    found = [(r.locator, r.reason) for r in read(broken) if isinstance(r, Reject)]
    assert found == [(f"{broken}:3", "bad-date"), (f"{broken}:4", "bad-date"),
                     (f"{broken}:5", "no-who"), (f"{broken}:6", "bad-date"),
                     (f"{broken}:7", "bad-date")]
    assert [i.locator for i in interactions(broken)] == [f"{broken}:2", f"{broken}:8"]


def test_an_unbalanced_quote_rejects_its_line_only(tmp_path: Path) -> None:
    """A note left open (`"runaway note`) swallowed every following row into one
    cell: four rows gave one interaction and no reject. The contact CSVs' row
    reader now serves the log too."""
    log = tmp_path / "log.csv"
    log.write_text('date,who,channel,note\n2026-11-01,ann@x.org,call,"runaway note\n'
                   + "".join(f"2026-11-0{d},p{d}@x.org,call,ok\n" for d in (2, 3, 4)),
                   encoding="utf-8")
    found = read(log)
    assert [(r.locator, r.reason) for r in found if isinstance(r, Reject)] == [
        (f"{log}:2", "bad-row")]
    assert [i.locator for i in found if isinstance(i, Interaction)] == [
        f"{log}:3", f"{log}:4", f"{log}:5"]


def test_locations_keep_the_folder(tmp_path: Path) -> None:
    """Two logs both named `journal.csv` (one folder per year) gave their rejects
    and interactions the same location, `journal.csv:3`: the path as given is kept,
    as the contact CSVs and LinkedIn do."""
    targets = []
    for year in ("log2025", "log2026"):
        (tmp_path / year).mkdir()
        path = tmp_path / year / "journal.csv"
        path.write_text(f"date,who,channel,note\n{year[3:]}-03-01,Luc Gagné,café,\n"
                        "yesterday,Luc Gagné,lunch,\n", encoding="utf-8")
        targets.append(path)
    for path in targets:
        found = read(path)
        assert [i.locator for i in found if isinstance(i, Interaction)] == [f"{path}:2"]
        assert [r.locator for r in found if isinstance(r, Reject)] == [f"{path}:3"]
    zipped = tmp_path / "logs.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(targets[0], "2025/journal.csv")
    conn = InteractionsLogConnector({}, ReadContext(source="test"))
    units = list(conn.discover(str(zipped)))
    assert [i.locator for i in conn.read(units)] == [f"{zipped}!2025/journal.csv:2",
                                                     f"{zipped}!2025/journal.csv:3"]


def test_french_header_semicolons_cp1252() -> None:
    items = interactions(FIXTURES / "french_semicolon.csv")
    assert [(i.kind, i.direction) for i in items] == [
        ("meeting", "both"), ("call", "out"), ("call", "in"), ("message", "both")]
    assert items[0].occurred_at == datetime(2026, 6, 12, 17, 30, tzinfo=UTC)
    assert items[0].subject == "Rencontrée au 5 à 7 de la Chambre"
    assert people(items[1]) == [("", "", "+1 514 555 9090", "")]
    assert items[3].extra == {"channel": "texto", "direction_written": "n'importe quoi",
                              "all_day": True}


def test_separate_name_email_phone_columns_pair_by_position() -> None:
    first, second = interactions(FIXTURES / "separate_columns.csv")
    assert first.occurred_at == datetime(2026, 4, 1, 16, tzinfo=UTC)
    assert people(first) == [("Bob Chen", "bob@nimbuslabs.io", "", ""),
                             ("Priya Natarajan", "pnatarajan@coveo.com", "418-555-3030", "")]
    assert first.kind == "meeting"
    assert people(second) == [("", "alex.dubois@elementai.com", "", "")]
    assert second.kind == "message"


def test_comments_multiline_notes_duplicates_and_profile_urls() -> None:
    path = FIXTURES / "duplicates_comments_multiline.csv"
    items = interactions(path)
    assert [i.locator for i in items] == [f"{path}:{n}" for n in (4, 6, 7, 8)]
    assert items[0].subject == "Hockey, then beer:\na long note on two lines"
    assert items[2].external_id == items[1].external_id + "-2"
    assert people(items[3]) == [("", "", "", "https://www.linkedin.com/in/jftremblay")]


def test_tab_separated_and_utf16() -> None:
    zoom, odd = interactions(FIXTURES / "tab_separated.tsv")
    assert zoom.kind == "call" and odd.kind == "note"
    [kate] = interactions(FIXTURES / "utf16_bom.csv")
    assert kate.kind == "email" and people(kate) == [("Kate O'Brien", "", "", "")]


def test_a_contacts_csv_is_not_a_log() -> None:
    path = FIXTURES / "contacts_not_a_log.csv"
    assert not InteractionsLogConnector.can_open(str(path))
    [reject] = read(path)
    assert reject.reason == "not-an-interactions-log" and reject.locator == f"{path}:1"


def test_wins_over_generic_csv_only_on_its_own_header() -> None:
    assert InteractionsLogConnector.can_open(str(FIXTURES / "french_semicolon.csv"))
    assert registry.detect(str(ROOT / "samples" / "interactions.csv")) \
        is InteractionsLogConnector
    assert registry.detect(str(FIXTURES / "contacts_not_a_log.csv")) \
        is not InteractionsLogConnector


def test_ids_are_stable_and_depend_on_content(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("date,who\n2026-01-01,A\n2026-01-02,B\n")
    before = [i.external_id for i in interactions(path)]
    path.write_text("date,who\n2026-01-02,B\n2026-01-01,A\n2026-01-03,C\n")
    after = [i.external_id for i in interactions(path)]
    assert after[:2] == before[::-1] and after[2] not in before


def test_people_separated_by_commas_are_each_kept(tmp_path: Path) -> None:
    """"Paul <paul@kpmg.ca>, Zoé <zoe@example.com>" became one person named
    "Paul <paul@kpmg.ca>, Zoé" with Zoé's address: Paul was lost."""
    path = tmp_path / "journal.csv"
    path.write_text("Date;Qui;Canal;Note\n"
                    "2024-05-02;Paul <paul@kpmg.ca>, Zoé <zoe@example.com>;souper;deux\n",
                    encoding="utf-8")
    [item] = interactions(path)
    assert people(item) == [("Paul", "paul@kpmg.ca", "", ""), ("Zoé", "zoe@example.com", "", "")]


def test_commas_inside_names_do_not_split_people() -> None:
    def cell(who: str) -> list[tuple[str, str]]:
        return [(p.name, p.email) for p in participants(who, "", "", "")]

    assert cell("Tremblay, Jean <jf@acme.ca>, Zoé <zoe@x.ca>") == [
        ("Tremblay, Jean", "jf@acme.ca"), ("Zoé", "zoe@x.ca")]
    assert cell('"Gagnon, Élise" <elise@x.ca>, bob@y.org') == [
        ("Gagnon, Élise", "elise@x.ca"), ("", "bob@y.org")]
    assert cell("Tremblay, Jean") == [("Tremblay, Jean", "")]
    assert cell("Paul <paul@kpmg.ca>, Zoé") == [("Paul", "paul@kpmg.ca"), ("Zoé", "")]
    assert cell("a@b.ca, c@d.ca; Luc") == [("", "a@b.ca"), ("", "c@d.ca"), ("Luc", "")]


_LOG_NAMES = st.sampled_from(["", "Paul", "Zoé Bédard", "Tremblay, Jean", '"Gagnon, Élise"',
                              "O'Brien", "Jean-François"])
_LOG_ADDRESSES = st.sampled_from(["paul@kpmg.ca", "zoe@example.com", "jf.tremblay@acme.ca",
                                  "x+y@mail.example.org"])


@settings(max_examples=150, deadline=None)
@given(entries=st.lists(st.tuples(_LOG_NAMES, _LOG_ADDRESSES, st.booleans()), min_size=1,
                        max_size=5),
       separator=st.sampled_from([", ", ",", " , ", "; "]))
def test_every_address_of_a_who_cell_is_one_participant(
        entries: list[tuple[str, str, bool]], separator: str) -> None:
    cell = separator.join(f"{name} <{addr}>" if name or angle else addr
                          for name, addr, angle in entries)
    found = participants(cell, "", "", "")
    assert [p.email for p in found] == [addr for _name, addr, _angle in entries]
    assert [p.name for p in found] == [name.strip('"') for name, _addr, _angle in entries]


def test_channel_words() -> None:
    assert kind_of("5 à 7") == kind_of("Coffee") == kind_of("beer after the game") == "meeting"
    assert kind_of("video call") == kind_of("Appel") == "call"
    assert kind_of("Courriel") == "email" and kind_of("WhatsApp") == "message"
    assert kind_of("") == kind_of("?") == "note"


def test_date_formats() -> None:
    assert parse_date("2026-11-10") == datetime(2026, 11, 10, tzinfo=UTC)
    assert parse_date("2026-11-10 18:00") == datetime(2026, 11, 10, 18, tzinfo=UTC)
    assert parse_date("2026/11/10 18h05") == datetime(2026, 11, 10, 18, 5, tzinfo=UTC)
    assert parse_date("2026-11-10T18:00:30Z") == datetime(2026, 11, 10, 18, 0, 30, tzinfo=UTC)
    assert parse_date("2026-11-10T18:00+01:00") == datetime(2026, 11, 10, 17, tzinfo=UTC)


FIXTURE_OK = [HealthCheck.function_scoped_fixture]


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=40))
def test_parse_date_only_raises_row_errors(text: str) -> None:
    try:
        moment = parse_date(text)
    except RowError as exc:
        assert exc.reason == "bad-date"
    else:
        assert moment.tzinfo is UTC


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(body=st.text(max_size=400), delimiter=st.sampled_from([",", ";", "\t"]))
@example(body='"', delimiter=",")     # the file ends in a quoted cell: its reject names line 2
def test_never_raises_on_arbitrary_text(tmp_path: Path, body: str, delimiter: str) -> None:
    path = tmp_path / "fuzz.csv"
    header = delimiter.join(["date", "who", "channel", "note", "direction"])
    path.write_text(header + "\n" + body, encoding="utf-8", errors="surrogatepass")
    for item in read(path):
        assert isinstance(item, Interaction | Reject)
        if isinstance(item, Interaction):
            assert item.participants and item.occurred_at.tzinfo is not None
        else:
            assert item.locator.startswith(f"{path}:")


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=st.binary(max_size=1000))
def test_never_raises_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b"date,who\n" + data)
    assert all(isinstance(i, Interaction | Reject) for i in read(path))
