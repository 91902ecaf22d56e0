"""Measuring helpers shared by the benchmarks.

Each benchmark times a phase in a fresh child process, so that one phase's
memory does not count against the next; the child reports its own peak RSS.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
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
