"""Blocking keys and name levels of Han, Hangul and Cyrillic names (README Known
gap, fourth round): such names had no name key and reached the missing level, so
two cards of one person with only the name in common were never compared, and
relatives sharing a phone merged on it."""

from __future__ import annotations

from reseausync.match.blocking import phonetic, record_keys
from reseausync.match.compare import Comparator
from reseausync.match.comparisons import DEFAULT_COMPARISONS
from reseausync.match.engine import NAMES, Engine
from reseausync.match.features import record_features
from reseausync.normalize.nicknames import default_nicknames

NICKNAMES = default_nicknames()
COMPARATOR = Comparator(DEFAULT_COMPARISONS, NICKNAMES)
GIVEN, FAMILY = DEFAULT_COMPARISONS[0], DEFAULT_COMPARISONS[1]


def card(display: str, rid: int = 1, **data: str):
    return record_features(rid, {"display_name": display, **data}, "CA")


def labels(a: str, b: str) -> tuple[str, str]:
    gamma = COMPARATOR.gamma(card(a, 1), card(b, 2))
    return GIVEN.levels[gamma[0]].label, FAMILY.levels[gamma[1]].label


def test_han_and_hangul_names_have_name_keys() -> None:
    keys = record_keys(card("王小明"), NICKNAMES)
    assert "s:小明|王" in keys and "i:小|王" in keys
    assert "s:김|민준" in record_keys(card("김민준"), NICKNAMES)
    # both parts their own code: no "f:" key repeating the sorted parts
    assert not [k for k in keys if k.startswith("f:")]


def test_the_phonetic_code_is_for_latin_letters_only() -> None:
    assert phonetic("tremblay") == phonetic("trembley") == "t6514"
    assert phonetic("王") == "王"
    assert phonetic("петров") == "петров"


def test_one_name_in_one_script_is_an_exact_agreement() -> None:
    assert labels("王小明", "王小明") == ("exact", "exact")
    assert labels("김민준", "김민준") == ("exact", "exact")
    assert labels("Иван Петров", "ИВАН ПЕТРОВ") == ("exact", "exact")


def test_another_han_or_hangul_given_name_is_a_conflict() -> None:
    assert labels("王小明", "王小红") == ("else", "exact")
    assert labels("김민준", "김민수") == ("else", "exact")
    assert labels("王伟", "王小伟") == ("else", "exact")
    assert GIVEN.levels[-1].conflict


def test_a_cyrillic_initial_is_an_initial() -> None:
    assert labels("И. Петров", "Иван Петров") == ("initials", "exact")


def test_names_in_two_scripts_are_not_compared() -> None:
    """Two spellings of one name, which the matcher does not transliterate."""
    assert labels("王小明", "Wang Xiaoming") == ("missing", "missing")
    assert labels("Иван Петров", "Ivan Petrov") == ("missing", "missing")


def test_a_one_character_name_is_weighed_by_its_own_frequency() -> None:
    """王 is a whole family name, and the most common: it was weighed as an initial
    (given names beginning with it: none), so twenty 王伟 merged on the name."""
    engine = Engine()
    feats = [card("王伟", i, phones=[{"value": f"514 555 {1000 + i}"}]) for i in range(20)]
    feats += [card(f"Xavier Zorba{chr(97 + i)}ek", 100 + i) for i in range(20)]
    model = engine.model
    model.terms, model.terms_total, model.term_totals = engine.term_counts(feats)
    engine.use(model)
    k = next(k for k, (_, _, _, table) in enumerate(engine._tf) if table == NAMES)
    assert engine.tf_adjustment(k, "王") == engine.tf_adjustment(k, "伟") < 0
    assert engine.tf_adjustment(k, "王") < engine.tf_adjustment(k, "zorbaaek")
