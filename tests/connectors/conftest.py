"""Fixtures the CardDAV publish tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh directory file for one test."""
    return Store.open(tmp_path / "d.db")


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries without their waits: a test of a failing server takes no seconds."""
    monkeypatch.setattr("reseausync_connectors.carddav.http.time.sleep", lambda _s: None)
