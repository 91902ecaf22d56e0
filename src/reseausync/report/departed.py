"""What became of a contact id that is no longer listed, for programs.

Between two monthly exports an id can leave because its records left their
sources (removed) or because its records joined another contact (merged). `show`
says which on stderr and exits 2; with `--format json` a script also gets the
fate as JSON on stdout, so it need not parse the message (QA6 #4).
"""

from __future__ import annotations

from typing import Any

from ..api import open_store


def fate(db: str, ref: str) -> dict[str, Any] | None:
    """`{"id", "merged_into", "merged_at"}` for a contact merged into a live one,
    `{"id", "removed_at"}` for one removed (also merged into one removed since, as
    `show`'s message says), None for an id the directory never held or a live one.
    The instants are the stored ones (ISO, UTC), as `first_seen` is."""
    from ..merge.overrides import merged_into  # loaded only when an id has left
    with open_store(db) as store:
        row = store.db.execute("SELECT removed_at FROM contacts WHERE id=? AND "
                               "removed_at IS NOT NULL", (ref,)).fetchone()
        if row is None:
            return None
        target = merged_into(store, ref)
    if target is not None:
        return {"id": ref, "merged_into": target[0], "merged_at": row[0]}
    return {"id": ref, "removed_at": row[0]}
