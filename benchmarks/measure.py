"""Measuring helpers shared by the benchmarks.

Each benchmark times a phase in a fresh child process, so that one phase's
memory does not count against the next; the child reports its own peak RSS.
"""

from __future__ import annotations

import hashlib
import json
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def peak_rss_mib() -> float:
    """This process's own peak RSS. ru_maxrss is not it: Linux carries the parent's
    peak across fork and exec, so a child of a parent holding a large generated
    data set would report the parent's memory."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(script: str, phase: str, path: Path | str) -> dict:
    """Run `script --phase PHASE --file PATH` in a child; its last stdout line is JSON."""
    out = subprocess.run([sys.executable, script, "--phase", phase, "--file", str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def canary() -> float:
    """Seconds for the same small piece of Python and SQLite work every run (hashing,
    JSON, an indexed insert). This machine's speed drifts by tens of percent from
    hour to hour: figures of two runs compare only in proportion to their canaries,
    and a before/after pair is only worth its name when run back to back."""
    start = time.perf_counter()
    rng = random.Random(0)
    rows = [(rng.getrandbits(62), hashlib.sha1(str(i).encode()).hexdigest(),
             json.dumps({"i": i, "name": "x" * (i % 40)})) for i in range(200_000)]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (k INTEGER, h TEXT, j TEXT)")
    db.execute("CREATE INDEX t_k ON t (k)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    sum(len(json.loads(j)) for _, _, j in rows)
    db.close()
    return time.perf_counter() - start
