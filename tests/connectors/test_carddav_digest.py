"""A server asking for HTTP Digest (Baïkal's default) is answered (qa3_dav F5).

reseausync sent preemptive Basic only, and a Digest server's 401 was reported as a
wrong password.
"""

from __future__ import annotations

import pytest
import responses

from reseausync.errors import SourceError
from reseausync_connectors.carddav.http import Http

from .carddav_fakes import BOOK, PASSWORD, PASSWORD_ENV

CHALLENGE = 'Digest realm="BaikalDAV", qop="auth", nonce="abc123", opaque="x", algorithm=MD5'


def make_http() -> Http:
    return Http(source="team", username="marie", password=PASSWORD,
                password_env=PASSWORD_ENV, sleep=lambda _s: None)


def digest_only(request):
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Digest ") and 'username="marie"' in auth and "response=" in auth:
        return 207, {}, "<ok/>"
    return 401, {"WWW-Authenticate": CHALLENGE}, "auth"


@responses.activate
def test_a_digest_challenge_is_answered_and_kept_for_later_requests() -> None:
    responses.add_callback("PROPFIND", BOOK, callback=digest_only)
    responses.add_callback("REPORT", BOOK, callback=digest_only)
    http = make_http()
    assert http.request("PROPFIND", BOOK, body="<q/>").status == 207
    assert http.request("REPORT", BOOK, body="<r/>").status == 207
    sent = [c.request.headers.get("Authorization", "") for c in responses.calls]
    assert sent[0].startswith("Basic ")                    # Basic first: no round trip
    assert not [a for a in sent[1:] if a.startswith("Basic ")]
    assert sent[-1].startswith("Digest ")                  # the nonce is reused
    assert len(sent) == 4    # Basic 401, unauthenticated 401, Digest 207, Digest 207
    assert PASSWORD not in " ".join(sent)


@responses.activate
def test_a_wrong_password_on_a_digest_server_still_names_the_variable() -> None:
    responses.add("PROPFIND", BOOK, status=401, headers={"WWW-Authenticate": CHALLENGE})
    with pytest.raises(SourceError, match="refused access") as info:
        make_http().request("PROPFIND", BOOK)
    assert PASSWORD_ENV in info.value.hint


@responses.activate
def test_an_unsupported_scheme_is_named_not_called_a_wrong_password() -> None:
    responses.add("PROPFIND", BOOK, status=401,
                  headers={"WWW-Authenticate": 'Bearer realm="dav"'})
    with pytest.raises(SourceError, match="asks for Bearer authentication"):
        make_http().request("PROPFIND", BOOK)
