"""reseausync beside splink on the same generated records, in the same run.

    python benchmarks/compare_splink.py [--n 10000 100000] [--seed 42]

splink (the `bench` extra, never a runtime dependency) runs its standard
Fellegi–Sunter setup on DuckDB: the same normalized fields reseausync compares
(given and family names folded, first email, first phone, LinkedIn profile,
employer, city), splink's stock comparisons (NameComparison with term
frequencies, EmailComparison, exact phone / profile / city, Jaro-Winkler
employer), blocking on email, phone, profile and surname + first initial, λ from
deterministic rules, u from random sampling, m by EM sessions blocked on email
and on phone, then clusters at reseausync's default auto-merge probability (0.5)
and at 0.9, the threshold splink's documentation uses (`--splink-thresholds`),
from one prediction. reseausync runs its own resolve, default settings, on the
records written straight into a new directory. Both are scored
with the same pairwise precision / recall / F1 against the generator's truth;
wall times exclude generating the records and building the input table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dedup import quality, write_records  # noqa: E402
from generator import Generator  # noqa: E402

from reseausync.match.features import record_features  # noqa: E402
from reseausync.match.settings import MatchSettings  # noqa: E402
from reseausync.store import Store  # noqa: E402


def pairwise(clusters: dict[str, object], truth: dict[str, int]) -> dict[str, float]:
    def pairs(n: int) -> int:
        return n * (n - 1) // 2
    cells = Counter((clusters[k], e) for k, e in truth.items())
    tp = sum(pairs(n) for n in cells.values())
    predicted = sum(pairs(n) for n in Counter(clusters[k] for k in truth).values())
    actual = sum(pairs(n) for n in Counter(truth.values()).values())
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def run_splink(rows: list, region: str, thresholds: list[float]
               ) -> list[tuple[float, dict[str, float], float]]:
    """(threshold, pairwise quality, seconds) per threshold; the seconds are the
    training, one prediction and that threshold's clustering."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    table = []
    for _, source, ext, data in rows:
        f = record_features(0, data, region)
        table.append({"unique_id": f"{source}:{ext}", "first_name": f.gkey or None,
                      "surname": f.fkey or None, "email": min(f.emails, default=None),
                      "phone": min(f.phones, default=None), "linkedin": f.linkedin or None,
                      "org": f.org or None, "city": f.city or None})
    start = time.perf_counter()
    db_api = DuckDBAPI()
    frame = db_api.register({k: [row[k] for row in table] for k in table[0]})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"), cl.ExactMatch("phone"), cl.ExactMatch("linkedin"),
            cl.JaroWinklerAtThresholds("org", [0.9]), cl.ExactMatch("city"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"), block_on("phone"), block_on("linkedin"),
            block_on("surname", "substr(first_name, 1, 1)"),
        ],
    )
    linker = Linker(frame, settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("phone"), block_on("linkedin")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    # EM sessions on shared contact details, not on shared names (which in a
    # directory of namesakes would train on strangers), as splink's guides advise
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    predictions = linker.inference.predict(threshold_match_probability=min(thresholds))
    trained = time.perf_counter() - start
    truth = {f"{s}:{x}": e for e, s, x, _ in rows}
    out = []
    for threshold in thresholds:
        start = time.perf_counter()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold).as_dict()
        seconds = trained + time.perf_counter() - start
        cluster_of = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
        out.append((threshold, pairwise(cluster_of, truth), seconds))
    return out


def run_reseausync(rows: list, region: str) -> tuple[dict[str, float], float]:
    from reseausync.config import Settings
    from reseausync.resolve import resolve_contacts
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(os.path.join(tmp, "cmp.db"))
        with store.transaction():
            write_records(store, store.start_run("bench", "bench", "import"), rows)
        start = time.perf_counter()
        with store.transaction():
            resolve_contacts(store, store.start_run("bench", "bench", "sync"),
                             Settings(region=region))
        seconds = time.perf_counter() - start
        q = quality(store, {f"{s}:{x}": e for e, s, x, _ in rows})
        store.close()
    return q, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--region", default="CA")
    parser.add_argument("--splink-thresholds", type=float, nargs="+",
                        default=[MatchSettings().auto_merge, 0.9])
    args = parser.parse_args()
    print(f"{'records':>9}  {'tool':<12} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8}")
    for n in args.n:
        rows = list(Generator(args.seed).records(n))
        ours, ours_s = run_reseausync(rows, args.region)
        results = [("reseausync", ours, ours_s)] + [
            (f"splink@{t:g}", q, s) for t, q, s in run_splink(rows, args.region,
                                                              args.splink_thresholds)]
        for name, q, s in results:
            print(f"{n:>9,}  {name:<12} {q['precision']:6.3f} {q['recall']:6.3f} "
                  f"{q['f1']:6.3f} {s:8.1f}")
        best = max(results[1:], key=lambda r: r[1]["f1"])
        print(f"{'':>9}  F1 difference with splink's best ({best[0]}) "
              f"{ours['f1'] - best[1]['f1']:+.3f}, time ratio splink/reseausync "
              f"{best[2] / ours_s:.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
