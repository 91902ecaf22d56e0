"""Turning source records into canonical contacts: normalize, match, merge.

`resolve_contacts` is called by the pipeline inside the run's transaction, after
the records are written, and leaves `contacts` / `contact_records` describing
every live record, `match_pairs` the pairs that were merged or need a review, the
match state (`match_records`, `match_keys`) and the estimated model in `meta`.

It does as little as the run calls for:
- nothing, when no record changed and no override was added since the last
  resolve (a sync of an unchanged source);
- an incremental resolve when some records changed: their features and keys are
  updated, only the candidate pairs touching them are scored, and only the
  records those pairs (and the contacts they belonged to) reach are regrouped;
- a full rebuild when there is no match state yet, when the settings, the model
  or the comparisons changed, or when the model is re-estimated (the directory
  grew or shrank by `retrain_growth` since it was estimated).
A score depends only on the two records, the stored model, the bearers of the
phones and addresses they share (match/hubs.py: the records bearing a value whose
bearers changed are re-scored) and how many live records bear their organizations
(match/terms.py: likewise), so the incremental result equals a rebuild's
(tests/merge/test_incremental.py checks it).

A full rebuild scores its candidate pairs as columns (match/vector.py), millions
at a time; the incremental resolve scores the pairs it touches the same way. The
rows equal scoring each pair on its own (tests/match/test_vector.py,
tests/match/test_full_build.py).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .forking import Helpers, workers
from .gcpause import gc_paused
from .match.blocking import cap_of
from .match.engine import EM_PAIRS, Engine
from .match.features import Features, extract_sql, features_from_sql
from .match.hubs import FIELDS as HUB_FIELDS
from .match.hubs import FixedBearers, LiveBearers, bearers_of, sound, value_key
from .match.model import Model
from .match.persist import MatchState, chunks, marks
from .match.terms import FixedTerms, LiveTerms, term_rows, terms_changed
from .match.vector import Gammas, PairScorer, candidate_arrays, pair_rows, shared_gammas
from .merge.ids import contact_id_for
from .merge.regroup import Region, regroup
from .merge.relocate import relocate
from .merge.state import MODEL_KEY, decision_records, resolve_settings
from .normalize.names import given_names
from .store import Store

__all__ = ["contact_id_for", "resolve_contacts"]

STATE_KEY = "match.state"
CHUNK = 500_000       # candidate pairs scored as columns at once: bounded memory
# What the merge stage reads of a record besides its fields: a change to any of it
# (a card moved to another line of its file) must reach the contact.
def _seen(table: str = "") -> str:
    """SQL for a record's fields hash plus what else the merge stage reads of it."""
    t = f"{table}." if table else ""
    return (f"{t}content_hash || '|' || {t}locator || '|' || {t}connector || '|' || "
            f"{t}photo || '|' || COALESCE({t}collected_at, '')")


def _only_moved(matched: str, current: str) -> bool:
    """Whether two `_seen` digests differ in nothing but the locator (the only part
    that may hold a "|"): the record's fields, and so its matching, are unchanged."""
    return (matched.split("|", 1)[0] == current.split("|", 1)[0]
            and matched.rsplit("|", 3)[1:] == current.rsplit("|", 3)[1:])


