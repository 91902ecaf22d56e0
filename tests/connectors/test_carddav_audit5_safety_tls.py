"""QA5 #4 and #5: a CardDAV server behind a private CA is reached by naming the CA
(`ca_file`, or REQUESTS_CA_BUNDLE / SSL_CERT_FILE), not only by turning
verification off; a password about to go in clear to another machine is warned
about."""

from __future__ import annotations

import http.server
import logging
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reseausync.errors import SourceError
from reseausync_connectors.carddav.connector import (
    CardDavConnector,
    CardDavOptions,
    clear_text_host,
    make_http,
)

BODY = b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>'


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def home_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA of one's own and a certificate it signed for 127.0.0.1, made now."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a private CA")
    folder = tmp_path_factory.mktemp("ca")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.crt", "-days", "2", "-subj", "/CN=Home CA", cwd=folder)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr",
            "-subj", "/CN=127.0.0.1", cwd=folder)
    (folder / "ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "srv.crt", "-days", "2", "-extfile", "ext", cwd=folder)
    return folder


class _Dav(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_PROPFIND(self) -> None:  # noqa: N802  (http.server's naming)
        self.send_response(207)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


@pytest.fixture(scope="module")
def server(home_ca: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Dav)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(home_ca / "srv.crt", home_ca / "srv.key")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/dav/alice/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_ca_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)


def propfind(options: CardDavOptions) -> int:
    http = make_http(options, "book", password="pw")
    try:
        return http.request("PROPFIND", options.url).status
    finally:
        http.close()


def test_without_the_ca_the_hint_names_ca_file_first(server: str) -> None:
    with pytest.raises(SourceError) as info:
        propfind(CardDavOptions(url=server, username="alice"))
    hint = info.value.hint or ""
    assert "ca_file" in hint and hint.index("ca_file") < hint.index("verify_tls = false")


def test_ca_file_reaches_the_server(server: str, home_ca: Path) -> None:
    options = CardDavOptions(url=server, username="alice", ca_file=str(home_ca / "ca.crt"))
    assert propfind(options) == 207


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_the_standard_ca_variables_are_honoured(server: str, home_ca: Path, variable: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, str(home_ca / "ca.crt"))
    assert propfind(CardDavOptions(url=server, username="alice")) == 207


def test_ca_file_is_read_against_the_config_folder(tmp_path: Path, home_ca: Path) -> None:
    (tmp_path / "certs").mkdir()
    shutil.copy(home_ca / "ca.crt", tmp_path / "certs" / "ca.crt")
    anchored = CardDavConnector.anchor_options({"ca_file": "certs/ca.crt"}, tmp_path)
    assert anchored["ca_file"] == str(tmp_path / "certs" / "ca.crt")
    missing = CardDavOptions(url="https://dav.example.org/", ca_file=str(tmp_path / "no.crt"))
    with pytest.raises(SourceError, match="no such file"):
        make_http(missing, "book", password="pw")


def test_a_password_in_clear_to_another_machine_is_warned_about(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    for url in ("https://dav.example.org/", "http://127.0.0.1:5232/", "http://localhost/",
                "http://[::1]:5232/"):
        make_http(CardDavOptions(url=url, username="alice"), "book", password="pw").close()
    assert "in clear" not in caplog.text
    make_http(CardDavOptions(url="http://nas.lan:5232/alice/", username="alice"), "book",
              password="pw").close()
    assert "book: the password is sent in clear over http:// to nas.lan" in caplog.text
    assert clear_text_host("http://192.168.1.20/dav/") == "192.168.1.20"
    assert clear_text_host("HTTP://Dav.Example.org/") == "dav.example.org"
