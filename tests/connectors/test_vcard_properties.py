"""Property tests: the vCard reader never raises, and written cards read back the same."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.errors import UnitError
from reseausync.export.vcard import contact_to_vcard
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.vcard import VCardConnector, parse_card
from reseausync_connectors.vcard.cards import redecode

# Lines that look like vCard, mixed with noise, to reach deep into the parser.
_FRAGMENTS = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "begin:vcard ", "VERSION:2.1", "VERSION:4.0", "FN:Ana",
    "N:Doe;Jane;;;", "TEL;CELL:+1 514", "EMAIL;TYPE=:x@y.z", "item1.X-ABLabel:_$!<Work>!$_",
    "NOTE;ENCODING=QUOTED-PRINTABLE:=C3=", "=A9t=C3=A9", "PHOTO;ENCODING=b:AAA",
    "PHOTO:data:image/png;base64,@@", " folded", "\tfolded", "TEL;TYPE=\"cell:1",
    "ADR:;;a\\;b;c", "CATEGORIES:a\\,b,c", ";;:", ":", "=", "\\", "BDAY:2020",
])
_LINES = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=30)), max_size=25)
_ENDINGS = st.sampled_from(["\r\n", "\n", "\r"])


def _read_bytes(tmp: Path, data: bytes) -> list:
    path = tmp / "fuzz.vcf"
    path.write_bytes(data)
    conn = VCardConnector({}, ReadContext(source="fuzz"))
    return list(conn.read(list(conn.discover(str(path)))))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES, ending=_ENDINGS, encoding=st.sampled_from(["utf-8", "utf-16-be",
                                                                 "cp1252"]))
def test_reader_never_raises(tmp_path: Path, lines: list[str], ending: str,
                             encoding: str) -> None:
    data = ending.join(lines).encode(encoding, errors="replace")
    for item in _read_bytes(tmp_path, data):
        assert isinstance(item, (SourceRecord, Reject))
        assert item.locator


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_reader_never_raises_on_bytes(tmp_path: Path, data: bytes) -> None:
    for item in _read_bytes(tmp_path, b"BEGIN:VCARD\r\n" + data):
        assert isinstance(item, (SourceRecord, Reject))


@settings(max_examples=80, deadline=None)
@given(lines=_LINES, ending=_ENDINGS)
def test_parse_card_raises_only_unit_error(lines: list[str], ending: str) -> None:
    try:
        record = parse_card(ending.join(lines), source="s", unit="u", locator="u")
    except UnitError as exc:
        assert exc.reason and exc.message
    else:
        assert record.locator == "u"


# --- round trip through the writer --------------------------------------------------

_WORD = st.text(alphabet=string.ascii_letters + "éèçàÉôüœ'-", min_size=1, max_size=12)
_PUNCT_TEXT = st.text(alphabet=string.ascii_letters + " ,;:\\\"=éà€漢😀-", max_size=40)


def _clean(text: str) -> str:
    return " ".join(text.split())


_NAME = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_EMAIL = st.tuples(st.from_regex(r"[a-z][a-z0-9.]{0,10}", fullmatch=True),
                   st.sampled_from(["acme.ca", "gmail.com", "coveo.com"])).map("@".join)
_PHONE = st.from_regex(r"\+1[2-9][0-9]{9}", fullmatch=True)
_ADDRESS = st.fixed_dictionaries({
    "street": _PUNCT_TEXT.map(_clean), "locality": _NAME, "region": st.sampled_from(["QC", ""]),
    "postal_code": st.sampled_from(["H2J 2L3", ""]), "country": st.sampled_from(["Canada", ""]),
    "label": st.sampled_from(["work", "home"])})
_CONTACT = st.fixed_dictionaries({
    "id": st.from_regex(r"c[0-9a-f]{11}", fullmatch=True),
    "display_name": _NAME, "given_name": _WORD, "family_name": _WORD,
    "emails": st.lists(_EMAIL, max_size=3, unique=True),
    "phones": st.lists(_PHONE, max_size=2, unique=True),
    "organization": _PUNCT_TEXT.map(_clean), "title": _PUNCT_TEXT.map(_clean),
    "linkedin_url": st.sampled_from([None, "https://www.linkedin.com/in/jftremblay"]),
    "addresses": st.lists(_ADDRESS, max_size=2),
    "categories": st.lists(_PUNCT_TEXT.map(_clean).filter(bool), max_size=3, unique=True),
    "urls": st.lists(st.sampled_from(["https://acme.ca", "https://a.b/c?d=1,2"]), max_size=2,
                     unique=True),
    "note": st.lists(_PUNCT_TEXT.map(_clean), max_size=3).map("\n".join).map(str.strip),
    "birthday": st.sampled_from(["", "1980-04-15", "--0415"]),
})


@settings(max_examples=80, deadline=None)
@given(contact=_CONTACT, version=st.sampled_from(["4.0", "3.0"]))
def test_written_cards_read_back_the_same(contact: dict, version: str) -> None:
    text = contact_to_vcard(contact, version)
    record = parse_card(text, source="s", unit="u", locator="u")
    assert record.external_id == contact["id"]
    assert record.display_name == contact["display_name"]
    assert (record.given_name, record.family_name) == (contact["given_name"],
                                                       contact["family_name"])
    assert [e.value for e in record.emails] == contact["emails"]
    assert [p.value for p in record.phones] == contact["phones"]
    assert record.organization == contact["organization"]
    assert record.title == contact["title"]
    assert (record.linkedin_url or None) == contact["linkedin_url"]
    assert record.urls == contact["urls"]
    assert record.categories == contact["categories"]
    assert record.note == contact["note"]
    assert record.birthday == {"--0415": "--04-15"}.get(contact["birthday"],
                                                        contact["birthday"])
    expected = [{k: v for k, v in a.items()} for a in contact["addresses"]
                if any(a[k] for k in ("street", "locality", "region", "postal_code", "country"))]
    got = [{"street": a.street, "locality": a.locality, "region": a.region,
            "postal_code": a.postal_code, "country": a.country, "label": a.label}
           for a in record.addresses]
    assert got == expected


_PROP_NAMES = st.sampled_from(["FN", "EMAIL", "TEL", "NOTE", "TITLE", "ORG", "X-CUSTOM"])
_SAFE_TEXT = st.text(string.ascii_letters + string.digits + " .@-", min_size=1, max_size=20)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(props=st.lists(st.tuples(_PROP_NAMES, _SAFE_TEXT), min_size=1, max_size=8),
       bad=st.text(string.ascii_letters + ' ;="', min_size=1, max_size=30)
       .filter(lambda t: t.strip() and t[0] != " "),   # a leading space folds
       at=st.integers(min_value=0, max_value=8))
def test_one_unreadable_line_costs_only_that_line(tmp_path: Path, props: list,
                                                  bad: str, at: int) -> None:
    """A line with no colon anywhere in a card: the card imports with every other
    property, and one reject names exactly that line."""
    lines = [f"{name}:{value.strip() or 'x'}" for name, value in props]
    at = min(at, len(lines))
    body = ["VERSION:3.0", *lines[:at], bad, *lines[at:]]
    data = ("BEGIN:VCARD\r\n" + "\r\n".join(body) + "\r\nEND:VCARD\r\n").encode()
    clean = ("BEGIN:VCARD\r\n" + "\r\n".join(["VERSION:3.0", *lines])
             + "\r\nEND:VCARD\r\n").encode()
    items = _read_bytes(tmp_path, data)
    expected = _read_bytes(tmp_path, clean)[0]
    assert [type(i).__name__ for i in items] == ["SourceRecord", "Reject"]
    record, reject = items
    assert reject.locator.endswith(f":{at + 3}") and reject.excerpt == bad
    for field in ("display_name", "emails", "phones", "note", "title", "organization"):
        assert getattr(record, field) == getattr(expected, field)


# Words, not characters: which single-byte encoding a card is in is read from its
# words (charsets.single_byte_encoding); "aÀ" alone reads as well in Mac Roman.
_CP1252_TEXT = st.lists(st.sampled_from([
    "abc", "XYZ", "019-", "Bélanger", "Côté", "Hélène", "général", "Québec", "Müller",
    "Straße", "Peñalolén", "naïve", "façade", "Noël", "l’équipe", "ÉCOLE", "Frédéric",
    "Françoise", "Lévesque", "garçon", "Zoë"]), max_size=4).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.tuples(_CP1252_TEXT, st.booleans()), min_size=1, max_size=8))
def test_each_line_keeps_its_own_encoding(lines: list[tuple[str, bool]]) -> None:
    """UTF-8 lines always read back as written; a cp1252 line reads back as
    written whenever its bytes are not valid UTF-8 (else nothing can tell)."""
    data = b"\n".join(text.encode("cp1252" if cp else "utf-8") for text, cp in lines)
    decoded = redecode(data.decode("utf-8", "surrogateescape")).split("\n")
    assert len(decoded) == len(lines)
    for (text, cp), got in zip(lines, decoded, strict=True):
        if not cp:
            assert got == text
        else:
            try:
                text.encode("cp1252").decode("utf-8")
            except UnicodeDecodeError:
                assert got == text
