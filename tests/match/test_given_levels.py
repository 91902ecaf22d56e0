"""Given-name levels on generated spellings: symmetric, and never a typo between
two names the tables know."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.match.compare import Comparator, known_given_names
from reseausync.match.comparisons import DEFAULT_COMPARISONS
from reseausync.match.features import record_features
from reseausync.normalize.nicknames import default_nicknames

NICKNAMES = default_nicknames()
COMPARATOR = Comparator(DEFAULT_COMPARISONS, NICKNAMES)
KNOWN = sorted(n for n in known_given_names(NICKNAMES) if n.isalpha() and len(n) >= 3)
GIVEN = DEFAULT_COMPARISONS[0]
TYPO_LEVELS = {i for i, level in enumerate(GIVEN.levels) if level.kind == "typo"}


@st.composite
def spelling(draw) -> str:
    """A known name, as is, cut to its initial, or with one letter changed."""
    name = draw(st.sampled_from(KNOWN))
    how = draw(st.sampled_from(("as is", "initial", "typo")))
    if how == "initial":
        return name[0].upper()
    if how == "typo":
        i = draw(st.integers(1, len(name) - 1))
        name = name[:i] + draw(st.sampled_from("aeiourstnl")) + name[i + 1:]
    return name.title()


def level(a: str, b: str) -> int:
    fa = record_features(1, {"given_name": a, "family_name": "Gawalvak"}, "CA")
    fb = record_features(2, {"given_name": b, "family_name": "Gawalvak"}, "CA")
    return COMPARATOR.gamma(fa, fb)[0]


@settings(max_examples=300, deadline=None)
@given(spelling(), spelling())
def test_given_name_levels_are_symmetric_and_two_known_names_are_never_a_typo(a, b) -> None:
    found = level(a, b)
    assert found == level(b, a), (a, b)
    if found in TYPO_LEVELS:
        assert not (a.lower() in KNOWN and b.lower() in KNOWN), (a, b)
