"""A job title printed alone on its line ("Cardiologue", "CEO") is the card's title,
unless the card says the word is its firm (the business domain spells it) or half
of the person's name (the email spells it with the given name on the line above)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.cards import CardsConnector
from reseausync_connectors.cards.extract import extract
from reseausync_connectors.cards.text import Line, fold
from reseausync_connectors.cards.words import (
    GIVEN_NAMES,
    PROFESSIONS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
    TRADE_SURNAMES,
)

ROOT = Path(__file__).resolve().parents[2]


def _card(tmp_path: Path, text: str) -> SourceRecord:
    path = tmp_path / "card.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    conn = CardsConnector({}, ReadContext(source="cards", region="CA"))
    (record,) = conn.read(list(conn.discover(str(path))))
    assert isinstance(record, SourceRecord), record
    return record


@pytest.mark.parametrize("title", [
    "Cardiologue", "Architect", "Notaire", "CEO", "Avocate", "CTO", "CFO", "COO", "VP",
    "DG", "PDG", "Pharmacienne", "Pharmacien", "Infirmier", "Infirmière", "Dentiste",
    "Psychologue", "Photographe", "Physiothérapeute", "Controller", "Cardiologist",
    "CHIRURGIENNE", "Traductrice", "Électricien",
])
def test_a_one_word_title_under_the_name_is_the_title(tmp_path: Path, title: str) -> None:
    rec = _card(tmp_path, f"Isabelle Fortin\n{title}\nGroupe Santé Boréal inc.\n"
                          "Tél. : 514 376-3330\nisabelle.fortin@santeboreal.ca\n")
    assert rec.title == title
    assert rec.organization == "Groupe Santé Boréal inc."
    assert rec.display_name == "Isabelle Fortin"
    assert "unclaimed_lines" not in rec.extra


def test_the_cardiologist_card_of_the_known_gap(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Dre Isabelle Fortin\nCardiologue\n"
                          "Institut de cardiologie de Montréal\n5000, rue Bélanger\n"
                          "Montréal (Québec) H1T 1C8\nTél. : 514 376-3330\n"
                          "isabelle.fortin@icm-mhi.org\n")
    assert (rec.prefix, rec.display_name, rec.title, rec.organization) == (
        "Dre", "Isabelle Fortin", "Cardiologue", "Institut de cardiologie de Montréal")
    assert "unclaimed_lines" not in rec.extra


@pytest.mark.parametrize(("line", "title"), [
    ("Marie Roy, Notaire", "Notaire"), ("Marie Roy, cardiologue", "cardiologue"),
    ("Dr Pierre Gauthier, Dentiste", "Dentiste"), ("Marie Roy | Avocate", "Avocate"),
])
def test_a_title_after_the_name_on_its_line(tmp_path: Path, line: str, title: str) -> None:
    rec = _card(tmp_path, f"{line}\nClinique du Plateau\n418 555-0123\n")
    assert rec.title == title
    assert rec.family_name in ("Roy", "Gauthier")


def test_a_one_word_firm_the_domain_spells_stays_the_firm(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Paul Tremblay\nInnovation\npaul@innovation.ca\n514 555 1234\n")
    assert (rec.organization, rec.title) == ("Innovation", "")


def test_a_one_word_firm_beside_a_one_word_title(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Tom Baker\nArchitect\nBaker\ntom@bakerdesign.com\n")
    assert (rec.display_name, rec.title, rec.organization) == ("Tom Baker", "Architect",
                                                               "Baker")


def test_a_family_name_that_is_a_title_word_on_its_own_line(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Jean\nNotaire\njean.notaire@gmail.com\n514 555 1234\n")
    assert (rec.given_name, rec.family_name, rec.title) == ("Jean", "Notaire", "")


def test_a_family_name_that_is_a_title_word_beside_the_given_name(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Jean Notaire\nAcme\njean.notaire@acme.ca\n514 555 1234\n")
    assert (rec.given_name, rec.family_name, rec.title, rec.organization) == (
        "Jean", "Notaire", "", "Acme")


def test_a_trade_family_name_on_its_own_line_is_no_title(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Sophie\nBOUCHER\nsophie.boucher@gmail.com\n")
    assert (rec.given_name, rec.family_name, rec.title) == ("Sophie", "Boucher", "")


def test_a_role_mailbox_does_not_undo_the_title(tmp_path: Path) -> None:
    rec = _card(tmp_path, "Marie Roy\nNotaire\nnotaire.roy@roynotaires.ca\n")
    assert (rec.display_name, rec.title) == ("Marie Roy", "Notaire")


def test_the_unread_part_of_a_name_line_is_kept_unclaimed(tmp_path: Path) -> None:
    """"Fleuriste" is no title word: the name took the line's first part; the rest
    used to vanish from the record."""
    rec = _card(tmp_path, "Dr Pierre Gauthier, Fleuriste\nClinique dentaire du Plateau\n"
                          "514 555-2020\n")
    assert rec.display_name == "Pierre Gauthier"
    assert rec.extra["unclaimed_lines"] == ["Fleuriste"]


def test_the_vocabulary_is_folded_and_keeps_off_names() -> None:
    shipped = set((ROOT / "src" / "reseausync" / "data" / "given_names.txt")
                  .read_text(encoding="utf-8").split())
    added = PROFESSIONS | TITLE_ABBREVIATIONS
    assert all(fold(w) == w for w in added)
    assert not added & TRADE_SURNAMES
    assert not TITLE_WORDS & TRADE_SURNAMES
    assert not added & (GIVEN_NAMES | shipped)
    assert {"ceo", "cto", "cfo", "coo", "vp", "dg", "pdg"} <= TITLE_ABBREVIATIONS


def _shown(word: str, style: int) -> str:
    return (word.capitalize(), word.upper(), word)[style]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sorted(PROFESSIONS | TITLE_ABBREVIATIONS)), st.integers(0, 1),
       st.sampled_from(["Nimbus Labs inc.", "Groupe Boréal", "Cabinet Lavoie"]),
       st.booleans())
def test_any_listed_title_word_alone_is_the_title(word: str, style: int, firm: str,
                                                  email: bool) -> None:
    title = _shown(word, style)
    texts = ["Catherine Lavoie", title, firm, "514 555 0101"]
    if email:
        texts.append("catherine.lavoie@boreal.ca")
    card = extract([Line(i, t) for i, t in enumerate(texts, 1)], "CA")
    assert (card.display_name, card.title, card.organization) == (
        "Catherine Lavoie", title, firm)
    assert card.unclaimed == []


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(TRADE_SURNAMES | PROFESSIONS)),
       st.sampled_from(["Sophie", "Jean", "Marc", "Julie"]), st.sampled_from([".", "_", ""]))
def test_a_name_split_over_two_lines_keeps_its_family_name(family: str, given_name: str,
                                                           joiner: str) -> None:
    if len(family) < 3:
        return
    texts = [given_name, family.upper(), f"{fold(given_name)}{joiner}{family}@gmail.com"]
    card = extract([Line(i, t) for i, t in enumerate(texts, 1)], "CA")
    assert (card.given_name, card.family_name.lower(), card.title) == (
        given_name, family, "")
