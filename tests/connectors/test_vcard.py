"""The vCard connector on the phone-book sample and one fixture per real-world oddity."""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.errors import UnitError
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.vcard import MAX_PHOTO_BYTES, VCardConnector, parse_card
from reseausync_connectors.vcard import cards as cards_module

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "phone.vcf"
FIX = ROOT / "tests" / "fixtures" / "vcard"


class TestVCardContract(ConnectorContract):
    connector_cls = VCardConnector
    good_target = SAMPLE
    broken_target = SAMPLE
    expected_records = 11               # Daniel and Danielle Roy included
    expected_good_rejects = 1          # Frédéric Lavoie's card is never closed
    after_bad_external_id = "fred-lavoie-0012"


def read(target: Path | str) -> list:
    conn = VCardConnector({}, ReadContext(source="phone"))
    return list(conn.read(list(conn.discover(str(target)))))


def records(target: Path | str) -> list[SourceRecord]:
    return [i for i in read(target) if isinstance(i, SourceRecord)]


def rejects(target: Path | str) -> list[Reject]:
    return [i for i in read(target) if isinstance(i, Reject)]


def only(target: Path | str) -> SourceRecord:
    items = read(target)
    assert len(items) == 1 and isinstance(items[0], SourceRecord), items
    return items[0]


def by_name(target: Path | str) -> dict[str, SourceRecord]:
    return {r.display_name: r for r in records(target)}


# --- the sample -------------------------------------------------------------------

def test_sample_versions_and_cast() -> None:
    people = by_name(SAMPLE)
    jf = people["Jean-François Tremblay"]
    assert (jf.given_name, jf.family_name) == ("Jean-François", "Tremblay")
    assert jf.phones[0].value == "(514) 555-1234" and jf.phones[0].label == "cell"
    assert jf.linkedin_url == "https://www.linkedin.com/in/jftremblay"
    assert jf.title == "Directeur des ventes" and jf.organization == "Acme Inc."
    kate = people["Kate O'Brien"]
    assert [(e.value, e.label) for e in kate.emails] == [("kate.obrien@shopify.com", "work")]
    assert kate.phones[0].label == "cell"
    assert people["Élise Gagnon"].categories == ["Amis"]
    assert people["Élise Gagnon"].birthday == "1988-03-14"
    assert people["Élise Gagnon"].note == "Amie du cégep, rencontrée à Québec"
    assert people["Mike Rossi"].note == ("Coach de l'équipe de hockey, mardi soir\n"
                                         "Aréna Maurice-Richard")
    marie = people["Marie Tremblay"]
    assert marie.addresses[0].locality == "Montréal" and marie.addresses[0].label == "work"
    thomas = people["Thomas Nguyen"]
    assert thomas.photo is not None and thomas.photo.media_type == "image/png"
    assert thomas.photo.data.startswith(b"\x89PNG")
    assert thomas.external_id == "urn:uuid:7d0c5e36-0012-4a8f-9b1e-thomasnguyen"


def test_sample_locators_are_begin_lines() -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for item in read(SAMPLE):
        path, _, number = item.locator.rpartition(":")
        assert path == str(SAMPLE)
        assert lines[int(number) - 1] == "BEGIN:VCARD"
    reject = rejects(SAMPLE)[0]
    assert reject.reason == "unterminated-card" and "Lavoie" in reject.excerpt


# --- one fixture per oddity ------------------------------------------------------

def test_qp_soft_break_inside_a_utf8_character() -> None:
    assert only(FIX / "qp_split_utf8.vcf").display_name == "Élise Gagnon, Montréal"


def test_qp_continuation_lines_not_indented() -> None:
    record = only(FIX / "qp_unjoined_lines.vcf")
    assert record.note == "Coach de l'équipe\nMatch le mardi à l'aréna\nBière après"
    assert record.emails[0].value == "mike.rossi@outlook.com"


def test_unclosed_card_is_closed_at_the_next_begin_and_a_cut_file_rejected() -> None:
    """The first card (N and FN, then the next BEGIN:VCARD) used to be rejected;
    it is whole, so it is closed there. The last one, cut by the end of the
    file, may have lost any line: it stays a reject."""
    items = read(FIX / "unterminated.vcf")
    kinds = [(type(i).__name__, i.locator.rsplit(":", 1)[1]) for i in items]
    assert kinds == [("SourceRecord", "1"), ("SourceRecord", "5"), ("Reject", "11")]
    assert items[0].display_name == "Frédéric Lavoie"
    assert items[0].extra["end_missing"] == "closed at the next BEGIN:VCARD"
    assert items[1].external_id == "fred-good" and "end_missing" not in items[1].extra
    assert items[2].reason == "unterminated-card"
    assert items[2].message.startswith("no END:VCARD before the end of file: the file ends")
    assert items[2].unread     # QA7 #1: nothing of the file is removed


