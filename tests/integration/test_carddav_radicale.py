"""Pull and publish against a real Radicale server on 127.0.0.1 (see conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.errors import SourceError
from reseausync.pipeline import run_source
from reseausync.publish import card_uid, publish
from reseausync.store import Store
from reseausync_connectors.carddav import CardDavConnector

from .conftest import PASSWORD, PASSWORD_ENV, USER, Radicale

pytestmark = pytest.mark.integration


def vcard(uid: str, name: str, email: str, org: str = "") -> str:
    given, family = name.split(" ", 1)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}",
             f"N:{family};{given};;;", f"EMAIL;TYPE=work:{email}"]
    if org:
        lines.append(f"ORG:{org}")
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


JF = vcard("jf", "Jean-François Tremblay", "jf.tremblay@acme.ca", "Acme")
KATE = vcard("kate", "Kate O'Brien", "kate.obrien@shopify.com", "Shopify")
ELISE = vcard("elise", "Élise Gagnon", "elise.gagnon@gmail.com")


def pull(store: Store, url: str, source: str = "team") -> tuple[dict, CardDavConnector]:
    conn = CardDavConnector({"url": url, "username": USER, "password_env": PASSWORD_ENV},
                            ReadContext(source=source))
    result = run_source(store, conn, [url], command="sync", full_listing=True)
    return result.counts, conn


def live_records(store: Store, source: str = "team") -> dict[str, dict]:
    import json
    rows = store.db.execute("SELECT external_id, data FROM records WHERE source=? AND "
                            "removed_at IS NULL", (source,))
    return {r[0]: json.loads(r[1]) for r in rows}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "directory.db")


def test_pull_then_incremental_pull(radicale: Radicale, book: str, store: Store,
                                    password_env: str) -> None:
    for name, body in (("jf.vcf", JF), ("kate.vcf", KATE), ("elise.vcf", ELISE)):
        radicale.put_card(book, name, body)
    counts, conn = pull(store, book)
    assert (counts["added"], counts["rejected"]) == (3, 0)
    assert (conn.stats["listing"], conn.stats["bodies_fetched"]) == ("sync-initial", 3)
    path = book.split("127.0.0.1", 1)[1].split("/", 1)[1]
    records = live_records(store)
    assert set(records) == {f"/{path}{n}" for n in ("jf.vcf", "kate.vcf", "elise.vcf")}
    assert records[f"/{path}jf.vcf"]["display_name"] == "Jean-François Tremblay"

    # Nothing changed: the token says so, no card body is fetched.
    counts, conn = pull(store, book)
    assert (conn.stats["listing"], conn.stats["bodies_fetched"]) == ("sync-delta", 0)
    assert (counts["added"], counts["updated"], counts["removed"]) == (0, 0, 0)

    # On the server: one card edited, another deleted.
    radicale.put_card(book, "kate.vcf", KATE.replace("Shopify", "Coveo"))
    radicale.delete_card(book, "elise.vcf")
    counts, conn = pull(store, book)
    assert (conn.stats["listing"], conn.stats["bodies_fetched"]) == ("sync-delta", 1)
    assert (counts["updated"], counts["removed"], counts["added"]) == (1, 1, 0)
    records = live_records(store)
    assert set(records) == {f"/{path}jf.vcf", f"/{path}kate.vcf"}
    assert records[f"/{path}kate.vcf"]["organization"] == "Coveo"
    tomb = store.db.execute("SELECT removed_at FROM records WHERE external_id=?",
                            (f"/{path}elise.vcf",)).fetchone()
    assert tomb is not None and tomb[0]          # tombstoned, not deleted


def test_discovery_from_the_server_root_finds_the_book(radicale: Radicale, book: str,
                                                       store: Store, password_env: str) -> None:
    radicale.put_card(book, "jf.vcf", JF)
    conn = CardDavConnector({"url": radicale.root + "/", "username": USER,
                             "password_env": PASSWORD_ENV}, ReadContext(source="root"))
    ids = {u.id for u in conn.discover(radicale.root + "/")}
    assert any(i.endswith("/jf.vcf") and i.startswith("/" + USER + "/") for i in ids)


def test_wrong_password_is_a_clear_error(radicale: Radicale, book: str, store: Store,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "not the password")
    with pytest.raises(SourceError) as info:
        pull(store, book)
    assert PASSWORD_ENV in str(info.value) and "401" in str(info.value)
    assert "not the password" not in str(info.value)
    run = store.runs()[-1]
    assert run["status"] == "failed" and "not the password" not in run["message"]


def contact(cid: str, name: str, email: str, org: str = "") -> dict:
    given, family = name.split(" ", 1)
    return {"id": cid, "display_name": name, "given_name": given, "family_name": family,
            "emails": [email], "phones": [], "organization": org, "title": "",
            "linkedin_url": None, "addresses": [], "categories": [], "urls": [], "note": "",
            "birthday": "", "photo": "", "first_collected": None, "sources": [],
            "provenance": {}, "flags": []}


def target(url: str) -> dict:
    return {"connector": "carddav", "url": url, "username": USER,
            "password_env": PASSWORD_ENV}


def test_publish_creates_updates_deletes_and_leaves_foreign_cards(
        radicale: Radicale, store: Store, password_env: str) -> None:
    clean = f"{radicale.root}/{USER}/clean-{id(store)}/"     # does not exist yet
    people = [contact("c1", "Jean-François Tremblay", "jf.tremblay@acme.ca", "Acme"),
              contact("c2", "Kate O'Brien", "kate.obrien@shopify.com")]
    result = publish(store, target(clean), contacts=people)
    assert (result.created, result.updated, result.deleted, result.conflicts) == (2, 0, 0, [])
    card = radicale.get_card(clean + card_uid("c1") + ".vcf")
    assert card.status_code == 200 and "UID:" + card_uid("c1") in card.text
    assert "Tremblay" in card.text
    radicale.put_card(clean, "from-the-phone.vcf", ELISE)        # not ours

    again = publish(store, target(clean), contacts=people)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    people[1]["organization"] = "Coveo"
    changed = publish(store, target(clean), contacts=people[1:])   # c1 is gone, c2 changed
    assert (changed.updated, changed.deleted, changed.conflicts) == (1, 1, [])
    assert radicale.get_card(clean + card_uid("c1") + ".vcf").status_code == 404
    assert "Coveo" in radicale.get_card(clean + card_uid("c2") + ".vcf").text
    assert radicale.get_card(clean + "from-the-phone.vcf").text.count("Élise") >= 1
    rows = store.db.execute("SELECT contact_id FROM published").fetchall()
    assert [r[0] for r in rows] == ["c2"]


def test_publish_reports_a_412_conflict_and_keeps_both_sides(
        radicale: Radicale, book: str, store: Store, password_env: str) -> None:
    people = [contact("c9", "Kate O'Brien", "kate.obrien@shopify.com", "Shopify")]
    assert publish(store, target(book), contacts=people).created == 1
    name = card_uid("c9") + ".vcf"
    edited_on_phone = vcard(card_uid("c9"), "Kate OBrien", "kate@phone.example")
    radicale.put_card(book, name, edited_on_phone)               # someone edits it

    people[0]["title"] = "Product Manager"
    result = publish(store, target(book), contacts=people)
    assert result.updated == 0 and len(result.conflicts) == 1
    assert name in result.conflicts[0]
    assert "kate@phone.example" in radicale.get_card(book + name).text   # not overwritten
    # The conflict stays reported until resolved; an unrelated card with our future
    # file name is never overwritten either.
    radicale.put_card(book, card_uid("c10") + ".vcf", ELISE)
    people.append(contact("c10", "Élise Gagnon", "elise.gagnon@gmail.com"))
    result = publish(store, target(book), contacts=people)
    assert len(result.conflicts) == 2 and result.created == 0
    assert "Élise" in radicale.get_card(book + card_uid("c10") + ".vcf").text

    # Deleting the edited card on the server resolves in favour of the directory.
    radicale.delete_card(book, name)
    result = publish(store, target(book), contacts=people[:1])
    assert result.created == 1 and result.conflicts == []


def test_publish_from_the_store_after_a_pull(radicale: Radicale, book: str, store: Store,
                                             password_env: str) -> None:
    radicale.put_card(book, "jf.vcf", JF)
    radicale.put_card(book, "kate.vcf", KATE)
    pull(store, book)
    clean = radicale.make_addressbook()
    result = publish(store, target(clean), password=PASSWORD)
    assert result.created == 2 and not result.errors
    contact_ids = {r[0] for r in store.db.execute("SELECT id FROM contacts")}
    published = {r[0] for r in store.db.execute("SELECT contact_id FROM published")}
    assert published == contact_ids


def test_a_mistyped_book_url_is_an_error_not_every_book(radicale: Radicale, book: str,
                                                        store: Store, password_env: str) -> None:
    """QA: a book URL answering 404 fell back to discovery from the server root and
    synced every book of the account, the published one among them."""
    radicale.put_card(book, "jf.vcf", JF)
    with pytest.raises(SourceError) as info:
        pull(store, book.rstrip("/") + "-typo/")
    assert "no address book at" in str(info.value) and "404" in str(info.value)
    assert live_records(store) == {}


def test_a_card_garbled_once_keeps_its_contact_and_is_fetched_again(
        radicale: Radicale, book: str, store: Store, password_env: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: a card the server returned malformed once was tombstoned, its ETag stored
    as read, so it was never fetched again (and `publish` deleted it)."""
    radicale.put_card(book, "jf.vcf", JF)
    radicale.put_card(book, "kate.vcf", KATE)
    assert pull(store, book)[0]["added"] == 2
    radicale.put_card(book, "kate.vcf", KATE.replace("Shopify", "Coveo"))
    real_parse = CardDavConnector._parse

    def garbled(self, unit, text):         # the answer cut short, as a proxy did
        return real_parse(self, unit, text.replace("END:VCARD", "X-CUT"))

    monkeypatch.setattr(CardDavConnector, "_parse", garbled)
    counts, _ = pull(store, book)
    assert (counts["removed"], counts["rejected"]) == (0, 1)
    kate = next(v for k, v in live_records(store).items() if k.endswith("/kate.vcf"))
    assert kate["organization"] == "Shopify"            # the last good version stays
    monkeypatch.setattr(CardDavConnector, "_parse", real_parse)
    counts, conn = pull(store, book)                    # the card did not change since
    assert conn.stats["bodies_fetched"] == 1 and counts["updated"] == 1
    kate = next(v for k, v in live_records(store).items() if k.endswith("/kate.vcf"))
    assert kate["organization"] == "Coveo"
