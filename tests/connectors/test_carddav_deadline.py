"""A whole request has a deadline, not only each socket read (qa3_dav F3).

A server dripping its answer a byte at a time kept `sync` running for ever: each
read came within `timeout`. A real loopback server is needed, `responses` has no
sockets.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from reseausync.errors import RetriableError
from reseausync_connectors.carddav.http import REQUEST_DEADLINE, Http

BODY = b"<?xml version='1.0'?><d:multistatus xmlns:d='DAV:'/>" * 4


class Dripping(http.server.BaseHTTPRequestHandler):
    delay = 0.05

    def do_PROPFIND(self) -> None:
        self.send_response(207)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        try:
            for i in range(len(BODY)):
                self.wfile.write(BODY[i:i + 1])
                self.wfile.flush()
                time.sleep(self.delay)
        except OSError:
            pass          # the client cut the connection: what the test wants

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dripping)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/book/"
    httpd.shutdown()
    httpd.server_close()


def test_a_dripping_answer_is_cut_at_the_request_deadline(server: str) -> None:
    timeout = 0.25                        # each byte comes well within it
    http = Http(source="team", username="u", password="p", password_env="PW",
                timeout=timeout, retries=1, sleep=lambda _s: None)
    started = time.monotonic()
    with pytest.raises(RetriableError, match=r"after 2 attempts \(ReadTimeout\)"):
        http.request("PROPFIND", server)
    elapsed = time.monotonic() - started
    # the whole body would take len(BODY) * 0.05 s ≈ 10 s per attempt
    assert elapsed < 2 * timeout * REQUEST_DEADLINE + 1.5
    http.close()


def test_an_answer_within_the_deadline_is_read_whole(server: str) -> None:
    http = Http(source="team", username="u", password="p", password_env="PW",
                timeout=10, retries=0, sleep=lambda _s: None)
    Dripping.delay = 0.0
    try:
        assert http.request("PROPFIND", server).body == BODY
    finally:
        Dripping.delay = 0.05
        http.close()
