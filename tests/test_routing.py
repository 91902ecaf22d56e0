"""A one-off import of a mixed folder: each file read by the connector that reads it
(QA: `import exports/` read the phone book and silently ignored the CSV, the
mailbox, the calendar and the cards beside it)."""

from __future__ import annotations

import shutil
from pathlib import Path

from reseausync import api

SAMPLES = Path(__file__).parent.parent / "samples"


def _mixed(root: Path) -> Path:
    folder = root / "exports"
    (folder / "scans").mkdir(parents=True)
    for name in ("phone.vcf", "google.csv", "calendar.ics"):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copytree(SAMPLES / "mail", folder / "mail")
    shutil.copy(SAMPLES / "cards" / "mike-rossi.txt", folder / "scans" / "mike-rossi.txt")
    (folder / "README.md").write_text("where these exports come from\n", encoding="utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return folder


def _by_connector(results) -> dict[str, dict[str, int]]:
    return {r.connector: r.counts for r in results}


def test_every_file_of_a_mixed_folder_is_read_by_its_connector(tmp_path) -> None:
    folder = _mixed(tmp_path)
    db = str(tmp_path / "d.db")
    runs = _by_connector(api.import_paths([str(folder)], db=db))
    alone = str(tmp_path / "alone.db")
    for name in ("phone.vcf", "google.csv", "calendar.ics", "mail", "scans/mike-rossi.txt"):
        api.import_paths([str(folder / name)], db=alone)
    assert sorted(runs) == ["cards", "csv", "ics", "mbox", "vcard"]
    assert runs["csv"]["added"] == 3 and runs["cards"]["added"] == 1
    assert runs["ics"]["interactions"] > 0 and runs["mbox"]["interactions"] > 0
    # the same people as importing each file on its own
    assert sorted(c["display_name"] for c in api.contacts(db)) == \
        sorted(c["display_name"] for c in api.contacts(alone))


def test_files_no_connector_reads_are_one_reject_naming_them(tmp_path) -> None:
    folder = _mixed(tmp_path)
    db = str(tmp_path / "d.db")
    vcard = next(r for r in api.import_paths([str(folder)], db=db) if r.connector == "vcard")
    [note] = [r for r in api.rejects(db, vcard.run) if r["code"] == "not-read"]
    assert note["location"] == str(folder)
    assert "2 file(s)" in note["reason"] and "README.md" in note["reason"]
    assert "logo.png" in note["reason"]


def test_a_linkedin_export_keeps_its_other_files(tmp_path) -> None:
    export = tmp_path / "Basic_LinkedInDataExport"
    shutil.copytree(SAMPLES / "linkedin", export)
    (export / "Positions.csv").write_text("Company Name,Title,Started On\nAcme,CTO,Jan 2020\n",
                                          encoding="utf-8")
    runs = api.import_paths([str(export)], db=str(tmp_path / "d.db"))
    assert [r.connector for r in runs] == ["linkedin"]


def test_a_named_connector_reads_the_folder_alone(tmp_path) -> None:
    folder = _mixed(tmp_path)
    runs = api.import_paths([str(folder)], db=str(tmp_path / "d.db"), connector="vcard")
    assert [r.connector for r in runs] == ["vcard"]


def test_a_mapping_is_for_the_csv_files_not_the_rest_of_the_folder(tmp_path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SAMPLES / "google.csv", folder / "google.csv")
    shutil.copy(SAMPLES / "calendar.ics", folder / "calendar.ics")
    runs = _by_connector(api.import_paths([str(folder)], db=str(tmp_path / "d.db"),
                                          options={"mapping": "google"}))
    assert runs["csv"]["added"] == 3 and runs["ics"]["interactions"] > 0


def test_an_interactions_log_among_contact_csvs_is_read_as_a_log(tmp_path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SAMPLES / "google.csv", folder / "google.csv")
    shutil.copy(SAMPLES / "interactions.csv", folder / "log.csv")
    db = str(tmp_path / "d.db")
    runs = _by_connector(api.import_paths([str(folder)], db=db))
    alone = _by_connector(api.import_paths([str(SAMPLES / "interactions.csv")],
                                           db=str(tmp_path / "alone.db")))
    assert sorted(runs) == ["csv", "interactions"]
    assert runs["csv"]["added"] == 3 and runs["csv"].get("rejected", 0) == 0
    assert runs["interactions"]["interactions"] == alone["interactions"]["interactions"] > 0
    assert not [r for r in api.rejects(db) if "log.csv" in r["location"]]


def test_a_folder_of_logs_alone_makes_no_empty_contact_csv_run(tmp_path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(SAMPLES / "interactions.csv", folder / "2026.csv")
    runs = api.import_paths([str(folder)], db=str(tmp_path / "d.db"))
    assert [r.connector for r in runs] == ["interactions"]


def test_a_folder_given_as_dot_is_read_once(tmp_path, monkeypatch) -> None:
    """`import .` from inside the export folder (QA: every file was read twice, once
    as `./phone.vcf` by the routing and once as `phone.vcf` by the connector, and
    every card became a duplicate-id reject of itself)."""
    folder = _mixed(tmp_path)
    named = _by_connector(api.import_paths([str(folder)], db=str(tmp_path / "named.db")))
    monkeypatch.chdir(folder)
    dot = _by_connector(api.import_paths(["."], db=str(tmp_path / "dot.db")))
    assert dot == named
    # README.md and logo.png named in one reject, and the sample's one broken card
    assert dot["vcard"]["rejected"] == 2 and dot["cards"]["rejected"] == 0
    shutil.copytree(SAMPLES / "cards", tmp_path / "cards")
    monkeypatch.chdir(tmp_path / "cards")
    cards = _by_connector(api.import_paths(["."], db=str(tmp_path / "cards.db")))
    assert cards["cards"]["added"] == 4 and cards["cards"]["rejected"] == 0
