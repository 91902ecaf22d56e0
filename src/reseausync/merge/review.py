"""What the user reads: pairs to review, and why a contact's records were merged."""

from __future__ import annotations

import json
from typing import Any

from ..errors import UsageError
from ..match.comparisons import DEFAULT_COMPARISONS
from ..store import Store

# comparison name -> its levels that say "two people" (comparisons.py `conflict`)
_CONFLICTS = {c.name: {lv.label for lv in c.levels if lv.conflict} for c in DEFAULT_COMPARISONS}


def readable(fields: dict[str, dict[str, Any]]) -> list[str]:
    """"phone: exact (+19.3)" for each comparison with data on both sides: first a
    level that says two people (what keeps a couple sharing a landline apart,
    "given_name: else (-13.2)", however strongly the rest agrees), then the
    weightiest, for or against: a table cuts the line at its end."""
    shown = sorted(((name, lv) for name, lv in fields.items() if lv["level"] != "missing"),
                   key=lambda item: (item[1]["level"] not in _CONFLICTS.get(item[0], ()),
                                     -abs(item[1]["weight"]), item[0]))
    return [f"{name}: {lv['level']} ({lv['weight']:+.1f})" for name, lv in shown]


def _names(store: Store, record_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """record id -> (contact id, contact display name, record ref "source:external_id",
    as `link`, `split` and `show` take it)."""
    out: dict[int, tuple[str, str, str]] = {}
    ids = sorted(record_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for rid, cid, data, source, external_id in store.db.execute(
                f"SELECT cr.record_id, c.id, c.data, r.source, r.external_id "
                f"FROM contact_records cr JOIN contacts c ON c.id = cr.contact_id "
                f"JOIN records r ON r.id = cr.record_id WHERE cr.record_id IN ({marks})",
                chunk):
            out[rid] = (cid, json.loads(data).get("display_name", ""),
                        f"{source}:{external_id}")
    return out


# The pairs between two contacts: those the matcher is unsure of, and the `merge`
# pairs the clustering refused to join (a record of one conflicts with a record of
# the other: the chaining guard). Reading only the first, `review` gave two halves
# of one person at their weakest pair, "phone: else", while a pair scored 1.0 on
# an exact phone sat between them (QA7 #3).
_BETWEEN = (
    "SELECT p.a, p.b, p.score, p.decision, p.explanation FROM match_pairs p "
    "JOIN contact_records ca ON ca.record_id = p.a "
    "JOIN contact_records cb ON cb.record_id = p.b "
    "WHERE p.decision = 'review' OR ca.contact_id != cb.contact_id "
    "ORDER BY p.score DESC, p.a, p.b")


def review_pairs(store: Store) -> list[dict[str, Any]]:
    """Pairs of contacts that may be one person, each pair of contacts once (at its
    strongest record pair, a `merge` pair the clustering refused included), leaving
    out the pairs the user decided (a link or a split naming records of both, by
    whatever ids): first the pairs the matcher is unsure of, strongest first; then
    the pairs a conflict keeps apart (two given names, two LinkedIn profiles, two
    mailboxes at one employer: "two people, whatever else agrees", or a record of
    one that conflicts with a record of the other), strongest first, each with
    `kept_apart` naming the conflict. Their score is the evidence for one person
    before the conflict is applied, often near 1.0 for a couple sharing a landline:
    listed last, and said to be kept apart, so a high score there is not read as
    "certainly one person" (QA), yet still shown, for a conflict can be wrong (one
    person's two work addresses)."""
    rows = store.db.execute(_BETWEEN).fetchall()
    names = _names(store, {r[0] for r in rows} | {r[1] for r in rows})
    decided = _decided(store)
    between: dict[frozenset[str], list[tuple]] = {}
    for row in rows:
        a, b = row[0], row[1]
        if a in names and b in names and names[a][0] != names[b][0]:
            between.setdefault(frozenset((names[a][0], names[b][0])), []).append(row)
    unsure, apart = [], []
    for key, pairs in between.items():
        if key in decided:
            continue
        a, b, score, decision, explanation = pairs[0]      # the strongest
        fields = json.loads(explanation)
        levels = readable(fields)
        kept = _kept_apart(fields)
        reasons = "; ".join(levels)
        if decision == "merge":
            kept = _blocker(store, pairs, names)
            reasons = f"kept apart by {kept[0]}: {reasons}"
        elif kept:
            reasons = f"kept apart: {reasons}"
        (apart if kept else unsure).append({
            "a": names[a][0], "a_name": names[a][1], "b": names[b][0],
            "b_name": names[b][1], "records": [a, b],
            "record_refs": [names[a][2], names[b][2]], "score": score, "fields": fields,
            "levels": levels, "kept_apart": kept, "reasons": reasons})
    order = {key: i for i, key in enumerate(between)}     # strongest first, as read
    for listed in (unsure, apart):
        listed.sort(key=lambda item: order[frozenset((item["a"], item["b"]))])
    return unsure + apart


# comparison name -> its last level ("else"), for the comparisons whose clash keeps
# two records apart when their pair would not merge on its own (Engine.conflict_kind;
# match.engine.IDENTIFIER_FIELDS, not imported: `review` must not load the matcher)
IDENTIFIER_FIELDS = ("phones", "org", "employer")
_CLASHES = {c.name: c.levels[-1].label for c in DEFAULT_COMPARISONS
            if c.field in IDENTIFIER_FIELDS}


def _blocker(store: Store, pairs: list[tuple], names: dict[int, tuple[str, str, str]]
             ) -> list[str]:
    """What kept two contacts apart though a pair between them was scored `merge`:
    the pair between them with a conflict level, else the weakest pair that is not a
    merge and whose phone or employer differ ("phone: else between phone:X and
    cards:Y"); the clustering's conflict when neither was stored."""
    def clash(row: tuple) -> list[str]:
        fields = json.loads(row[4])
        found = _kept_apart(fields)
        if not found and row[3] != "merge":
            found = [f"{name}: {lv['level']}" for name, lv in sorted(fields.items())
                     if _CLASHES.get(name) == lv.get("level")]
        return found

    for row in sorted(pairs, key=lambda r: (not _kept_apart(json.loads(r[4])), r[2])):
        found = clash(row)
        if found:
            return [f"{'; '.join(found)} between {names[row[0]][2]} and {names[row[1]][2]}"]
    return [_unscored(store, pairs, names)]


def _unscored(store: Store, pairs: list[tuple], names: dict[int, tuple[str, str, str]]) -> str:
    """Two records, one of each contact, whose pair scored too low to be stored: what
    the clustering's conflict test refused (a phone or employer each has and the
    other does not share, in a pair that would not merge on its own)."""
    a, b = names[pairs[0][0]][0], names[pairs[0][1]][0]
    scored = {frozenset(row[:2]) for row in pairs}
    held: dict[str, list[tuple[int, str]]] = {a: [], b: []}
    for rid, cid, source, external_id in store.db.execute(
            "SELECT r.id, cr.contact_id, r.source, r.external_id FROM contact_records cr "
            "JOIN records r ON r.id = cr.record_id WHERE cr.contact_id IN (?, ?) "
            "AND r.removed_at IS NULL ORDER BY r.id", (a, b)):
        held[cid].append((rid, f"{source}:{external_id}"))
    for x, x_ref in held[a]:
        for y, y_ref in held[b]:
            if frozenset((x, y)) not in scored:
                return f"{x_ref} and {y_ref}, too different to be one person"
    return "a record of one that conflicts with a record of the other"


def _kept_apart(fields: dict[str, dict[str, Any]]) -> list[str]:
    """The conflict levels a pair reached ("given_name: else"): none for a pair the
    matcher could merge."""
    return [f"{name}: {lv['level']}" for name, lv in sorted(fields.items())
            if lv.get("level") in _CONFLICTS.get(name, ())]


def _decided(store: Store) -> set[frozenset[str]]:
    """Pairs of contacts the user's decisions name: a record of each on either side."""
    sides: dict[int, tuple[set[str], set[str]]] = {}
    for oid, side, cid in store.db.execute(
            "SELECT m.override_id, m.side, cr.contact_id FROM override_records m "
            "JOIN contact_records cr ON cr.record_id = m.record_id "
            "JOIN records r ON r.id = m.record_id WHERE r.removed_at IS NULL"):
        sides.setdefault(oid, (set(), set()))[side].add(cid)
    return {frozenset((x, y)) for a, b in sides.values() for x in a for y in b if x != y}


def explain(store: Store, contact_id: str) -> dict[str, Any]:
    """A contact's member records and the scored pairs between them: per pair,
    `fields` maps each comparison to {"level", "weight"}; `levels` says the same in
    words for the comparisons with data on both sides."""
    row = store.db.execute("SELECT data, removed_at FROM contacts WHERE id=?",
                           (contact_id,)).fetchone()
    if row is None:
        raise UsageError(f"no contact {contact_id!r}",
                         hint="use an id from `reseausync contacts`")
    members = store.db.execute(
        "SELECT r.id, r.source, r.external_id, r.locator, cr.reason FROM contact_records cr "
        "JOIN records r ON r.id = cr.record_id WHERE cr.contact_id=? AND r.removed_at IS NULL "
        "ORDER BY r.id", (contact_id,)).fetchall()
    ids = [m[0] for m in members]
    refs = {m[0]: f"{m[1]}:{m[2]}" for m in members}
    records = [{"record": m[0], "ref": f"{m[1]}:{m[2]}", "locator": m[3],
                "joined_with": json.loads(m[4]).get("with")} for m in members]
    pairs = []
    if len(ids) > 1:
        marks = ",".join("?" * len(ids))
        for a, b, score, decision, explanation in store.db.execute(
                f"SELECT a, b, score, decision, explanation FROM match_pairs WHERE a IN "
                f"({marks}) AND b IN ({marks}) ORDER BY score DESC", ids + ids):
            fields = json.loads(explanation)
            pairs.append({"a": a, "b": b, "a_ref": refs[a], "b_ref": refs[b], "score": score,
                          "decision": decision, "fields": fields, "levels": readable(fields)})
    links = _decisions_of(store, contact_id, set(ids))
    return {"id": contact_id, "removed": row[1] is not None,
            "display_name": json.loads(row[0]).get("display_name", ""),
            "records": records, "pairs": pairs, "overrides": links}


def _decisions_of(store: Store, contact_id: str, records: set[int]) -> list[dict[str, Any]]:
    """The user's decisions naming this contact: typed with its id, or naming one
    of its live records; `holds` false (with the refs that `left`) for one a side
    of which has no live record left."""
    named: set[int] = set()
    for oid, rid in store.db.execute("SELECT override_id, record_id FROM override_records"):
        if rid in records:
            named.add(oid)
    alive: dict[tuple[int, int], bool] = {}
    for oid, side, live in store.db.execute(
            "SELECT m.override_id, m.side, MAX(r.removed_at IS NULL) FROM override_records m "
            "JOIN records r ON r.id = m.record_id GROUP BY m.override_id, m.side"):
        alive[(oid, side)] = bool(live)
    out = []
    for oid, k, a, b in store.db.execute(
            "SELECT id, kind, a_ref, b_ref FROM overrides ORDER BY id"):
        if oid in named or contact_id in (a, b):
            # a side whose records all left: the decision no longer acts (overrides.py)
            left = [ref for side, ref in enumerate((a, b)) if not alive.get((oid, side))]
            out.append({"kind": k, "a": a, "b": b, "holds": not left, "left": left})
    return out
