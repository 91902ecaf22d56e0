"""Builders for the WebDAV answers the CardDAV unit tests register with `responses`.

Small functions, not fixture files: each test states the exact exchange it is
about (a 404 propstat, a rejected token) next to its assertions.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

SERVER = "https://dav.example.test"
BOOK = f"{SERVER}/dav/marie/contacts/"
BOOK_PATH = "/dav/marie/contacts/"
XML = "application/xml; charset=utf-8"
PASSWORD_ENV = "RESEAUSYNC_TEST_DAV_PASSWORD"


@pytest.fixture(autouse=True)
def dav_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """The source's password in its environment variable, for every test of a
    module that imports this fixture (autouse there)."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


# the options of a carddav source on BOOK, as the connector tests give them
OPTIONS = {"url": BOOK, "username": "marie", "password_env": PASSWORD_ENV}
PASSWORD = "s3cret-Pa55"


def card(name: str, email: str = "", uid: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid or name}", f"FN:{name}"]
    if email:
        lines.append(f"EMAIL:{email}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def person(cid: str, name: str) -> dict:
    """A contact as `contacts --format json` gives it, for publish to write."""
    return {"id": cid, "display_name": name, "given_name": name, "family_name": "",
            "emails": [f"{cid}@example.com"], "phones": [], "organization": "", "title": "",
            "linkedin_url": None, "addresses": [], "categories": [], "urls": [], "note": "",
            "birthday": "", "photo": "", "first_collected": None, "sources": [],
            "provenance": {}, "flags": []}


def _propstat(props: str, status: int = 200) -> str:
    return (f"<d:propstat><d:prop>{props}</d:prop>"
            f"<d:status>HTTP/1.1 {status} X</d:status></d:propstat>")


def multistatus(*responses: str, token: str | None = None) -> str:
    tok = f"<d:sync-token>{escape(token)}</d:sync-token>" if token is not None else ""
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">'
            + "".join(responses) + tok + "</d:multistatus>")


def etag_response(href: str, etag: str) -> str:
    return (f"<d:response><d:href>{escape(href)}</d:href>"
            + _propstat(f"<d:getetag>{escape(etag)}</d:getetag><d:resourcetype/>")
            + "</d:response>")


def collection_response(href: str, addressbook: bool = True, extra: str = "") -> str:
    kind = "<card:addressbook/>" if addressbook else ""
    return (f"<d:response><d:href>{href}</d:href>"
            + _propstat(f"<d:resourcetype><d:collection/>{kind}</d:resourcetype>{extra}")
            + "</d:response>")


def gone_response(href: str) -> str:
    return (f"<d:response><d:href>{escape(href)}</d:href>"
            "<d:status>HTTP/1.1 404 Not Found</d:status></d:response>")


def data_response(href: str, etag: str, vcard: str) -> str:
    return (f"<d:response><d:href>{escape(href)}</d:href>"
            + _propstat(f"<d:getetag>{escape(etag)}</d:getetag>"
                        f"<card:address-data>{escape(vcard)}</card:address-data>")
            + "</d:response>")


def missing_data_response(href: str) -> str:
    """A found href whose address-data propstat says 404 (a partial error)."""
    return (f"<d:response><d:href>{escape(href)}</d:href>"
            + _propstat('<d:getetag>"x"</d:getetag>')
            + _propstat("<card:address-data/>", 404)
            + "</d:response>")


def dav_error(name: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>'
            f'<d:error xmlns:d="DAV:"><d:{name}/></d:error>')


ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>&lol4;</d:href></d:response></d:multistatus>
"""

HTML_PAGE = ("<!DOCTYPE html><html><head><title>Sign in</title></head>"
             "<body><form>Login</form></body></html>")


class FakeBook:
    """A minimal in-memory CardDAV address book for `responses` callbacks.

    It answers PROPFIND (Depth 0: an address book; Depth 1: hrefs and ETags),
    sync-collection (everything, with a token: a valid if lazy server) and
    addressbook-multiget, which is what the connector's happy path needs. Tests
    about odd exchanges register those exact answers instead.
    """

    def __init__(self, url: str, cards: dict[str, str]) -> None:
        self.url = url
        self.path = "/" + url.split("/", 3)[3]
        self.cards = {name: (f'"{i}-{len(body)}"', body)
                      for i, (name, body) in enumerate(cards.items())}
        self.multigets = 0

    def register(self, rsps) -> None:
        rsps.add_callback("PROPFIND", self.url, callback=self._propfind)
        rsps.add_callback("REPORT", self.url, callback=self._report)

    def _propfind(self, request):
        if request.headers.get("Depth") == "0":
            return 207, {"Content-Type": XML}, multistatus(collection_response(self.path))
        items = [etag_response(self.path + n, e) for n, (e, _) in self.cards.items()]
        return 207, {"Content-Type": XML}, multistatus(collection_response(self.path), *items)

    def _report(self, request):
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        if "sync-collection" in body:
            items = [etag_response(self.path + n, e) for n, (e, _) in self.cards.items()]
            return 207, {"Content-Type": XML}, multistatus(*items, token="tok-1")
        self.multigets += 1
        out = []
        for name, (etag, vcard) in self.cards.items():
            if f"<d:href>{escape(self.path + name)}</d:href>" in body:
                out.append(data_response(self.path + name, etag, vcard))
        return 207, {"Content-Type": XML}, multistatus(*out)
