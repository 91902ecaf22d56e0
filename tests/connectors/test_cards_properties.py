"""Properties of card extraction: total on any text, and stable under OCR noise.

The noise strategies reproduce what FORMATS.md lists (O/0 and l/1 in numbers,
`(at)` / `[at]` / ` @ ` in emails, an email split over two lines) and the
properties say the repaired value is the one a clean card gives.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.cards import CardsConnector, extract
from reseausync_connectors.cards.text import (
    EMAIL_LABELS,
    Line,
    domain_is_complete,
    fold,
    split_cards,
)

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def lines_of(text: str) -> list[Line]:
    blocks = split_cards(text)
    return blocks[0].lines if blocks else []


@FAST
@given(st.text(max_size=400))
def test_extraction_never_raises_on_arbitrary_text(text: str) -> None:
    for block in split_cards(text):
        card = extract(block.lines, "CA")
        for value in card.confidence.values():
            assert 0.0 <= value <= 1.0


@FAST
@given(st.lists(st.sampled_from(["Tél.", "Cell.", "(at)", "@", "---", "Inc.", "H3B 4W5",
                                 "5l4", "O142", "poste", "www.", ".ca", "linkedin.com/in/",
                                 "Fax", "75008 Paris", ",", "&", "\x00", "é", "\n"]),
                max_size=30).map(" ".join))
def test_extraction_never_raises_on_card_like_debris(text: str) -> None:
    for block in split_cards(text):
        extract(block.lines, None)


@FAST
@given(st.binary(max_size=300))
def test_connector_turns_any_bytes_into_records_or_rejects(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("cards") / "card.txt"
    path.write_bytes(data)
    conn = CardsConnector({}, ReadContext(source="t", region="CA"))
    for item in conn.read(list(conn.discover(str(path)))):
        assert isinstance(item, SourceRecord | Reject)
        if isinstance(item, Reject):
            assert item.locator and item.reason and "card.txt" in item.message


_local = st.text(string.ascii_lowercase, min_size=2, max_size=10)
_domain = st.text(string.ascii_lowercase, min_size=3, max_size=12)
_tld = st.sampled_from(["ca", "com", "fr", "io"])


@FAST
@given(_local, _local, _domain, _tld,
       st.sampled_from(["{l} (at) {d}", "{l}[at]{d}", "{l} @ {d}", "{l} [at] {d}", "{l}@{d}"]),
       st.integers(min_value=0, max_value=60))
def test_email_survives_ocr_markers_and_a_line_split(first: str, last: str, dom: str, tld: str,
                                                     shape: str, cut: int) -> None:
    email = f"{first}.{last}@{dom}.{tld}"
    printed = shape.format(l=f"{first}.{last}", d=f"{dom}.{tld}")
    variants = [printed]
    if shape == "{l}@{d}":
        cut = 1 + cut % (len(printed) - 1)
        # A head that is itself an email label ("e", "mail") alone on its line reads
        # as that label, as it would on a real card ("E" above the address), and a
        # head that is a whole domain ("anne.ca") as the card's web site, and a head
        # that is the email's domain label ("shopify" above "kate.obrien@shopify.com")
        # as the card's logo.
        head = printed[:cut]
        if fold(head) not in EMAIL_LABELS and not domain_is_complete(head) and head != dom:
            variants.append(printed[:cut] + "\n" + printed[cut:])
    for variant in variants:
        card = extract(lines_of(f"Ann Lee\n{variant}\nTél. 514 555 1234"), "CA")
        assert [e.value for e in card.emails] == [email], variant


_digits = st.text("0123456789", min_size=4, max_size=4)


@FAST
@given(st.sampled_from(["514", "438", "418", "416", "613"]),
       st.integers(min_value=200, max_value=999).filter(lambda n: n % 100 != 11), _digits,
       st.lists(st.booleans(), min_size=12, max_size=12),
       st.sampled_from(["({a}) {e}-{n}", "{a}-{e}-{n}", "{a}.{e}.{n}", "+1 {a} {e} {n}"]),
       st.sampled_from(["Tél.", "Cell.", "Fax", "Direct", "Bureau", "Mobile", "T:"]))
def test_phone_survives_o_and_l_swaps(area: str, exch: int, line: str, swaps: list[bool],
                                      shape: str, label: str) -> None:
    clean = shape.format(a=area, e=exch, n=line)
    noisy = "".join(
        ("O" if c == "0" else "l" if c == "1" else c) if swap else c
        for c, swap in zip(clean, swaps + [False] * len(clean), strict=False))
    card = extract(lines_of(f"Ann Lee\n{label} {noisy}"), "CA")
    assert [p.value for p in card.phones] == [f"+1{area}{exch}{line}"], noisy
    expected = {"Tél.": "work", "Cell.": "cell", "Fax": "fax", "Direct": "direct",
                "Bureau": "work", "Mobile": "cell", "T:": "work"}[label]
    assert card.phones[0].label == expected


@FAST
@given(st.sampled_from(["Jean-François", "Priya", "Catherine", "Oluwaseun", "Élise", "Bo"]),
       st.sampled_from(["Tremblay", "Natarajan", "O'Brien", "MacDonald", "Côté", "Okafor"]),
       st.booleans(), st.booleans())
def test_name_is_found_in_capitals_and_after_the_company(given_name: str, family: str,
                                                         capitals: bool,
                                                         company_first: bool) -> None:
    name = f"{given_name} {family}"
    shown = name.upper() if capitals else name
    head = ["Nimbus Labs Inc.", shown, "CTO"] if company_first else [shown, "CTO",
                                                                       "Nimbus Labs Inc."]
    local = fold(given_name)[0] + fold(family)
    card = extract(lines_of("\n".join(head + [f"{local}@nimbuslabs.io"])), "CA")
    assert fold(card.display_name) == fold(name)
    assert card.organization == "Nimbus Labs Inc." and card.title == "CTO"


_FOLD_TEXT = st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=40) | st.sampled_from(
    ["Jean-François Côté", "Ｊｅａｎ－Ｆｒａｎçｏｉｓ", "x´y z", "Straße & Fils", "Москва ltd"])


@FAST
@given(_FOLD_TEXT)
def test_folding_a_line_at_once_equals_folding_each_word(text: str) -> None:
    """fold_words folds the whole line in one pass; it must give what folding each
    piece alone gives (NFKD can turn a compatibility character into a separator)."""
    from reseausync_connectors.cards.text import _WORD_SPLIT, fold_words
    assert fold_words(text) == [w for w in (fold(p) for p in _WORD_SPLIT.split(text)) if w]


@FAST
@given(st.text(max_size=300))
def test_cold_and_warm_caches_read_a_card_alike(text: str) -> None:
    """The per-text caches (folds, line shapes, phone numbers) change speed only."""
    from reseausync_connectors.cards.extract import clear_caches
    for block in split_cards(text):
        clear_caches()
        cold = extract(block.lines, "CA")
        assert extract(block.lines, "CA") == cold
