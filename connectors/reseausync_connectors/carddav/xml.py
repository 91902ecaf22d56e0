"""WebDAV XML: the request bodies CardDAV needs and a safe multistatus reader.

Parsing goes through defusedxml with DTDs, entity declarations and external
references forbidden: a server (or anything in the middle) answering a
"billion laughs" payload gets an error, not our memory. HTML where XML was
expected (a login page, a proxy error page) is named as such, because "mismatched
tag at line 7" tells a user nothing.

A multistatus is read into plain `DavResponse`s: each href with its overall status
(a deleted card in sync-collection is a response with status 404 and no props),
and each property with the status of the propstat that carried it (a 207 may mix
found and not-found properties: RFC 4918 section 9.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"


def clark(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


GETETAG = clark(DAV, "getetag")
RESOURCETYPE = clark(DAV, "resourcetype")
ADDRESS_DATA = clark(CARD, "address-data")
CURRENT_USER_PRINCIPAL = clark(DAV, "current-user-principal")
ADDRESSBOOK_HOME_SET = clark(CARD, "addressbook-home-set")
SYNC_TOKEN = clark(DAV, "sync-token")
DISPLAYNAME = clark(DAV, "displayname")
GETLASTMODIFIED = clark(DAV, "getlastmodified")


class XmlError(ValueError):
    """The body is not a usable multistatus; the message says what it is instead."""


@dataclass
class DavResponse:
    href: str                                   # as the server wrote it
    status: int | None = None                   # <status> directly in <response>
    props: dict[str, Element] = field(default_factory=dict)
    prop_status: dict[str, int] = field(default_factory=dict)
    error: str = ""                             # first child of <error>, if any

    def ok(self, prop: str) -> bool:
        return self.prop_status.get(prop) == 200 and prop in self.props

    def text(self, prop: str) -> str | None:
        if not self.ok(prop):
            return None
        return self.props[prop].text or ""

    def href_in(self, prop: str) -> str | None:
        """The <href> inside a property (current-user-principal, home-set)."""
        if not self.ok(prop):
            return None
        found = self.props[prop].find(clark(DAV, "href"))
        return found.text.strip() if found is not None and found.text else None

    def is_collection(self) -> bool:
        """A collection (a book, a folder): never a card, whatever its href says."""
        if not self.ok(RESOURCETYPE):
            return False
        return self.props[RESOURCETYPE].find(clark(DAV, "collection")) is not None

    def is_addressbook(self) -> bool:
        if not self.ok(RESOURCETYPE):
            return False
        return self.props[RESOURCETYPE].find(clark(CARD, "addressbook")) is not None


@dataclass
class MultiStatus:
    responses: list[DavResponse]
    sync_token: str | None = None


_STATUS = re.compile(r"HTTP/\d(?:\.\d)?\s+(\d{3})")


def _status(element: Element | None) -> int | None:
    if element is None or not element.text:
        return None
    match = _STATUS.search(element.text)
    return int(match.group(1)) if match else None


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def parse_xml(body: bytes, content_type: str = "") -> Element:
    """Parse untrusted XML with every entity and DTD trick refused."""
    if looks_like_html(body, content_type):
        raise XmlError("the server answered an HTML page instead of WebDAV XML "
                       "(a login page or a web interface?)")
    if not body.strip():
        raise XmlError("the server answered an empty body instead of WebDAV XML")
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True,
                          forbid_external=True)
    except DefusedXmlException as exc:
        raise XmlError(f"refused unsafe XML from the server ({type(exc).__name__})") from None
    except ParseError as exc:
        raise XmlError(f"malformed XML from the server: {exc}") from None


def parse_multistatus(body: bytes, content_type: str = "") -> MultiStatus:
    root = parse_xml(body, content_type)
    if root.tag != clark(DAV, "multistatus"):
        raise XmlError(f"expected a DAV:multistatus, got {root.tag!r}")
    responses = []
    for node in root.findall(clark(DAV, "response")):
        hrefs = [h.text.strip() for h in node.findall(clark(DAV, "href")) if h.text]
        if not hrefs:
            continue
        status = _status(node.find(clark(DAV, "status")))
        error = node.find(clark(DAV, "error"))
        error_name = error[0].tag if error is not None and len(error) else ""
        props: dict[str, Element] = {}
        prop_status: dict[str, int] = {}
        for propstat in node.findall(clark(DAV, "propstat")):
            code = _status(propstat.find(clark(DAV, "status"))) or 0
            prop = propstat.find(clark(DAV, "prop"))
            if prop is None:
                continue
            for child in prop:
                props[child.tag] = child
                prop_status[child.tag] = code
        # RFC 4918 allows several hrefs in one response sharing one status.
        for href in hrefs:
            responses.append(DavResponse(href, status, props, prop_status, error_name))
    token = root.find(SYNC_TOKEN)
    sync_token = token.text.strip() if token is not None and token.text else None
    return MultiStatus(responses, sync_token)


def error_names(body: bytes) -> set[str]:
    """The precondition names in a DAV:error body (e.g. valid-sync-token); empty
    when the body is not such XML."""
    try:
        root = parse_xml(body)
    except XmlError:
        return set()
    if root.tag != clark(DAV, "error"):
        return set()
    return {child.tag for child in root}


def normalize_href(base: str, href: str) -> str:
    """A server-independent key for an href: the absolute path, percent-decoded.

    Servers write the same card as `/a/b%40c.vcf`, `/a/b@c.vcf` or
    `https://host/a/b%40c.vcf`; matching multiget answers to requests needs one form.
    """
    return unquote(urlsplit(urljoin(base, href)).path)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'


def propfind_body(*props: str) -> str:
    """A PROPFIND asking for the given Clark-named properties."""
    lines = []
    for prop in props:
        ns, name = prop[1:].split("}", 1)
        prefix = "d" if ns == DAV else "c"
        lines.append(f"<{prefix}:{name}/>")
    return (f'{HEADER}<d:propfind xmlns:d="DAV:" xmlns:c="{CARD}"><d:prop>'
            + "".join(lines) + "</d:prop></d:propfind>")


def multiget_body(hrefs: list[str]) -> str:
    refs = "".join(f"<d:href>{_escape(h)}</d:href>" for h in hrefs)
    return (f'{HEADER}<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="{CARD}">'
            "<d:prop><d:getetag/><c:address-data/></d:prop>"
            f"{refs}</c:addressbook-multiget>")


def sync_collection_body(token: str) -> str:
    tok = f"<d:sync-token>{_escape(token)}</d:sync-token>" if token else "<d:sync-token/>"
    return (f'{HEADER}<d:sync-collection xmlns:d="DAV:">{tok}'
            "<d:sync-level>1</d:sync-level><d:prop><d:getetag/><d:getlastmodified/></d:prop>"
            "</d:sync-collection>")


def mkcol_addressbook_body(name: str) -> str:
    """Extended MKCOL (RFC 5689) creating an address book: used by publish and tests."""
    return (f'{HEADER}<d:mkcol xmlns:d="DAV:" xmlns:c="{CARD}"><d:set><d:prop>'
            "<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>"
            f"<d:displayname>{_escape(name)}</d:displayname>"
            "</d:prop></d:set></d:mkcol>")
