"""`sync` over configured sources: incremental, tombstoning, guarded, dry-runnable.

The sources are small vCard files written in tmp_path. When the built-in vCard
connector cannot be loaded (it is written in parallel), a tiny one is registered
under the same name, so these tests exercise the sync, not a parser. The helpers
here are shared with test_schedule.py and test_crash.py (also in subprocesses).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reseausync.config import Settings
from reseausync.connector import Connector, Unit
from reseausync.errors import UsageError
from reseausync.files import decode, read_bytes, suffix_filter, walk
from reseausync.models import Labeled, SourceItem, SourceRecord
from reseausync.registry import registry
from reseausync.sync import check_sources, sync_sources


class TinyVCard(Connector):
    """Just enough vCard for sync tests: UID, FN, EMAIL; one record per card."""

    name = "vcard"

    @classmethod
    def can_open(cls, target: str) -> bool:
        return target.lower().endswith(".vcf")

    def discover(self, target: str) -> Iterator[Unit]:
        yield from walk(target, suffix_filter(".vcf"))

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        text, _ = decode(read_bytes(unit))
        card: dict[str, str] | None = None
        for lineno, line in enumerate(text.splitlines(), 1):
            if line == "BEGIN:VCARD":
                card = {"@": str(lineno)}
            elif line == "END:VCARD" and card is not None:
                yield SourceRecord(
                    source=self.source, connector=self.name,
                    external_id=card.get("UID", card.get("FN", "")),
                    locator=f"{unit.name}:{card['@']}", unit=unit.id,
                    display_name=card.get("FN", ""),
                    emails=[Labeled(card["EMAIL"])] if "EMAIL" in card else [])
                card = None
            elif card is not None and ":" in line:
                key, value = line.split(":", 1)
                card[key.split(";")[0].upper()] = value


def ensure_vcard_connector() -> type[Connector]:
    """The real vCard connector when it loads, else the tiny one above."""
    try:
        return registry.get("vcard")
    except Exception:
        registry.register(TinyVCard)
        return TinyVCard


def write_cards(path: Path, people: list[tuple[str, str, str]], *, bump: int = 0) -> Path:
    """Write (uid, name, email) people as vCard 3.0; `bump` shifts the mtime so
    that a rewrite is seen as a change even within one clock tick."""
    lines = []
    for uid, name, email in people:
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}",
                  f"N:{name.split()[-1]};{name.split()[0]};;;", f"EMAIL:{email}", "END:VCARD"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    if bump:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))
    return path


def people(prefix: str, n: int, start: int = 0) -> list[tuple[str, str, str]]:
    return [(f"{prefix}-{i}", f"Person{i} {prefix.capitalize()}{i}",
             f"person{i}@{prefix}.example") for i in range(start, start + n)]


def settings_for(sources: dict[str, Path], **sync: object) -> Settings:
    return Settings.model_validate({
        "sources": [{"name": name, "connector": "vcard", "path": str(path)}
                    for name, path in sources.items()],
        "sync": sync or {}})


def live_ids(db: str, source: str) -> set[str]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT external_id FROM records WHERE source=? "
                           "AND removed_at IS NULL", (source,)).fetchall()
    return {r[0] for r in rows}


def removed_ids(db: str, source: str) -> set[str]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT external_id FROM records WHERE source=? "
                           "AND removed_at IS NOT NULL", (source,)).fetchall()
    return {r[0] for r in rows}


def snapshot(db: str) -> dict[str, list[tuple]]:
    """Everything a run may change, except the runs table itself."""
    with sqlite3.connect(db) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("records", "units", "contacts", "contact_records",
                              "interactions")}


@pytest.fixture()
def vcard() -> type[Connector]:
    return ensure_vcard_connector()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "dir.db")


def test_first_sync_adds_then_unchanged_sync_reads_nothing(tmp_path, db, vcard, monkeypatch):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 5))
    work = write_cards(tmp_path / "work" / "a.vcf", people("work", 3))
    settings = settings_for({"phone": phone, "work": work.parent})

    first = sync_sources(settings, db=db)
    assert [(r.source, r.status, r.counts["added"]) for r in first] == \
        [("phone", "ok", 5), ("work", "ok", 3)]

    reads: list[str] = []
    original = vcard.read_unit

    def counting(self, unit):
        reads.append(unit.id)
        return original(self, unit)

    monkeypatch.setattr(vcard, "read_unit", counting)
    second = sync_sources(settings, db=db)
    assert reads == []
    assert [(r.counts["unchanged"], r.counts["added"], r.counts["updated"],
             r.counts["removed"]) for r in second] == [(5, 0, 0, 0), (3, 0, 0, 0)]
    assert live_ids(db, "phone") == {f"phone-{i}" for i in range(5)}


def test_changed_unit_is_read_and_counts_updates(tmp_path, db, vcard):
    path = write_cards(tmp_path / "phone.vcf", people("phone", 4))
    settings = settings_for({"phone": path})
    sync_sources(settings, db=db)
    changed = people("phone", 4)
    changed[1] = ("phone-1", "Renamed Person", "renamed@phone.example")
    write_cards(path, changed, bump=5)
    [result] = sync_sources(settings, db=db)
    assert (result.counts["updated"], result.counts["unchanged"]) == (1, 3)


def test_disappeared_record_is_tombstoned_then_revived(tmp_path, db, vcard):
    path = write_cards(tmp_path / "phone.vcf", people("phone", 4))
    settings = settings_for({"phone": path})
    sync_sources(settings, db=db)

    write_cards(path, people("phone", 3), bump=5)          # phone-3 is gone
    [gone] = sync_sources(settings, db=db)
    assert gone.status == "ok" and gone.counts["removed"] == 1
    assert removed_ids(db, "phone") == {"phone-3"}        # kept, marked removed
    with sqlite3.connect(db) as con:
        contacts = con.execute("SELECT COUNT(*) FROM contacts WHERE removed_at IS NULL")
        assert contacts.fetchone()[0] == 3

    write_cards(path, people("phone", 4), bump=10)         # and it comes back
    [back] = sync_sources(settings, db=db)
    assert back.counts["added"] == 1 and back.counts["removed"] == 0
    assert removed_ids(db, "phone") == set()
    assert live_ids(db, "phone") == {f"phone-{i}" for i in range(4)}


def test_file_removed_from_a_folder_source_tombstones_its_records(tmp_path, db, vcard):
    folder = tmp_path / "cards"
    write_cards(folder / "a.vcf", people("a", 3))
    b = write_cards(folder / "b.vcf", people("b", 1))
    settings = settings_for({"cards": folder})
    sync_sources(settings, db=db)
    b.unlink()
    [result] = sync_sources(settings, db=db)
    assert result.counts["removed"] == 1
    assert removed_ids(db, "cards") == {"b-0"}
    with sqlite3.connect(db) as con:
        units = {r[0] for r in con.execute("SELECT unit FROM units WHERE source='cards'")}
    assert units == {str(folder / "a.vcf")}


def test_mass_removal_is_refused_unless_allowed(tmp_path, db, vcard):
    path = write_cards(tmp_path / "phone.vcf", people("phone", 6))
    settings = settings_for({"phone": path})
    sync_sources(settings, db=db)
    before = snapshot(db)

    write_cards(path, people("phone", 2), bump=5)          # a truncated export
    [refused] = sync_sources(settings, db=db)
    assert refused.status == "failed"
    assert "would remove 4 of 6" in refused.message and "--allow-mass-removal" in refused.message
    assert snapshot(db) == before                          # nothing tombstoned, units unchanged

    [allowed] = sync_sources(settings, db=db, allow_mass_removal=True)
    assert allowed.status == "ok" and allowed.counts["removed"] == 4
    assert live_ids(db, "phone") == {"phone-0", "phone-1"}


def test_source_that_now_yields_nothing_is_refused(tmp_path, db, vcard):
    path = write_cards(tmp_path / "phone.vcf", people("phone", 2))
    settings = settings_for({"phone": path}, max_removal_share=1.0)
    sync_sources(settings, db=db)
    path.write_text("", encoding="utf-8")
    [result] = sync_sources(settings, db=db)
    assert result.status == "failed"
    assert live_ids(db, "phone") == {"phone-0", "phone-1"}


def test_configured_share_is_respected(tmp_path, db, vcard):
    path = write_cards(tmp_path / "phone.vcf", people("phone", 10))
    settings = settings_for({"phone": path}, max_removal_share=0.1)
    sync_sources(settings, db=db)
    write_cards(path, people("phone", 8), bump=5)          # 20% > 10%
    [result] = sync_sources(settings, db=db)
    assert result.status == "failed" and len(live_ids(db, "phone")) == 10


def test_dry_run_counts_but_changes_nothing(tmp_path, db, vcard):
    path = write_cards(tmp_path / "phone.vcf", people("phone", 4))
    settings = settings_for({"phone": path})
    sync_sources(settings, db=db)
    before = snapshot(db)

    changed = people("phone", 3) + [("phone-new", "New Person", "new@phone.example")]
    write_cards(path, changed, bump=5)
    [dry] = sync_sources(settings, db=db, dry_run=True)
    assert dry.dry_run and dry.status == "ok"
    assert (dry.counts["added"], dry.counts["removed"], dry.counts["unchanged"]) == (1, 1, 3)
    assert snapshot(db) == before

    [real] = sync_sources(settings, db=db)                 # the real run still sees it all
    assert (real.counts["added"], real.counts["removed"]) == (1, 1)


def test_vanished_path_fails_that_source_only(tmp_path, db, vcard):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 3))
    work = write_cards(tmp_path / "work.vcf", people("work", 2))
    settings = settings_for({"phone": phone, "work": work})
    sync_sources(settings, db=db)

    phone.unlink()
    write_cards(work, people("work", 3), bump=5)
    results = {r.source: r for r in sync_sources(settings, db=db)}
    assert results["phone"].status == "failed"
    assert "phone.vcf" in results["phone"].message
    assert results["work"].status == "ok" and results["work"].counts["added"] == 1
    assert live_ids(db, "phone") == {"phone-0", "phone-1", "phone-2"}   # nothing tombstoned
    with sqlite3.connect(db) as con:
        runs = con.execute("SELECT source, status, message FROM runs ORDER BY id").fetchall()
    assert runs[-2][:2] == ("phone", "failed") and runs[-2][2]
    assert runs[-1][:2] == ("work", "ok")


def test_one_source_by_name_and_unknown_name(tmp_path, db, vcard):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 1))
    work = write_cards(tmp_path / "work.vcf", people("work", 1))
    settings = settings_for({"phone": phone, "work": work})
    assert [r.source for r in sync_sources(settings, db=db, source="work")] == ["work"]
    with pytest.raises(UsageError, match="no source named 'nope'.*phone, work"):
        sync_sources(settings, db=db, source="nope")


def test_log_gets_one_line_per_run(tmp_path, db, vcard):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 2))
    lines: list[str] = []
    sync_sources(settings_for({"phone": phone}), db=db, log=lines.append)
    assert len(lines) == 1 and "phone: 2 added" in lines[0]


def test_check_reaches_each_source(tmp_path, vcard):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 1))
    settings = settings_for({"phone": phone, "gone": tmp_path / "gone.vcf"})
    checked = {name: (ok, msg) for name, ok, msg in check_sources(settings)}
    assert checked["phone"][0] is True and "1 unit" in checked["phone"][1]
    assert checked["gone"][0] is False and "gone.vcf" in checked["gone"][1]
