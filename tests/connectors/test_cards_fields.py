"""The card extractors one by one, on the shapes real cards print."""

from __future__ import annotations

import pytest

from reseausync_connectors.cards.fields import (
    find_emails,
    find_linkedin,
    find_phones,
    find_postal,
    find_urls,
)
from reseausync_connectors.cards.layout import split_name
from reseausync_connectors.cards.text import (
    Line,
    join_split_lines,
    repair_email_markers,
    split_cards,
)


@pytest.mark.parametrize(("printed", "email"), [
    ("jf (at) acme (dot) ca", "jf@acme.ca"),
    ("jf[at]acme.ca", "jf@acme.ca"),
    ("Courriel : jf.trem blay @ acme.ca", "jf.tremblay@acme.ca"),
    ("jf.tremblay@ac me.ca", "jf.tremblay@acme.ca"),
    ("E: JF.Tremblay@Acme.CA", "jf.tremblay@acme.ca"),
])
def test_email_markers_and_spaces_are_repaired(printed: str, email: str) -> None:
    assert [f.value for f in find_emails(repair_email_markers(printed), True)] == [email]


def test_head_of_sales_at_acme_is_not_an_email() -> None:
    assert repair_email_markers("Head of Sales at Acme") == "Head of Sales at Acme"


@pytest.mark.parametrize("lines", [
    ["jf.tremblay@acme", ".ca"], ["jf.tremblay@", "acme.ca"], ["jf.trem", "blay@acme.ca"],
    ["jf.tremblay@acme.c", "a"], ["Courriel : jf.tremb", "lay@acme.ca"],
])
def test_email_split_over_two_lines_is_joined(lines: list[str]) -> None:
    joined = join_split_lines([Line(i, t) for i, t in enumerate(lines, 1)])
    assert len(joined) == 1
    assert [f.value for f in find_emails(joined[0].text, True)] == ["jf.tremblay@acme.ca"]


def test_a_website_line_is_not_glued_to_the_email_under_it() -> None:
    joined = join_split_lines([Line(1, "acme.ca"), Line(2, "jf@acme.ca")])
    assert [ln.text for ln in joined] == ["acme.ca", "jf@acme.ca"]


def test_two_phones_on_one_line_keep_their_own_labels() -> None:
    found = find_phones("T 514 555 1234 | F 514 555 1235", ["CA"])
    assert [(f.value, f.label) for f in found] == [("+15145551234", "work"),
                                                   ("+15145551235", "fax")]


@pytest.mark.parametrize(("printed", "value"), [
    ("Tél. : 5l4 555-O142 poste 12", "+15145550142 ext. 12"),
    ("Bureau (514) 555-0142, ext. 3", "+15145550142 ext. 3"),
    ("T:514.555.0142 x7", "+15145550142 ext. 7"),
])
def test_phone_repairs_and_extensions(printed: str, value: str) -> None:
    assert [f.value for f in find_phones(printed, ["CA"])] == [value]


def test_unparseable_number_is_kept_with_a_low_confidence() -> None:
    [found] = find_phones("Tél. 12 34 56 78", ["CA"])
    assert found.value == "12345678" and found.confidence < 0.6


@pytest.mark.parametrize(("line", "code", "locality", "region", "country"), [
    ("Montréal (Québec) H3B 4W5", "H3B 4W5", "Montréal", "QC", "Canada"),
    ("Toronto, ON M5V2T6", "M5V 2T6", "Toronto", "ON", "Canada"),
    ("75OO8 Paris CEDEX 08", "75008", "Paris", "", "France"),
    ("San Francisco, CA 94105-1234", "94105-1234", "San Francisco", "CA", "USA"),
])
def test_postal_codes(line: str, code: str, locality: str, region: str, country: str) -> None:
    found = find_postal(line)
    assert found is not None
    assert (found.postal_code, found.locality, found.region, found.country) == (
        code, locality, region, country)


def test_linkedin_is_canonical_and_not_a_website() -> None:
    found = find_linkedin("LinkedIn: linkedin.com/in/ JFTremblay/")
    assert found is not None and found.value == "https://www.linkedin.com/in/jftremblay"
    assert find_urls("linkedin.com/in/jftremblay") == []
    assert [u.value for u in find_urls("www.acme.ca | jf@acme.ca")] == ["www.acme.ca"]
    assert find_urls("Acme Inc.") == []


@pytest.mark.parametrize(("printed", "given", "family"), [
    ("JEAN-FRANÇOIS TREMBLAY", "Jean-François", "Tremblay"),
    ("Catherine O'BRIEN", "Catherine", "O'Brien"),
    ("Jennifer da Silva", "Jennifer", "da Silva"),
    ("Dr. Anna van der Berg, PhD", "Anna", "van der Berg"),
    # family name first in capitals, as cards print it (QA: given and family swapped)
    ("DUBOIS Isabelle", "Isabelle", "Dubois"),
    ("TANAKA Hiroshi", "Hiroshi", "Tanaka"),
    ("NGUYEN Thi Mai", "Thi Mai", "Nguyen"),
    # family first without capitals, read as the vCard connector reads a display name
    ("Dubois Isabelle", "Isabelle", "Dubois"),
])
def test_names_split_with_particles_and_case(printed: str, given: str, family: str) -> None:
    _, got_given, got_family, _, _ = split_name(printed)
    assert (got_given, got_family) == (given, family)


def test_separator_lines_and_blank_blocks() -> None:
    blocks = split_cards("A\n---\n\n---\nB\nC\n----\n")
    assert [(b.first_line, [ln.text for ln in b.lines]) for b in blocks] == [
        (1, ["A"]), (5, ["B", "C"])]
