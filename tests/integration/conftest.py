"""A real Radicale CardDAV server on 127.0.0.1, started from the installed package.

Each test module gets its own server (a free port, a temporary storage folder, an
htpasswd file with a plain-text password), so tests cannot see each other's cards;
each test gets a fresh, empty address book on it. The server is stopped when the
module's tests are done.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

USER = "alice"
PASSWORD = "correct horse battery"
PASSWORD_ENV = "RESEAUSYNC_TEST_CARDDAV_PASSWORD"

MKCOL_ADDRESSBOOK = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>'
    "<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>"
    "<d:displayname>{name}</d:displayname></d:prop></d:set></d:mkcol>")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Radicale:
    """A running server and the few raw operations tests use to act 'on the server'."""

    root: str
    user: str = USER
    password: str = PASSWORD

    def session(self) -> requests.Session:
        session = requests.Session()
        session.auth = (self.user, self.password)
        session.trust_env = False
        return session

    def make_addressbook(self, name: str | None = None) -> str:
        name = name or f"book-{uuid.uuid4().hex[:8]}"
        url = f"{self.root}/{self.user}/{name}/"
        resp = self.session().request("MKCOL", url, data=MKCOL_ADDRESSBOOK.format(name=name),
                                      timeout=10)
        assert resp.status_code == 201, (resp.status_code, resp.text)
        return url

    def put_card(self, book: str, name: str, vcard: str) -> str:
        resp = self.session().put(book + name, data=vcard.encode(), timeout=10,
                                  headers={"Content-Type": "text/vcard"})
        assert resp.status_code in (201, 204), (resp.status_code, resp.text)
        return resp.headers.get("ETag", "")

    def delete_card(self, book: str, name: str) -> None:
        resp = self.session().delete(book + name, timeout=10)
        assert resp.status_code in (200, 204), resp.status_code

    def get_card(self, url: str) -> requests.Response:
        return self.session().get(url, timeout=10)


def start_radicale(folder: Path, *, quiet: bool = True) -> tuple[subprocess.Popen, str]:
    """Start Radicale with its config in `folder`; return the process and its root URL."""
    port = free_port()
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    config = folder / "config"
    config.write_text(f"""
[server]
hosts = 127.0.0.1:{port}
[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
delay = 0.01
[rights]
type = owner_only
[storage]
filesystem_folder = {folder / "collections"}
[web]
type = none
[logging]
level = {"error" if quiet else "info"}
mask_passwords = True
""", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Radicale exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, root
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("Radicale did not start within 20 s")


def stop_radicale(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    folder = tmp_path_factory.mktemp("radicale")
    proc, root = start_radicale(folder)
    try:
        yield Radicale(root)
    finally:
        stop_radicale(proc)


@pytest.fixture
def book(radicale: Radicale) -> str:
    """A fresh, empty address book URL for one test."""
    return radicale.make_addressbook()


@pytest.fixture
def password_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return PASSWORD_ENV