@pytest.mark.parametrize("body", [
    ["VERSION:3.0"],                                             # nothing names anyone
    ["VERSION:3.0", "EMAIL:someone@example.com"],
    ["VERSION:2.1", "N:Roy;Ann", "NOTE;ENCODING=QUOTED-PRINTABLE:cut in the mid=",
     ],                                                          # stops inside a value
], ids=["version-only", "no-name", "inside-qp-value"])
def test_unclosed_card_that_may_be_cut_stays_a_reject(tmp_path: Path, body: list) -> None:
    path = _vcf(tmp_path, "BEGIN:VCARD", *body, "BEGIN:VCARD", "FN:Next", "END:VCARD")
    items = read(path)
    assert [(type(i).__name__, i.locator) for i in items] == [
        ("Reject", f"{path}:1"), ("SourceRecord", f"{path}:{len(body) + 2}")]
    assert items[0].message == f"no END:VCARD before the BEGIN:VCARD of line {len(body) + 2}"


def test_unclosed_card_with_a_name_is_kept_whole(tmp_path: Path) -> None:
    path = _vcf(tmp_path, "BEGIN:VCARD", "VERSION:3.0", "item1.FN:Unclosed Card",
                "EMAIL:unclosed@example.com", "BEGIN:VCARD", "FN:After", "END:VCARD")
    first, after = read(path)
    assert (first.display_name, first.emails[0].value) == ("Unclosed Card",
                                                           "unclosed@example.com")
    assert first.locator == f"{path}:1" and after.display_name == "After"
    assert "After" not in first.raw and first.extra["end_missing"]


def test_utf16_big_endian_without_bom() -> None:
    record = only(FIX / "utf16be_nobom.vcf")
    assert record.title == "Développeur"
    assert record.emails[0].value == "thomas.nguyen@desjardins.com"


def test_byte_order_mark() -> None:
    assert only(FIX / "bom_utf8.vcf").display_name == "Élise Gagnon"


def test_cr_only_line_endings() -> None:
    found = records(FIX / "cr_only.vcf")
    assert [r.display_name for r in found] == ["Kate O'Brien", "Bob Chen"]
    assert [r.locator.rsplit(":", 1)[1] for r in found] == ["1", "7"]


def test_mixed_line_endings() -> None:
    found = records(FIX / "mixed_endings.vcf")
    assert [r.display_name for r in found] == ["Priya Natarajan", "Alex Dubois"]
    assert found[0].emails[0].value == "pnatarajan@coveo.com"


def test_lower_case_begin_with_trailing_spaces() -> None:
    record = only(FIX / "lowercase_begin.vcf")
    assert record.display_name == "Sophie Martin"
    assert record.emails[0].label == "work"


def test_empty_parameters_are_dropped() -> None:
    record = only(FIX / "empty_params.vcf")
    assert record.emails[0].value == "alex.dubois@elementai.com"
    assert (record.phones[0].value, record.phones[0].label) == ("+1 514 555 7000", "work")


def test_base64_padding_is_repaired() -> None:
    reference = only(FIX / "photo_30_b.vcf").photo
    photo = only(FIX / "bad_base64_padding.vcf").photo
    assert photo is not None and reference is not None
    assert photo.digest == reference.digest


def test_missing_fn_is_built_from_n() -> None:
    record = only(FIX / "no_fn.vcf")
    assert record.display_name == "Dr. Robert Chen"
    assert record.phones[0].label == "work"


def test_missing_version() -> None:
    record = only(FIX / "no_version.vcf")
    assert (record.display_name, record.organization) == ("Priya Natarajan", "Coveo")


def test_cp1252_file() -> None:
    record = only(FIX / "cp1252.vcf")
    assert record.display_name == "Frédéric Lavoie"
    assert record.note == "Rencontré au 5 à 7 – café"


def test_one_cp1252_card_in_a_utf8_file() -> None:
    names = [r.display_name for r in records(FIX / "mixed_encoding.vcf")]
    assert names == ["Élise Gagnon", "Frédéric Lavoie", "Jean-François Tremblay"]


