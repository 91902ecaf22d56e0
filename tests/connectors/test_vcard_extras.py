"""Relatives, anniversary, gender, messaging accounts and social profiles: read from
the card, kept on the contact, written back by export and publish, listed by `show`
(README Known gaps: "the vCard connector does not read RELATED, ANNIVERSARY, GENDER
or IMPP")."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync import api, directory
from reseausync.export.vcard import contact_to_vcard
from reseausync_connectors.vcard import parse_card

# As macOS Contacts (14.x) writes a card: IMPP with X-SERVICE-TYPE and the older
# X-AIM beside it, profiles, relatives and dates in Apple label groups.
APPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\n"
    "N:Roy;Jean;;;\r\nFN:Jean Roy\r\nORG:Plomberie Roy inc.;\r\n"
    "item1.EMAIL;type=INTERNET;type=pref:jean.roy@plomberieroy.ca\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:(418) 555-0142\r\n"
    "IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:jean.roy\r\n"
    "item2.IMPP;X-SERVICE-TYPE=Jabber:xmpp:jean@jabber.org\r\n"
    "item2.X-ABLabel:_$!<Other>!$_\r\n"
    "IMPP;X-SERVICE-TYPE=AIM;type=HOME:aim:jeanroy\r\n"
    "X-AIM;type=HOME:jeanroy\r\n"
    "X-SOCIALPROFILE;type=twitter;x-user=jroy:http://twitter.com/jroy\r\n"
    "X-SOCIALPROFILE;type=linkedin;x-user=jroy:http://www.linkedin.com/in/jroy\r\n"
    "item3.X-ABRELATEDNAMES;type=pref:Marie Roy\r\nitem3.X-ABLabel:_$!<Spouse>!$_\r\n"
    "item4.X-ABRELATEDNAMES:Paul Roy\r\nitem4.X-ABLabel:_$!<Brother>!$_\r\n"
    "item5.X-ABRELATEDNAMES:Luc Gagnon\r\nitem5.X-ABLabel:Parrain\r\n"
    "item6.X-ABDATE;type=pref:2004-08-14\r\nitem6.X-ABLabel:_$!<Anniversary>!$_\r\n"
    "X-ABUID:5F1A2B3C-0001:ABPerson\r\nEND:VCARD\r\n")
V4 = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:anne-roy\r\nFN:Anne Roy\r\nN:Roy;Anne;;;\r\n"
    "EMAIL:anne.roy@gmail.com\r\n"
    "RELATED;TYPE=spouse;VALUE=text:Jean Roy\r\n"
    "RELATED;TYPE=friend,co-worker:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n"
    "ANNIVERSARY:20040814\r\nGENDER:F;femme\r\nIMPP;PREF=1:xmpp:anne@jabber.org\r\n"
    "END:VCARD\r\n")
OLDER = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Luc Gagnon\r\nN:Gagnon;Luc;;;\r\n"
    "X-JABBER;TYPE=WORK:luc@jabber.org\r\nX-SKYPE-USERNAME:luc.gagnon\r\n"
    "X-ANNIVERSARY:1999-06-05\r\nX-GENDER:Male\r\nEND:VCARD\r\n")
KEYS = ("related", "anniversary", "gender", "impp", "social_profiles")


def read(text: str) -> dict[str, Any]:
    return parse_card(text, source="phone", unit="u.vcf", locator="u.vcf:1").extra


def test_apple_card() -> None:
    extra = read(APPLE)
    assert extra["impp"] == [
        {"value": "skype:jean.roy", "service": "Skype", "label": "home"},
        {"value": "xmpp:jean@jabber.org", "service": "Jabber", "label": "other"},
        {"value": "aim:jeanroy", "service": "AIM", "label": "home"}]     # X-AIM: the same
    assert extra["social_profiles"] == [
        {"value": "http://twitter.com/jroy", "service": "twitter", "user": "jroy"}]
    assert extra["related"] == [{"value": "Marie Roy", "label": "spouse"},
                                {"value": "Paul Roy", "label": "brother"},
                                {"value": "Luc Gagnon", "label": "Parrain"}]
    assert extra["anniversary"] == "2004-08-14"


def test_vcard_4_card() -> None:
    extra = read(V4)
    assert extra["related"] == [
        {"value": "Jean Roy", "label": "spouse"},
        {"value": "urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
         "label": "friend,co-worker"}]
    assert extra["anniversary"] == "2004-08-14"
    assert extra["gender"] == {"sex": "F", "identity": "femme"}
    assert extra["impp"] == [{"value": "xmpp:anne@jabber.org"}]


def test_older_x_properties() -> None:
    extra = read(OLDER)
    assert extra["impp"] == [
        {"value": "xmpp:luc@jabber.org", "service": "Jabber", "label": "work"},
        {"value": "skype:luc.gagnon", "service": "Skype"}]
    assert extra["anniversary"] == "1999-06-05"
    assert extra["gender"] == {"sex": "M"}
    assert read(OLDER.replace("X-GENDER:Male", "X-WAB-GENDER:1"))["gender"] == {"sex": "F"}


def _import(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    db = str(tmp_path / f"{path.stem}.db")
    api.import_paths([str(path)], db=db, region="CA")
    return db


def _kept(db: str) -> dict[str, dict[str, Any]]:
    return {c["display_name"]: {k: c.get(k) for k in KEYS} for c in api.contacts(db)}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_round_trip_through_export(tmp_path: Path, version: str) -> None:
    """Import, `export --format vcf`, import the export into a fresh directory: the
    same values (3.0 is also what `publish` writes)."""
    first = _import(tmp_path, "phone.vcf", (APPLE + V4 + OLDER).encode())
    kept = _kept(first)
    assert kept["Jean Roy"]["related"][0] == {"value": "Marie Roy", "label": "spouse"}
    assert kept["Anne Roy"]["gender"] == {"sex": "F", "identity": "femme"}
    assert kept["Luc Gagnon"]["anniversary"] == "1999-06-05"
    out = tmp_path / f"export{version[0]}.vcf"
    with out.open("w", encoding="utf-8", newline="") as handle:
        directory.export(first, handle, "vcf", date.today(), vcard_version=version)
    text = out.read_bytes().decode("utf-8")
    if version == "3.0":
        assert "\nRELATED" not in text and "\nGENDER" not in text and "\nANNIV" not in text
        assert "X-ABLabel:_$!<Spouse>!$_\r\n" in text
    else:
        assert "RELATED;TYPE=spouse;VALUE=text:Marie Roy\r\n" in text
    second = _import(tmp_path, f"reimport{version[0]}.vcf", out.read_bytes())
    assert _kept(second) == kept


def test_show_lists_them_with_their_records(tmp_path: Path) -> None:
    db = _import(tmp_path, "phone.vcf", (APPLE + V4).encode())
    (jean,) = [c for c in api.contacts(db) if c["display_name"] == "Jean Roy"]
    text = directory.render_show(directory.show(db, jean["id"], date.today()))
    for shown in ("related       Marie Roy (spouse)", "related       Paul Roy (brother)",
                  "anniversary   2004-08-14", "impp          skype:jean.roy (Skype, home)",
                  "impp          xmpp:jean@jabber.org (Jabber, other)",
                  "social_profiles http://twitter.com/jroy (twitter, jroy)"):
        assert shown in text, text
    (anne,) = [c for c in api.contacts(db) if c["display_name"] == "Anne Roy"]
    text = directory.render_show(directory.show(db, anne["id"], date.today()))
    assert "gender        F, femme" in text and "from vcard:" in text


# --- the writer and the reader agree on any such values ----------------------------

_TEXT = st.text(string.ascii_letters + " ,;:\\éà'-", min_size=1, max_size=20).map(
    lambda t: " ".join(t.split())).filter(bool)
_LABEL = st.sampled_from(["", "spouse", "brother", "child", "friend,co-worker", "parrain",
                          "other"])
_DATE = st.sampled_from(["2004-08-14", "1999-12-31"])
_EXTRAS = st.fixed_dictionaries({}, optional={
    "related": st.lists(st.fixed_dictionaries({"value": _TEXT, "label": _LABEL}),
                        max_size=3, unique_by=lambda d: d["value"]),
    "anniversary": _DATE,
    "gender": st.sampled_from([{"sex": "F"}, {"sex": "M", "identity": "homme"},
                               {"identity": "non-binaire"}, {"sex": "O"}]),
    "impp": st.lists(st.fixed_dictionaries(
        {"value": st.from_regex(r"(skype|xmpp|aim):[a-z][a-z0-9.@]{0,12}", fullmatch=True)},
        optional={"service": st.sampled_from(["Skype", "Jabber", "AIM", "Google Talk"]),
                  "label": st.sampled_from(["home", "work", "other", "Chalet"])}),
        max_size=3, unique_by=lambda d: d["value"]),
    "social_profiles": st.lists(st.fixed_dictionaries(
        {"value": st.from_regex(r"https://(twitter|facebook)\.com/[a-z]{1,10}",
                                fullmatch=True)},
        optional={"service": st.sampled_from(["twitter", "facebook"]),
                  "user": st.from_regex(r"[a-z][a-z0-9._]{0,10}", fullmatch=True)}),
        max_size=2, unique_by=lambda d: d["value"]),
})


def _expected(extras: dict[str, Any]) -> dict[str, Any]:
    """What a card holding `extras` reads back as: empty labels are not kept, and
    labels keep their case (a label of the user's own, "Chalet", as written; the
    sampled vCard and Apple words are lower-case already)."""
    out = dict(extras)
    for key in ("related", "impp", "social_profiles"):
        items = [{k: v for k, v in i.items() if v}
                 for i in extras.get(key, [])]
        if items:
            out[key] = items
        else:
            out.pop(key, None)
    return out


@settings(max_examples=120, deadline=None)
@given(extras=_EXTRAS, version=st.sampled_from(["4.0", "3.0"]))
def test_written_extras_read_back_the_same(extras: dict[str, Any], version: str) -> None:
    contact = {"id": "c0123456789a", "display_name": "Jean Roy", "given_name": "Jean",
               "family_name": "Roy", **extras}
    extra = read(contact_to_vcard(contact, version))
    got = {k: extra[k] for k in KEYS if k in extra}
    assert got == _expected(extras)
