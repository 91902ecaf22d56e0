"""The fast line parser against vobject, card by card, on every fixture and the sample.

vobject is the reference: both parsers see the same repaired lines and their
records must agree field by field. Known vobject quirks are named where they are
allowed, nowhere else: it keeps only the first piece of a text value holding an
unescaped comma (2.1 writers never escape commas), and it cuts a 4.0 `data:` URI
at its comma, losing the photo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reseausync_connectors.vcard.card import fast_props
from reseausync_connectors.vcard.cards import RawCard, iter_lines, redecode, split_cards, unfold
from reseausync_connectors.vcard.contentline import LineError
from reseausync_connectors.vcard.record import build_record
from reseausync_connectors.vcard.reference import vobject_props

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "fixtures" / "vcard").iterdir()) + [ROOT / "samples" / "phone.vcf"]
# Cards the fast parser refuses on purpose (and vobject too): rejects, not records.
REFUSED = {("bad_parameter.vcf", 1)}


def logical_cards(path: Path) -> list[tuple[int, list[tuple[int, str]], str]]:
    out = []
    with open(path, "rb") as stream:
        for card in split_cards(iter_lines(stream)):
            if isinstance(card, RawCard):
                raw = redecode(card.text())
                lines = [(n, t) for (n, _), t in zip(card.lines, raw.split("\n")[1:-2],
                                                      strict=True)]
                out.append((card.line, unfold(lines), raw))
    return out


def fields(props: list, raw: str) -> dict[str, Any]:
    data = build_record(props, source="s", unit="u", locator="l", raw=raw).fields_dict()
    data["extra"].pop("version", None)   # the repair adds VERSION:3.0 for vobject
    return data


def agree(ours: Any, theirs: Any) -> bool:
    if ours == theirs:
        return True
    return isinstance(ours, str) and "," in ours and ours.startswith(theirs) and bool(theirs)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_parser_agrees_with_vobject(path: Path) -> None:
    compared = 0
    for line, logical, raw in logical_cards(path):
        if (path.name, line) in REFUSED:
            with pytest.raises(LineError):
                fast_props(logical)
            continue
        ours = fields(fast_props(logical), raw)
        theirs = fields(vobject_props(logical), raw)
        if any(t.upper().startswith("PHOTO:DATA:") for _, t in logical):
            assert ours["photo_digest"] and not theirs["photo_digest"]
            theirs["photo_digest"] = ours["photo_digest"]
        for key, value in ours.items():
            assert agree(value, theirs[key]), (path.name, line, key, value, theirs[key])
        compared += 1
    assert compared or path.name == "bad_parameter.vcf"


def test_comparison_sees_real_content() -> None:
    """Guard against a comparison of two empty records."""
    cards = logical_cards(ROOT / "samples" / "phone.vcf")
    theirs = [fields(vobject_props(lg), raw) for _, lg, raw in cards]
    assert sum(bool(t["emails"]) for t in theirs) >= 7
    assert any(t["given_name"] == "Jean-François" for t in theirs)
