"""One HTTP session for one CardDAV server, with the hygiene a sync job needs.

Why not plain `requests.Session.request`: a scheduled sync must not hang on a dead
server (timeouts on every call; and since `requests`' timeout bounds each socket
read, a server dripping its answer a byte at a time would pass it for ever, so a
whole answer must arrive within REQUEST_DEADLINE x timeout, or the connection is
cut and the request counts as timed out), must ride out a server that is restarting
(bounded retries with backoff on connection errors, 429 and 5xx, honouring
Retry-After), must not be made to load a gigabyte into memory (a response size
limit, checked while streaming), and must never follow a redirect to another host
with the user's credentials. `requests` also turns a 302 after PROPFIND into a GET,
so redirects are followed here, same host only, keeping the method and body.

Errors (all from reseausync.errors):

    SourceError        401, 403 to a read (names the source and the password
    │                  variable), a redirect to another host, TLS failures
    ├── RetriableError retries exhausted (connection, timeout, 429, 5xx)
    ├── HttpStatusError any other unexpected status, and a 403 to a PUT or DELETE
    │                  (naming the server's precondition); callers that have a
    │                  fallback (sync-collection refused, a card refused) catch it
    ├── ForeignRedirect a redirect to another host (a card's GET turns it into a reject)
    └── ResponseTooLarge the body passed `max_response_bytes`

The password is held by the session's auth object only: it is never part of a
message, a log line or a URL this module prints.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from reseausync.errors import RetriableError, SourceError

from .xml import error_names

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0       # a server asking for an hour's pause gets 30 s, then an error
REQUEST_DEADLINE = 4         # x timeout: the most one request's answer may take, in all
USER_AGENT = "reseausync-carddav/0.1"
# A 403 on these is the server refusing this write (a read-only or shared book, a
# CardDAV precondition such as no-uid-conflict), not the password: the credentials
# just read the book (QA8 #3). A 403 on a read stays an access error.
WRITES = frozenset({"PUT", "DELETE"})


class HttpStatusError(SourceError):
    """The server answered with a status the caller did not expect."""

    def __init__(self, message: str, status: int, hint: str = "",
                 preconditions: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint)
        self.status = status
        self.preconditions = preconditions      # DAV:error names, without namespace


class ForeignRedirect(SourceError):
    """A redirect to another scheme, host or port: refused, credentials stay home."""


class ResponseTooLarge(SourceError):
    """A response passed the configured size limit; its body was not kept."""


def redact(url: str) -> str:
    """The URL without user:password@, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) as the server sees them: the scheme's default port filled
    in, so `https://h/` and `https://h:443/` are one origin (iCloud writes its hrefs
    with `:443`; proxies rewriting Location often add the port: QA8 #6)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:          # a port that is no number: compared as absent
        port = None
    return scheme, (parts.hostname or "").lower(), port


def same_origin(a: str, b: str) -> bool:
    return origin(a) == origin(b)


def only_to_https(a: str, b: str) -> bool:
    """Whether `b` is `a`'s host moved from http to https (default ports or the same)."""
    pa, pb = urlsplit(a), urlsplit(b)
    if (pa.scheme, pb.scheme) != ("http", "https") or pa.hostname != pb.hostname:
        return False
    return pa.port == pb.port or (pa.port in (None, 80) and pb.port in (None, 443))


@dataclass
class Answer:
    """A response read whole (within the limit): what the client layers need."""

    status: int
    headers: requests.structures.CaseInsensitiveDict
    body: bytes
    url: str
    # An earlier attempt of this request got no answer (timeout, reset): the server
    # may have performed it already, so a 412 to a conditional PUT may be our own
    # first write (target.py checks before calling it a conflict).
    resent: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Http:
    """A requests session bound to one source: timeouts, retries, limits, auth."""

    def __init__(self, *, source: str, username: str, password: str | None,
                 password_env: str, verify_tls: bool | str = True, timeout: float = 30.0,
                 max_response_bytes: int = 64 * 1024 * 1024, retries: int = 4,
                 backoff: float = 0.5, sleep: Callable[[float], None] | None = None,
                 session: requests.Session | None = None,
                 url_key: str = "the source's `url`") -> None:
        self.source = source
        self.url_key = url_key      # the config key a redirect hint tells to change
        self.username = username
        self.password_env = password_env
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self.retries = retries
        self.backoff = backoff
        # looked up now, not when the module loaded: a test that takes the waits
        # away (tests/connectors/conftest.py no_backoff) reaches every session
        self.sleep = sleep or time.sleep
        self.requests_made = 0
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.verify = verify_tls     # False, True, or a CA bundle's path
        self.session.trust_env = False     # no ~/.netrc credentials, no proxy surprises
        if password is not None:
            self.session.auth = (username, password)

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, url: str, *, headers: dict[str, str] | None = None,
                body: bytes | str | None = None, allow: Collection[int] = ()) -> Answer:
        """Send one request; return any 2xx answer or a status listed in `allow`.

        Redirects to the same origin are followed with the same method and body.
        """
        if isinstance(body, str):
            body = body.encode("utf-8")
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._send_with_retries(method, current, headers or {}, body)
            if answer.status == 401 and self._switch_to_digest(answer):
                answer = self._send_with_retries(method, current, headers or {}, body)
            if answer.status in REDIRECT_STATUSES and answer.status not in allow:
                location = answer.headers.get("Location", "")
                if not location:
                    raise HttpStatusError(
                        f"{self.source}: {method} {redact(current)} answered "
                        f"{answer.status} without a Location", answer.status)
                target = urljoin(current, location)
                if not same_origin(target, current):
                    raise self._foreign(current, target)
                current = target
                continue
            self._check_status(method, current, answer, allow)
            return answer
        raise SourceError(f"{self.source}: more than {MAX_REDIRECTS} redirects from "
                          f"{redact(url)}")

    def _foreign(self, current: str, target: str) -> ForeignRedirect:
        """A redirect refused; a move to https on the same host (the commonest) is
        named as such, with the URL to configure instead."""
        if only_to_https(current, target):
            return ForeignRedirect(
                f"{self.source}: {redact(current)} redirects to https "
                f"({redact(target)}); not followed, so the credentials go only where "
                "configured",
                hint=f"put the https address ({redact(target)}) in {self.url_key}")
        return ForeignRedirect(
            f"{self.source}: {redact(current)} redirects to another host "
            f"({redact(target)}); refused so the credentials stay with the configured "
            "server", hint=f"put the final address book URL in {self.url_key}")

    def _switch_to_digest(self, answer: Answer) -> bool:
        """Answer a Digest challenge (Baïkal's default) from now on, when the server
        refused the preemptive Basic credentials and offers Digest, not Basic.

        Basic stays the first try: it costs no round trip, and most servers take it.
        """
        auth = self.session.auth
        offered = answer.headers.get("WWW-Authenticate", "").lower()
        if not isinstance(auth, tuple) or "digest" not in offered or "basic" in offered:
            return False
        log.info("%s: the server asks for HTTP Digest authentication; using it",
                 self.source)
        self.session.auth = requests.auth.HTTPDigestAuth(*auth)
        return True

    def _check_status(self, method: str, url: str, answer: Answer,
                      allow: Collection[int]) -> None:
        status = answer.status
        if 200 <= status < 300 or status in allow:
            return
        if status == 403 and method in WRITES:
            raise write_refused(self.source, method, url, answer)
        if status in (401, 403):
            scheme = _unsupported_scheme(answer) if status == 401 else ""
            if scheme:
                raise SourceError(
                    f"{self.source}: the server at {redact(url)} asks for {scheme} "
                    "authentication, which reseausync does not support (HTTP 401)",
                    hint="let the server accept Basic or Digest authentication")
            raise SourceError(
                f"{self.source}: the server refused access to {redact(url)} "
                f"(HTTP {status}) for user {self.username!r} with the password from "
                f"the environment variable {self.password_env}",
                hint=f"check the user name, and the password in {self.password_env}")
        raise HttpStatusError(
            f"{self.source}: {method} {redact(url)} failed with HTTP {status}", status)

    def _send_with_retries(self, method: str, url: str, headers: dict[str, str],
                           body: bytes | None) -> Answer:
        attempt = 0
        unanswered = False
        while True:
            try:
                answer = self._send(method, url, headers, body)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if isinstance(exc, requests.exceptions.SSLError):
                    raise SourceError(
                        f"{self.source}: TLS verification failed for {redact(url)}",
                        hint="a server whose certificate comes from your own CA: "
                             "name it with ca_file = \"/path/to/ca.crt\" in the source "
                             "(or REQUESTS_CA_BUNDLE); else fix the server certificate. "
                             "verify_tls = false exposes the password and every card to "
                             "anyone in between") from None
                problem = type(exc).__name__
                wait = self._delay(attempt, None)
                unanswered = True
            else:
                if answer.status not in RETRY_STATUSES:
                    answer.resent = unanswered
                    return answer
                problem = f"HTTP {answer.status}"
                wait = self._delay(attempt, answer.headers.get("Retry-After"))
            if attempt >= self.retries:
                raise RetriableError(
                    f"{self.source}: {method} {redact(url)} still failing after "
                    f"{attempt + 1} attempts ({problem})",
                    hint="the server may be down or overloaded; the next sync retries")
            log.info("%s: %s %s: %s, retrying in %.1fs", self.source, method,
                     redact(url), problem, wait)
            self.sleep(wait)
            attempt += 1

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        delay = self.backoff * (2 ** attempt)
        if retry_after:
            delay = max(delay, _parse_retry_after(retry_after))
        return min(delay, MAX_RETRY_AFTER)

    def _send(self, method: str, url: str, headers: dict[str, str],
              body: bytes | None) -> Answer:
        self.requests_made += 1
        started = time.monotonic()
        with self.session.request(method, url, headers=headers, data=body,
                                  timeout=self.timeout, allow_redirects=False,
                                  stream=True) as resp:
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_response_bytes:
                raise ResponseTooLarge(self._too_large(method, url))
            left = started + self.timeout * REQUEST_DEADLINE - time.monotonic()
            watchdog = _Watchdog(resp, left)
            try:
                body_read = self._read_body(method, url, resp)
            except requests.RequestException:
                if watchdog.fired:
                    raise requests.ReadTimeout(self._too_slow(method, url)) from None
                raise
            finally:
                watchdog.cancel()
            if watchdog.fired:
                raise requests.ReadTimeout(self._too_slow(method, url))
            return Answer(resp.status_code, resp.headers, body_read, url)

    def _read_body(self, method: str, url: str, resp: requests.Response) -> bytes:
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_response_bytes:
                raise ResponseTooLarge(self._too_large(method, url))
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_slow(self, method: str, url: str) -> str:
        return (f"{self.source}: {method} {redact(url)}: no complete answer within "
                f"{self.timeout * REQUEST_DEADLINE:g} s")

    def _too_large(self, method: str, url: str) -> str:
        return (f"{self.source}: {method} {redact(url)}: response larger than "
                f"{self.max_response_bytes} bytes (max_response_bytes)")


