"""Credentials after a comma and titles before a name are neither given nor family
name (QA F19): "Paul", "Lévesque, CPA" must match "Paul Lévesque"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync.normalize.names import split_credentials, split_name, split_title


@pytest.mark.parametrize(("family", "name", "credentials"), [
    ("Lévesque, CPA", "Lévesque", "CPA"),
    ("Lévesque, CPA, CA", "Lévesque", "CPA, CA"),
    ("Roy, P.Eng., MBA", "Roy", "P.Eng., MBA"),
    ("Roy, Ph. D.", "Roy", "Ph. D."),
    ("Tremblay, Jr.", "Tremblay", "Jr."),
    ("Gagnon, III", "Gagnon", "III"),
    ("Côté, ing.", "Côté", "ing."),
    ("Côté, CPA auditeur", "Côté, CPA auditeur", ""),    # not only credentials
    ("Lévesque", "Lévesque", ""),
    (", CPA", ", CPA", ""),                              # nothing would be left
])
def test_credentials_after_a_comma_are_split_off(family: str, name: str,
                                                 credentials: str) -> None:
    assert split_credentials(family) == (name, credentials)


def test_a_credential_in_the_family_field_does_not_reach_matching() -> None:
    assert split_name("Paul", "Lévesque, CPA") == split_name("Paul", "Lévesque")
    assert split_name("Paul", "Lévesque, P.Eng.") == ("paul", "levesque")
    assert split_name("Paul", "Lévesque, CFA") == ("paul", "levesque")


def test_a_credential_in_a_display_name_is_not_its_given_name() -> None:
    # before: "Paul Lévesque, CPA" was read as family "Paul Lévesque", given "CPA"
    assert split_name("", "", "Paul Lévesque, CPA") == ("paul", "levesque")
    assert split_name("", "", "Lévesque, Paul, CPA") == ("paul", "levesque")
    # one word before the comma: family first, whatever the given name looks like
    assert split_name("", "", "Chan, Eng") == ("eng", "chan")
    assert split_name("", "", "Rahman, Md") == ("md", "rahman")


@pytest.mark.parametrize(("text", "title", "rest"), [
    ("Dr. Amélie St-Pierre", "Dr.", "Amélie St-Pierre"),
    ("Mme Marie", "Mme", "Marie"),
    ("Prof. Dr. Anna Weber", "Prof. Dr.", "Anna Weber"),
    ("M. Tremblay", "M.", "Tremblay"),
    ("M Silva", "", "M Silva"),           # an initial, not Monsieur
    ("Me", "", "Me"),                     # a title alone is left as the name
    ("Amélie", "", "Amélie"),
])
def test_titles_before_a_name(text: str, title: str, rest: str) -> None:
    assert split_title(text) == (title, rest)


@given(st.text(alphabet=st.sampled_from("aCPADr. ,-é"), max_size=30) | st.text(max_size=30))
def test_splitting_keeps_every_word(text: str) -> None:
    name, credentials = split_credentials(text)
    if not credentials:
        assert name == text
    else:
        assert name.strip()
        assert (name + " " + credentials).replace(",", " ").split() == \
            text.replace(",", " ").split()
    title, rest = split_title(text)
    assert rest.strip() or not text.strip() or not title
    assert (title + " " + rest).split() == text.split() if title else rest == text
