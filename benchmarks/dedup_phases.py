"""Where a full build's time goes: the phases of one resolve, each timed.

The dedup benchmark gives the whole match + merge; this one runs the same seeded
records (benchmarks/generator.py) through one full resolve with its main phases
wrapped in timers, so two versions of the code can be compared phase by phase in
back-to-back runs (a shared machine's speed drifts more between runs than most
changes move the total; the machine canary printed first measures that drift).
"features" is reading, building and storing every record's features (in versions
before they were built on several cores: the time in features_of).

    python benchmarks/dedup_phases.py --n 200000
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from dedup import write_records  # noqa: E402
from generator import Generator  # noqa: E402
from measure import canary, peak_rss_mib  # noqa: E402

import reseausync.match.vector as vector  # noqa: E402
import reseausync.resolve as resolve  # noqa: E402
from reseausync.config import Settings  # noqa: E402
from reseausync.match.engine import Engine  # noqa: E402
from reseausync.match.persist import MatchState  # noqa: E402
from reseausync.store import Store  # noqa: E402

TIMES: dict[str, float] = {}
PHASES = [(resolve, "_all_features", "features"), (resolve, "candidate_arrays", "candidates"),
          (resolve, "_train", "training"), (resolve, "pair_rows", "pair rows"),
          (resolve, "regroup", "regroup"), (Engine, "block", "blocking"),
          (vector.PairScorer, "__init__", "scorer setup"),
          (vector.PairScorer, "gammas", "levels here"),
          (MatchState, "save_features", "features written"),
          (MatchState, "add_pairs", "pairs written")]


def timed(owner: Any, name: str, label: str) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + time.perf_counter() - started
    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine canary {canary():.2f} s (the same work every run: compare runs by it)")
    phases = PHASES if hasattr(resolve, "_all_features") else [
        (resolve, "features_of", "features")] + PHASES[1:]     # an older version
    for owner, name, label in phases:
        timed(owner, name, label)
    with tempfile.TemporaryDirectory(prefix="reseausync-phases-") as folder:
        store = Store.open(os.path.join(folder, "bench.db"))
        with store.transaction():
            write_records(store, store.start_run("bench", "bench", "import"),
                          list(Generator(args.seed).records(args.n)))
        started = time.perf_counter()
        with store.transaction():
            counts = resolve.resolve_contacts(store, store.start_run("bench", "bench", "sync"),
                                              Settings(region="CA"))
        total = time.perf_counter() - started
        store.close()       # a 1M directory is 2 GB: gone with the folder
    print(f"{args.n:,} records, full build {total:.1f} s, {counts['contacts']:,} contacts, "
          f"peak RSS {peak_rss_mib():,.0f} MiB (the records list of the setup included)")
    for label, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {label:<18} {seconds:6.1f} s")
    print("  (levels here: this process's share of the comparing, the helpers do the rest;"
          " versions before SharedGammas.chunks count it in pair rows too."
          " The rest of the total is reading the records, "
          "the blocking keys written, and clustering inputs)")


if __name__ == "__main__":
    main()
