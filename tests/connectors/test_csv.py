"""Contact-CSV connector: contract, shipped mappings, encodings, delimiters, rejects."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.config import load_settings
from reseausync.connector import ReadContext
from reseausync.errors import SourceError
from reseausync.models import Reject, SourceRecord
from reseausync.registry import registry
from reseausync.sync import sync_sources
from reseausync_connectors.csvfile import CsvConnector
from reseausync_connectors.csvfile.mapping import choose_mapping, shipped_mappings
from reseausync_connectors.csvfile.rows import sniff_delimiter

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "csv"
GOOGLE = ROOT / "samples" / "google.csv"
OUTLOOK = ROOT / "samples" / "outlook.csv"
SHIPPED = ROOT / "connectors" / "reseausync_connectors" / "csvfile" / "mappings"


class TestCsvContract(ConnectorContract):
    connector_cls = CsvConnector
    good_target = GOOGLE
    broken_target = FIX / "broken.csv"
    expected_records = 3
    after_bad_external_id = "good@example.com"


class TestCsvOutlookContract(ConnectorContract):
    connector_cls = CsvConnector
    good_target = OUTLOOK
    broken_target = FIX / "outlook_broken.csv"
    expected_records = 1
    after_bad_external_id = "good@example.com"
    options = {"mapping": "outlook"}


def read(target: Path, **options) -> list:
    conn = CsvConnector(options, ReadContext(source="test"))
    return list(conn.read(list(conn.discover(str(target)))))


def records(items: list) -> list[SourceRecord]:
    return [i for i in items if isinstance(i, SourceRecord)]


def rejects(items: list) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


def test_google_sample_fields() -> None:
    jf, elise, bob = records(read(GOOGLE))
    assert (jf.display_name, jf.external_id) == ("JF Tremblay", "jf.tremblay@acme.ca")
    assert jf.phones[0].value == "514-555-1234" and jf.emails[0].label == "Work"
    assert elise.categories == ["Famille", "Amis"]             # ' ::: ', myContacts dropped
    assert elise.addresses[0].locality == "Montréal"
    assert elise.locator == f"{GOOGLE}:3"   # the path as given, as the vCard connector
    assert bob.locator == f"{GOOGLE}:6"   # the address above spans three lines
    assert [p.label for p in bob.phones] == ["Work", "Mobile"]  # labels paired with values
    assert bob.linkedin_url == "https://www.linkedin.com/in/robertchen-nimbus"


def test_outlook_utf16_sample_picked_automatically() -> None:
    (kate,) = records(read(OUTLOOK))
    assert (kate.given_name, kate.nickname, kate.organization) == ("Catherine", "Kate", "Shopify")
    assert kate.phones[0].label == "work" and kate.birthday == ""     # 0/0/00 is no birthday
    assert kate.categories == ["Clients", "Shopify"]
    assert "Toronto" in kate.note and "«" in kate.note


def test_broken_rows_rejected_with_line_numbers() -> None:
    """Ben's row lacks its empty last cells (as Excel writes them): it is read. The
    last line, cut off inside a row by the end of the file, is not."""
    items = read(FIX / "broken.csv")
    ana, ben, good = records(items)
    assert [ana.external_id, good.external_id] == ["ana@globex.com", "good@example.com"]
    assert (ben.display_name, ben.organization, ben.title) == ("Ben Okafor", "Initech", "CTO")
    assert [(r.locator, r.reason) for r in rejects(items)] == [
        (f"{FIX / 'broken.csv'}:4", "no-identity"), (f"{FIX / 'broken.csv'}:6", "cell-count")]


def test_google_legacy_with_bom_and_type_columns() -> None:
    elise, bob = records(read(FIX / "google_legacy_bom.csv"))
    assert elise.display_name == "Élise Gagnon"
    assert [(e.value, e.label) for e in elise.emails] == [
        ("elise.gagnon@gmail.com", "Home"), ("elise@bureau.ca", "Work")]
    assert elise.categories == ["Famille", "Amis"]
    assert (bob.given_name, bob.nickname, bob.organization) == ("Robert", "Bob", "Nimbus Labs")
    assert [e.value for e in bob.emails] == ["bob@nimbuslabs.io", "robert.chen@gmail.com"]


def test_a_zip_members_locator_names_the_zip(tmp_path: Path) -> None:
    """`export.zip!contacts.csv:2`, as the vCard connector writes it: the bare member
    name would not say which of several exports is meant."""
    import zipfile
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(FIX / "broken.csv", "contacts/broken.csv")
    items = read(archive)
    assert records(items)[0].locator == f"{archive}!contacts/broken.csv:2"
    assert rejects(items)[0].locator == f"{archive}!contacts/broken.csv:4"


def test_outlook_cp1252() -> None:
    (fred,) = records(read(FIX / "outlook_cp1252.csv"))
    assert (fred.given_name, fred.prefix) == ("Frédéric", "M.")
    assert fred.addresses[0].street == "800 boul. René-Lévesque O."
    assert fred.categories == ["Clients", "Aéro"] and fred.note == "Café « jeudi »"


@pytest.mark.parametrize("name", ["google_semicolon.csv", "google_tab_utf16.csv"])
def test_delimiter_and_encoding_sniffed(name: str) -> None:
    (rec,) = records(read(FIX / name))
    assert rec.emails and rec.emails[0].value in {"zoe@globex.fr", "ana@globex.com"}
    assert rec.family_name in {"Côté", "Silva"}


def test_semicolon_keeps_commas_in_cells() -> None:
    (zoe,) = records(read(FIX / "google_semicolon.csv"))
    assert zoe.organization == "Globex, SA"


def test_unknown_header_names_the_closest_mapping() -> None:
    (bad,) = read(FIX / "unknown_header.csv")
    assert isinstance(bad, Reject) and bad.reason == "unknown-header"
    assert "closest is" in bad.message and "missing columns" in bad.message
    assert "Nom" in bad.excerpt


def test_a_named_mapping_the_header_does_not_fit_rejects_the_file(tmp_path) -> None:
    """Outlook's mapping on a Google export would read three names and drop every
    email and phone without a word; the file is rejected, naming what is missing
    and the mapping that fits. A header no mapping fits whole is still read with
    the one the user named."""
    (bad,) = read(GOOGLE, mapping="outlook")
    assert isinstance(bad, Reject) and bad.reason == "mapping-mismatch"
    assert "'outlook' mapping needs the column(s) E-mail Address" in bad.message
    assert "fits the 'google' mapping" in bad.message
    assert len(records(read(GOOGLE, mapping="google"))) == 3
    rows = list(csv.reader(io.StringIO(OUTLOOK.read_text(encoding="utf-16"))))
    cut = rows[0].index("Job Title")                 # an Outlook variant without it
    variant = tmp_path / "variant.csv"
    with variant.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([c for i, c in enumerate(row) if i != cut] for row in rows)
    assert read(variant)[0].reason == "unknown-header"
    (person,) = records(read(variant, mapping="outlook"))
    assert person.emails and person.phones


def test_user_mapping_from_a_toml_path() -> None:
    items = read(FIX / "crm.csv", mapping=str(FIX / "crm.toml"))
    ana, ben = records(items)
    assert (ana.external_id, ana.display_name) == ("C-001", "Ana Silva")
    assert ana.categories == ["Clients", "VIP"] and ana.phones[0].label == "work"
    assert ben.external_id == "C-002" and ben.emails == []


def test_user_mappings_are_picked_from_the_header_and_by_name(tmp_path) -> None:
    """`mappings` lists the user's own files (or folders): without `mapping`, a file
    whose header only they fit is read with them; `mapping` can name them."""
    assert read(FIX / "crm.csv")[0].reason == "unknown-header"
    for spec in (FIX / "crm.toml", FIX):          # a file, or the folder holding it
        for options in ({"mappings": [str(spec)]},
                        {"mappings": [str(spec)], "mapping": "crm"}):
            ana, ben = records(read(FIX / "crm.csv", **options))
            assert (ana.external_id, ana.display_name) == ("C-001", "Ana Silva")
            assert ben.external_id == "C-002"
    # the shipped layouts are still recognised beside them
    assert len(records(read(GOOGLE, mappings=[str(FIX / "crm.toml")]))) == 3


def test_user_mapping_wins_a_tie_with_a_shipped_one(tmp_path) -> None:
    """A user's copy of Google's mapping (same columns, given and family names read
    the other way round) fits exactly as well: the user's is the one used."""
    text = (SHIPPED / "google.toml").read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(text.replace('name = "google"', 'name = "mine"')
                    .replace('given_name = "First Name"', 'given_name = "@"')
                    .replace('family_name = "Last Name"', 'given_name = "Last Name"')
                    .replace('given_name = "@"', 'family_name = "First Name"'),
                    encoding="utf-8")
    shipped = records(read(GOOGLE))[0]
    mine_first = records(read(GOOGLE, mappings=[str(mine)]))[0]
    assert (shipped.given_name, shipped.family_name) == ("JF", "Tremblay")
    assert (mine_first.given_name, mine_first.family_name) == ("Tremblay", "JF")