STATE_FORMAT = 17
"""Bump when the same record would get other stored match state (features: the
normalizers; blocking keys; pair scores: the comparisons' code), or the same records
another canonical contact (survivorship): a directory built by an earlier version is
rebuilt in full once, so an incremental run keeps giving what a rebuild gives, and
every stored contact gets what this code keeps. 2: a title before one word names the
family name, and the employer key by mail domain. 3 and 4 (development versions of
one release): spelling keys with key ids carrying their cap class in two bits; a
short organization is its own mail domain. 5: the spelling keys removed again (their
cost took the 1% sync of a million records past 10 s), key ids as in 2. 6: a phone
number the region cannot have issued keeps its digits instead of a wrong E.164, a
tel: URI's ";ext=" is not part of the number. 7: credentials after a comma
("Lévesque, CPA") are not part of the name. 8: an address written with its owner's
name ("Ann Smith <ann@x.org>") is the address inside the brackets. 9: a credentials
tail after one word ("Roy, P.Eng., MBA", "Tremblay, Jr.") leaves that word the
family name; one reading of display names for matcher and contact. 10: the contact
keeps its values' labels and phone extensions, the name's middle, prefix and suffix,
the nickname and the organization's units (export and publish write them). 11: a
shared phone or address weighs less the more people bear it (match/hubs.py). 12: the
contact keeps the relatives, anniversary, gender, messaging accounts, social
profiles and a company card's contact person its vCard records hold (merge/
survivorship.py `_extras`). 13: a display name given alone is read family name
first when it is a Vietnamese, Korean or Chinese name written so ("Nguyễn Văn An",
"Kim Min-jun", "王小明": the normalize/name_cultures lists), and its words of other
scripts are kept; a given name after a Vietnamese middle name ("Văn An") agrees
with the given name alone ("An") at the first_word level instead of conflicting.
14: an organization is weighed by the live count of its records when larger than
the model's (match/terms.py), kept in match_keys under a term key. 15: folding keeps
the letters of every script ("王小明", "김민준", "Иван"), so such names are compared,
blocked and weighed by their frequency; names in two scripts are not compared (a
missing level); a Han or Hangul character is not an initial. 16: a record
is as new as its content's last change (records.changed_at, migration 021) for
survivorship, and an employer difference alone no longer splits a person whose
newer records bridge the old one (merge/clusters.py, Engine.bridge). 17: a role or
machine mailbox (noreply@, facturation@, no-reply+x@: normalize/emails.py
ROLE_LOCALS, compared without dots, dashes and a +tag) is never one person's work
address, so sharing it is not decisive over a given-name conflict; a phone outside
North America compares with its country code (match/features.py phone_key):
+33 6 12 34 56 78 no longer meets +1 (361) 234-5678 on their last ten digits."""


def _signature(engine: Engine, region: str | None, me: list[str]) -> str:
    """What the stored match state was computed with, besides the model: the
    given names known as names decide the typo levels, so they are part of it."""
    text = json.dumps([STATE_FORMAT, engine.settings.model_dump(), region, sorted(me),
                       repr(engine.comparisons), sorted(engine.nicknames.families.items(),
                                                         key=lambda kv: kv[0]),
                       sorted(given_names())],
                      default=sorted)
    return hashlib.sha1(text.encode()).hexdigest()


def _overrides_mark(store: Store) -> str:
    row = store.db.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM overrides").fetchone()
    return f"{row[0]}:{row[1]}"


def _changed(store: Store, since: int) -> tuple[dict[int, str | None], dict[int, str]]:
    """Records whose live content differs from what the last resolve matched:
    record id -> its content hash, or None when it is no longer live; and apart,
    the records that only moved (_only_moved): record id -> new digest.
    Only records a run touched since then (last_run or removed_run, both indexed)
    are compared."""
    db = store.db
    touched = [r[0] for r in db.execute(
        "SELECT id FROM records WHERE last_run >= ? UNION "
        "SELECT id FROM records WHERE removed_run >= ?", (since, since))]
    out: dict[int, str | None] = {}
    moved: dict[int, str] = {}
    for batch in chunks(touched):
        for rid, digest, live, matched in db.execute(
                f"SELECT r.id, {_seen('r')}, "
                "r.removed_at IS NULL, m.content_hash "
                "FROM records r LEFT JOIN match_records m ON m.record_id = r.id "
                f"WHERE r.id IN ({marks(batch)})", batch):
            if live and matched != digest:
                if matched is not None and _only_moved(matched, digest):
                    moved[rid] = digest
                else:
                    out[rid] = digest
            elif not live and matched is not None:
                out[rid] = None
    return out, moved


def outdated(store: Store, settings: Any = None) -> bool:
    """Whether the stored match state was computed by other code or settings than
    these: another state format, given-name list or nickname table, another region
    or `[match]` section, or a model of another recipe. A run that read no change
    then still resolves, so an upgrade or a new threshold takes effect on the next
    run instead of waiting for a record to change. A directory never resolved has
    nothing to bring up to date."""
    if not store.get_meta(STATE_KEY):
        return False
    match_settings, region, me = resolve_settings(store, settings, remember=False)
    return not _stored(store, Engine(match_settings), region, me).current


