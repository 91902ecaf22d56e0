"""International cards (QA round 8, findings 6 and 7): a five-digit postal code is
not always France, and a national number is placed in the country the card shows
(its country line, its email's ccTLD, its phones' country code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import card_record as record


@pytest.mark.parametrize(("text", "country"), [
    ("Anna Schmidt\nProjektleiterin\nSAP SE\nanna.schmidt@sap.de\nDietmar-Hopp-Allee 16\n"
     "69190 Walldorf\nDeutschland\n", "Deutschland"),
    ("María José García López\nTelefónica S.A.\n28050 Madrid\nEspaña\n"
     "Tel. +34 91 482 00 00\nmariajose.garcia@telefonica.com\n", "España"),
    ("Giulia Rossi\nFerrero S.p.A.\nPiazzale Pietro Ferrero 1\n12051 Alba CN\nItalia\n"
     "Tel. +39 0173 313111\ngiulia.rossi@ferrero.com\n", "Italia"),
    ("Klaus Müller\nSiemens AG\n80333 München\nTel.: +49 89 636-00\n"
     "klaus.mueller@siemens.com\n", "Germany"),
    ("Camille Laurent\nChef de projet\nCapgemini\n11, rue de Tilsitt\n75017 Paris\n"
     "06 12 34 56 78\ncamille.laurent@capgemini.com\n", "France"),
])
def test_five_digit_postal_codes_take_the_cards_country(tmp_path: Path, text: str,
                                                        country: str) -> None:
    [address] = record(tmp_path, text).addresses
    assert address.country == country


def test_five_digits_and_nothing_else_give_no_country_rather_than_a_wrong_one(
        tmp_path: Path) -> None:
    [address] = record(tmp_path, "Luca Bianchi\nlb@bianchi.com\n20121 Milano\n").addresses
    assert (address.postal_code, address.country) == ("20121", "")


@pytest.mark.parametrize(("text", "phones"), [
    ("Oliver Smith\nRevolut Ltd\nT: 020 3322 8352\nM: 07700 900123\n"
     "oliver.smith@revolut.co.uk\n", ["+442033228352", "+447700900123"]),
    ("Anna Schmidt\nSAP SE\nTel. 06227 7-47474\nMobil 0151 23456789\n"
     "anna.schmidt@sap.de\n", ["+496227747474", "+4915123456789"]),
    ("Taro Yamada\nTEL 03-6748-2111\ntaro.yamada@sony.co.jp\n", ["+81367482111"]),
    ("Anna Schmidt\nSAP SE\nTel. 06227 7-47474\nanna.schmidt@sap.com\n69190 Walldorf\n"
     "Deutschland\n", ["+496227747474"]),
])
def test_national_numbers_are_placed_in_the_country_the_card_shows(
        tmp_path: Path, text: str, phones: list[str]) -> None:
    assert [p.value for p in record(tmp_path, text).phones] == phones


def test_a_montreal_card_keeps_its_numbers(tmp_path: Path) -> None:
    rec = record(tmp_path, "Luc Bergeron\nluc@bergerondesign.io\n514-555-0111\n")
    assert [p.value for p in rec.phones] == ["+15145550111"]
