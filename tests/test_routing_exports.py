"""A LinkedIn export unzipped inside a mixed folder (QA: `import samples/` read the
export and nothing else: the LinkedIn connector claimed the whole tree because a
subfolder held its marker files, and every other file was skipped with no reject)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from reseausync import api

SAMPLES = Path(__file__).parent.parent / "samples"


def _by_connector(results) -> dict[str, dict[str, int]]:
    return {r.connector: r.counts for r in results}


def _directions(db: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(d for (d,) in conn.execute(
            "SELECT direction FROM interactions WHERE kind = 'message'"))


def test_an_export_in_a_subfolder_leaves_the_rest_to_its_connectors(tmp_path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SAMPLES / "phone.vcf", folder / "phone.vcf")
    shutil.copy(SAMPLES / "google.csv", folder / "google.csv")
    shutil.copytree(SAMPLES / "linkedin", folder / "2026" / "linkedin")
    db = str(tmp_path / "d.db")
    runs = _by_connector(api.import_paths([str(folder)], db=db))
    assert sorted(runs) == ["csv", "linkedin", "vcard"]
    alone = str(tmp_path / "alone.db")
    export = _by_connector(api.import_paths([str(SAMPLES / "linkedin")], db=alone))
    # the export read whole, as on its own: its Profile.csv still names the owner,
    # so the messages keep their directions, and its CSVs are not contact lists
    assert runs["linkedin"] == export["linkedin"]
    assert _directions(db) == _directions(alone)
    assert runs["csv"]["added"] == 3 and runs["vcard"]["added"] == 11
    assert not [r for r in api.rejects(db) if r["code"] == "not-read"]


def test_a_folder_wrapping_one_export_is_still_the_export(tmp_path) -> None:
    """An unzip tool's wrapper folder (its one entry the export) is read as the export."""
    wrapper = tmp_path / "download"
    shutil.copytree(SAMPLES / "linkedin", wrapper / "Basic_LinkedInDataExport_11-20-2026")
    runs = api.import_paths([str(wrapper)], db=str(tmp_path / "d.db"))
    assert [r.connector for r in runs] == ["linkedin"]
    assert runs[0].counts["added"] == 7
