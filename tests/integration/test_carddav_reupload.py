"""A card re-uploaded under another file name on a real Radicale server.

A CardDAV record's id is its href, so a phone that deletes a card and uploads it
again under a new name (some clients rename on every edit conflict) hands the sync
one record removed and one added. The successor rule (merge/succession.py) must
then keep the person's contact id and the user's decisions, as the README
promises; before this test that promise had only been checked on files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.integration.conftest import PASSWORD, PASSWORD_ENV, Radicale
from tests.integration.test_cli_carddav import CARD, _config

ENV = {PASSWORD_ENV: PASSWORD}




def _cli(*args: str) -> str:
    done = run_cli(*args, env=ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _contacts(config: Path) -> dict[str, dict]:
    listed = json.loads(_cli("contacts", "--config", str(config), "--format", "json"))
    return {c["emails"][0]: c for c in listed}


def _card(uid: str, given: str, family: str, email: str, tail: str) -> str:
    return CARD.format(uid=uid, name=f"{given} {family}", family=family, given=given,
                       email=email, tail=tail)


def test_a_card_uploaded_again_under_a_new_name_keeps_its_id_and_the_users_link(
        radicale: Radicale, tmp_path: Path) -> None:
    book = radicale.make_addressbook()
    ada = _card("u-ada", "Ada", "Lovelace", "ada@example.org", "0100")
    countess = _card("u-count", "Augusta", "King", "countess@example.net", "0199")
    radicale.put_card(book, "ada.vcf", ada)
    radicale.put_card(book, "countess.vcf", countess)
    radicale.put_card(book, "alan.vcf", _card("u-alan", "Alan", "Turing",
                                              "alan@example.org", "0101"))
    config = _config(tmp_path, book, f"{radicale.root}/alice/clean-{tmp_path.name[-6:]}/")
    _cli("sync", "--config", str(config))
    before = _contacts(config)
    assert len(before) == 3                 # Augusta King is not obviously Ada
    _cli("link", "--config", str(config), before["ada@example.org"]["id"],
         before["countess@example.net"]["id"])
    linked = _contacts(config)
    assert len(linked) == 2

    radicale.delete_card(book, "countess.vcf")
    radicale.put_card(book, "7F3A-countess.vcf", countess)
    out = _cli("sync", "--config", str(config))

    after = _contacts(config)
    assert {c["id"] for c in after.values()} == {c["id"] for c in linked.values()}
    merged = next(c for c in after.values() if "countess@example.net" in c["emails"])
    assert "ada@example.org" in merged["emails"], "the link no longer holds"
    assert merged["id"] == linked["ada@example.org"]["id"]
    assert "no longer hold" not in out
    locators = [s["locator"] for s in merged["sources"]]
    assert any("7F3A-countess.vcf" in (loc or "") for loc in locators), locators