def test_user_mapping_name_clash_is_an_error(tmp_path) -> None:
    clash = tmp_path / "google.toml"
    clash.write_text('name = "google"\nrequired = ["x"]\n', encoding="utf-8")
    with pytest.raises(SourceError, match="already exists \\(shipped\\)"):
        CsvConnector({"mappings": [str(clash)]})
    twice = tmp_path / "copy.toml"
    twice.write_text((FIX / "crm.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SourceError, match="'crm' already exists"):
        CsvConnector({"mappings": [str(FIX / "crm.toml"), str(twice)]})


def test_missing_user_mapping_file_is_an_error(tmp_path) -> None:
    with pytest.raises(SourceError, match="cannot read the mapping"):
        CsvConnector({"mappings": [str(tmp_path / "nowhere.toml")]})


def test_unknown_mapping_name_is_an_error() -> None:
    with pytest.raises(SourceError, match="unknown mapping"):
        CsvConnector({"mapping": "no-such-layout"})


def test_shared_email_keeps_two_people() -> None:
    recs = records(read(FIX / "shared_email.csv"))
    ids = [r.external_id for r in recs]
    # every bearer of the shared address is keyed by it and its name (not its row)
    assert ids[0].startswith("famille.tremblay@videotron.ca#")
    assert ids[1].startswith("famille.tremblay@videotron.ca#")
    assert ids[2].startswith("row:") and ids[3].startswith("row:")
    assert len(set(ids)) == 4


def test_mapping_choice_from_headers() -> None:
    mappings = list(shipped_mappings().values())
    google = GOOGLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert choose_mapping(google, mappings).mapping.name == "google"
    legacy = (FIX / "google_legacy_bom.csv").read_text(encoding="utf-8-sig")
    assert choose_mapping(legacy.splitlines()[0].split(","), mappings).mapping.name == \
        "google_legacy"
    outlook = OUTLOOK.read_text(encoding="utf-16").splitlines()[0].split(",")
    assert choose_mapping(outlook, mappings).mapping.name == "outlook"
    partial = choose_mapping(["First Name", "Last Name", "E-mail Address"], mappings)
    assert partial.mapping is None and partial.closest.mapping.name == "outlook"
    assert partial.closest.missing == ["Mobile Phone", "Job Title"]


def test_can_open_and_detection() -> None:
    assert CsvConnector.can_open(str(GOOGLE))
    assert not CsvConnector.can_open(str(FIX / "crm.toml"))
    assert registry.detect(str(GOOGLE)) is CsvConnector


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_characters=',;\t"\r\n'), min_size=1,
                        max_size=12), min_size=2, max_size=8),
       st.sampled_from([",", ";", "\t"]))
