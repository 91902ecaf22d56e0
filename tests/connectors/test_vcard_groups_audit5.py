"""Contact groups become categories of their members; Google's system groups are
no categories (QA audit 5, findings 1 and 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.vcard import VCardConnector, groups
from tests.conftest import run_cli

CRLF = "\r\n"


def card(*lines: str) -> str:
    return CRLF.join(("BEGIN:VCARD", *lines, "END:VCARD")) + CRLF


ISABELLE = card("VERSION:3.0", "N:Lavoie;Isabelle;;;", "FN:Isabelle Lavoie",
                "EMAIL;type=INTERNET:isabelle.lavoie@icloud.com",
                "UID:7E1B7E2A-1111-4C55-9A7E-000000000001")
HENRI = card("VERSION:3.0", "N:Lavoie;Henri;;;", "FN:Henri Lavoie", "ORG:Hydro-Québec;",
             "EMAIL;type=INTERNET;type=WORK:lavoie.henri@hydroquebec.com",
             "UID:7E1B7E2A-1111-4C55-9A7E-000000000002")
FAMILLE = card("VERSION:3.0", "N:Famille", "FN:Famille", "X-ADDRESSBOOKSERVER-KIND:group",
               "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:7E1B7E2A-1111-4C55-9A7E-000000000001",
               "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:7e1b7e2a-1111-4c55-9a7e-000000000002",
               "UID:7E1B7E2A-2222-4C55-9A7E-0000000000AA")


def read(path: Path) -> list:
    conn = VCardConnector({}, ReadContext(source="phone"))
    return list(conn.read(list(conn.discover(str(path)))))


def records(path: Path) -> dict[str, SourceRecord]:
    return {i.display_name: i for i in read(path) if isinstance(i, SourceRecord)}


def test_an_apple_group_after_its_members_gives_them_its_name(tmp_path: Path) -> None:
    path = tmp_path / "icloud.vcf"
    path.write_bytes((ISABELLE + HENRI + FAMILLE).encode())
    items = read(path)
    assert [type(i).__name__ for i in items] == ["SourceRecord", "SourceRecord", "Reject"]
    assert items[2].reason == "contact-group"
    assert [r.categories for r in items[:2]] == [["Famille"], ["Famille"]]


def test_vcard4_members_by_urn_uid_and_a_group_before_them(tmp_path: Path) -> None:
    group = card("VERSION:4.0", "KIND:group", "FN:Amis du hockey",
                 "MEMBER:urn:uuid:aaaa-0001", "MEMBER:mailto:someone@example.com")
    luc = card("VERSION:4.0", "FN:Luc Roy", "CATEGORIES:amis du HOCKEY,Voisins",
               "UID:urn:uuid:AAAA-0001")
    ann = card("VERSION:4.0", "FN:Ann Roy", "UID:aaaa-0002")
    path = tmp_path / "v4.vcf"
    path.write_bytes((group + luc + ann).encode())
    got = records(path)
    assert got["Luc Roy"].categories == ["amis du HOCKEY", "Voisins"]   # none twice
    assert got["Ann Roy"].categories == []


def test_two_groups_and_a_utf16_apple_address_book_file(tmp_path: Path) -> None:
    other = FAMILLE.replace("Famille", "Chalet").replace("0000000000AA", "0000000000BB")
    other = other.replace("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:7E1B7E2A-1111-4C55-9A7E-"
                          "000000000001\r\n", "")
    path = tmp_path / "book.vcf"
    path.write_bytes((ISABELLE + HENRI + FAMILLE + other).encode("utf-16-be"))
    got = records(path)
    assert got["Henri Lavoie"].categories == ["Famille", "Chalet"]
    assert got["Isabelle Lavoie"].categories == ["Famille"]


def test_a_file_without_groups_is_scanned_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plain.vcf"
    path.write_bytes((ISABELLE + HENRI).encode())
    monkeypatch.setattr(groups, "_groups", lambda stream: pytest.fail("second pass"))
    assert [r.categories for r in records(path).values()] == [[], []]


@given(before=st.integers(0, 30), after=st.integers(0, 30), chunk=st.integers(16, 200),
       kind=st.sampled_from(["X-ADDRESSBOOKSERVER-KIND:group", "KIND:GROUP",
                             "item1.X-ADDRESSBOOKSERVER-KIND:Group ", "KIND;VALUE=text:group"]),
       with_group=st.booleans())
def test_the_group_line_is_found_wherever_a_chunk_cuts(
        before: int, after: int, chunk: int, kind: str, with_group: bool) -> None:
    """The scan reads by chunks: a KIND line cut by a chunk boundary is still found,
    and a file with none is never taken for one with a group."""
    filler = card("VERSION:3.0", "FN:Group Name Inc", "NOTE:kind: group of friends")
    group = card("VERSION:4.0", kind, "FN:Famille") if with_group else ""
    text = filler * before + group + filler * after
    stream = _Chunked(text.encode(), chunk)
    assert groups._has_group_line(stream) is with_group      # type: ignore[arg-type]


class _Chunked:
    """A byte stream that hands out at most `size` bytes a read."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size = data, size

    def read(self, _: int = -1) -> bytes:
        piece, self.data = self.data[:self.size], self.data[self.size:]
        return piece


def test_google_system_groups_are_no_categories(tmp_path: Path) -> None:
    hugo = card("VERSION:3.0", "FN:Hugo Fortin", "CATEGORIES:myContacts,starred")
    lea = card("VERSION:3.0", "FN:Léa Fortin", "CATEGORIES:myContacts,Family,STARRED")
    path = tmp_path / "google.vcf"
    path.write_bytes((hugo + lea).encode())
    got = records(path)
    assert (got["Hugo Fortin"].categories, got["Léa Fortin"].categories) == ([], ["Family"])


def test_the_family_group_makes_a_work_address_personal(tmp_path: Path) -> None:
    """End to end, real SQLite: Henri, in "Famille", at a company address, is
    personal by the category rule; Google's system labels are not exported."""
    (tmp_path / "icloud.vcf").write_bytes((ISABELLE + HENRI + FAMILLE).encode())
    (tmp_path / "google.vcf").write_bytes(
        card("VERSION:3.0", "FN:Léa Fortin", "EMAIL:lea@gmail.com",
             "CATEGORIES:myContacts,Family").encode())
    env = {"RESEAUSYNC_DB": str(tmp_path / "d.db")}
    for name in ("icloud.vcf", "google.vcf"):
        assert run_cli("import", str(tmp_path / name), env=env).returncode == 0
    done = run_cli("export", "--format", "jsonl", env=env)
    got = {c["display_name"]: c for c in map(json.loads, done.stdout.splitlines())}
    assert (got["Henri Lavoie"]["layer"], got["Henri Lavoie"]["layer_rule"]) == (
        "personal", "personal-category")
    assert got["Henri Lavoie"]["categories"] == ["Famille"]
    assert got["Léa Fortin"]["categories"] == ["Family"]
    vcf = run_cli("export", "--format", "vcf", env=env).stdout
    assert "myContacts" not in vcf and "CATEGORIES:Famille" in vcf
    rejects = run_cli("rejects", "--format", "json", env=env).stdout
    assert [r["reason"][:30] for r in json.loads(rejects)] == [
        "card at line 16: contact group"]


def test_existing_directories_read_vcards_again() -> None:
    """Files a directory read before keep their fingerprint: only a new read
    version reads them again, so their members get their groups."""
    assert VCardConnector.read_version >= 3
