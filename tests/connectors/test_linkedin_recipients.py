"""LinkedIn `TO` cells without `RECIPIENT PROFILE URLS` (older exports): names are
cut at commas, but a credentials tail ("Paul Tremblay, CPA") is not a person."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.linkedin import LinkedInConnector
from reseausync_connectors.linkedin.owner import guess_owner, split_names, split_people

CONNECTIONS = ("First Name,Last Name,Company,Position,Connected On\n"
               'Paul,"Tremblay, CPA",EY,Associé,15 Jan 2019\n'
               "Sam,Roy,KPMG,CPA,16 Jan 2019\n")
MESSAGES = ("CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
            'c1,Groupe,Marie Example,"Paul Tremblay, CPA,Sam Roy",2019-02-01 12:00:00 UTC,,'
            "Allo,INBOX\n"
            'c1,Groupe,"Paul Tremblay, CPA","Marie Example,Sam Roy",'
            "2019-02-01 13:00:00 UTC,,Oui,INBOX\n")


def export(tmp_path: Path, profile: bool = True) -> Path:
    folder = tmp_path / "li_old"
    folder.mkdir()
    (folder / "Connections.csv").write_text(CONNECTIONS, encoding="utf-8")
    (folder / "messages.csv").write_text(MESSAGES, encoding="utf-8")
    if profile:
        (folder / "Profile.csv").write_text("First Name,Last Name\nMarie,Example\n",
                                            encoding="utf-8")
    return folder


def messages(folder: Path) -> list[Interaction]:
    conn = LinkedInConnector({}, ReadContext(source="test"))
    return [i for i in conn.read(list(conn.discover(str(folder))))
            if isinstance(i, Interaction)]


def test_a_credentials_tail_stays_with_the_recipient(tmp_path: Path) -> None:
    """The owner's message to "Paul Tremblay, CPA,Sam Roy" had three participants,
    "Paul Tremblay", "CPA" and "Sam Roy": `unknown` then listed CPA as a person."""
    sent, received = messages(export(tmp_path))
    assert sent.direction == "out"
    assert [p.name for p in sent.participants] == ["Paul Tremblay, CPA", "Sam Roy"]
    assert received.direction == "in"
    assert [p.name for p in received.participants] == ["Paul Tremblay, CPA", "Sam Roy"]


def test_the_owner_guess_counts_no_credential_as_a_name(tmp_path: Path) -> None:
    """Without Profile.csv the owner is the name in the most conversations: "CPA",
    cut from three accountants' names, tied with the owner and left no owner."""
    folder = export(tmp_path, profile=False)
    (folder / "messages.csv").write_text(
        "CONVERSATION ID,FROM,TO,DATE,CONTENT\n"
        'c1,Marie Example,"Paul Tremblay, CPA",2019-02-01 12:00:00 UTC,a\n'
        'c2,Marie Example,"Luc Roy, CPA",2019-02-02 12:00:00 UTC,b\n'
        'c3,Marie Example,"Ann Lee, CPA",2019-02-03 12:00:00 UTC,c\n', encoding="utf-8")
    unit = next(u for u in LinkedInConnector({}, ReadContext(source="test"))
                .discover(str(folder)) if u.name == "messages.csv")
    assert guess_owner(unit) == {"marie example"}


def test_recipients_with_urls_pair_once_credentials_are_joined() -> None:
    """With URLs, a credential made the counts disagree: the whole cell became one
    name and the URLs nameless people."""
    got = split_people("Paul Tremblay, CPA,Sam Roy",
                       "https://www.linkedin.com/in/ptremblay,https://www.linkedin.com/in/samroy")
    assert got == (("Paul Tremblay, CPA", "https://www.linkedin.com/in/ptremblay"),
                   ("Sam Roy", "https://www.linkedin.com/in/samroy"))


def test_split_names_examples() -> None:
    assert split_names("Roy, P.Eng., MBA,Zoé Bédard") == ["Roy, P.Eng., MBA", "Zoé Bédard"]
    assert split_names("Wei Chan, Eng Lim") == ["Wei Chan", "Eng Lim"]
    assert split_names("Ana,,Ben") == ["Ana", "", "Ben"]    # places kept for the URLs


_NAMES = st.sampled_from(["Paul Tremblay", "Sam Roy", "Zoé Bédard", "Jean-François Côté",
                          "Wei Chan", "Eng Lim", "Md Rahman", "O'Brien"])
_TAILS = st.sampled_from(["", "CPA", "P.Eng., MBA", "Jr.", "PhD", "CPA, CA", "III"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NAMES, _TAILS), min_size=1, max_size=5),
       st.sampled_from([",", ", "]))
def test_every_person_of_a_to_cell_comes_back_whole(people: list[tuple[str, str]],
                                                    separator: str) -> None:
    written = [f"{name}, {tail}" if tail else name for name, tail in people]
    assert split_names(separator.join(written)) == written
