"""HTTP hygiene: bounded retries, auth errors, redirects, size limits, no secrets."""

from __future__ import annotations

import logging

import pytest
import requests
import responses

from reseausync.errors import RetriableError, SourceError
from reseausync_connectors.carddav.http import (
    ForeignRedirect,
    Http,
    HttpStatusError,
    ResponseTooLarge,
    redact,
)

from .carddav_fakes import BOOK, PASSWORD, PASSWORD_ENV, SERVER


def make_http(**kwargs) -> tuple[Http, list[float]]:
    waits: list[float] = []
    http = Http(source="team", username="marie", password=PASSWORD,
                password_env=PASSWORD_ENV, backoff=0.25, sleep=waits.append, **kwargs)
    return http, waits


@responses.activate
def test_5xx_storm_is_retried_a_bounded_number_of_times() -> None:
    responses.add("PROPFIND", BOOK, status=503)
    http, waits = make_http(retries=3)
    with pytest.raises(RetriableError, match="after 4 attempts") as info:
        http.request("PROPFIND", BOOK)
    assert len(responses.calls) == 4
    assert waits == [0.25, 0.5, 1.0]                    # exponential backoff
    assert PASSWORD not in str(info.value)


@responses.activate
def test_recovers_when_the_server_comes_back() -> None:
    responses.add("GET", BOOK + "a.vcf", status=502)
    responses.add("GET", BOOK + "a.vcf", body=requests.ConnectionError("reset"))
    responses.add("GET", BOOK + "a.vcf", status=200, body="BEGIN:VCARD")
    http, waits = make_http()
    assert http.request("GET", BOOK + "a.vcf").body == b"BEGIN:VCARD"
    assert len(waits) == 2


@responses.activate
def test_429_honours_retry_after_within_a_cap() -> None:
    responses.add("GET", BOOK, status=429, headers={"Retry-After": "7"})
    responses.add("GET", BOOK, status=429, headers={"Retry-After": "86400"})
    responses.add("GET", BOOK, status=200)
    http, waits = make_http()
    http.request("GET", BOOK)
    assert waits == [7.0, 30.0]


@responses.activate
def test_timeouts_are_retried_then_retriable() -> None:
    responses.add("GET", BOOK, body=requests.Timeout("slow"))
    http, waits = make_http(retries=1)
    with pytest.raises(RetriableError, match="Timeout"):
        http.request("GET", BOOK)
    assert len(responses.calls) == 2


@responses.activate
def test_401_names_the_source_and_the_variable_not_the_password(
        caplog: pytest.LogCaptureFixture) -> None:
    responses.add("PROPFIND", BOOK, status=401)
    http, _ = make_http()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceError) as info:
        http.request("PROPFIND", BOOK)
    assert not isinstance(info.value, RetriableError)
    text = f"{info.value} {info.value.hint}"
    assert "team" in text and PASSWORD_ENV in text and "401" in text
    assert PASSWORD not in text and PASSWORD not in caplog.text
    assert len(responses.calls) == 1                    # never retried


@responses.activate
def test_credentials_are_sent_as_basic_auth() -> None:
    responses.add("GET", BOOK, status=200)
    http, _ = make_http()
    http.request("GET", BOOK)
    assert responses.calls[0].request.headers["Authorization"].startswith("Basic ")


@responses.activate
def test_same_host_redirect_keeps_method_and_body() -> None:
    responses.add("PROPFIND", f"{SERVER}/.well-known/carddav", status=301,
                  headers={"Location": "/dav/"})
    responses.add("PROPFIND", f"{SERVER}/dav/", status=207, body="<x/>")
    http, _ = make_http()
    answer = http.request("PROPFIND", f"{SERVER}/.well-known/carddav", body="<q/>")
    assert answer.status == 207 and answer.url == f"{SERVER}/dav/"
    assert responses.calls[1].request.method == "PROPFIND"
    assert responses.calls[1].request.body == b"<q/>"


@responses.activate
def test_redirect_to_another_host_is_refused() -> None:
    responses.add("GET", BOOK + "a.vcf", status=302,
                  headers={"Location": "https://evil.example.net/steal"})
    http, _ = make_http()
    with pytest.raises(ForeignRedirect, match="another host"):
        http.request("GET", BOOK + "a.vcf")
    assert len(responses.calls) == 1


@responses.activate
def test_response_size_limit() -> None:
    responses.add("GET", BOOK + "big.vcf", status=200, body=b"x" * 10_000)
    http, _ = make_http(max_response_bytes=4096)
    with pytest.raises(ResponseTooLarge, match="max_response_bytes"):
        http.request("GET", BOOK + "big.vcf")


@responses.activate
def test_unexpected_status_carries_its_code() -> None:
    responses.add("DELETE", BOOK + "a.vcf", status=409)
    http, _ = make_http()
    with pytest.raises(HttpStatusError) as info:
        http.request("DELETE", BOOK + "a.vcf")
    assert info.value.status == 409
    responses.add("DELETE", BOOK + "b.vcf", status=412)
    assert http.request("DELETE", BOOK + "b.vcf", allow=(412,)).status == 412


def test_redact_removes_userinfo() -> None:
    assert redact("https://marie:pw@dav.example.test:8443/x/") == \
        "https://dav.example.test:8443/x/"
    assert redact(BOOK) == BOOK
