"""A damaged zip member is one reject; the healthy members (and the records read
before the damage) import. Zips are built and damaged in the test (`damage` flips
bytes of one member's compressed data), for every connector reading zip members
through `reseausync.files`."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject, SourceRecord
from reseausync_connectors.linkedin import LinkedInConnector
from reseausync_connectors.vcard import VCardConnector

from ..zipdamage import damage

ROOT = Path(__file__).resolve().parents[2]
PHONE = ROOT / "samples" / "phone.vcf"
LINKEDIN = ROOT / "samples" / "linkedin"


def _read(conn_cls: type, target: Path) -> list:
    conn = conn_cls({}, ReadContext(source="test"))
    return list(conn.read(list(conn.discover(str(target)))))


def _cards(count: int) -> bytes:
    """`count` small cards with hash-like notes, so deflate cannot shrink them much."""
    return b"".join(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-%d\r\nFN:Person %d\r\n"
        b"NOTE:%s\r\nEND:VCARD\r\n" % (i, i, hashlib.sha256(b"%d" % i).hexdigest().encode())
        for i in range(count))


def test_a_damaged_vcf_member_is_one_reject_and_the_others_import(tmp_path: Path) -> None:
    archive = tmp_path / "backup.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(PHONE, "a_phone.vcf")
        zf.writestr("b_names.vcf", _cards(40))
        zf.write(PHONE, "c_phone.vcf")
    damage(archive, "b_names.vcf", at=0.0)
    items = _read(VCardConnector, archive)
    units = {i.unit for i in items if isinstance(i, SourceRecord)}
    assert units == {f"{archive}!a_phone.vcf", f"{archive}!c_phone.vcf"}
    rejects = [i for i in items if isinstance(i, Reject) and "b_names" in i.locator]
    assert [(r.locator, r.reason) for r in rejects] == [(f"{archive}!b_names.vcf",
                                                         "unreadable")]
    assert "(line 1): the rest of the file is not read" in rejects[0].message


def test_cards_read_before_mid_stream_damage_stay(tmp_path: Path) -> None:
    """The error comes in the second MiB: the cards of the first stay, and the
    reject names the line from which nothing was read."""
    archive = tmp_path / "backup.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("all.vcf", _cards(40_000))
    damage(archive, "all.vcf", at=0.9)
    items = _read(VCardConnector, archive)
    records = [i for i in items if isinstance(i, SourceRecord)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert len(rejects) == 1 and rejects[0].reason == "unreadable"
    assert rejects[0].locator == f"{archive}!all.vcf"
    lost = int(re.search(r"\(line (\d+)\)", rejects[0].message).group(1))
    assert 10_000 < len(records) < 40_000
    assert [r.external_id for r in records[:10_000]] == [f"card-{i}" for i in range(10_000)]
    assert all(int(r.locator.rsplit(":", 1)[1]) < lost for r in records)


def test_a_damaged_linkedin_member_is_one_reject_and_the_others_import(
        tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_01-01-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(LINKEDIN.iterdir()):
            zf.write(path, path.name)
    healthy = _read(LinkedInConnector, archive)
    damage(archive, "messages.csv", at=0.0)
    items = _read(LinkedInConnector, archive)
    rejects = [i for i in items if isinstance(i, Reject) and "messages.csv" in i.unit]
    assert [(r.locator, r.reason) for r in rejects] == [(f"{archive}!messages.csv",
                                                         "unreadable")]

    def kept(found: list) -> list:
        return [(type(i).__name__, i.external_id) for i in found
                if isinstance(i, SourceRecord | Interaction)
                and not i.unit.endswith("messages.csv")]
    assert kept(items) == kept(healthy)
    assert sum(isinstance(i, SourceRecord) for i in items) == 7