def test_folded_lines_and_escapes() -> None:
    record = only(FIX / "folded_lines.vcf")
    assert record.note == ("Rencontré au salon de l'emploi de Montréal, il cherchait des "
                           "représentants pour le Québec; à rappeler.\nDeuxième ligne")
    address = record.addresses[0]
    assert address.street == "Bureau 300\n1250 boulevard René-Lévesque Ouest"
    assert (address.locality, address.postal_code, address.label) == (
        "Montréal", "H3B 4W8", "work")


def test_photo_url_is_kept_not_fetched() -> None:
    # example.invalid cannot resolve: fetching would fail or hang, reading does not.
    found = records(FIX / "photo_url.vcf")
    assert [r.photo_url for r in found] == ["https://example.invalid/photos/kate.jpg",
                                           "https://example.invalid/photos/bob.png"]
    assert all(r.photo is None for r in found)


@pytest.mark.parametrize("name", ["photo_21_base64.vcf", "photo_30_b.vcf",
                                  "photo_40_data_uri.vcf"])
def test_inline_photos_of_each_version(name: str) -> None:
    photo = only(FIX / name).photo
    assert photo is not None and photo.media_type == "image/png"
    assert photo.data.startswith(b"\x89PNG") and photo.data.endswith(b"IEND\xaeB`\x82")


def test_huge_photo_is_dropped_visibly(tmp_path: Path) -> None:
    blob = base64.b64encode(b"\xff\xd8" + bytes(MAX_PHOTO_BYTES + 10)).decode()
    path = tmp_path / "huge.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b:"
                    + blob + "\r\nEND:VCARD\r\n", encoding="ascii")
    record = only(path)
    assert record.display_name == "Big Photo" and record.photo is None
    assert record.extra["photo_dropped"].startswith("too-large")


def test_bad_parameter_line_is_left_out_with_a_reject_at_its_line() -> None:
    """The card keeps its other lines (it used to be rejected whole); the bad
    line is a reject at its own line, and the next card still arrives."""
    items = read(FIX / "bad_parameter.vcf")
    assert [type(i).__name__ for i in items] == ["SourceRecord", "Reject", "SourceRecord"]
    assert items[0].display_name == "Broken Param" and items[0].phones == []
    assert items[0].locator.endswith("bad_parameter.vcf:1")
    assert items[1].reason == "bad-parameter"
    assert items[1].locator.endswith("bad_parameter.vcf:4")
    assert items[1].excerpt == 'TEL;TYPE="cell:+1 514 555 1111'
    assert "line 4 left out, the rest of the card imported" in items[1].message
    assert items[2].external_id == "lucas-after-bad"


def _vcf(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "card.vcf"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_one_cp1252_line_in_a_utf8_card_garbles_nothing_else(tmp_path: Path) -> None:
    """The whole card used to be re-decoded as cp1252: "JosÃ©e Fortin"."""
    path = tmp_path / "mixed_line.vcf"
    path.write_bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Josée Fortin\r\n"
                     "N:Fortin;Josée;;;\r\n".encode()
                     + "NOTE:Rencontrée au café\r\n".encode("cp1252")
                     + "ORG:Société Générale\r\nEND:VCARD\r\n".encode())
    record = only(path)
    assert record.display_name == "Josée Fortin" and record.given_name == "Josée"
    assert record.note == "Rencontrée au café"
    assert record.organization == "Société Générale"


def test_unreadable_base64_photo_is_dropped_and_the_card_kept(tmp_path: Path) -> None:
    """As the module docstring always said; the eager base64 decoding used to
    reject the whole card instead."""
    path = _vcf(tmp_path, "BEGIN:VCARD", "VERSION:3.0", "FN:Bad Photo",
                "EMAIL:bad.photo@example.com", "PHOTO;ENCODING=b;TYPE=JPEG:@@@notbase64!!",
                "END:VCARD")
    record = only(path)
    assert record.display_name == "Bad Photo" and record.photo is None
    assert record.emails[0].value == "bad.photo@example.com"
    assert record.extra["photo_dropped"].startswith("bad-base64: ")


def test_v21_base64_photo_on_unindented_lines_is_joined(tmp_path: Path) -> None:
    """Older 2.1 writers continue the base64 on lines of their own, then a blank line."""
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 2
    blob = base64.b64encode(jpeg).decode()
    chunks = [blob[i:i + 76] for i in range(0, len(blob), 76)]
    path = _vcf(tmp_path, "BEGIN:VCARD", "VERSION:2.1", "N:Pelletier;Marc",
                "FN:Marc Pelletier", "TEL;CELL:514-555-0160",
                "PHOTO;ENCODING=BASE64;TYPE=JPEG:", *chunks, "",
                "EMAIL;INTERNET:marc.pelletier@example.com", "END:VCARD")
    record = only(path)
    assert (record.given_name, record.family_name) == ("Marc", "Pelletier")
    assert record.phones[0].value == "514-555-0160"
    assert record.emails[0].value == "marc.pelletier@example.com"
    assert record.photo is not None and record.photo.data == jpeg
    assert "photo_dropped" not in record.extra


