"""Two people in one card file never become one person (QA round 8, finding 1).

A file holding two cards separated otherwise than by `---` (`===`, `***`, a form
feed from a multi-page OCR export, a run of blank lines), or one card naming two
people each with their own email, used to give ONE record holding both people's
emails and phones, which then swallowed the second person's phone-book contact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.cards import CardsConnector
from reseausync_connectors.cards.text import split_cards

LUC = "Luc Bergeron\nPrésident\nBergeron Design\nluc@bergerondesign.ca\n514-555-0111\n"
CHLOE = ("Chloé Pelletier\nDesigner graphique\nBergeron Design\nchloe@bergerondesign.ca\n"
         "514-555-0112\n")


def read(path: Path) -> list:
    conn = CardsConnector({}, ReadContext(source="test", region="CA"))
    return list(conn.read(list(conn.discover(str(path)))))


def people(path: Path) -> list[tuple[str, list[str], list[str]]]:
    return [(r.display_name, [e.value for e in r.emails], [p.value for p in r.phones])
            for r in read(path) if isinstance(r, SourceRecord)]


TWO = [("Luc Bergeron", ["luc@bergerondesign.ca"], ["+15145550111"]),
       ("Chloé Pelletier", ["chloe@bergerondesign.ca"], ["+15145550112"])]


@pytest.mark.parametrize("separator", ["===\n", "***\n", "___\n", "~~~~~\n", "* * *\n",
                                       "\f\n", "\f", "\n\n", "\n\n\n"])
def test_two_cards_in_one_file_are_two_people(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "two.txt"
    path.write_text(LUC + separator + CHLOE, encoding="utf-8")
    assert people(path) == TWO
    ids = [r.external_id for r in read(path)]
    assert ids == ["two.txt#1", "two.txt#2"]


def test_form_feed_keeps_the_line_numbers_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_text(LUC + "\f\n" + CHLOE, encoding="utf-8")
    second = read(path)[1]
    assert second.locator.endswith(":7")        # Chloé is on line 7 of the file


def test_two_sides_of_one_card_after_blank_lines_stay_one_person(tmp_path: Path) -> None:
    path = tmp_path / "twosided.txt"
    path.write_text("Marie-Ève Gagnon\nConseillère principale\nHydro-Québec\n"
                    "gagnon.marie-eve@hydroquebec.com\n\n\n\nMarie-Ève Gagnon\n"
                    "Senior Advisor\nHydro-Québec\ngagnon.marie-eve@hydroquebec.com\n",
                    encoding="utf-8")
    [(name, emails, _)] = people(path)
    assert (name, emails) == ("Marie-Ève Gagnon", ["gagnon.marie-eve@hydroquebec.com"])


def test_blank_lines_inside_one_card_do_not_split_it(tmp_path: Path) -> None:
    path = tmp_path / "airy.txt"
    path.write_text("Luc Bergeron\nPrésident\n\n\nBergeron Design\nluc@bergerondesign.ca\n"
                    "\n\n514-555-0111\n", encoding="utf-8")
    assert people(path) == [TWO[0]]


_NAMES = st.sampled_from([("Anne", "Caron"), ("Paul", "Roy"), ("Zoé", "Morin"),
                          ("Éric", "Lavoie"), ("Nadia", "Khalil"), ("Kevin", "Wong")])
_SEPARATORS = st.sampled_from(["---", "===", "***", "____", "~~~", "\f", "\n", "\n\n"])


@settings(max_examples=80, deadline=None)
@given(first=_NAMES, second=_NAMES, separator=_SEPARATORS, tail=st.integers(0, 9999))
def test_any_separator_between_two_people_gives_two_blocks(
        first: tuple[str, str], second: tuple[str, str], separator: str, tail: int) -> None:
    def card(given: str, family: str, n: int) -> str:
        return (f"{given} {family}\nConseiller\n{given.lower()}@{family.lower()}.ca\n"
                f"514 555 {n:04d}\n")
    if first == second:
        return
    text = card(*first, tail) + separator + "\n" + card(*second, (tail + 1) % 10000)
    blocks = split_cards(text)
    assert [b.lines[0].text for b in blocks] == [" ".join(first), " ".join(second)]
    assert all(not any(line.text == separator for line in b.lines) for b in blocks)


def test_rejects_are_not_produced_for_separated_cards(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text(LUC + "===\n" + CHLOE, encoding="utf-8")
    assert not [i for i in read(path) if isinstance(i, Reject)]