@dataclass
class _Stored:
    """The match state and model a directory holds, and the signature of this code
    and these settings: the resolve goes on incrementally only when they agree."""

    state: dict[str, Any]
    model: Model | None
    model_mark: str
    signature: str

    @property
    def current(self) -> bool:
        return (self.model is not None and self.state.get("signature") == self.signature
                and self.state.get("model") == self.model_mark)


def _stored(store: Store, engine: Engine, region: str | None, me: list[str]) -> _Stored:
    state = json.loads(store.get_meta(STATE_KEY) or "{}")
    text = store.get_meta(MODEL_KEY)
    model = Model.from_json(text, engine.comparisons) if text else None
    model_mark = hashlib.sha1(text.encode()).hexdigest() if model is not None else ""
    return _Stored(state, model, model_mark, _signature(engine, region, me))


def resolve_contacts(store: Store, run: int, settings: Any = None, *,
                     touched: Iterable[int] = ()) -> dict[str, int]:
    """Bring the canonical directory up to date with the live records, inside the
    caller's transaction. Returns counts; `mode` says what it took: 0 nothing
    changed (skipped), 1 incremental, 2 full rebuild; `changed` the records that
    differed from the last resolve, `regrouped` (incremental) the records regrouped.
    The cyclic collector waits meanwhile (gcpause.py): the features of every
    record it touches are live until it returns. `touched`: records to regroup
    though nothing says so in the store any more (a withdrawn decision's pair)."""
    with gc_paused():
        return _resolve(store, run, settings, set(touched))


def _resolve(store: Store, run: int, settings: Any, touched: set[int]) -> dict[str, int]:
    store.widen_page_cache()      # contacts' hashed ids go into their index at random
    match_settings, region, me = resolve_settings(store, settings)
    engine = Engine(match_settings)
    stored = _stored(store, engine, region, me)
    state, model, model_mark, signature = (stored.state, stored.model, stored.model_mark,
                                           stored.signature)
    mark = _overrides_mark(store)
    if stored.current and model is not None:
        changed, moved = _changed(store, int(state.get("run", 0)))
        relocated = relocate(store.db, run, moved) if moved else 0
        if not changed and state.get("overrides") == mark:
            state["run"] = run
            store.set_meta(STATE_KEY, json.dumps(state))
            return {"mode": 0, "changed": 0, "moved": len(moved), "relocated": relocated}
        engine.use(model)
        counts = _incremental(store, run, engine, changed, state.get("overrides") != mark,
                              region, me, int(state.get("people", 0)), touched)
        counts.update(moved=len(moved), relocated=relocated)
        growth = match_settings.retrain_growth * model.trained_on
        if abs(counts["people"] - model.trained_on) <= growth:
            _save_state(store, run, signature, model_mark, mark, counts["people"])
            return counts
        model = None    # grew past the model: estimate again, rebuild with it
    counts = _full(store, run, engine, model, region, me)
    model_mark = hashlib.sha1(store.get_meta(MODEL_KEY).encode()).hexdigest()
    _save_state(store, run, signature, model_mark, mark, counts["people"])
    return counts


def _save_state(store: Store, run: int, signature: str, model: str, overrides: str,
                people: int) -> None:
    store.set_meta(STATE_KEY, json.dumps({"run": run, "signature": signature, "model": model,
                                          "overrides": overrides, "people": people}))


# the full rebuild --------------------------------------------------------------

