"""Redirect messages say what to do (qa3_dav F8).

A move from http to https on the same host was called "another host", and for
[publish] the hint named "the source's `url`".
"""

from __future__ import annotations

import pytest
import responses

from reseausync_connectors.carddav.http import ForeignRedirect, Http, only_to_https
from reseausync_connectors.carddav.target import check_target

from .carddav_fakes import PASSWORD, PASSWORD_ENV

OLD = "http://dav.example.test/alice/book/"
NEW = "https://dav.example.test/alice/book/"


def make_http() -> Http:
    return Http(source="team", username="alice", password=PASSWORD,
                password_env=PASSWORD_ENV, sleep=lambda _s: None)


@responses.activate
def test_a_move_to_https_is_named_with_the_url_to_configure() -> None:
    responses.add("PROPFIND", OLD, status=301, headers={"Location": NEW})
    with pytest.raises(ForeignRedirect) as info:
        make_http().request("PROPFIND", OLD)
    assert "redirects to https" in info.value.message
    assert "another host" not in info.value.message
    assert NEW in info.value.hint and "the source's `url`" in info.value.hint


@responses.activate
def test_another_host_is_still_called_so() -> None:
    responses.add("PROPFIND", OLD, status=301,
                  headers={"Location": "https://elsewhere.example.net/alice/book/"})
    with pytest.raises(ForeignRedirect, match="another host"):
        make_http().request("PROPFIND", OLD)


@responses.activate
def test_the_publish_hint_names_the_publish_url() -> None:
    responses.add("PROPFIND", OLD, status=301, headers={"Location": NEW})
    with pytest.raises(ForeignRedirect) as info:
        check_target({"url": OLD, "username": "alice"}, PASSWORD)
    assert "[publish] url" in info.value.hint and "source" not in info.value.hint


def test_only_to_https() -> None:
    assert only_to_https("http://h/a", "https://h/b")
    assert only_to_https("http://h:8080/a", "https://h:8080/a")
    assert only_to_https("http://h:80/a", "https://h:443/a")
    assert not only_to_https("http://h/a", "https://g/a")
    assert not only_to_https("https://h/a", "http://h/a")
    assert not only_to_https("http://h:8080/a", "https://h/a")
