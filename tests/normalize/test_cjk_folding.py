"""Folding keeps the letters of every script (README Known gap, fourth round: Han
and Hangul names folded to nothing, and so did Cyrillic, Greek and Arabic ones)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.normalize.names import is_initials, split_name
from reseausync.normalize.text import fold, scripts


@pytest.mark.parametrize(("raw", "folded"), [
    ("王小明", "王小明"),
    ("王 小明", "王 小明"),
    ("김민준", "김민준"),               # syllables, not the jamo NFKD splits them into
    ("Иван Петров", "иван петров"),
    ("ИВАН ПЕТРОВ", "иван петров"),
    ("Νίκος ΠΑΠΑΔΌΠΟΥΛΟΣ", "νικοσ παπαδοπουλοσ"),
    ("مُحَمَّد", "محمد"),                  # vowel points are combining marks
    ("ｶﾞ", "ガ"),                       # halfwidth kana: its voicing mark is kept
    ("राम", "राम"),                      # a vowel sign belongs to its letter
    ("Jean-François", "jean francois"),
    ("Côté, Ŋaba", "cote ŋaba"),
    ("John ❤️ Doe", "john doe"),
    ("Ａｎｎａ", "anna"),
    ("", ""),
    ("  — ", ""),
])
def test_fold_keeps_letters_of_every_script(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_scripts_of_folded_names() -> None:
    assert scripts("王小明") == {"han"}
    assert scripts("김민준") == {"hangul"}
    assert scripts("иван") == {"cyrillic"}
    assert scripts("wang xiaoming") == {"latin"}
    assert scripts("12") == frozenset()


def test_han_and_hangul_characters_are_not_initials() -> None:
    assert not is_initials("伟")
    assert not is_initials("민수")
    assert not is_initials("小明")
    assert is_initials("и")             # Cyrillic initials are initials
    assert is_initials("j f")
    assert not is_initials("лев")       # the no-vowel test is for Latin letters


def test_a_han_word_after_a_latin_given_name_is_no_initial() -> None:
    """"Wendy 王": the one-character word is the family name, not an initial that
    would make the display family name first."""
    assert split_name("", "", "Wendy 王") == ("wendy", "王")
    assert split_name("", "", "Петров И") == ("и", "петров")


LETTERS = st.characters(exclude_categories=("Cs",))


@settings(max_examples=2000, deadline=None)
@given(st.text(LETTERS, max_size=12))
def test_fold_is_idempotent_and_never_empties_a_name_with_letters(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    # "ʼ" is a letter (Lm) that is written as an apostrophe, which folding joins
    if any(unicodedata.category(c).startswith("L") and c != "ʼ" for c in text):
        assert folded, text
    assert folded == " ".join(folded.split())


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="ascii"), max_size=20))
def test_ascii_folding_is_unchanged(text: str) -> None:
    """The Latin path of a directory: lower-case ASCII words, as before."""
    folded = fold(text)
    assert folded.isascii()
    assert all(c.isalnum() and not c.isupper() or c == " " for c in folded)
