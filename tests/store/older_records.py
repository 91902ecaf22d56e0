"""Records written the way an older release wrote them, for the migration tests."""

from __future__ import annotations

import json
import sqlite3
from hashlib import sha256


def put_column_back_in_json(db: sqlite3.Connection, column: str) -> None:
    """Put `column` (unit, locator: both have their own column now) back into every
    record's stored JSON and hash over it, the match state following, as releases
    before migrations 015 and 024 wrote them."""
    for rid, data, value in db.execute(f"SELECT id, data, {column} FROM records").fetchall():
        fields = json.loads(data)
        fields[column] = value
        text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
        digest = sha256(text.encode("utf-8")).hexdigest()
        db.execute("UPDATE records SET data=?, content_hash=? WHERE id=?", (text, digest, rid))
        db.execute("UPDATE match_records SET content_hash = ? || substr(content_hash, 65) "
                   "WHERE record_id=?", (digest, rid))