def _full(store: Store, run: int, engine: Engine, model: Model | None, region: str | None,
          me: list[str]) -> dict[str, int]:
    db = store.db
    state = MatchState(db)
    state.clear()
    # the highest id bounds the live records without reading them
    rids, feats = _all_features(state, region, workers(
        db.execute("SELECT COALESCE(MAX(id), 0) FROM records").fetchone()[0]))
    processes = workers(len(feats))
    blocks, keys_of = engine.block(feats, processes)
    state.add_all_keys(rids, keys_of, term_rows(feats))
    del keys_of       # the blocks know each record's keys
    first, second = candidate_arrays(blocks, len(feats))
    skipped = blocks.skipped
    del blocks
    scorer = PairScorer(engine, feats)
    engine.bearers = FixedBearers(scorer.bearer_counts(engine.settings.max_block))
    engine.live_terms = FixedTerms.of(feats)
    merges: list[tuple[float, int, int]] = []
    reviews: list[tuple[int, int]] = []
    with shared_gammas(scorer, processes) as gammas:
        if model is None:
            model = _train(engine, feats, gammas, first, second)
            store.set_meta(MODEL_KEY, model.to_json())
        else:
            engine.use(model)
        for start, levels in gammas.chunks(first, second, CHUNK):
            rows = pair_rows(scorer, first[start:start + CHUNK], second[start:start + CHUNK],
                             levels)
            for row in rows:
                if row[3] == "merge":
                    merges.append((row[2], row[0], row[1]))
                else:
                    reviews.append((row[0], row[1]))
            state.add_pairs(rows)
    candidates = len(first)
    del scorer, first, second
    old = {r[0] for r in db.execute("SELECT id FROM contacts WHERE removed_at IS NULL")}
    counts = regroup(store, run, engine,
                     Region(rids, dict(zip(rids, feats, strict=True)), merges, reviews, old),
                     region_code=region, me=me, priority=_priority(engine))
    counts.update({"mode": 2, "changed": len(rids), "candidates": candidates,
                   "skipped_blocks": skipped, "review_pairs": len(reviews),
                   "people": sum(1 for f in feats if f.identity)})
    return counts


FEATURE_BATCH = 20_000    # records read, built and stored at a time in a full build
Row = tuple[int, str, str]  # (record id, _seen() digest, extract_sql() values)


def _all_features(state: MatchState, region: str | None, processes: int
                  ) -> tuple[list[int], list[Features]]:
    """Every live record's id and features, in id order, each record's features
    stored as they are built. With helpers, batches take turns (Helpers.map): this
    process builds one while each helper builds the next and sends back the compact
    text, which is what is stored anyway and three to four times cheaper to turn
    back into Features than to build them (the reading and the writing stay here,
    on the connection)."""
    rids: list[int] = []
    feats: list[Features] = []

    def build(rows: list[Row]) -> list[Features]:
        return [features_from_sql(rid, values, region) for rid, _, values in rows]

    def texts(rows: list[Row]) -> list[str]:                  # on a helper
        return [f.to_json() for f in build(rows)]

    def built(rows: list[Row]) -> tuple[list[Features], list[str]]:   # here
        batch = build(rows)
        return batch, [f.to_json() for f in batch]

    cursor = state.db.cursor()
    cursor.row_factory = None     # plain tuples: they go to the helpers as they are
    cursor.execute(f"SELECT id, {_seen()}, {extract_sql()} FROM records "
                   "WHERE removed_at IS NULL ORDER BY id")
    with Helpers(texts, processes - 1) as helpers:
        while group := [rows for rows in (cursor.fetchmany(FEATURE_BATCH)
                                          for _ in range(processes)) if rows]:
            for rows, result in zip(group, helpers.map(group, here=built), strict=True):
                if isinstance(result, tuple):
                    batch, done = result
                else:                  # a helper's texts
                    batch = [Features.from_json(row[0], text)
                             for row, text in zip(rows, result, strict=True)]
                    done = result
                state.save_features((rid, digest, text)
                                    for (rid, digest, _), text in zip(rows, done, strict=True))
                rids.extend(row[0] for row in rows)
                feats.extend(batch)
    return rids, feats


