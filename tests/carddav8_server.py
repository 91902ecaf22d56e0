"""A small CardDAV server on 127.0.0.1 for the QA8 tests: behaviours of real servers
that Radicale does not have (its answers modelled on SabreDAV/Nextcloud's).

    page = N          sync-collection answers at most N changes, then a 507 response
                      on the book's href written with its slash (RFC 6578 3.6)
    token_reject      any non-empty sync token is answered 403 valid-sync-token
    omit_etag         no getetag in PROPFIND or sync-collection answers (SmarterMail,
                      Kerio); GET and PUT still send an ETag header
    no_sync           sync-collection answered 415 (listing by PROPFIND only)
    refuse = "text"   a PUT of a card holding that text is answered 403
                      CARDDAV:no-uid-conflict (Cyrus, Fastmail)
    google_put        a PUT creating a card stores it under a name of the server's
                      own and answers 201 + Location (Google Contacts)

Started by `DavServer()` in a thread; `url(path)` gives a request URL. One book.
"""

from __future__ import annotations

import hashlib
import re
import threading
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

BOOK = "/dav/marie/contacts/"
NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"'


def multistatus(*parts: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><d:multistatus {NS}>'
            + "".join(parts) + "</d:multistatus>").encode()


def response(href: str, props: str = "", status: str = "") -> str:
    inner = (f"<d:status>HTTP/1.1 {status}</d:status>" if status else
             f"<d:propstat><d:prop>{props}</d:prop>"
             "<d:status>HTTP/1.1 200 OK</d:status></d:propstat>")
    return f"<d:response><d:href>{escape(quote(href))}</d:href>{inner}</d:response>"


class DavServer:
    """The server and its one book: name -> (etag, text), a change log for tokens."""

    def __init__(self, **modes: Any) -> None:
        self.modes: dict[str, Any] = modes
        self.cards: dict[str, tuple[str, str]] = {}
        self.log: list[tuple[int, str]] = []     # (revision, name) of each change
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.named = 0
        handler = type("Handler", (_Handler,), {"dav": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = BOOK) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def put(self, name: str, text: str) -> str:
        """Store a card (a change); its new ETag."""
        etag = '"' + hashlib.md5(f"{text}{len(self.log)}".encode()).hexdigest()[:12] + '"'
        self.cards[name] = (etag, text)
        self.log.append((len(self.log) + 1, name))
        return etag

    def remove(self, name: str) -> None:
        self.cards.pop(name, None)
        self.log.append((len(self.log) + 1, name))

    def etag_prop(self, name: str) -> str:
        if self.modes.get("omit_etag"):
            return ""
        return f"<d:getetag>{self.cards[name][0]}</d:getetag>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    dav: DavServer

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
               ctype: str = "application/xml; charset=utf-8") -> None:
        self.send_response(status)
        for key, value in {"Content-Type": ctype, **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        path = unquote(urlsplit(self.path).path)
        with self.dav.lock:
            self.dav.requests.append((self.command, path))
            name = path[len(BOOK):] if path.startswith(BOOK) else None
            if path.rstrip("/") == BOOK.rstrip("/"):
                name = ""
            if name is None:
                return self.answer(404)
            getattr(self, "dav_" + self.command.lower())(name, body)

    do_PROPFIND = do_REPORT = do_GET = do_PUT = do_DELETE = handle_any

    def dav_propfind(self, name: str, body: str) -> None:
        dav = self.dav
        if name:
            if name not in dav.cards:
                return self.answer(404)
            return self.answer(207, multistatus(response(BOOK + name, dav.etag_prop(name))))
        out = [response(BOOK, "<d:resourcetype><d:collection/><c:addressbook/>"
                              "</d:resourcetype>")]
        if self.headers.get("Depth") != "0":
            out += [response(BOOK + n, "<d:resourcetype/>" + dav.etag_prop(n))
                    for n in sorted(dav.cards)]
        self.answer(207, multistatus(*out))

    def dav_report(self, name: str, body: str) -> None:
        dav = self.dav
        if "sync-collection" in body:
            return self.answer(415) if dav.modes.get("no_sync") else self.sync(body)
        out = []
        for href in re.findall(r"<d:href>(.*?)</d:href>", body):
            card = unquote(unescape(href))[len(BOOK):]
            if card in dav.cards:
                out.append(response(BOOK + card, dav.etag_prop(card) + "<c:address-data>"
                                    + escape(dav.cards[card][1]) + "</c:address-data>"))
            else:
                out.append(response(BOOK + card, status="404 Not Found"))
        self.answer(207, multistatus(*out))

    def sync(self, body: str) -> None:
        dav = self.dav
        found = re.search(r"<d:sync-token>([^<]*)</d:sync-token>", body)
        since = int(found.group(1).rsplit("/", 1)[1]) if found else 0
        if since and dav.modes.get("token_reject"):
            return self.answer(403, b'<?xml version="1.0"?><d:error xmlns:d="DAV:">'
                                    b"<d:valid-sync-token/></d:error>")
        latest = {n: rev for rev, n in dav.log if rev > since}
        changes = sorted((rev, n) for n, rev in latest.items()
                         if n in dav.cards or since)
        page = dav.modes.get("page") or len(changes)
        shown, cut = changes[:page], len(changes) > page
        out = [response(BOOK + n, dav.etag_prop(n)) if n in dav.cards
               else response(BOOK + n, status="404 Not Found") for _, n in shown]
        if cut:
            out.append(response(BOOK, status="507 Insufficient Storage"))
        token = shown[-1][0] if cut else len(dav.log)
        self.answer(207, multistatus(*out, f"<d:sync-token>http://sabre.io/ns/sync/{token}"
                                          "</d:sync-token>"))

    def dav_get(self, name: str, body: str) -> None:
        if name not in self.dav.cards:
            return self.answer(404)
        etag, text = self.dav.cards[name]
        self.answer(200, text.encode(), {"ETag": etag}, ctype="text/vcard; charset=utf-8")

    def dav_put(self, name: str, body: str) -> None:
        dav = self.dav
        exists = name in dav.cards
        if (self.headers.get("If-None-Match") == "*" and exists) or (
                self.headers.get("If-Match") not in (None, dav.cards.get(name, ("",))[0])):
            return self.answer(412)
        if dav.modes.get("refuse") and dav.modes["refuse"] in body:
            return self.answer(403, f'<?xml version="1.0"?><d:error {NS}><c:no-uid-conflict>'
                                    "<d:href>/x/old.vcf</d:href></c:no-uid-conflict>"
                                    "</d:error>".encode())
        headers = {}
        if dav.modes.get("google_put") and not exists:
            dav.named += 1
            name = f"{0x29935b729362b1b1 + dav.named:016x}"
            headers["Location"] = quote(BOOK + name)
        headers["ETag"] = dav.put(name, body)
        self.answer(204 if exists else 201, b"", headers)

    def dav_delete(self, name: str, body: str) -> None:
        dav = self.dav
        if name not in dav.cards:
            return self.answer(404)
        if self.headers.get("If-Match") not in (None, dav.cards[name][0]):
            return self.answer(412)
        dav.remove(name)
        self.answer(204)
