"""URLs with commas survive export and every vobject reader (qa4_roundtrip #3).

Google Maps links always hold commas (`/@45.5228,-73.6003,17z`). vobject, and so
Radicale, which re-saves each published card with it, reads an unescaped comma in a
URL as a list and keeps the first piece: the book held `.../@45.5228`. The export
escapes `\\`, `,` and `;` in URL values as in text; vobject and our importer read
them back whole.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.export.vcard import contact_to_vcard
from reseausync_connectors.vcard import parse_card

CA = Settings(region="CA")
MAPS = "https://www.google.com/maps/place/Caf%C3%A9+Olimpico/@45.5228,-73.6003,17z"
TRICKY = "https://example.com/search?q=1,2;3&x=a\\b"
# qa4_roundtrip/in/mapurl.vcf, plus a second card with the tricky URL (in/tricky.vcf)
CARDS = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Café Olimpico\r\nKIND:org\r\n"
         "ORG:Café Olimpico\r\nTEL;VALUE=uri;TYPE=work:tel:+1-514-495-0746\r\n"
         f"URL:{MAPS}\r\nUID:olimpico-1\r\nEND:VCARD\r\n"
         "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoé Test\r\nN:Test;Zoé;;;\r\n"
         "EMAIL:zoe@semi.example.com\r\nURL:https://example.com/search?q=1\\,2\\;3&x=a\\\\b\r\n"
         "UID:zoe-1\r\nEND:VCARD\r\n").encode()


def _export(db: str, version: str) -> str:
    from io import StringIO
    out = StringIO()
    directory.export(db, out, "vcf", date.today(), vcard_version=version)
    return out.getvalue()


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_a_maps_url_comes_back_whole(tmp_path: Path, version: str) -> None:
    """import -> export -> vobject (what Radicale stores) and -> a fresh directory."""
    (tmp_path / "mapurl.vcf").write_bytes(CARDS)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    api.import_paths([str(tmp_path / "mapurl.vcf")], db=first, settings=CA)
    text = _export(first, version)
    read = sorted(str(u.value) for card in vobject.readComponents(text)
                  for u in card.contents.get("url", []))
    assert read == sorted([MAPS, TRICKY])
    exported = tmp_path / "out.vcf"
    exported.write_text(text, encoding="utf-8", newline="")
    api.import_paths([str(exported)], db=second, settings=CA)
    urls = sorted(u for c in api.contacts(second) for u in c.get("urls") or [])
    assert urls == sorted([MAPS, TRICKY])
    assert urls == sorted(u for c in api.contacts(first) for u in c.get("urls") or [])


def test_profiles_and_accounts_with_commas_come_back_whole() -> None:
    """X-SOCIALPROFILE and IMPP are URIs too: escaped the same way."""
    contact = {"id": "c0123456789a", "display_name": "Jean Roy",
               "social_profiles": [{"value": "https://x.example/p?a=1,2", "service": "x"}],
               "impp": [{"value": "xmpp:jean@a.example;x,y"}]}
    for version in ("4.0", "3.0"):
        text = contact_to_vcard(contact, version)
        card = vobject.readOne(text)
        assert card.contents["x-socialprofile"][0].value == "https://x.example/p?a=1,2"
        assert card.contents["impp"][0].value == "xmpp:jean@a.example;x,y"
        extra = parse_card(text, source="s", unit="u", locator="u").extra
        assert extra["social_profiles"][0]["value"] == "https://x.example/p?a=1,2"
        assert extra["impp"][0]["value"] == "xmpp:jean@a.example;x,y"


_URL = st.builds(lambda path: "https://example.com/" + path,
                 st.text("abcXYZ019-._~:/?#[]@!$&'()*+,;=%\\", max_size=40))


@settings(max_examples=150, deadline=None)
@given(urls=st.lists(_URL, min_size=1, max_size=3, unique=True),
       version=st.sampled_from(["4.0", "3.0"]))
def test_any_url_reads_back_the_same(urls: list[str], version: str) -> None:
    """Whatever a URL holds, vobject and our importer read the written one whole."""
    contact = {"id": "c0123456789a", "display_name": "A", "urls": urls}
    text = contact_to_vcard(contact, version)
    assert [u.value for u in vobject.readOne(text).contents["url"]] == urls
    assert parse_card(text, source="s", unit="u", locator="u").urls == urls
