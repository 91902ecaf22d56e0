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


LAW_FIRM = ("Cabinet Lefebvre & Roy\nAvocats\nMe Pierre Lefebvre\np.lefebvre@lefebvreroy.ca\n"
            "Me Nathalie Roy\nn.roy@lefebvreroy.ca\nTél. 418 555-0199\n"
            "1200, Grande Allée Ouest\nQuébec (Québec) G1S 1E6\n")


def test_two_people_on_one_card_are_two_records_sharing_the_firm(tmp_path: Path) -> None:
    path = tmp_path / "04-two-people.txt"
    path.write_text(LAW_FIRM, encoding="utf-8")
    pierre, nathalie = read(path)
    assert (pierre.display_name, pierre.prefix, [e.value for e in pierre.emails]) == (
        "Pierre Lefebvre", "Me", ["p.lefebvre@lefebvreroy.ca"])
    assert (nathalie.display_name, [e.value for e in nathalie.emails]) == (
        "Nathalie Roy", ["n.roy@lefebvreroy.ca"])
    for rec in (pierre, nathalie):       # the switchboard, firm and address are shared
        assert [p.value for p in rec.phones] == ["+14185550199"]
        assert rec.organization == "Cabinet Lefebvre & Roy"
        assert rec.addresses[0].postal_code == "G1S 1E6"
    assert [r.external_id for r in (pierre, nathalie)] == [
        "04-two-people.txt#1", "04-two-people.txt#2"]
    assert [r.locator.rsplit(":", 1)[1] for r in (pierre, nathalie)] == ["3", "5"]


def test_each_persons_own_phone_stays_with_them(tmp_path: Path) -> None:
    path = tmp_path / "duo.txt"
    path.write_text("Agence Fortin\nJulie Fortin\njulie.fortin@agencefortin.ca\n"
                    "Cell. 514 555 0209\nMarc Gagnon\nmarc.gagnon@agencefortin.ca\n"
                    "Cell. 514 555 0210\n", encoding="utf-8")
    assert people(path) == [
        ("Julie Fortin", ["julie.fortin@agencefortin.ca"], ["+15145550209"]),
        ("Marc Gagnon", ["marc.gagnon@agencefortin.ca"], ["+15145550210"])]


@pytest.mark.parametrize("text", [
    # a firm named after people, one person's card
    "Raymond Chabot Grant Thornton\nHélène Tremblay\nComptable\n"
    "helene.tremblay@rcgt.com\n418 555 0155\n",
    # the person and a shared mailbox
    "Julien Roy\nDirecteur technique\nCirque du Soleil\ninfo@cirquedusoleil.com\n"
    "julien.roy@cirquedusoleil.com\n514 722 2324\n",
    # two sides of one card: the same name twice
    "Marie-Ève Gagnon\nConseillère principale\nHydro-Québec\n"
    "gagnon.marie-eve@hydroquebec.com\n\nMarie-Ève Gagnon\nSenior Advisor\n"
    "gagnon.marie-eve@hydroquebec.com\n",
])
def test_one_person_cards_are_not_split(tmp_path: Path, text: str) -> None:
    path = tmp_path / "one.txt"
    path.write_text(text, encoding="utf-8")
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], SourceRecord), items
    assert items[0].external_id == "one.txt"


def test_a_person_whose_view_names_someone_else_is_a_several_people_finding() -> None:
    from reseausync_connectors.cards.people import Person, SeveralPeople, check
    from reseausync_connectors.cards.text import Line
    person = Person("Me Nathalie Roy", 5, [Line(5, "Me Nathalie Roy")])
    check(person, "Nathalie Roy")
    with pytest.raises(SeveralPeople) as caught:
        check(person, "Pierre Lefebvre")
    assert caught.value.line == 5


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([
    "Me Pierre Lefebvre", "Nathalie Roy", "p.lefebvre@lefebvreroy.ca", "n.roy@lefebvreroy.ca",
    "Tél. 418 555-0199", "Cabinet Lefebvre & Roy", "Avocats", "roy@x.ca", "Pierre Roy",
    "pierre.roy@x.ca", "Québec (Québec) G1S 1E6", "", "***"]), max_size=12), )
def test_people_of_any_card_are_parts_of_it_each_with_their_own_email(texts: list[str]) -> None:
    from reseausync_connectors.cards.people import people_of
    for block in split_cards("\n".join(texts)):
        persons = people_of(block.lines)
        assert len(persons) != 1
        numbers = {line.number for line in block.lines}
        emails: list[set[str]] = []
        for person in persons:
            assert {line.number for line in person.lines} <= numbers
            assert any(line.number == person.line for line in person.lines)
            emails.append({line.text for line in person.lines if "@" in line.text})
        for a in range(len(emails)):
            for b in range(a + 1, len(emails)):
                assert emails[a] != emails[b]
