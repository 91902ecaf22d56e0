"""Han, Hangul and Cyrillic names through a real import (README Known gap, fourth
round: such names folded to nothing, so the matcher compared their people by
their other details only). A phone book and a Google CSV are imported with the CLI
into one SQLite directory of some 180 other people, enough for the directory's own
pairs to decide how many duplicates it holds (README "A small directory"):

- one person's two cards with only the name in common are one contact when the
  name is rare, as "Xavier Zorbatek" is (王小明, 김민준, Иван Петров); a common name
  (王伟 six times, as "Jean Tremblay" six times) is no evidence alone;
- relatives sharing a home phone (张建华 / 张建国, 박서연 / 박서준) are two contacts,
  as Louis and Louise Tremblay are: two different given names;
- a Han name and its pinyin are two spellings, not transliterated: with nothing
  in common they stay two contacts (王小明, "Wang Xiaoming"), and with a phone in
  common they are one (欧阳娜娜, "Ouyang Nana"): their names are not compared.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from tests.conftest import import_and_list

SYLLABLES = ["ka", "lo", "mi", "ra", "te", "su", "vo", "ni", "zu", "pe", "da", "ri", "go",
             "fe", "ja", "bu"]
CARDS = [
    ("王小明", "TEL;TYPE=CELL:+1 514 555 0101"),
    ("王小明", "EMAIL:xiaoming.wang@example.cn"),
    ("张建华", "TEL;TYPE=HOME:+1 514 555 0102"),
    ("张建国", "TEL;TYPE=HOME:+1 514 555 0102"),
    ("박서연", "TEL;TYPE=HOME:+1 514 555 0103"),
    ("박서준", "TEL;TYPE=HOME:+1 514 555 0103"),
    ("Wang Xiaoming", "EMAIL:wxm@example.org"),
    ("欧阳娜娜", "TEL;TYPE=CELL:+1 514 555 0104"),
    ("Ouyang Nana", "TEL;TYPE=CELL:+1 514 555 0104"),
    ("Иван Петров", "TEL;TYPE=CELL:+1 514 555 0105"),
    ("ИВАН ПЕТРОВ", "EMAIL:ivan.petrov@example.ru"),
    ("Xavier Zorbatek", "TEL;TYPE=CELL:+1 514 555 0106"),
    ("Xavier Zorbatek", "EMAIL:xz@example.org"),
    ("Louis Tremblay", "TEL;TYPE=HOME:+1 514 555 0107"),
    ("Louise Tremblay", "TEL;TYPE=HOME:+1 514 555 0107"),
    *[("王伟", f"TEL;TYPE=CELL:+1 514 555 02{i:02d}") for i in range(6)],
    *[("Jean Tremblay", f"TEL;TYPE=CELL:+1 514 555 03{i:02d}") for i in range(6)],
]
# 김민준 twice with nothing but the name: once a card, once a CSV row's columns.
KOREAN_CARD = ("김민준", "")
CSV = "First Name,Last Name,Labels\n민준,김,* myContacts\n"


def _others() -> list[tuple[str, str]]:
    """Some 180 people with made-up Latin names, a fifth of them on two cards."""
    rnd = random.Random(7)
    out = []
    for i in range(150):
        given = (rnd.choice(SYLLABLES) + rnd.choice(SYLLABLES)).title()
        family = "".join(rnd.choice(SYLLABLES) for _ in range(3)).title()
        mail = f"EMAIL:{given}.{family}{i}@example.com".lower()
        out.append((f"{given} {family}", f"{mail}\r\nTEL;TYPE=CELL:+1 438 555 {i:04d}"))
        if i % 5 == 0:
            out.append((f"{given} {family}", mail))
    return out


def _phone_book(path: Path) -> None:
    cards = [*_others(), *CARDS, KOREAN_CARD]
    path.write_bytes("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c{i}\r\nFN:{fn}\r\n"
        + (f"{lines}\r\n" if lines else "") + "END:VCARD\r\n"
        for i, (fn, lines) in enumerate(cards)).encode("utf-8"))


def test_names_of_other_scripts_are_compared_as_latin_ones_are(tmp_path: Path) -> None:
    _phone_book(tmp_path / "phone.vcf")
    (tmp_path / "google.csv").write_text(CSV, encoding="utf-8")
    contacts = import_and_list(str(tmp_path / "d.db"), tmp_path / "phone.vcf",
                               tmp_path / "google.csv")
    wanted = {fn for fn, _ in CARDS}
    records = Counter()      # (display name, records in its contact) -> contacts
    for c in contacts:
        if c["display_name"] in wanted:
            records[(c["display_name"], len(c["sources"]))] += 1
    assert dict(records) == {
        ("王小明", 2): 1, ("Wang Xiaoming", 1): 1,
        ("张建华", 1): 1, ("张建国", 1): 1,
        ("박서연", 1): 1, ("박서준", 1): 1,
        ("欧阳娜娜", 2): 1,
        ("Иван Петров", 2): 1,
        ("Xavier Zorbatek", 2): 1,
        ("Louis Tremblay", 1): 1, ("Louise Tremblay", 1): 1,
        ("王伟", 1): 6, ("Jean Tremblay", 1): 6,
    }
    korean = [c for c in contacts if (c["given_name"], c["family_name"]) == ("민준", "김")]
    assert [sorted(s["source"] for s in c["sources"]) for c in korean] == [["csv", "vcard"]]
