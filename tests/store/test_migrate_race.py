"""Two commands opening one old directory at the same moment (QA: the morning after
an upgrade, `contacts` and `cold` started together; one applied the migrations the
other had read as pending, and the second failed on the migrations table's key with
"not a reseausync directory")."""

from __future__ import annotations

import sqlite3

from reseausync.store.schema import MIGRATIONS, migrate


class _Racing:
    """A connection whose list of applied migrations is read, then another process
    applies them all before this one takes its write lock."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.raced = False

    def execute(self, sql: str, *params):
        cursor = self.conn.execute(sql, *params)
        if sql == "SELECT name FROM migrations" and not self.raced:
            self.raced = True
            seen = cursor.fetchall()
            other = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            migrate(other)
            other.close()
            return iter(seen)
        return cursor


def test_migrations_another_process_applied_meanwhile_are_skipped(tmp_path) -> None:
    path = str(tmp_path / "old.db")
    racing = _Racing(path)
    assert migrate(racing) == []          # the other one applied them all
    assert racing.raced
    names = [n for (n,) in racing.conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == sorted(name for name, _ in MIGRATIONS)
    racing.conn.close()