def test_line_without_colon_is_left_out_with_a_reject(tmp_path: Path) -> None:
    path = _vcf(tmp_path, "BEGIN:VCARD", "VERSION:3.0", "FN:No Colon",
                "this line has no colon", "EMAIL:nocolon@example.com", "END:VCARD")
    items = read(path)
    assert [type(i).__name__ for i in items] == ["SourceRecord", "Reject"]
    assert items[0].emails[0].value == "nocolon@example.com"
    assert (items[1].locator, items[1].reason) == (f"{path}:4", "bad-line")
    assert items[1].excerpt == "this line has no colon"


def test_card_with_nothing_readable_is_still_rejected(tmp_path: Path) -> None:
    path = _vcf(tmp_path, "BEGIN:VCARD", "VERSION:3.0", "no colon at all", "END:VCARD")
    items = read(path)
    assert [(type(i).__name__, i.locator, i.reason) for i in items] == [
        ("Reject", f"{path}:3", "bad-line")]


def test_garbage_between_cards() -> None:
    items = read(FIX / "garbage_between.vcf")
    assert [type(i).__name__ for i in items] == ["SourceRecord", "Reject", "SourceRecord"]
    assert items[1].reason == "garbage" and items[1].locator.endswith(":5")


def test_apple_groups_labels_and_linkedin() -> None:
    record = only(FIX / "apple_groups.vcf")
    assert [(e.value, e.label) for e in record.emails] == [
        ("kate.obrien@shopify.com", "work"), ("kate@gmail.com", "Perso")]
    assert record.phones[0].label == "cell"
    assert record.linkedin_url == "https://www.linkedin.com/in/kateobrien"
    assert record.categories == ["Clients", "Tech"]
    assert record.organization == "Shopify" and record.nickname == "Kate"
    assert record.extra["rev"] == "2024-02-01T15:04:05Z" and record.collected_at is None


def test_vcard_40() -> None:
    record = only(FIX / "vcard40.vcf")
    assert record.phones[0].value == "+33-1-42-68-53-00"
    assert record.phones[0].label == "work"
    assert record.birthday == "1980-04-15"
    assert record.linkedin_url == "https://www.linkedin.com/in/sophiemartin"
    assert record.urls == ["https://martinassocies.fr"]
    assert record.external_id == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"


def test_name_id_without_uid_is_stable_and_distinct() -> None:
    first = [r.external_id for r in records(FIX / "cr_only.vcf")]
    assert first == [r.external_id for r in records(FIX / "cr_only.vcf")]
    assert first == ["name:kate-o-brien", "name:bob-chen"]     # no UID: keyed by name


# --- what can be opened ------------------------------------------------------------

def test_can_open(tmp_path: Path) -> None:
    assert VCardConnector.can_open(str(FIX / "vcard_in.ics"))
    assert VCardConnector.can_open(str(FIX / "contacts"))
    assert VCardConnector.can_open(str(FIX / "utf16be_nobom.vcf"))
    assert VCardConnector.can_open(str(FIX))
    calendar = tmp_path / "agenda.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    assert not VCardConnector.can_open(str(calendar))
    (tmp_path / "notes.txt").write_text("BEGIN:VCARD")
    assert not VCardConnector.can_open(str(tmp_path / "notes.txt"))
    assert not VCardConnector.can_open(str(tmp_path))


def test_folder_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.vcf").write_bytes((FIX / "bom_utf8.vcf").read_bytes())
    (tmp_path / "two.VCF").write_bytes((FIX / "no_version.vcf").read_bytes())
    (tmp_path / "skip.txt").write_text("BEGIN:VCARD\nFN:No\nEND:VCARD\n")
    names = sorted(r.display_name for r in records(tmp_path))
    assert names == ["Priya Natarajan", "Élise Gagnon"]


