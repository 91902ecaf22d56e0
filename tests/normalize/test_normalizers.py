"""Normalizers: idempotent on any text, and right on the variations sources produce."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reseausync.normalize import (
    fold,
    normalize_company,
    normalize_email,
    normalize_linkedin,
    normalize_phone,
    normalize_postal,
    split_name,
)
from reseausync.normalize.names import compact, initials, is_initials
from reseausync.normalize.nicknames import Nicknames, default_nicknames

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=100)
@given(text)
def test_folding_is_idempotent(value: str) -> None:
    assert fold(fold(value)) == fold(value)


@settings(max_examples=100)
@given(text)
@example("ET")              # upper-case "et" was kept, then became "and" on a second pass
@example("Martin ET Cie")
def test_email_company_postal_linkedin_are_idempotent(value: str) -> None:
    for f in (normalize_email, normalize_company, normalize_postal, normalize_linkedin):
        assert f(f(value)) == f(value), f


@settings(max_examples=100)
@given(st.text("0123456789 +-().x;=et", max_size=25), st.sampled_from([None, "CA", "FR", "GB"]))
def test_phones_are_idempotent(value: str, region: str | None) -> None:
    once = normalize_phone(value, region)
    assert normalize_phone(once, region) == once


@settings(max_examples=60)
@given(text, text)
def test_split_name_is_idempotent(given_name: str, family: str) -> None:
    parts = split_name(given_name, family)
    assert split_name(*parts) == parts


def test_folding_drops_accents_case_and_punctuation() -> None:
    assert fold("Jean-François") == "jean francois"
    assert fold("ÉLISE  Gagnon") == "elise gagnon"
    assert fold("O'Brien") == fold("O’Brien") == "obrien"
    assert fold("Straße") == "strasse"


def test_phone_forms_meet_in_e164() -> None:
    for raw in ("(514) 555-1234", "514-555-1234", "+1 514 555 1234", "1-514-555-1234",
                "514.555.1234 ext. 22"):
        assert normalize_phone(raw, "CA") == "+15145551234", raw
    assert normalize_phone("01 42 68 53 00", "FR") == "+33142685300"
    assert normalize_phone("+33 1 42 68 53 00") == "+33142685300"


def test_phone_the_region_cannot_have_issued_keeps_its_digits() -> None:
    # written as E.164 they would look placed, in the wrong country
    assert normalize_phone("01 42 68 53 00", "CA") == "0142685300"     # French, nationally
    assert normalize_phone("555-1234", "CA") == "5551234"              # seven digits
    assert normalize_phone("514-155-1234", "CA") == "5141551234"       # no exchange starts 1
    assert normalize_phone("1-514-055-1234", "CA") == "15140551234"


@settings(max_examples=100)
@given(st.sampled_from("23456789"), st.text("0123456789", min_size=2, max_size=2),
       st.sampled_from("23456789"), st.text("0123456789", min_size=6, max_size=6),
       st.text("0123456789", min_size=1, max_size=5),
       st.sampled_from([";ext={}", ";EXT={};phone-context=+1", " ext. {}", " x{}", " poste {}",
                        ";isub={}"]))
def test_phone_extensions_and_uri_parameters_are_not_digits(a, bc, d, rest, ext, form):
    number = f"+1-{a}{bc}-{d}{rest[:2]}-{rest[2:]}"
    assert normalize_phone(number + form.format(ext), "CA") == normalize_phone(number, "CA")
    assert normalize_phone(number + form.format(ext)) == "+1" + a + bc + d + rest


def test_phone_without_region_keeps_national_digits() -> None:
    assert normalize_phone("(514) 555-1234") == "5145551234"
    assert normalize_phone("n/a", "CA") == ""


def test_emails() -> None:
    assert normalize_email("  JF.Tremblay@Acme.CA ") == "jf.tremblay@acme.ca"
    assert normalize_email("mailto:a.b@x.org") == "a.b@x.org"
    assert normalize_email("s.martin(at)martinassocies.fr") == "s.martin@martinassocies.fr"
    assert normalize_email("first.last+tag@gmail.com") == "first.last+tag@gmail.com"
    assert normalize_email("not an email") == ""
    # an address with its owner's name, as Outlook exports it (was "annsmith<ann...")
    assert normalize_email("Ann Smith <Ann.Smith@Example.org>") == "ann.smith@example.org"
    assert normalize_email('"Smith, Ann" <ann@x.org>') == "ann@x.org"
    assert normalize_email("ann<smith@x.org") == ""


def test_companies_drop_legal_forms_and_ampersands() -> None:
    assert normalize_company("Acme Inc.") == normalize_company("ACME, Inc") == "acme"
    assert normalize_company("Nimbus Labs Inc.") == "nimbus labs"
    assert normalize_company("Martin & Associés SENCRL") == "martin and associes"
    assert normalize_company("Martin et associés") == "martin and associes"
    assert normalize_company("Bombardier Ltée") == "bombardier"
    assert normalize_company("Siemens GmbH") == "siemens"
    assert normalize_company("Inc Media") == "inc media"
    assert normalize_company("MARTIN ET ASSOCIÉS") == "martin and associes"
    assert normalize_company("Müller und Söhne GmbH") == "muller and sohne"


def test_linkedin_profiles() -> None:
    canonical = "https://www.linkedin.com/in/jftremblay"
    for raw in ("linkedin.com/in/JFTremblay/", "http://ca.linkedin.com/in/jftremblay?trk=x",
                "https://www.linkedin.com/in/jftremblay"):
        assert normalize_linkedin(raw) == canonical
    assert normalize_linkedin("https://example.com/in/jf") == ""


def test_postal_codes() -> None:
    assert normalize_postal("h2x 1y4") == "H2X1Y4"


def test_names_from_display_with_particles_order_and_titles() -> None:
    assert split_name("", "", "Jean-François Tremblay") == ("jean francois", "tremblay")
    assert split_name("", "", "Tremblay, Jean-François") == ("jean francois", "tremblay")
    assert split_name("", "", "Jean de la Fontaine") == ("jean", "de la fontaine")
    assert split_name("", "", "Ludwig van der Berg") == ("ludwig", "van der berg")
    assert split_name("", "", "Dr. Priya Natarajan PhD") == ("priya", "natarajan")
    assert split_name("Jean François", "TREMBLAY") == ("jean francois", "tremblay")
    assert split_name("", "", "bob@x.com") == ("", "")
    # a title before one word: that word is the family name
    assert split_name("", "", "Dr Smith") == ("", "smith")
    assert split_name("", "", "Me Tremblay") == ("", "tremblay")
    assert split_name("", "", "Tremblay") == ("tremblay", "")
    assert compact("jean francois") == compact(fold("Jean-François")) == "jeanfrancois"


def test_a_display_name_written_family_first_is_turned_by_its_known_given_name() -> None:
    # No comma says the order; the shipped given-name table does.
    assert split_name("", "", "Trumarra Michael") == ("michael", "trumarra")
    assert split_name("", "", "Gagnon Jean-Philippe") == ("jean philippe", "gagnon")
    assert split_name("", "", "Boucher Julie") == ("julie", "boucher")
    # both parts are given names, or neither is: kept as written
    assert split_name("", "", "Thomas Richard") == ("thomas", "richard")
    assert split_name("", "", "Xqzl Vrbn") == ("xqzl", "vrbn")
    assert split_name("", "", "L Roy") == ("l", "roy")      # Roy is a given name too
    assert split_name("", "", "Maie Roy") == ("maie", "roy")  # Marie, misspelt
    # the fields and the comma form are never second-guessed
    assert split_name("Tremblay", "Marie") == ("tremblay", "marie")
    assert split_name("", "", "Michael, Trumarra") == ("trumarra", "michael")


def test_initials() -> None:
    assert initials("jean francois") == "jf"
    assert is_initials("jf") and is_initials("j f") and is_initials("j")
    assert not is_initials("bob") and not is_initials("jean")


def test_nicknames_english_and_french(tmp_path) -> None:
    nick = default_nicknames()
    for a, b in (("bob", "robert"), ("bill", "william"), ("kate", "catherine"),
                 ("mike", "michael"), ("alex", "alexandre"), ("fred", "frederic"),
                 ("max", "maxime"), ("phil", "philippe"), ("jf", "jean francois")):
        assert nick.same(a, b) and nick.same(b, a), (a, b)
    # Alex is Alexandre and Alexandra; a shared nickname does not make them one name
    assert not nick.same("alexandre", "alexandra")
    # spellings of one name in two languages are one family; feminine forms are not
    assert nick.same("alexandre", "alexander") and nick.same("philip", "philippe")
    assert not nick.same("louis", "louise") and not nick.same("daniel", "danielle")
    assert nick.initials("kate") >= {"k", "c"} and nick.initials("bill") >= {"b", "w"}
    assert nick.initials("zoltan") == {"z"}
    assert not nick.same("lucas", "nathalie")
    own = tmp_path / "nick.txt"
    own.write_text("Béatrice, Bea  # mine\n", encoding="utf-8")
    assert Nicknames.load(own).same("bea", "beatrice")
    assert not nick.same("bea", "beatrice")


def test_split_name_display_keeps_hyphenated_parts_and_reads_trailing_initials() -> None:
    # "Family Given-Compound": the hyphenated word is one part, a known given name,
    # so the order is turned
    assert split_name("", "", "Tinrondry Jean-Philippe") == ("jean philippe", "tinrondry")
    # a trailing initial is a given name written after the family name
    assert split_name("", "", "Tremblay M") == ("m", "tremblay")
    assert split_name("", "", "Roy J F") == ("j f", "roy")
    # "M" without its period is an initial, "M." is Monsieur
    assert split_name("", "", "M Silva") == ("m", "silva")
    assert split_name("", "", "M. Tremblay") == ("", "tremblay")     # Monsieur Tremblay
    assert split_name("", "", "Mme Marie Côté") == ("marie", "cote")
