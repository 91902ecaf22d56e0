"""OCR line joining never crosses a field boundary (QA round 8, findings 2, 3, 11).

- a lower-case logo or brand line above a whole email ("shopify" over
  "kate.obrien@shopify.com") was glued into the email: `shopifykate.obrien@…`;
- lower-case title and company lines under a name ("designer ux", "koala studio")
  were glued onto the name line: the person became an organization;
- a name cut after its hyphen ("Jean-" / "Philippe Tremblay") kept a space.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reseausync_connectors.cards.fields import find_emails
from reseausync_connectors.cards.text import _LONE_SUFFIXES, Line, fold, join_split_lines

from .conftest import card_record as record


def joined(*texts: str) -> list[str]:
    return [line.text for line in join_split_lines([Line(i, t) for i, t in
                                                     enumerate(texts, 1)])]


def test_lower_case_logo_above_the_email_is_not_glued_into_it(tmp_path: Path) -> None:
    rec = record(tmp_path, "Catherine O'Brien\nProduct Manager\nshopify\n"
                           "kate.obrien@shopify.com\n+1 6l3 555 Ol99\n")
    assert [e.value for e in rec.emails] == ["kate.obrien@shopify.com"]
    assert rec.display_name == "Catherine O'Brien"
    assert rec.title == "Product Manager"


def test_brand_line_naming_the_cards_web_site_is_not_glued(tmp_path: Path) -> None:
    rec = record(tmp_path, "ANNE-SOPHIE BÉLANGER\nPhotographe\nasbelanger.photo\n"
                           "asbelanger(at)gmail.com\n438-555-O1l9\nwww.asbelanger.photo\n")
    assert [e.value for e in rec.emails] == ["asbelanger@gmail.com"]


def test_a_split_email_is_still_joined() -> None:
    for lines in (["jf.trem", "blay@acme.ca"], ["jean.tremblay", "@acme.ca"],
                  ["jean.", "tremblay@acme.ca"], ["Courriel : jf.tremb", "lay@acme.ca"]):
        [text] = joined(*lines)
        assert [f.value for f in find_emails(text, True)] in (
            ["jf.tremblay@acme.ca"], ["jean.tremblay@acme.ca"])


def test_lower_case_title_and_company_stay_off_the_name_line(tmp_path: Path) -> None:
    rec = record(tmp_path, "Marie Lambert\ndesigner ux\nkoala studio\n"
                           "marie@koalastudio.ca\n514 555 0201\n")
    assert (rec.display_name, rec.given_name, rec.family_name) == (
        "Marie Lambert", "Marie", "Lambert")
    assert (rec.title, rec.organization) == ("designer ux", "koala studio")
    assert rec.extra["organization_only"] is False


def test_a_title_broken_after_its_first_word_is_still_joined() -> None:
    assert joined("Directeur", "des ventes") == ["Directeur des ventes"]
    assert joined("Vice-présidente", "ventes et marketing") == [
        "Vice-présidente ventes et marketing"]


def test_name_cut_after_its_hyphen_keeps_no_space(tmp_path: Path) -> None:
    rec = record(tmp_path, "Jean-\nPhilippe Tremblay\nAnalyste d'affaires\nCGI\n"
                           "jp.tremblay@cgi.com\n514 555-0177\n")
    assert (rec.display_name, rec.given_name) == ("Jean-Philippe Tremblay", "Jean-Philippe")


_GIVEN = st.sampled_from(["Marie", "Luc", "Zoé", "Chloé", "Kevin", "Nadia", "Amélie"])
_FAMILY = st.sampled_from(["Lambert", "Bergeron", "O'Brien", "Côté", "Wong", "Khalil"])
_LOWER = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéè "), min_size=2, max_size=25)


@settings(max_examples=100, deadline=None)
@given(given=_GIVEN, family=_FAMILY, below=st.lists(_LOWER, min_size=1, max_size=3))
def test_a_name_line_is_never_extended_by_lower_case_lines(
        given: str, family: str, below: list[str]) -> None:
    below = [b.strip() for b in below if b.strip()]
    # a legal form or "et …" under a line makes it a company: not these
    assume(not any(b.split(" ")[0] in ("et", "and") or fold(b) in _LONE_SUFFIXES
                   for b in below))
    lines = [f"{given} {family}", *below]
    assert joined(*lines)[0] == f"{given} {family}"


_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=10)


@settings(max_examples=100, deadline=None)
@given(brand=_WORD, given=_WORD, family=_WORD)
def test_a_whole_email_is_never_glued_to_the_line_above(brand: str, given: str,
                                                       family: str) -> None:
    email = f"{given}.{family}@{brand}.com"
    texts = joined(brand, email)
    assert [f.value for t in texts for f in find_emails(t, False)] == [email]
