"""The multistatus reader: partial errors, hostile XML, HTML, href forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync_connectors.carddav.xml import (
    ADDRESS_DATA,
    GETETAG,
    XmlError,
    error_names,
    multiget_body,
    normalize_href,
    parse_multistatus,
    parse_xml,
)

from .carddav_fakes import (
    BOOK,
    ENTITY_BOMB,
    HTML_PAGE,
    card,
    data_response,
    dav_error,
    etag_response,
    gone_response,
    missing_data_response,
    multistatus,
)


def test_partial_errors_keep_each_status() -> None:
    body = multistatus(
        data_response("/b/a.vcf", '"1"', card("A")),
        missing_data_response("/b/b.vcf"),
        gone_response("/b/c.vcf"),
        token="tok-2",
    ).encode()
    status = parse_multistatus(body)
    a, b, c = status.responses
    assert a.text(ADDRESS_DATA).splitlines() == card("A").splitlines()
    assert a.text(GETETAG) == '"1"'
    assert b.text(GETETAG) == '"x"' and b.text(ADDRESS_DATA) is None
    assert b.prop_status[ADDRESS_DATA] == 404
    assert c.status == 404 and c.props == {}
    assert status.sync_token == "tok-2"


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(XmlError, match="unsafe XML"):
        parse_multistatus(ENTITY_BOMB.encode())


def test_external_entity_is_refused() -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           '<d:multistatus xmlns:d="DAV:"><d:response><d:href>&e;</d:href></d:response>'
           "</d:multistatus>")
    with pytest.raises(XmlError, match="unsafe XML"):
        parse_multistatus(xxe.encode())


def test_malformed_xml_is_named() -> None:
    with pytest.raises(XmlError, match="malformed XML"):
        parse_multistatus(b'<d:multistatus xmlns:d="DAV:"><d:response><d:href>x</d:resp')


def test_html_is_named_as_html() -> None:
    with pytest.raises(XmlError, match="HTML page"):
        parse_multistatus(HTML_PAGE.encode(), "text/html")
    with pytest.raises(XmlError, match="HTML page"):      # even when mislabelled as XML
        parse_multistatus(HTML_PAGE.encode(), "application/xml")


def test_other_root_is_not_a_multistatus() -> None:
    with pytest.raises(XmlError, match="expected a DAV:multistatus"):
        parse_multistatus(dav_error("valid-sync-token").encode())


def test_error_names() -> None:
    assert error_names(dav_error("valid-sync-token").encode()) == {"{DAV:}valid-sync-token"}
    assert error_names(b"not xml") == set()


def test_hrefs_normalize_to_one_form() -> None:
    forms = ["/dav/marie/contacts/j%40x.vcf", "/dav/marie/contacts/j@x.vcf",
             "https://dav.example.test/dav/marie/contacts/j%40x.vcf", "j%40x.vcf"]
    assert {normalize_href(BOOK, f) for f in forms} == {"/dav/marie/contacts/j@x.vcf"}


def test_multiget_body_escapes_hrefs() -> None:
    body = multiget_body(["/b/a&b.vcf"])
    root = parse_xml(body.encode())
    hrefs = [h.text for h in root.iter("{DAV:}href")]
    assert hrefs == ["/b/a&b.vcf"]


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_xml_error(data: bytes) -> None:
    try:
        parse_multistatus(data)
    except XmlError:
        pass


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abc-_.@ %&<é", min_size=1, max_size=12),
                          st.text(alphabet='0123456789abcdef"W/', min_size=1, max_size=10)),
                max_size=5))
def test_listing_round_trips(pairs: list[tuple[str, str]]) -> None:
    body = multistatus(*(etag_response(f"/b/{name}.vcf", etag) for name, etag in pairs))
    got = [(r.href, r.text(GETETAG)) for r in parse_multistatus(body.encode()).responses]
    assert got == [(f"/b/{name}.vcf", etag) for name, etag in pairs]
