"""QA8 #6: a same-host redirect whose Location spells the default port (`:443`,
`:80`) was refused as "another host" (port None compared with 443)."""

from __future__ import annotations

import responses
from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync_connectors.carddav import CardDavConnector
from reseausync_connectors.carddav.http import same_origin

from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    PASSWORD_ENV,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)

hosts = st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z][a-z0-9-]{0,10}){0,3}", fullmatch=True)
paths = st.from_regex(r"(/[A-Za-z0-9._~-]{0,12}){0,4}", fullmatch=True)
schemes = st.sampled_from([("http", 80), ("https", 443)])


@given(schemes, hosts, paths, paths)
def test_the_default_port_written_or_not_is_one_origin(scheme, host, a, b) -> None:
    name, port = scheme
    assert same_origin(f"{name}://{host}{a}", f"{name}://{host}:{port}{b}")
    assert same_origin(f"{name}://{host.upper()}:{port}{a}", f"{name}://{host}{b}")


@given(schemes, hosts, paths, st.integers(min_value=1, max_value=65535))
def test_another_port_or_scheme_is_another_origin(scheme, host, path, port) -> None:
    name, default = scheme
    if port != default:
        assert not same_origin(f"{name}://{host}{path}", f"{name}://{host}:{port}{path}")
    other = "https" if name == "http" else "http"
    assert not same_origin(f"{name}://{host}{path}", f"{other}://{host}{path}")


@responses.activate
def test_a_redirect_spelling_the_default_port_is_followed() -> None:
    start = "https://nc.example.test/.well-known/carddav"
    book = "https://nc.example.test:443/remote.php/dav/addressbooks/users/marie/contacts/"
    path = "/remote.php/dav/addressbooks/users/marie/contacts/"
    responses.add("PROPFIND", start, status=301, headers={"Location": book})
    responses.add("PROPFIND", book, status=207, content_type=XML,
                  body=multistatus(collection_response(path)))
    responses.add("REPORT", book.replace(":443", ""), status=207, content_type=XML,
                  body=multistatus(etag_response(f"{path}a.vcf", '"1"'), token="t"))
    conn = CardDavConnector({"url": start, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team"))
    assert [u.id for u in conn.discover(start)] == [f"{path}a.vcf"]
