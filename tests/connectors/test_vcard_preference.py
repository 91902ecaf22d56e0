"""The card's preferred e-mail and phone come first (INTERFACE: "primary first"):
4.0 `PREF=1`, 3.0 `TYPE=pref`, 2.1's bare `PREF` (QA round 3, finding 5)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.export.vcard import contact_to_vcard
from reseausync.models import SourceRecord
from reseausync_connectors.vcard import VCardConnector, parse_card

PREF_VCF = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Paul LeBlanc\r\nN:LeBlanc;Paul;;;\r\n"
    "EMAIL;TYPE=home:paul.perso@gmail.com\r\n"
    "EMAIL;TYPE=work;PREF=1:paul.leblanc@desjardins.com\r\n"
    "TEL;TYPE=home:+1 514 555 0101\r\nTEL;TYPE=cell;PREF=1:+1 514 555 0202\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sophie Martin\r\nN:Martin;Sophie;;;\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=HOME:sophie.m@gmail.com\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=pref:s.martin@cgi.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Roy;Luc;;;\r\nTEL;HOME:514 555 0101\r\n"
    "TEL;CELL;PREF:514 555 0202\r\nEMAIL;INTERNET:luc@gmail.com\r\n"
    "EMAIL;PREF;INTERNET:luc.roy@bell.ca\r\nEND:VCARD\r\n")


def _records(tmp_path: Path, text: str) -> list[SourceRecord]:
    path = tmp_path / "pref.vcf"
    path.write_bytes(text.encode())
    conn = VCardConnector({}, ReadContext(source="phone"))
    items = list(conn.read(list(conn.discover(str(path)))))
    assert all(isinstance(i, SourceRecord) for i in items), items
    return items


def _values(values: list) -> list[str]:
    return [v.value for v in values]


def test_the_preferred_value_comes_first_in_every_version(tmp_path: Path) -> None:
    paul, sophie, luc = _records(tmp_path, PREF_VCF)
    assert _values(paul.emails) == ["paul.leblanc@desjardins.com", "paul.perso@gmail.com"]
    assert _values(paul.phones) == ["+1 514 555 0202", "+1 514 555 0101"]
    assert [e.label for e in paul.emails] == ["work", "home"]     # labels travel along
    assert _values(sophie.emails) == ["s.martin@cgi.com", "sophie.m@gmail.com"]
    assert _values(luc.emails) == ["luc.roy@bell.ca", "luc@gmail.com"]
    assert _values(luc.phones) == ["514 555 0202", "514 555 0101"]


def test_pref_numbers_order_and_ties_keep_the_card_order(tmp_path: Path) -> None:
    card = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEMAIL:a@x.ca\r\nEMAIL;PREF=50:b@x.ca\r\n"
            "EMAIL:c@x.ca\r\nEMAIL;PREF=2:d@x.ca\r\nEMAIL;PREF=2:e@x.ca\r\n"
            "EMAIL;PREF=x:f@x.ca\r\nEND:VCARD\r\n")
    (record,) = _records(tmp_path, card)
    # an unreadable PREF still says "preferred": as strong as PREF=1
    assert _values(record.emails) == ["f@x.ca", "d@x.ca", "e@x.ca", "b@x.ca", "a@x.ca",
                                      "c@x.ca"]


def test_apple_grouped_pref_and_the_carddav_path() -> None:
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:Zoé\nitem1.EMAIL;type=INTERNET:z@perso.ca\n"
            "item1.X-ABLabel:_$!<Home>!$_\nitem2.EMAIL;type=INTERNET;type=pref:z@acme.ca\n"
            "item2.X-ABLabel:_$!<Work>!$_\nEND:VCARD\n")
    record = parse_card(text, source="dav", unit="u", locator="u")
    assert [(e.value, e.label) for e in record.emails] == [("z@acme.ca", "work"),
                                                            ("z@perso.ca", "home")]


def test_no_marker_keeps_the_card_order(tmp_path: Path) -> None:
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEMAIL;TYPE=prefix-not-pref:b@x.ca\r\n"
            "EMAIL:a@x.ca\r\nEND:VCARD\r\n")
    (record,) = _records(tmp_path, card)
    assert _values(record.emails) == ["b@x.ca", "a@x.ca"]


def test_the_contact_and_its_export_mark_the_preferred_one(tmp_path: Path) -> None:
    """The export wrote EMAIL;PREF=1 on the address the user had not preferred."""
    path = tmp_path / "pref.vcf"
    path.write_bytes(PREF_VCF.encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(path)], db=db, region="CA")
    people = {c["display_name"]: c for c in api.contacts(db)}
    paul = people["Paul LeBlanc"]
    assert paul["emails"][0] == "paul.leblanc@desjardins.com"
    assert paul["phones"][0] == "+15145550202"
    assert people["Sophie Martin"]["emails"][0] == "s.martin@cgi.com"
    assert people["Luc Roy"]["emails"][0] == "luc.roy@bell.ca"
    # the export writes each value's label too (TYPE=work)
    assert "EMAIL;TYPE=work;PREF=1:paul.leblanc@desjardins.com" in contact_to_vcard(paul, "4.0")
    assert "EMAIL;TYPE=INTERNET,WORK,PREF:s.martin@cgi.com" in contact_to_vcard(
        people["Sophie Martin"], "3.0")


_MARKERS = st.sampled_from(["", ";PREF=1", ";PREF=3", ";TYPE=pref", ";TYPE=work,pref", ";PREF"])


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markers=st.lists(_MARKERS, min_size=1, max_size=6))
def test_preferred_first_others_in_card_order(tmp_path: Path, markers: list[str]) -> None:
    lines = "".join(f"EMAIL{m}:p{i}@x.ca\r\n" for i, m in enumerate(markers))
    (record,) = _records(tmp_path, f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n{lines}END:VCARD\r\n")
    rank = {"": 101, ";PREF=3": 3}
    expected = sorted(range(len(markers)), key=lambda i: rank.get(markers[i], 1))
    assert _values(record.emails) == [f"p{i}@x.ca" for i in expected]
