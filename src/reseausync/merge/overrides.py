"""The user's word on two contacts: `link` (same person) and `split` (never the same).

A decision names two *sides*, each the records the user pointed at when deciding:
a contact id names the contact's live records then, "source:external_id" one
record. They are kept in `override_records`, so the decision outlives contact ids
(merged, split, minted again) and any one record: it holds while each side keeps
a live record. Stored as the contact's smallest record alone, a split stopped
holding when that record left its source, the rest of the contact merged with
the person the user had excluded, and the ids swapped people (QA).

What a decision does on each resolve (state.overrides):
- a split keeps every live record of one side apart from every live record of
  the other: "these two people are two", whichever of their records remain;
- a link joins the two sides' representatives, each side's live record with the
  smallest (source, external id): "these two people are one". The rest of each
  side follows its representative as the matcher groups it, so a link withdrawn
  gives each contact back as it was, and a side that loses its representative
  has the next record stand for it.

Contradictions are refused before anything is stored: a split between two sides
the user's links join (directly or through other links, counting every record a
link named), or a link joining the two sides of a split. A decision can be
withdrawn (`link --undo`, `split --undo`): the matcher decides for the pair again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import UsageError
from ..store import Store, now_iso
from ..store.schema import writer

KINDS = ("link", "split")
_HINT = ("use an id from `reseausync contacts` or a record as SOURCE:EXTERNAL_ID from "
         "`reseausync show ID`")


@dataclass
class Named:
    """What one reference of a decision names today."""

    ref: str
    records: set[int]            # live records
    contact: str                 # the live contact holding them
    merged: str = ""             # "when, how": `ref` is a contact merged into `contact`


def live_records(store: Store, cid: str) -> set[int]:
    return {r[0] for r in store.db.execute(
        "SELECT cr.record_id FROM contact_records cr JOIN records r ON r.id = cr.record_id "
        "WHERE cr.contact_id=? AND r.removed_at IS NULL", (cid,))}


def merged_into(store: Store, cid: str) -> tuple[str, str] | None:
    """(live contact, date) for a contact removed by a merge: the contact its records
    went to, followed through later merges; None for a contact that is live, unknown,
    or was removed because its records left their sources."""
    seen = {cid}
    row = store.db.execute("SELECT removed_at, merged_into FROM contacts WHERE id=?",
                           (cid,)).fetchone()
    if row is None or row[0] is None:
        return None
    if not row[1]:       # merged before merges were recorded (migration 018)?
        holder = _link_holder(store, cid)
        return (holder, row[0][:10]) if holder else None
    when, target = row[0][:10], row[1]
    while target not in seen:
        seen.add(target)
        nxt = store.db.execute("SELECT removed_at, merged_into FROM contacts WHERE id=?",
                               (target,)).fetchone()
        if nxt is None or nxt[0] is None:
            return (target, when) if nxt is not None else None
        if not nxt[1]:
            return None                  # merged into a contact whose records left since
        target = nxt[1]
    return None


def _link_holder(store: Store, cid: str) -> str | None:
    """The live contact holding the records of the user's link side that named
    `cid`: where a link made by an older version put that contact."""
    link = link_naming(store, cid)
    if link is None:
        return None
    row = store.db.execute(
        "SELECT cr.contact_id FROM override_records m "
        "JOIN records r ON r.id = m.record_id AND r.removed_at IS NULL "
        "JOIN contact_records cr ON cr.record_id = m.record_id "
        "JOIN contacts c ON c.id = cr.contact_id AND c.removed_at IS NULL "
        "WHERE m.override_id = ? AND m.side = ? LIMIT 1", (link[0], link[1])).fetchone()
    return row[0] if row else None


def link_naming(store: Store, ref: str) -> tuple[int, int, str, str] | None:
    """The user's link that named `ref` as typed: (override id, side, a_ref, b_ref)."""
    row = store.db.execute(
        "SELECT id, CASE WHEN a_ref=? THEN 0 ELSE 1 END, a_ref, b_ref FROM overrides "
        "WHERE kind='link' AND (a_ref=? OR b_ref=?) ORDER BY id DESC LIMIT 1",
        (ref, ref, ref)).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