def _train(engine: Engine, feats: list[Features], gammas: Gammas,
           first: np.ndarray, second: np.ndarray) -> Model:
    """Estimate the model on a sample of the candidate pairs: those of every k-th
    record, k chosen so the sample holds about EM_PAIRS pairs (the estimate costs
    the same on ten thousand records or a million)."""
    stride = max(1, -(-len(first) // EM_PAIRS))
    sample = np.flatnonzero(first % stride == 0)
    levels = gammas(first[sample], second[sample])
    return engine.train(feats, map(tuple, levels.tolist()), candidates=len(first),
                        pairs=list(zip(first[sample].tolist(), second[sample].tolist(),
                                       strict=True)))


def _score_pairs(engine: Engine, feats: dict[int, Features], first: np.ndarray,
                 second: np.ndarray) -> list[tuple[int, int, float, str, str]]:
    """The stored rows of the non-distinct pairs (record ids, first < second, in
    order), scored as columns like a full build's, so both give the same rows."""
    rids = np.unique(np.concatenate((first, second)))
    scorer = PairScorer(engine, [feats[r] for r in rids.tolist()])
    return pair_rows(scorer, np.searchsorted(rids, first), np.searchsorted(rids, second))


def _unique_pairs(ends: array, others: array) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs (lower id, higher id) of two parallel id columns, in order;
    a record paired with itself is dropped. Columns, not a set of tuples: a 1% sync
    of a million records collects about a million of them."""
    x = np.frombuffer(ends, dtype=np.int64)
    y = np.frombuffer(others, dtype=np.int64)
    low, high = np.minimum(x, y), np.maximum(x, y)
    keep = low != high
    low, high = low[keep], high[keep]
    order = np.lexsort((high, low))
    low, high = low[order], high[order]
    fresh = np.ones(len(low), dtype=bool)
    fresh[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    return low[fresh], high[fresh]


def _priority(engine: Engine) -> dict[str, int]:
    return {s: i for i, s in enumerate(engine.settings.source_priority)}


# the incremental resolve ------------------------------------------------------

def _incremental(store: Store, run: int, engine: Engine, changed: dict[int, str | None],
                 overrides_changed: bool, region: str | None, me: list[str],
                 people: int, touched: set[int]) -> dict[str, int]:
    db = store.db
    state = MatchState(db)
    old_feats = state.features(changed)
    new_feats: dict[int, Features] = {}
    live = [rid for rid, digest in changed.items() if digest is not None]
    for batch in chunks(sorted(live)):
        for rid, values in db.execute(
                f"SELECT id, {extract_sql()} FROM records WHERE id IN ({marks(batch)})", batch):
            new_feats[rid] = features_from_sql(rid, values, region)
    people += sum(f.identity for f in new_feats.values())
    people -= sum(f.identity for f in old_feats.values())

    old_keys = {rid: engine.keys(f) for rid, f in old_feats.items()}
    new_keys = {rid: engine.keys(f) for rid, f in new_feats.items()}
    state.drop_features(changed)
    state.save_features((rid, changed[rid], f.to_json()) for rid, f in new_feats.items())
    # in key order: match_keys (clustered by key) takes them page by page, not at random
    state.drop_keys(sorted((k, rid) for rid, keys in old_keys.items() for k in keys))
    state.add_keys(sorted((k, rid) for rid, keys in new_keys.items() for k in keys))

    # A key whose block crossed max_block changes the pairs of all its members.
    delta: Counter = Counter()
    for keys in new_keys.values():
        delta.update(keys)
    for keys in old_keys.values():
        delta.subtract(keys)
    caps = (engine.settings.max_block, engine.settings.max_name_block)
    rescored = set(changed)
    for key, d in delta.items():
        if d == 0:
            continue
        cap = cap_of(key, *caps)
        members = state.members(key, cap + abs(d) + 1)   # enough to tell a crossing
        if (len(members) <= cap) != (len(members) - d <= cap):
            rescored.update(members)
    rescored.update(_bearers_changed(state, old_feats, new_feats, caps[0]))
    rescored.update(terms_changed(state, engine, old_feats, new_feats))

    feats: dict[int, Features] = dict(new_feats)
    feats.update(state.features(r for r in rescored if r not in feats and r not in changed))
    keys_of = dict(new_keys)
    keys_of.update((r, engine.keys(feats[r])) for r in rescored
                   if r in feats and r not in keys_of)
    ends, others = array("q"), array("q")
    for rid, keys in keys_of.items():
        for key in keys:
            cap = cap_of(key, *caps)
            members = state.members(key, cap + 1)
            if 1 < len(members) <= cap:
                others.extend(members)
                ends.extend([rid] * len(members))
    first, second = _unique_pairs(ends, others)
    del ends, others
    in_pairs = np.unique(np.concatenate((first, second))).tolist()
    feats.update(state.features(r for r in in_pairs if r not in feats))
    engine.bearers = LiveBearers(state.members, state.features, feats, caps[0])
    engine.live_terms = LiveTerms(state)

    reach = set(rescored)
    for a, b, _, _ in state.pairs_touching(rescored):
        reach.update((a, b))
    state.delete_pairs_touching(rescored)
    rows = _score_pairs(engine, feats, first, second)
    state.add_pairs(rows)
    for a, b, *_ in rows:
        reach.update((a, b))
    if overrides_changed:
        for named in decision_records(store):
            reach.update(named)
        reach.update(touched)

    region_set, old_contacts = _close(store, state, reach)
    rids = sorted(region_set)
    feats.update(state.features(r for r in rids if r not in feats))
    pairs_in = state.pairs_touching(rids)
    merges = [(s, a, b) for a, b, s, d in pairs_in
              if d == "merge" and a in region_set and b in region_set]
    reviews = [(a, b) for a, b, _, d in pairs_in if d == "review"]
    counts = regroup(store, run, engine, Region(rids, feats, merges, reviews, old_contacts),
                     region_code=region, me=me, priority=_priority(engine))
    counts.update({"mode": 1, "changed": len(changed), "candidates": len(first),
                   "regrouped": len(rids), "people": people,
                   "review_pairs": sum(1 for r in rows if r[3] == "review")})
    return counts


def _bearers_changed(state: MatchState, old_feats: dict[int, Features],
                     new_feats: dict[int, Features], cap: int) -> set[int]:
    """The records bearing a phone or address whose bearers (match/hubs.py) the
    changed records made more or fewer: the weight of an agreement on it changed,
    so every pair sharing it is scored again. Only the values the changed records
    held before or hold now are looked at; a value held by more records than `cap`
    plus the change, before and after, counts `cap` both times."""
    out: set[int] = set()
    for field in HUB_FIELDS:
        moves: dict[str, tuple[list[int], list[int]]] = {}   # value -> (gone, came)
        for side, found in ((0, old_feats), (1, new_feats)):
            for rid, f in found.items():
                if f.identity:
                    for v in getattr(f, field):
                        moves.setdefault(v, ([], []))[side].append(rid)
        held: dict[str, tuple[set[int], set[int]]] = {}
        for v, (gone, came) in moves.items():
            limit = cap + abs(len(came) - len(gone)) + 1
            members = state.members(value_key(field, v), limit)
            if len(members) < limit:          # else more than cap before and after
                now = set(members)
                held[v] = (now, (now - set(came)) | set(gone))
        stored = state.features({r for now, before in held.values() for r in now | before
                                 if r not in old_feats and r not in new_feats})
        after, earlier = _sounds(new_feats, stored), _sounds(old_feats, stored)
        for now, before in held.values():
            if (bearers_of(sorted(now), after, cap)
                    != bearers_of(sorted(before), earlier, cap)):
                out |= now | before
    return out


def _sounds(first: dict[int, Features], then: dict[int, Features]) -> Callable[[int], str]:
    """A record's name sound (match/hubs.py) from `first`, else from `then`."""
    def of(rid: int) -> str:
        return sound(first[rid] if rid in first else then[rid])
    return of


def _close(store: Store, state: MatchState, start: set[int]) -> tuple[set[int], set[str]]:
    """The live records to regroup: `start`, closed under merge decisions, the user's
    links and shared contacts; and the contacts those records held before."""
    db = store.db
    links: dict[int, set[int]] = {}
    for named in decision_records(store, "link"):
        for rid in named:
            links.setdefault(rid, set()).update(named)
    seen = set(start)
    frontier = set(start)
    contacts: set[str] = set()
    while frontier:
        found: set[int] = set()
        for a, b, _, _ in state.pairs_touching(frontier, "merge"):
            found.update((a, b))
        for rid in frontier:
            found.update(links.get(rid, ()))
        new_contacts: set[str] = set()
        for batch in chunks(sorted(frontier)):
            new_contacts.update(r[0] for r in db.execute(
                f"SELECT contact_id FROM contact_records WHERE record_id IN ({marks(batch)})",
                batch))
        new_contacts -= contacts
        contacts |= new_contacts
        for batch in chunks(sorted(new_contacts)):
            found.update(r[0] for r in db.execute(
                "SELECT cr.record_id FROM contact_records cr JOIN records r "
                f"ON r.id = cr.record_id WHERE r.removed_at IS NULL AND cr.contact_id IN "
                f"({marks(batch)})", batch))
        frontier = found - seen
        seen |= frontier
    live: set[int] = set()
    for batch in chunks(sorted(seen)):
        live.update(r[0] for r in db.execute(
            f"SELECT id FROM records WHERE removed_at IS NULL AND id IN ({marks(batch)})",
            batch))
    return live, contacts