def test_delimiter_sniffed_from_any_header(names: list[str], delimiter: str) -> None:
    quoted = [f'"{n},{n}"' if i == 0 else n for i, n in enumerate(names)]
    assert sniff_delimiter(delimiter.join(quoted)) == delimiter


def test_outlook_utf16_broken_rows() -> None:
    items = read(FIX / "outlook_broken.csv")
    where = f"{FIX / 'outlook_broken.csv'}"
    assert [(r.locator, r.reason) for r in rejects(items)] == [(f"{where}:3", "no-identity")]
    # line 2 lacks its empty last cell, as Excel writes it: read, not rejected
    assert [r.external_id for r in records(items)] == ["ana@globex.com", "good@example.com"]


def test_user_mappings_in_a_configured_source(tmp_path) -> None:
    """The config file's way: `mappings` beside `connector = "csv"`, then `sync`."""
    config = tmp_path / "reseausync.toml"
    config.write_text(
        f'[[sources]]\nname = "crm"\nconnector = "csv"\npath = "{FIX / "crm.csv"}"\n'
        f'mappings = ["{FIX}"]\n', encoding="utf-8")
    (result,) = sync_sources(load_settings(config), db=str(tmp_path / "d.db"))
    assert (result.status, result.counts["added"], result.counts["rejected"]) == ("ok", 2, 0)


def test_configured_mapping_paths_are_relative_to_the_config_file(tmp_path, monkeypatch) -> None:
    """`mappings` and a `mapping` path are read from the config file's folder, as
    `path` is, wherever the command runs; a mapping name stays a name."""
    folder = tmp_path / "conf"
    (folder / "maps").mkdir(parents=True)
    (folder / "maps" / "crm.toml").write_text((FIX / "crm.toml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    (folder / "crm.csv").write_bytes((FIX / "crm.csv").read_bytes())
    config = folder / "reseausync.toml"
    config.write_text(
        '[[sources]]\nname = "a"\nconnector = "csv"\npath = "crm.csv"\nmappings = ["maps"]\n'
        'mapping = "crm"\n\n[[sources]]\nname = "b"\nconnector = "csv"\npath = "crm.csv"\n'
        'mapping = "maps/crm.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(config)
    a, b = settings.sources
    assert a.options == {"mappings": [str(folder / "maps")], "mapping": "crm"}
    assert b.options == {"mapping": str(folder / "maps" / "crm.toml")}
    results = sync_sources(settings, db=str(tmp_path / "d.db"))
    assert [(r.status, r.counts["added"]) for r in results] == [("ok", 2), ("ok", 2)]
