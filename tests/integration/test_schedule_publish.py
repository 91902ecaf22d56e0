"""The scheduler publishes after a sync that changed something, when [publish] is
configured: a phone subscribed to the clean address book follows the sources."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from reseausync.config import Settings
from reseausync.schedule import run_scheduler
from tests.integration.conftest import PASSWORD_ENV, Radicale

CARDS = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
         "EMAIL:ada@example.org\r\nEND:VCARD\r\n"
         "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:alan\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\n"
         "EMAIL:alan@example.org\r\nEND:VCARD\r\n")


def _cards_on(radicale: Radicale, book: str) -> int:
    answer = radicale.session().request("PROPFIND", book, headers={"Depth": "1"}, timeout=10)
    return answer.text.count("reseausync-c") if answer.status_code == 207 else 0


def test_scheduled_sync_then_publish(radicale: Radicale, tmp_path: Path,
                                     password_env: str) -> None:
    phone = tmp_path / "phone.vcf"
    phone.write_text(CARDS)
    target = f"{radicale.root}/alice/clean-sched-{tmp_path.name[-6:]}/"
    settings = Settings.model_validate({
        "sources": [{"name": "phone", "connector": "vcard", "path": str(phone),
                     "every": "1h"}],
        "publish": {"connector": "carddav", "url": target, "username": "alice",
                    "password_env": PASSWORD_ENV}})
    stop = threading.Event()
    lines: list[str] = []
    thread = threading.Thread(target=lambda: run_scheduler(
        settings, str(tmp_path / "dir.db"), stop, log=lines.append))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not any(line.startswith("publish:") for line in lines):
            assert time.monotonic() < deadline, lines
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(60)
    assert any("publish: 2 created" in line for line in lines), lines
    assert _cards_on(radicale, target) >= 2
