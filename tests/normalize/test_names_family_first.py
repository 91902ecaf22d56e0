"""A display name alone, written family name first as Vietnamese, Korean and
Chinese names are (README Known gap, third round): "Nguyễn Văn An" was read given
name "Nguyễn", family "Văn An"; "王小明" and "김민준" had no parts at all. Western
names that begin with a Korean family name ("Kim Smith") stay given name first."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reseausync.match.compare import Comparator
from reseausync.match.comparisons import DEFAULT_COMPARISONS
from reseausync.match.features import record_features
from reseausync.normalize.name_cultures import tables, word_script
from reseausync.normalize.names import SUFFIXES, TITLES, display_parts, split_name
from reseausync.normalize.nicknames import default_nicknames
from reseausync.normalize.text import fold

CASES = [
    # Vietnamese: a listed family name, then Vietnamese syllables
    ("Nguyễn Văn An", "Văn An", "Nguyễn"),
    ("Nguyen Van An", "Van An", "Nguyen"),
    ("Trần Thị Mai", "Thị Mai", "Trần"),
    ("Lê Văn Tám", "Văn Tám", "Lê"),
    ("Le Van Tam", "Van Tam", "Le"),          # plain "Le" with a middle name
    ("Phạm Minh Chính", "Minh Chính", "Phạm"),
    ("Nguyen An", "An", "Nguyen"),
    ("Đặng Thu Thảo", "Thu Thảo", "Đặng"),
    # Korean, romanized: the rest is a Korean given name
    ("Kim Min-jun", "Min-jun", "Kim"),
    ("Park Ji-sung", "Ji-sung", "Park"),
    ("Lee Seoyeon", "Seoyeon", "Lee"),
    ("Moon Jae-in", "Jae-in", "Moon"),
    ("Kim Jong Un", "Jong Un", "Kim"),
    ("Dr. Choi Hyun-woo", "Hyun-woo", "Choi"),
    # Han and Hangul: one character, or a compound family name
    ("王小明", "小明", "王"),
    ("張偉", "偉", "張"),
    ("欧阳娜娜", "娜娜", "欧阳"),
    ("司马光", "光", "司马"),
    ("김민준", "민준", "김"),
    ("남궁민수", "민수", "남궁"),
    ("선우진", "우진", "선"),                   # 선 alone, a two-syllable given name left
    ("王 小明", "小明", "王"),
    ("田中 太郎", "太郎", "田中"),
    # given name first, as written
    ("Kim Smith", "Kim", "Smith"),
    ("Lee Anderson", "Lee", "Anderson"),
    ("Park Williams", "Park", "Williams"),
    ("Kim Mason", "Kim", "Mason"),             # a Western family name of two syllables
    ("Jo Ellen", "Jo", "Ellen"),               # a Western given name
    ("Lee Jun", "Lee", "Jun"),                 # one syllable: not enough to tell
    ("Le Roy", "Le", "Roy"),
    ("Mai Lin", "Mai", "Lin"),                 # "Mai" without an accent or a middle name
    ("Ho Chi", "Ho", "Chi"),
    ("An Nguyen", "An", "Nguyen"),
    ("Minh Tran", "Minh", "Tran"),
    ("Иван Петров", "Иван", "Петров"),          # another script keeps its words
    # unchanged: the comma form, one Han character, a title before one word
    ("Nguyen, An", "An", "Nguyen"),
    ("Nguyễn, Văn An", "Văn An", "Nguyễn"),
    ("王", "王", ""),
    ("Dr 王", "", "王"),
]


@pytest.mark.parametrize(("display", "given_name", "family"), CASES)
def test_display_parts_read_the_order_the_culture_writes(display: str, given_name: str,
                                                         family: str) -> None:
    assert display_parts(display) == (given_name, family)


@pytest.mark.parametrize(("display", "given_name", "family"), CASES)
def test_the_matcher_reads_the_same_parts(display: str, given_name: str, family: str) -> None:
    assert split_name("", "", display) == split_name(given_name, family)


def test_an_explicit_n_wins_over_the_display() -> None:
    assert split_name("An", "Nguyễn", "Nguyễn Văn An") == ("an", "nguyen")
    assert split_name("Min-jun", "Kim", "Kim Min-jun") == ("min jun", "kim")


def test_a_vietnamese_middle_name_is_no_given_name_conflict() -> None:
    """The display's given name "Văn An" and an N's given "An" (its middle "Văn"
    apart) agree as "Jean François" and "Jean" do, not as two different names."""
    comparator = Comparator(DEFAULT_COMPARISONS, default_nicknames())
    levels = DEFAULT_COMPARISONS[0].levels
    read = record_features(1, {"display_name": "Nguyễn Văn An"}, "CA")
    for other in ("An", "Van An"):
        fields = {"given_name": other, "family_name": "Nguyen"}
        gamma = comparator.gamma(read, record_features(2, fields, "CA"))
        assert levels[gamma[0]].kind != "else", other
        assert not levels[gamma[0]].conflict
    two = record_features(3, {"given_name": "Bao", "family_name": "Nguyen"}, "CA")
    assert levels[comparator.gamma(read, two)[0]].conflict


# Name-like words of every kind the reading tells apart.
_T = tables()
_VI = sorted(n for n in _T.vi_family) + ["Nguyễn", "Trần", "Lê", "Đặng"]
_KO = sorted(_T.ko_family)
_SYLLABLES = ["an", "van", "thi", "minh", "mai", "jun", "min", "seo", "yeon", "ji", "sung",
              "hyun", "woo", "lan", "thao", "bao", "Văn", "Thị", "Đức", "Thảo"]
_WESTERN = ["Smith", "Anderson", "Mason", "Ellen", "Jean", "Tremblay", "Michael", "de",
            "la", "Fontaine", "Roy", "J", "M", "Marie-Claude", "O'Brien", "Иван"]
_HAN = sorted(n for n in _T.han) + ["小明", "娜娜", "偉", "光", "太郎"]
_HANGUL = sorted(_T.hangul) + ["민준", "서연", "우진", "민수"]


def _given_word() -> st.SearchStrategy[str]:
    syllable = st.sampled_from(_SYLLABLES)
    return st.one_of(syllable, st.builds(lambda a, b: f"{a}-{b}", syllable, syllable),
                     st.builds(str.__add__, syllable, syllable), st.sampled_from(_WESTERN))


def _display() -> st.SearchStrategy[str]:
    latin = st.builds(lambda first, rest: " ".join([first, *rest]),
                      st.sampled_from(_VI + _KO + _WESTERN),
                      st.lists(_given_word(), min_size=0, max_size=3))
    east = st.builds(str.__add__, st.sampled_from(_HAN), st.sampled_from(_HAN)) | \
        st.builds(str.__add__, st.sampled_from(_HANGUL), st.sampled_from(_HANGUL))
    spaced = st.lists(st.sampled_from(_HAN), min_size=2, max_size=3).map(" ".join) | \
        st.lists(st.sampled_from(_HANGUL), min_size=2, max_size=3).map(" ".join)
    return st.one_of(latin, east, spaced,
                     st.text(alphabet=st.sampled_from("aeJKimLéễ王김 -"), max_size=20))


def _affix(word: str) -> bool:
    folded = fold(word)
    return folded in TITLES or folded in SUFFIXES


@settings(max_examples=400, deadline=None)
@given(_display())
def test_display_parts_never_lose_a_word(display: str) -> None:
    words = [w for w in display.split() if any(c.isalnum() for c in w)]
    assume(words and not any(map(_affix, words)))
    given_part, family = display_parts(display)
    assert Counter("".join(words)) == Counter((given_part + family).replace(" ", ""))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["", "Dr. ", "M. "]), _display())
def test_reading_its_own_output_again_gives_the_same_parts(title: str, display: str) -> None:
    """The parts written back in the order they were read (as the contact shows
    them), without the title, are read the same; a Han or Hangul name split from
    one word is read the same spaced."""
    given_part, family = display_parts(title + display)
    assume(given_part and family)
    core = " ".join(w for w in display.split() if any(c.isalnum() for c in w))
    unspaced = word_script(core) in ("han", "hangul") and " " not in core
    if unspaced:
        assert core == family + given_part
        assert display_parts(f"{family} {given_part}") == (given_part, family)
    else:
        assert core in (f"{family} {given_part}", f"{given_part} {family}")
    assert display_parts(core) == (given_part, family)
