"""Fixtures and helpers the connector tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync.store import Store
from reseausync_connectors.cards import CardsConnector


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh directory file for one test."""
    return Store.open(tmp_path / "d.db")


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries without their waits: a test of a failing server takes no seconds."""
    monkeypatch.setattr("reseausync_connectors.carddav.http.time.sleep", lambda _s: None)


def card_record(tmp_path: Path, text: str) -> SourceRecord:
    """The one record the card reader makes of `text` written as a card file."""
    path = tmp_path / "card.txt"
    path.write_text(text, encoding="utf-8")
    conn = CardsConnector({}, ReadContext(source="test", region="CA"))
    [rec] = [r for r in conn.read(list(conn.discover(str(path))))
             if isinstance(r, SourceRecord)]
    return rec
