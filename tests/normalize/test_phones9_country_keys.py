"""QA9 phones #1: two people in different countries never meet on a phone number.

Phones compared on their last ten digits, country code included, so a Paris mobile
(+33 6 12 34 56 78) and a Texas number (+1 361 234 5678) were "the same phone", and
"M. Dubois" in Texas was merged into Marie Dubois in Paris. A number outside North
America now keeps its country code in the key; national digits still meet the E.164
of a North American number (a book read before a region was configured).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.match.features import phone_key
from reseausync.normalize.phones import normalize_phone
from tests.conftest import import_and_list

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marie Dubois\r\nN:Dubois;Marie;;;\r\n"
    "TEL;TYPE=CELL:+33 6 12 34 56 78\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Luc Gagnon\r\nN:Gagnon;Luc;;;\r\n"
    "TEL;TYPE=WORK:+44 20 7946 0018\r\nEND:VCARD\r\n"
)
GOOGLE_CSV = (
    "First Name,Middle Name,Last Name,Organization Name,Labels,Phone 1 - Label,"
    "Phone 1 - Value\r\n"
    "M.,,Dubois,,* myContacts,Mobile,(361) 234-5678\r\n"
    ",,Gagnon,,* myContacts,Work,+1 207-946-0018\r\n"
)


def key(raw: str, region: str | None = "CA") -> str:
    return phone_key(normalize_phone(raw, region))


def test_numbers_of_two_countries_do_not_meet() -> None:
    assert key("+33 6 12 34 56 78") != key("(361) 234-5678")
    assert key("+44 20 7946 0018") != key("+1 207-946-0018")
    assert key("+31 6 12345678") != key("+41 61 234 56 78")


def test_one_number_written_differently_still_meets() -> None:
    assert key("+1 514 555 1234") == key("514-555-1234", None) == key("1 514 555 1234", None)
    assert key("+33 6 12 34 56 78") == key("06 12 34 56 78", "FR") == key("0033612345678")
    assert key("+33612345678") == key("33612345678", None)
    assert key("01 42 68 53 00") == key("0142685300", None)


@given(st.sampled_from(["33", "44", "49", "41", "32", "212", "81", "31"]),
       st.text("0123456789", min_size=8, max_size=10))
def test_a_country_code_is_never_dropped(code: str, national: str) -> None:
    """Any number outside the NANP and any NANP number differ in their keys."""
    foreign = "+" + code + national
    nanp = "+1" + (code + national)[-10:]
    assert phone_key(foreign) != phone_key(nanp)
    assert phone_key(foreign) == phone_key("00" + code + national)


def test_import_keeps_the_texan_and_the_parisian_apart(tmp_path: Path) -> None:
    phone = tmp_path / "phone.vcf"
    phone.write_bytes(VCARD.encode())
    google = tmp_path / "google.csv"
    google.write_bytes(GOOGLE_CSV.encode())
    listed = import_and_list(str(tmp_path / "dir.db"), phone, google)
    phones = sorted(sorted(c["phones"]) for c in listed)
    assert phones == [["+12079460018"], ["+13612345678"], ["+33612345678"],
                      ["+442079460018"]]