def named(store: Store, ref: str) -> Named:
    """The live records a contact id or "source:external_id" names. The id of a
    contact merged into another names the records the user's link gave it (its
    side of that link), else the contact it was merged into."""
    records = live_records(store, ref)
    if records:
        return Named(ref, records, ref)
    source, sep, external_id = ref.partition(":")
    if sep:
        row = store.db.execute(
            "SELECT r.id, cr.contact_id FROM records r JOIN contact_records cr "
            "ON cr.record_id = r.id WHERE r.source=? AND r.external_id=? "
            "AND r.removed_at IS NULL", (source, external_id)).fetchone()
        if row:
            return Named(ref, {int(row[0])}, row[1])
    target = merged_into(store, ref)
    if target is None:
        _refuse_missing(store, ref)
    cid, when = target
    found = link_naming(store, ref)
    if found:
        side = _side_records(store, found[0], found[1], live=True)
        if side:
            return Named(ref, side, cid, f"on {when} by your link {found[2]} {found[3]}")
    return Named(ref, live_records(store, cid), cid, f"on {when}")


def _refuse_missing(store: Store, ref: str) -> None:
    """Refuse a reference that names nothing live: a removed contact or record is
    said to be removed, as `show` says it (QA7 #2: "no contact or record" for the id
    `show` knew was removed)."""
    row = store.db.execute("SELECT removed_at FROM contacts WHERE id=? AND removed_at "
                           "IS NOT NULL", (ref,)).fetchone()
    source, sep, external_id = ref.partition(":")
    if row is None and sep:
        row = store.db.execute("SELECT removed_at FROM records WHERE source=? AND "
                               "external_id=? AND removed_at IS NOT NULL",
                               (source, external_id)).fetchone()
    if row is None:
        raise UsageError(f"no contact or record {ref!r}", hint=_HINT)
    what = "record {!r} was removed on {}: it left its source" if sep else \
        "contact {!r} was removed on {}: its records left their sources"
    raise UsageError(what.format(ref, row[0][:10]), hint="a decision names what is live: "
                     "a record that comes back brings it back; " + _HINT)


def _side_records(store: Store, oid: int, side: int, *, live: bool) -> set[int]:
    sql = ("SELECT m.record_id FROM override_records m JOIN records r ON r.id = m.record_id "
           "WHERE m.override_id=? AND m.side=?")
    if live:
        sql += " AND r.removed_at IS NULL"
    return {r[0] for r in store.db.execute(sql, (oid, side))}


def _sides(store: Store, kind: str | None = None
           ) -> dict[int, tuple[str, str, str, set[int], set[int]]]:
    """Every stored decision (of `kind`): id -> (kind, a_ref, b_ref, a side, b side),
    sides with every record they named, live or not."""
    out: dict[int, tuple[str, str, str, set[int], set[int]]] = {}
    sql = "SELECT id, kind, a_ref, b_ref FROM overrides"
    for oid, k, a_ref, b_ref in store.db.execute(
            sql + (" WHERE kind=?" if kind else ""), (kind,) if kind else ()):
        out[oid] = (k, a_ref, b_ref, set(), set())
    for oid, side, rid in store.db.execute(
            "SELECT override_id, side, record_id FROM override_records"):
        if oid in out:
            out[oid][3 + side].add(rid)
    return out


class _Joined:
    """Records the user's links join, each link joining every record it named."""

    def __init__(self, links: Iterable[tuple[set[int], set[int]]]) -> None:
        self.parent: dict[int, int] = {}
        for a, b in links:
            members = sorted(a | b)
            for rid in members[1:]:
                self.union(members[0], rid)

    def find(self, x: int) -> int:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)

    def roots(self, rids: Iterable[int]) -> set[int]:
        return {self.find(r) for r in rids}


def _refs(found: tuple[str, str, str, set[int], set[int]]) -> str:
    return f"{found[0]} {found[1]} {found[2]}"


def _undo(found: str) -> str:
    """The command that withdraws `found` ("link A B")."""
    kind, _, refs = found.partition(" ")
    return f"{kind} --undo {refs or 'ID ID'}"


def _apart(a: Named, b: Named, kind: str) -> tuple[set[int], set[int]]:
    """The two sides, without the records they share: `split C r` with r one of
    contact C's records names C's other records and r."""
    sa, sb = set(a.records), set(b.records)
    if sa == sb and kind == "link":     # QA7 #6: not the split hint
        which = next((n for n in (b, a) if n.merged), None)
        why = f": {which.ref} was merged into {which.contact} {which.merged}" if which else ""
        raise UsageError(f"{a.ref} and {b.ref} are already one contact ({a.contact}){why}; "
                         "nothing to link", hint=f"`reseausync show {a.contact}` lists its "
                         "records and why they are one person")
    if sa == sb:
        which = next((n for n in (b, a) if n.merged), None)
        if which is not None:
            raise UsageError(f"{which.ref} was merged into {which.contact} {which.merged}: "
                             f"{a.ref} and {b.ref} are one contact now",
                             hint="to split it, name two of its records as "
                                  f"SOURCE:EXTERNAL_ID (see `reseausync show {which.contact}`)")
        raise UsageError(f"{a.ref} and {b.ref} name the same "
                         f"{'record' if len(sa) == 1 else 'contact'}",
                         hint="to split a merged contact, name two of its records as "
                              "SOURCE:EXTERNAL_ID (see `reseausync show ID`)")
    if sa < sb:
        return sa, sb - sa
    return sa - sb, sb


