"""A display name alone gives the contact the name parts the matcher reads (QA2
docs F3): README "Name order" and "Name affixes". Before, the contact's parts came
from a second reader that knew neither rule ("Lévesque, CPA" had given name CPA,
"Roy, P.Eng., MBA" given "Roy, P.Eng.," and family "MBA")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync import api
from reseausync.export.vcard import contact_to_vcard
from reseausync.normalize.names import display_parts, split_name
from reseausync.normalize.text import fold

CASES = [
    ("Trumarra Michael", "Michael", "Trumarra"),
    ("Lévesque, CPA", "", "Lévesque"),
    ("Roy, P.Eng., MBA", "", "Roy"),
    ("Tremblay, Jr.", "", "Tremblay"),
    ("Tremblay, Jr", "", "Tremblay"),
    ("Gagnon, III", "", "Gagnon"),
    # one word before the comma, a tail that may be a given name: family, given
    ("Chan, Eng", "Eng", "Chan"),
    ("Rahman, Md", "Md", "Rahman"),
    ("CHAN, ENG", "ENG", "CHAN"),
    ("Jean Lévesque, CPA", "Jean", "Lévesque"),
    ("Alain Roy, P.Eng., MBA", "Alain", "Roy"),
    ("Tremblay, Jean-François", "Jean-François", "Tremblay"),
    ("Dr. Amélie St-Pierre", "Amélie", "St-Pierre"),
    ("Dr. Priya Natarajan PhD", "Priya", "Natarajan"),
    ("Me Tremblay", "", "Tremblay"),
    ("Martin Richard", "Martin", "Richard"),
    ("Jean de la Fontaine", "Jean", "de la Fontaine"),
    ("Tremblay M", "M", "Tremblay"),
    ("Tremblay", "Tremblay", ""),
    ("bob@x.com", "", ""),
]


@pytest.mark.parametrize(("display", "given_name", "family"), CASES)
def test_display_parts_follow_the_name_rules(display: str, given_name: str,
                                             family: str) -> None:
    assert display_parts(display) == (given_name, family)


@pytest.mark.parametrize(("display", "given_name", "family"), CASES)
def test_the_matcher_reads_the_same_parts(display: str, given_name: str,
                                          family: str) -> None:
    assert split_name("", "", display) == split_name(given_name, family)


@given(st.text(alphabet=st.sampled_from("aeJMDrTb. -é"), max_size=30) | st.text(max_size=25))
def test_one_reading_for_the_matcher_and_the_contact(text: str) -> None:
    """Without a comma there is no field form: the folded parts are the parts."""
    text = text.replace(",", " ")
    given_part, family = display_parts(text)
    assert split_name("", "", text) == (fold(given_part), fold(family))


def _card(fn: str, uid: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nEND:VCARD\r\n"


def test_a_card_with_only_a_display_name_gets_the_documented_parts(tmp_path: Path) -> None:
    names = ["Trumarra Michael", "Lévesque\\, CPA", "Roy\\, P.Eng.\\, MBA", "Tremblay\\, Jr."]
    path = tmp_path / "names.vcf"
    path.write_bytes("".join(_card(n, f"u{i}") for i, n in enumerate(names)).encode())
    db = str(tmp_path / "t.db")
    api.import_paths([str(path)], db=db)
    got = {c["display_name"]: (c["given_name"], c["family_name"]) for c in api.contacts(db)}
    assert got == {"Trumarra Michael": ("Michael", "Trumarra"),
                   "Lévesque, CPA": ("", "Lévesque"),
                   "Roy, P.Eng., MBA": ("", "Roy"),
                   "Tremblay, Jr.": ("", "Tremblay")}
    exported = {c["display_name"]: contact_to_vcard(c) for c in api.contacts(db)}
    assert "\r\nN:Trumarra;Michael;;;\r\n" in exported["Trumarra Michael"]
    assert "\r\nN:Roy;;;;\r\n" in exported["Roy, P.Eng., MBA"]