def test_vcf_inside_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLE, "Contacts/phone.vcf")
        zf.writestr("readme.txt", "not a card")
    assert VCardConnector.can_open(str(archive))
    items = read(archive)
    assert sum(isinstance(i, SourceRecord) for i in items) == 11
    fred = next(i for i in items if getattr(i, "external_id", "") == "fred-lavoie-0012")
    assert fred.locator == f"{archive}!Contacts/phone.vcf:83"
    assert fred.unit == f"{archive}!Contacts/phone.vcf"


def test_reading_streams_across_small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = [(r.external_id, r.display_name, r.note) for r in records(SAMPLE)]
    monkeypatch.setattr(cards_module, "CHUNK", 7)
    assert [(r.external_id, r.display_name, r.note) for r in records(SAMPLE)] == whole
    crlf_split = [r.display_name for r in records(FIX / "cr_only.vcf")]
    assert crlf_split == ["Kate O'Brien", "Bob Chen"]


# --- parse_card, for the CardDAV connector ----------------------------------------

def test_parse_card() -> None:
    text = (FIX / "vcard40.vcf").read_text(encoding="utf-8")
    record = parse_card(text, source="team", unit="/dav/c/1.vcf", locator="/dav/c/1.vcf",
                        external_id="/dav/c/1.vcf")
    assert record.external_id == "/dav/c/1.vcf" and record.source == "team"
    assert record.display_name == "Sophie Martin" and record.connector == "vcard"


@pytest.mark.parametrize("text,reason", [
    ("BEGIN:VCARD\nVERSION:3.0\nFN:Never closed\n", "unterminated-card"),
    ("hello", "garbage"),
    ("", "no-card"),
    ("BEGIN:VCARD\nVERSION:3.0\nTEL;TYPE=\"x:1\nEND:VCARD\n", "bad-parameter"),
])
def test_parse_card_raises_unit_error(text: str, reason: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_card(text, source="team", unit="u", locator="u")
    assert info.value.reason == reason


# --- one UID on two cards of a file ----------------------------------------------

def _two_uid_cards(tmp_path: Path, second_email: str) -> Path:
    return _vcf(tmp_path, "BEGIN:VCARD", "VERSION:3.0", "FN:Dup UID One", "UID:same-uid",
                "EMAIL:dup1@example.com", "END:VCARD",
                "BEGIN:VCARD", "VERSION:3.0", "FN:Dup UID Two", "UID:same-uid",
                f"EMAIL:{second_email}", "END:VCARD")


def test_a_uid_used_twice_in_a_file_keeps_both_cards(tmp_path: Path, db: str) -> None:
    """The second card used to be a "duplicate-id" reject and its data lost."""
    from reseausync import api
    from reseausync.store import Store
    path = _two_uid_cards(tmp_path, "dup2@example.com")
    first, second = records(path)
    assert first.external_id == "same-uid"
    assert second.external_id.startswith("same-uid#sha256:")
    (run,) = api.import_paths([str(path)], db=db, source="phone")
    assert (run.counts["added"], run.counts["rejected"]) == (2, 0)
    path.touch()    # read again: same ids, nothing changes
    (again,) = api.import_paths([str(path)], db=db, source="phone")
    assert (again.counts["unchanged"], again.counts["added"], again.counts["removed"]) == (
        2, 0, 0)
    store = Store.open(db)
    emails = {r[0] for r in store.db.execute("SELECT data FROM records")}
    store.close()
    assert any("dup2@example.com" in e for e in emails)
    assert records(path)[1].external_id == second.external_id


def test_two_identical_cards_with_one_uid_are_still_one_record(tmp_path: Path,
                                                                db: str) -> None:
    from reseausync import api
    path = _vcf(tmp_path, *(["BEGIN:VCARD", "VERSION:3.0", "FN:Twice", "UID:u-1",
                             "END:VCARD"] * 2))
    (run,) = api.import_paths([str(path)], db=db, source="phone")
    assert (run.counts["added"], run.counts["rejected"]) == (1, 1)


@pytest.mark.parametrize("marker", ["X-ABShowAs:COMPANY", "KIND:org"])
def test_a_company_card_names_no_person(marker: str) -> None:
    """Apple writes a company's name in FN (and often N): "ACME Support" was read as
    given name ACME, family name Support, and matched as a person."""
    record = parse_card("BEGIN:VCARD\r\nVERSION:3.0\r\nN:ACME Support;;;;\r\n"
                        "FN:ACME Support\r\nTEL:+15145550199\r\n"
                        f"{marker}\r\nEND:VCARD\r\n", source="phone", unit="u", locator="u:1")
    assert (record.display_name, record.given_name, record.family_name) == ("", "", "")
    assert record.organization == "ACME Support" and record.extra["kind"] == "org"