def _contradiction(store: Store, kind: str, a: Named, b: Named,
                   sa: set[int], sb: set[int]) -> None:
    """Refuse a decision that contradicts the user's earlier ones."""
    links = _sides(store, "link")
    joined = _Joined((x[3], x[4]) for x in links.values())
    if kind == "split":
        common = joined.roots(sa) & joined.roots(sb)
        if not common:
            return
        culprits = [x for x in links.values() if joined.find(min(x[3] | x[4])) in common]
        typed = [x for x in culprits if {x[1], x[2]} == {a.ref, b.ref}]
        found = _refs((typed or culprits)[0])
        raise UsageError(f"split {a.ref} {b.ref} contradicts the earlier {found}",
                         hint=f"the two are linked by your own decision; withdraw it "
                              f"first: reseausync {_undo(found)}")
    component = joined.roots(sa) | joined.roots(sb)
    for x in _sides(store, "split").values():
        if joined.roots(x[3]) & component and joined.roots(x[4]) & component:
            found = _refs(x)
            raise UsageError(f"link {a.ref} {b.ref} contradicts the earlier {found}",
                             hint=f"you said these are different people; withdraw that "
                                  f"first: reseausync {_undo(found)}")


def store_override(store: Store, kind: str, a_ref: str, b_ref: str) -> set[int]:
    """Validate and store one decision; returns the records it names."""
    a, b = named(store, a_ref), named(store, b_ref)
    sa, sb = _apart(a, b, kind)
    _contradiction(store, kind, a, b, sa, sb)
    for x in _sides(store, kind).values():
        if {frozenset(x[3]), frozenset(x[4])} == {frozenset(sa), frozenset(sb)}:
            return sa | sb                 # the same decision, already stored
    cursor = store.db.execute(
        "INSERT INTO overrides (kind, a, b, a_ref, b_ref, created, writer) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (kind, min(sa), min(sb), a_ref, b_ref, now_iso(), writer()))
    store.db.executemany("INSERT INTO override_records (override_id, side, record_id) "
                         "VALUES (?, ?, ?)",
                         [(cursor.lastrowid, side, rid)
                          for side, rids in enumerate((sa, sb)) for rid in sorted(rids)])
    return sa | sb


def holders(store: Store, kind: str, a_ref: str, b_ref: str) -> tuple[list[str], list[str]]:
    """The live contacts holding each side's live records of the user's latest `kind`
    decision typed as `a_ref` `b_ref`: what the command tells the user after the
    rebuild (QA7 #4: a split did not say the id of the part it split off)."""
    row = store.db.execute(
        "SELECT id, a_ref != ? FROM overrides WHERE kind=? AND ((a_ref=? AND b_ref=?) "
        "OR (a_ref=? AND b_ref=?)) ORDER BY id DESC LIMIT 1",
        (a_ref, kind, a_ref, b_ref, b_ref, a_ref)).fetchone()
    if row is None:
        return [], []
    order = (1, 0) if row[1] else (0, 1)      # stored the other way round
    sides = [_side_records(store, row[0], side, live=True) for side in order]
    a, b = (sorted(_holders(store, rids)) if rids else [] for rids in sides)
    return a, b


def withdraw_override(store: Store, kind: str, a_ref: str, b_ref: str) -> set[int]:
    """Remove the user's `kind` decision between `a_ref` and `b_ref`; returns the
    records of every decision removed. The refs are first taken as the user typed
    them for the decision (after `link A B`, B's contact id is gone: it is A's
    contact now), then as what they name today: a decision one of whose sides holds
    a record of each."""
    decisions = _sides(store, kind)
    wanted = {a_ref, b_ref}
    found = [oid for oid, x in decisions.items() if {x[1], x[2]} == wanted]
    if not found:
        ra, rb = _named_or_none(store, a_ref), _named_or_none(store, b_ref)
        if ra is not None and rb is not None:
            found = [oid for oid, x in decisions.items()
                     if (x[3] & ra and x[4] & rb) or (x[3] & rb and x[4] & ra)]
    if not found:
        raise UsageError(f"no {kind} between {a_ref} and {b_ref} to undo",
                         hint="`reseausync show ID --format json` lists a contact's "
                              "decisions under merge.overrides")
    store.db.executemany("DELETE FROM overrides WHERE id=?", [(oid,) for oid in found])
    store.db.executemany("DELETE FROM override_records WHERE override_id=?",
                         [(oid,) for oid in found])
    return {rid for oid in found for rid in decisions[oid][3] | decisions[oid][4]}


def _named_or_none(store: Store, ref: str) -> set[int] | None:
    try:
        return named(store, ref).records
    except UsageError:
        return None


# -- decisions that no longer hold --------------------------------------------------
#
# A decision acts while each side keeps a live record (state.overrides). When every
# record one side named leaves its source with no successor (merge/succession.py),
# the decision stops acting: a split no longer keeps anyone apart, a link joins
# nothing. That used to happen silently; the run that does it counts it in its
# summary and `review` lists every such decision until the user withdraws it or a
# record comes back.

_SIDE_STATE = (
    "SELECT m.override_id, m.side, "
    "MAX(r.removed_at IS NULL), MAX(r.removed_at IS NULL OR r.removed_run = ?) "
    "FROM override_records m JOIN records r ON r.id = m.record_id "
    "GROUP BY m.override_id, m.side")


def lapsed_in_run(store: Store, run: int) -> int:
    """How many decisions held before `run` (each side had a live record) and no
    longer do after it (a side it emptied). Call it once the run's successors
    are handed over: a re-keyed record keeps its side alive."""
    now: dict[int, list[bool]] = {}
    before: dict[int, list[bool]] = {}
    for oid, side, live, was_live in store.db.execute(_SIDE_STATE, (run,)):
        now.setdefault(oid, [False, False])[side] = bool(live)
        before.setdefault(oid, [False, False])[side] = bool(was_live)
    return sum(1 for oid, sides in now.items()
               if all(before[oid]) and not all(sides))


@dataclass
class Lapsed:
    """One decision a side of which has no live record left."""

    kind: str
    a_ref: str
    b_ref: str
    gone: list[str]                 # the refs (as typed) whose records all left
    records: dict[str, list[dict[str, str]]]   # ref -> the records it named
    holders: list[str]              # live contacts still holding the other side

    @property
    def undo(self) -> str:
        return f"reseausync {self.kind} --undo {self.a_ref} {self.b_ref}"


def lapsed(store: Store) -> list[Lapsed]:
    """Every decision that no longer holds, oldest first, with the records each
    side named (source:external_id, name, when it left): what the user needs to
    withdraw it or decide again."""
    alive = {(oid, side): bool(live) for oid, side, live, _ in
             store.db.execute(_SIDE_STATE, (0,))}
    out = []
    for oid, (kind, a_ref, b_ref, sa, sb) in sorted(_sides(store).items()):
        if alive.get((oid, 0), False) and alive.get((oid, 1), False):
            continue
        refs = (a_ref, b_ref)
        gone = [refs[s] for s in (0, 1) if not alive.get((oid, s), False)]
        kept = [s for s in (0, 1) if alive.get((oid, s), False)]
        holders = sorted(set().union(*(_holders(store, (sa, sb)[s]) for s in kept)))
        out.append(Lapsed(kind, a_ref, b_ref, gone,
                          {a_ref: _described(store, sa), b_ref: _described(store, sb)},
                          holders))
    return out


def _holders(store: Store, rids: set[int]) -> set[str]:
    marks = ",".join("?" * len(rids))
    return {row[0] for row in store.db.execute(
        "SELECT DISTINCT cr.contact_id FROM contact_records cr JOIN records r "
        f"ON r.id = cr.record_id WHERE r.removed_at IS NULL AND cr.record_id IN ({marks})",
        sorted(rids))}


def _described(store: Store, rids: set[int]) -> list[dict[str, str]]:
    """Each record as the user can name it again, with its name and removal date."""
    marks = ",".join("?" * len(rids))
    out = []
    for source, external_id, data, removed in store.db.execute(
            f"SELECT source, external_id, data, removed_at FROM records WHERE id IN "
            f"({marks}) ORDER BY source, external_id", sorted(rids)):
        fields = json.loads(data)
        name = fields.get("display_name") or " ".join(
            x for x in (fields.get("given_name"), fields.get("family_name")) if x)
        out.append({"ref": f"{source}:{external_id}", "name": name,
                    "removed": (removed or "")[:10]})
    return out
