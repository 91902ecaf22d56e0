"""Two people on one card ("Me Pierre Lefebvre" and "Me Nathalie Roy" of a law
firm, each with their own email): two records, never one holding both.

A card names a second person when two name lines each have an email whose local
part spells them better than any other name line (`p.lefebvre@` for Pierre
Lefebvre, `n.roy@` for Nathalie Roy). Each person then gets the card without the
other's name line and emails; the firm, the address and a shared switchboard stay
on both. Phones go to one person only when every person has a phone line of their
own between their name and the next person's name. When a person's own view does
not give back their name, the split is not clear and the card is a
`several-people` reject rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fields as F
from .layout import shape, split_name
from .text import Line, fold, join_split_lines, repair_email_markers


@dataclass(slots=True)
class Person:
    """One person of a card: their name line and the card's lines they keep."""

    name: str
    line: int                   # the name's line number in the file
    lines: list[Line]


class SeveralPeople(Exception):  # noqa: N818 - a finding, not a failure
    """A card names several people and their details cannot be told apart."""

    def __init__(self, names: list[str], line: int) -> None:
        super().__init__(", ".join(names))
        self.names, self.line = names, line


def people_of(lines: list[Line]) -> list[Person]:
    """The people of a card with the lines each keeps; [] when it names one person."""
    joined = join_split_lines([Line(x.number, repair_email_markers(x.text)) for x in lines])
    names = [(i, x) for i, x in enumerate(joined) if _name_line(x.text)]
    owners: dict[int, list[int]] = {}           # name index -> email line indexes
    for i, line in enumerate(joined):
        if "@" not in line.text:
            continue
        for email in F.find_emails(line.text, False):
            owner = _owner(email.value.partition("@")[0], names)
            if owner is not None:
                owners.setdefault(owner, []).append(i)
    if len(owners) < 2:
        return []
    persons = sorted(owners)
    phones = _own_phones(joined, persons)
    spans = _spans(lines, joined)
    out: list[Person] = []
    for k in persons:
        drop: set[int] = set()
        for other in persons:
            if other != k:
                drop.update([other, *owners[other], *phones.get(other, [])])
        keep = [x for i, x in enumerate(joined) if i not in drop]
        numbers = {n for x in keep for n in spans[x.number]}
        out.append(Person(joined[k].text, joined[k].number,
                          [x for x in lines if x.number in numbers]))
    return out


def check(person: Person, display_name: str) -> None:
    """Raise SeveralPeople unless the person's own view named them."""
    if fold(split_name(person.name)[0]) != fold(display_name):
        raise SeveralPeople([person.name], person.line)


def _name_line(text: str) -> bool:
    sh = shape(text)
    return sh.name_ok and not sh.name_company and not sh.name_title


def _owner(local: str, names: list[tuple[int, Line]]) -> int | None:
    """The name line an email's local part spells best, if one does alone."""
    folded = fold(local)
    scores: list[tuple[int, int]] = []
    for i, line in names:
        sh = shape(line.text)
        score = sum(len(p) for p in sh.name_long if p in folded)
        if score == 0 and len(folded) >= 2 and folded == sh.name_initials:
            score = 2
        if score:
            scores.append((score, i))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def _own_phones(joined: list[Line], persons: list[int]) -> dict[int, list[int]]:
    """Phone lines by person, when each person has one after their name (else {})."""
    out: dict[int, list[int]] = {}
    for n, start in enumerate(persons):
        end = persons[n + 1] if n + 1 < len(persons) else len(joined)
        out[start] = [i for i in range(start + 1, end)
                      if F.digit_count(joined[i].text) >= 7 and "@" not in joined[i].text
                      and F.find_postal(joined[i].text) is None]
    return out if all(out.values()) else {}


def _spans(lines: list[Line], joined: list[Line]) -> dict[int, list[int]]:
    """For each joined line (by its first line number), the file lines it holds."""
    starts = [x.number for x in joined]
    out: dict[int, list[int]] = {n: [] for n in starts}
    k = 0
    for line in lines:
        while k + 1 < len(starts) and line.number >= starts[k + 1]:
            k += 1
        out[starts[k]].append(line.number)
    return out