def write_refused(source: str, method: str, url: str, answer: Answer) -> HttpStatusError:
    """A 403 to a PUT or DELETE, naming the precondition the server gave (RFC 4918
    section 16, RFC 6352 section 6.3.2: need-privileges, no-uid-conflict,
    valid-address-data...): an error for this card, the publish goes on."""
    names = sorted(name.rsplit("}", 1)[-1] for name in error_names(answer.body))
    why = f"HTTP 403, {', '.join(names)}" if names else "HTTP 403"
    verb = "write" if method == "PUT" else "delete"
    return HttpStatusError(f"{source}: the server refused to {verb} {redact(url)} ({why})",
                           403, preconditions=tuple(names))


def _unsupported_scheme(answer: Answer) -> str:
    """The scheme a 401 asks for when it offers neither Basic nor Digest ("" else):
    a password that is right must not be called wrong."""
    offered = answer.headers.get("WWW-Authenticate", "").strip()
    lowered = offered.lower()
    if not offered or "basic" in lowered or "digest" in lowered:
        return ""
    return offered.split(None, 1)[0].split(",", 1)[0]


class _Watchdog:
    """Cuts a response's connection once its deadline passes: the blocked read then
    fails at once instead of waiting for the next byte of a dripping server."""

    def __init__(self, resp: requests.Response, seconds: float) -> None:
        self.fired = False
        self._resp = resp
        self._timer = threading.Timer(max(seconds, 0.0), self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        self.fired = True
        sock = _socket_of(self._resp)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _socket_of(resp: requests.Response) -> socket.socket | None:
    """The socket a response is read from: its connection's, or (when http.client
    has already handed the socket over to the response, HTTP/1.0 or
    `Connection: close`) the one under the response's file."""
    raw = resp.raw
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is None:
        fileobj = getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None)
        sock = getattr(fileobj, "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _parse_retry_after(value: str) -> float:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())
