"""The user's word on two contacts: `link` (same person) and `split` (never the same).

An override is stored between two records, not two contacts: record ids outlive
contact ids, so the decision keeps holding after later merges and splits. A
contact id stands for its smallest live record; a record is also named as
"source:external_id". Contradictions are refused before anything is stored: a
split between records the user's links already join (directly or through other
links), or a link between records the user split apart. A decision can be
withdrawn (`link --undo`, `split --undo`): the matcher decides for the pair again.
"""

from __future__ import annotations

from ..errors import UsageError
from ..store import Store, now_iso

KINDS = ("link", "split")


def record_for(store: Store, ref: str) -> int:
    """The record a contact id or "source:external_id" names."""
    row = store.db.execute(
        "SELECT MIN(cr.record_id) FROM contact_records cr JOIN records r ON r.id = cr.record_id "
        "WHERE cr.contact_id=? AND r.removed_at IS NULL", (ref,)).fetchone()
    if row and row[0] is not None:
        return int(row[0])
    source, sep, external_id = ref.partition(":")
    if sep:
        row = store.db.execute("SELECT id FROM records WHERE source=? AND external_id=? "
                               "AND removed_at IS NULL", (source, external_id)).fetchone()
        if row:
            return int(row[0])
    raise UsageError(f"no contact or record {ref!r}",
                     hint="use an id from `reseausync contacts` or a record as "
                          "SOURCE:EXTERNAL_ID from `reseausync show ID`")


def _linked_component(store: Store, start: int) -> set[int]:
    """Records joined to `start` by the user's links."""
    edges: dict[int, set[int]] = {}
    for a, b in store.db.execute("SELECT a, b FROM overrides WHERE kind='link'"):
        edges.setdefault(a, set()).add(b)
        edges.setdefault(b, set()).add(a)
    seen, todo = {start}, [start]
    while todo:
        for other in edges.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _refs(store: Store, kind: str, a: set[int], b: set[int]) -> str | None:
    for a_id, b_id, a_ref, b_ref in store.db.execute(
            "SELECT a, b, a_ref, b_ref FROM overrides WHERE kind=?", (kind,)):
        if (a_id in a and b_id in b) or (a_id in b and b_id in a):
            return f"{kind} {a_ref} {b_ref}"
    return None


def _undo(found: str) -> str:
    """The command that withdraws `found` ("link A B")."""
    kind, _, refs = found.partition(" ")
    return f"{kind} --undo {refs or 'ID ID'}"


def store_override(store: Store, kind: str, a_ref: str, b_ref: str) -> tuple[int, int]:
    """Validate and store one override; returns the two record ids."""
    a, b = record_for(store, a_ref), record_for(store, b_ref)
    if a == b:
        raise UsageError(f"{a_ref} and {b_ref} name the same record",
                         hint="to split a merged contact, name two of its records as "
                              "SOURCE:EXTERNAL_ID (see `reseausync show ID`)")
    ca, cb = _linked_component(store, a), _linked_component(store, b)
    if kind == "split":
        if b in ca:
            found = _refs(store, "link", ca, ca) or "link"
            raise UsageError(f"split {a_ref} {b_ref} contradicts the earlier {found}",
                             hint=f"the two are linked by your own decision; withdraw it "
                                  f"first: reseausync {_undo(found)}")
    else:
        found = _refs(store, "split", ca, cb)
        if found:
            raise UsageError(f"link {a_ref} {b_ref} contradicts the earlier {found}",
                             hint=f"you said these are different people; withdraw that "
                                  f"first: reseausync {_undo(found)}")
    exists = store.db.execute(
        "SELECT 1 FROM overrides WHERE kind=? AND ((a=? AND b=?) OR (a=? AND b=?))",
        (kind, a, b, b, a)).fetchone()
    if not exists:
        store.db.execute("INSERT INTO overrides (kind, a, b, a_ref, b_ref, created) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (kind, a, b, a_ref, b_ref, now_iso()))
    return a, b


def withdraw_override(store: Store, kind: str, a_ref: str, b_ref: str) -> set[int]:
    """Remove the user's `kind` decision between `a_ref` and `b_ref`; returns the
    records of every row removed. The refs are first taken as the user typed them for the decision
    (after `link A B`, B's contact id is gone: it is A's contact now), then as
    what they name today."""
    rows = store.db.execute("SELECT id, a, b, a_ref, b_ref FROM overrides WHERE kind=?",
                            (kind,)).fetchall()
    wanted = {a_ref, b_ref}
    found = [r for r in rows if {r[3], r[4]} == wanted]
    if not found:
        ids = {_record_or_none(store, a_ref), _record_or_none(store, b_ref)} - {None}
        found = [r for r in rows if len(ids) == 2 and {r[1], r[2]} == ids]
    if not found:
        raise UsageError(f"no {kind} between {a_ref} and {b_ref} to undo",
                         hint="`reseausync show ID --format json` lists a contact's "
                              "decisions under merge.overrides")
    store.db.executemany("DELETE FROM overrides WHERE id=?", [(r[0],) for r in found])
    return {rid for r in found for rid in (r[1], r[2])}


def _record_or_none(store: Store, ref: str) -> int | None:
    try:
        return record_for(store, ref)
    except UsageError:
        return None
