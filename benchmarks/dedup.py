"""Dedup benchmark: match + merge a fresh directory, then an incremental 1% sync.

    python benchmarks/dedup.py [--n 10000 100000 1000000] [--seed 42] [--match JSON]

Generates records with ground truth (benchmarks/generator.py), writes them
straight into the records table of a new directory (parsing is not what is
measured), then runs `resolve_contacts` in a child process so its peak RSS is its
own. Prints pairwise precision / recall / F1, cluster precision / recall / F1
(a predicted cluster is right when it is exactly one true person's records), how
well the scores are calibrated (the stored pairs by score band, each band's share
of pairs that are one person: a probability of 0.6 should be right 60% of the
time), the
largest predicted and true clusters, blocking recall (true pairs that share a
blocking key), records/s and peak RSS; then the time of a resync that changed
nothing (matching is skipped), and the same figures for a sync adding 1% new
records (new people and new records of existing people), which is incremental.
`--match '{"max_name_block": 100}'` tries other MatchSettings; `--diagnose`
sorts the true pairs left apart by the evidence they carry; `--colleagues N` then
imports N people of one company the model never saw, sharing info@ (and, being
many, given names and close family names), and counts the pairs of them merged.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generator import Generator  # noqa: E402
from measure import canary, peak_rss_mib  # noqa: E402

from reseausync.store import Store  # noqa: E402


def write_records(store: Store, run: int, rows: list[tuple[int, str, str, dict]]) -> None:
    now = "2026-11-20T00:00:00+00:00"
    store.db.executemany(
        "INSERT INTO records (source, connector, external_id, unit, locator, content_hash, "
        "data, collected_at, first_seen, last_seen, first_run, last_run) "
        "VALUES (?, 'bench', ?, 'bench', ?, ?, ?, NULL, ?, ?, ?, ?)",
        [(source, ext, ext, ext, json.dumps(data, ensure_ascii=False), now, now, run, run)
         for _, source, ext, data in rows])


MATCH: dict = {}      # MatchSettings fields for a trial (--match)
RECALL = True         # --no-recall skips blocking recall (a second pass over the records)
COLLEAGUES = 0        # --colleagues N: N people of one new company arrive last
DIAGNOSE = False      # --diagnose explains the true pairs left apart


def match_settings():
    from reseausync.match.settings import MatchSettings
    return MatchSettings(**MATCH)


def resolve_child(db: str, region: str) -> None:
    """Runs in a child process: one resolve, prints seconds and peak RSS as JSON."""
    from reseausync.config import Settings
    from reseausync.resolve import resolve_contacts
    store = Store.open(db)
    start = time.perf_counter()
    with store.transaction():
        run = store.start_run("bench", "bench", "sync")
        counts = resolve_contacts(store, run, Settings(region=region, match=match_settings()))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rss_mib": peak_rss_mib(), "counts": counts}))


def run_child(db: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", db, "--match", json.dumps(MATCH)],
                         check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def quality(store: Store, truth: dict[str, int]) -> dict[str, float]:
    """Pairwise precision / recall over all record pairs inside the predicted and the
    true clusters, and cluster-level precision / recall (Menestrina, Whang and
    Garcia-Molina, "Evaluating Entity Resolution Results", VLDB 2010): the share of
    predicted clusters that are exactly one true cluster, and of true clusters found
    exactly. Singletons count as clusters on both sides."""
    cluster_of = {f"{s}:{x}": c for s, x, c in store.db.execute(
        "SELECT r.source, r.external_id, cr.contact_id FROM contact_records cr "
        "JOIN records r ON r.id = cr.record_id WHERE r.removed_at IS NULL")}
    cells = Counter((cluster_of[k], e) for k, e in truth.items())
    by_cluster = Counter(cluster_of[k] for k in truth)
    by_entity = Counter(truth.values())
    tp = sum(pairs(n) for n in cells.values())
    predicted = sum(pairs(n) for n in by_cluster.values())
    actual = sum(pairs(n) for n in by_entity.values())
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    exact = sum(1 for (c, e), n in cells.items() if n == by_cluster[c] == by_entity[e])
    cp, cr = exact / len(by_cluster), exact / len(by_entity)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "cluster_precision": cp, "cluster_recall": cr,
            "cluster_f1": 2 * cp * cr / (cp + cr) if cp + cr else 0.0,
            "largest_cluster": max(by_cluster.values()),
            "largest_true": max(by_entity.values())}


def blocking_recall(store: Store, truth: dict[str, int], region: str) -> float:
    from reseausync.match.engine import Engine
    from reseausync.match.features import record_features
    rows = store.db.execute("SELECT id, source, external_id, data FROM records "
                            "WHERE removed_at IS NULL ORDER BY id").fetchall()
    feats = [record_features(r[0], json.loads(r[3]), region) for r in rows]
    entity = [truth[f"{r[1]}:{r[2]}"] for r in rows]
    blocks, _ = Engine(match_settings()).block(feats)
    found = sum(1 for a, b in blocks.pairs() if entity[a] == entity[b])
    actual = sum(pairs(n) for n in Counter(entity).values())
    return found / actual if actual else 1.0


BANDS = (0.2, 0.5, 0.8, 0.95, 1.0000001)


def calibration(store: Store, truth: dict[str, int]
                ) -> list[tuple[float, float, int, float, float]]:
    """Whether a score is a probability: the stored pairs (every pair scored at or
    above `review`) by score band, with how many of each band are one person.
    Pairs held apart by a conflict (scored above auto_merge, decided `review`: a
    couple sharing a landline) are left out: their score is not what decides them.
    Rows of (low, high, pairs, mean score, share that are one person)."""
    entity = {rid: truth[f"{s}:{x}"] for rid, s, x in store.db.execute(
        "SELECT id, source, external_id FROM records")}
    bands = [[0, 0.0, 0] for _ in BANDS[:-1]]
    for a, b, score in store.db.execute(
            "SELECT a, b, score FROM match_pairs WHERE NOT (decision = 'review' AND score >= ?)",
            (match_settings().auto_merge,)):
        for k in range(len(BANDS) - 1):
            if BANDS[k] <= score < BANDS[k + 1]:
                band = bands[k]
                band[0] += 1
                band[1] += score
                band[2] += entity.get(a) == entity.get(b)
                break
    return [(BANDS[k], min(BANDS[k + 1], 1.0), n, total / n, same / n)
            for k, (n, total, same) in enumerate(bands) if n]


def diagnose(store: Store, truth: dict[str, int], region: str) -> None:
    """Why true pairs were left apart: how many carry no evidence but the name
    (nothing a matcher can use to tell them from namesakes), and of those how many
    bear a full name no other person in the set has."""
    from reseausync.match.engine import Engine
    from reseausync.match.features import record_features
    rows = store.db.execute("SELECT r.id, r.source, r.external_id, r.data, cr.contact_id "
                            "FROM records r JOIN contact_records cr ON cr.record_id = r.id "
                            "WHERE r.removed_at IS NULL").fetchall()
    feats = {r[0]: record_features(r[0], json.loads(r[3]), region) for r in rows}
    entity = {r[0]: truth[f"{r[1]}:{r[2]}"] for r in rows}
    contact = {r[0]: r[4] for r in rows}
    holders: dict[tuple[str, str], set[int]] = {}
    for rid, f in feats.items():
        holders.setdefault((f.gkey, f.fkey), set()).add(entity[rid])
    members: dict[int, list[int]] = {}
    for rid in sorted(entity):
        members.setdefault(entity[rid], []).append(rid)
    comparator = Engine(match_settings()).comparator
    names = [c.name for c in comparator.comparisons[:2]]
    why: Counter = Counter()
    total = 0
    for rids in members.values():
        for i, a in enumerate(rids):
            for b in rids[i + 1:]:
                total += 1
                if contact[a] == contact[b]:
                    continue
                levels = comparator.explain(comparator.gamma(feats[a], feats[b]))
                other = [v for k, v in levels.items() if k not in names]
                if any(v not in ("missing", "else") for v in other):
                    why["other evidence agrees"] += 1
                elif [levels[k] for k in names] != ["exact", "exact"]:
                    why["name only, spelt differently"] += 1
                elif len(holders[(feats[a].gkey, feats[a].fkey)]) > 1:
                    why["name only, full name shared with another person"] += 1
                else:
                    why["name only, full name of this person alone"] += 1
    missed = sum(why.values())
    print(f"== true pairs left apart: {missed:,} of {total:,}")
    for reason, count in why.most_common():
        print(f"  {reason:<50} {count:>7,}  ({count / total:.1%} of true pairs)")


def bench(n: int, seed: int, region: str) -> None:
    gen = Generator(seed)
    rows = list(gen.records(n))
    extra = max(n // 100, 1)
    # the 1% sync: half new records of known people, half new people
    later = list(Generator(seed + 1).records(extra))
    known = rows[-extra:]
    incremental = []
    for i, (entity, _, _, data) in enumerate(later):
        if i % 2 and known:
            e, _, _, old = known[i % len(known)]
            incremental.append((e, "sync", f"sync-{i}", dict(old)))   # a known person again
        else:
            incremental.append((entity + 10_000_000, "sync", f"sync-{i}", data))
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        store = Store.open(db)
        with store.transaction():
            write_records(store, store.start_run("bench", "bench", "import"), rows)
        truth = {f"{s}:{x}": e for e, s, x, _ in rows}
        full = run_child(db)
        q = quality(store, truth)
        recall = blocking_recall(store, truth, region) if RECALL else None
        report(f"fresh directory, {n:,} records", n, full, q, recall)
        print("  calibration (score band: pairs, mean score -> share one person): " + "; ".join(
            f"{low:.2f}-{high:.2f}: {pairs:,}, {score:.3f} -> {same:.3f}"
            for low, high, pairs, score, same in calibration(store, truth)))
        if DIAGNOSE:
            diagnose(store, truth, region)
        same = run_child(db)
        print(f"== resync with nothing changed: {same['seconds']:.2f} s "
              f"(mode {same['counts'].get('mode')})")
        with store.transaction():
            write_records(store, store.start_run("bench", "bench", "sync"), incremental)
        truth.update({f"{s}:{x}": e for e, s, x, _ in incremental})
        inc = run_child(db)
        report(f"incremental sync, +{len(incremental):,} records", len(incremental), inc,
               quality(store, truth), None)
        if COLLEAGUES:
            newcomers(store, db, seed)
        store.close()


def colleagues(n: int, seed: int) -> list[tuple[int, str, str, dict]]:
    """n different people at one company the directory has never seen, every card
    with the company's info@ address (and half with the person's own mobile):
    names drawn as the generator draws them, so many share a given name and have
    close family names."""
    gen = Generator(seed + 2)
    rows = []
    for i in range(n):
        p = gen.person(20_000_000 + i)
        data = {"display_name": f"{p.given} {p.family}", "organization": "Zorbatek Systèmes Inc.",
                "emails": [{"value": "info@zorbatek.com", "label": ""}],
                "phones": ([{"value": p.phone, "label": ""}] if i % 2 else [])}
        rows.append((p.entity, "newco", f"newco-{i}", data))
    return rows


def newcomers(store: Store, db: str, seed: int) -> None:
    """Import COLLEAGUES colleagues (an incremental run) and count the pairs of
    them that share a contact (each is a different person)."""
    rows = colleagues(COLLEAGUES, seed)
    with store.transaction():
        write_records(store, store.start_run("bench", "bench", "sync"), rows)
    run = run_child(db)
    name = {f"newco-{i}": data["display_name"] for i, (_, _, _, data) in enumerate(rows)}
    members: dict[str, list[str]] = {}
    for contact, ext in store.db.execute(
            "SELECT cr.contact_id, r.external_id FROM contact_records cr JOIN records r "
            "ON r.id = cr.record_id WHERE r.source = 'newco' AND r.removed_at IS NULL"):
        members.setdefault(contact, []).append(name[ext])
    merged = sum(pairs(len(m)) for m in members.values())
    namesakes = sum(pairs(n) for m in members.values() for n in Counter(m).values())
    print(f"== {COLLEAGUES:,} colleagues on info@ of a new company: {run['seconds']:.1f} s "
          f"(mode {run['counts'].get('mode')}), {len(members):,} contacts, "
          f"{merged:,} pairs of different people merged ({namesakes:,} of them namesakes), "
          f"largest {max(map(len, members.values()))}")


def report(title: str, n: int, run: dict, q: dict, recall: float | None) -> None:
    print(f"== {title}")
    print(f"  match+merge {run['seconds']:.1f} s  ({n / run['seconds']:,.0f} records/s)  "
          f"peak RSS {run['rss_mib']:,.0f} MiB  candidates {run['counts'].get('candidates')}  "
          f"regrouped {run['counts'].get('regrouped', '-')}")
    print(f"  pairwise P {q['precision']:.4f}  R {q['recall']:.4f}  F1 {q['f1']:.4f}")
    print(f"  cluster  P {q['cluster_precision']:.4f}  R {q['cluster_recall']:.4f}  "
          f"F1 {q['cluster_f1']:.4f}  largest {q['largest_cluster']} (true {q['largest_true']})")
    if recall is not None:
        print(f"  blocking recall {recall:.4f}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--region", default="CA")
    parser.add_argument("--match", default="{}", help="MatchSettings as JSON (for trials)")
    parser.add_argument("--child")
    parser.add_argument("--no-recall", action="store_true")
    parser.add_argument("--diagnose", action="store_true",
                        help="explain the true pairs left apart")
    parser.add_argument("--colleagues", type=int, default=0,
                        help="then import N colleagues of one new company on one info@")
    args = parser.parse_args()
    MATCH.update(json.loads(args.match))
    global RECALL, DIAGNOSE, COLLEAGUES
    RECALL = not args.no_recall
    DIAGNOSE = args.diagnose
    COLLEAGUES = args.colleagues
    if args.child:
        resolve_child(args.child, args.region)
        return
    print(f"machine canary {canary():.2f} s (the same work every run: compare runs by it)")
    for n in args.n:
        bench(n, args.seed, args.region)


if __name__ == "__main__":
    main()
