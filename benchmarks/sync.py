"""Benchmark: incremental sync of a 100,000-contact directory from three sources.

    python benchmarks/sync.py [--contacts 100000] [--seed 7] [--keep DIR]

Three vCard sources of about a third each, one per kind of unit the core knows:
  phone    one big exported file              (one unit)
  vdir     a folder with one card per file    (vdirsyncer's layout; many units)
  archive  a zip of ten files                 (zip members)
Everyone is a distinct person (unique names and emails), so the ground truth is
one contact per card.

Measured: the first sync (import), a second sync with nothing changed (target
<= 3 s), and a sync after 1% of the vdir source's cards were edited (target <=
10 s). Each figure is split into time spent in the canonical rebuild
(`pipeline._rebuild`: match, merge, linking) and the rest (discovery, skipping,
reading, writing), because the targets depend on both.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from reseausync import pipeline
from reseausync.config import Settings
from reseausync.sync import sync_sources

SYLLABLES = ["ba", "be", "bi", "da", "de", "do", "fa", "fe", "ga", "go", "ka", "ki", "la",
             "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "pa", "pe", "ra",
             "re", "ri", "ro", "sa", "se", "si", "ta", "te", "to", "va", "ve", "vi", "za"]


def unique_people(n: int, rng: random.Random) -> list[dict[str, str]]:
    """n people with unique (given, family) names and unique emails."""
    given = sorted({"".join(rng.choices(SYLLABLES, k=3)).capitalize() for _ in range(4000)})
    family = sorted({"".join(rng.choices(SYLLABLES, k=4)).capitalize() for _ in range(4000)})
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < n:
        pairs.add((rng.choice(given), rng.choice(family)))
    out = []
    for i, (g, f) in enumerate(sorted(pairs)):
        out.append({"uid": f"bench-{i:06}", "given": g, "family": f,
                    "email": f"{g.lower()}.{f.lower()}{i}@example.org",
                    "phone": f"+1 514 {200 + i // 10000:03} {i % 10000:04}",  # unique
                    "org": rng.choice(["Acme", "Nimbus Labs", "Coveo", "Desjardins", ""])})
    rng.shuffle(out)
    return out


def card(p: dict[str, str], title: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{p['uid']}", f"FN:{p['given']} {p['family']}",
             f"N:{p['family']};{p['given']};;;", f"EMAIL;TYPE=INTERNET:{p['email']}",
             f"TEL;TYPE=CELL:{p['phone']}"]
    if p["org"]:
        lines.append(f"ORG:{p['org']}")
    if title:
        lines.append(f"TITLE:{title}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def build(root: Path, n: int, seed: int) -> tuple[dict[str, Path], list[dict[str, str]]]:
    rng = random.Random(seed)
    everyone = unique_people(n, rng)
    third = n // 3
    phone, vdir, archive = everyone[:third], everyone[third:2 * third], everyone[2 * third:]
    (root / "phone.vcf").write_text("".join(card(p) for p in phone), encoding="utf-8")
    (root / "vdir").mkdir()
    for p in vdir:
        (root / "vdir" / f"{p['uid']}.vcf").write_text(card(p), encoding="utf-8")
    with zipfile.ZipFile(root / "archive.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for part in range(10):
            z.writestr(f"contacts/part{part}.vcf", "".join(card(p) for p in archive[part::10]))
    sources = {"phone": root / "phone.vcf", "vdir": root / "vdir",
               "archive": root / "archive.zip"}
    return sources, vdir


def edit_one_percent(root: Path, vdir: list[dict[str, str]], seed: int) -> int:
    rng = random.Random(seed + 1)
    chosen = rng.sample(vdir, max(1, len(vdir) // 100))
    for p in chosen:
        path = root / "vdir" / f"{p['uid']}.vcf"
        path.write_text(card(p, title="Promoted"), encoding="utf-8")
    return len(chosen)


class RebuildTimer:
    """Times pipeline._rebuild without changing what it does."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = pipeline._rebuild

    def __enter__(self) -> RebuildTimer:
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        pipeline._rebuild = timed
        return self

    def __exit__(self, *exc: object) -> None:
        pipeline._rebuild = self._original


def timed_sync(label: str, settings: Settings, db: str, target: float | None) -> list:
    with RebuildTimer() as rebuild:
        start = time.perf_counter()
        results = sync_sources(settings, db=db)
        elapsed = time.perf_counter() - start
    verdict = "" if target is None else (" OK" if elapsed <= target else " OVER TARGET")
    goal = "" if target is None else f" (target <= {target:g} s)"
    print(f"{label}: {elapsed:.2f} s{goal}{verdict}; rebuild {rebuild.seconds:.2f} s, "
          f"discover/read/write {elapsed - rebuild.seconds:.2f} s")
    for r in results:
        print(f"    {r.summary()}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args(argv)

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rsbench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        sources, vdir = build(root, args.contacts, args.seed)
        print(f"generated {args.contacts} contacts in three sources "
              f"({time.perf_counter() - start:.1f} s) under {root}")
        settings = Settings.model_validate({"sources": [
            {"name": name, "connector": "vcard", "path": str(path)}
            for name, path in sources.items()]})
        db = str(root / "bench.db")

        timed_sync("first sync (import)", settings, db, None)
        unchanged = timed_sync("second sync, nothing changed", settings, db, 3.0)
        edited = edit_one_percent(root, vdir, args.seed)
        changed = timed_sync(f"sync after editing {edited} vdir cards (1% of the source)",
                             settings, db, 10.0)

        with sqlite3.connect(db) as con:
            contacts = con.execute("SELECT COUNT(*) FROM contacts "
                                   "WHERE removed_at IS NULL").fetchone()[0]
        checks = {
            "unchanged sync changed nothing": all(
                r.counts["added"] == r.counts["updated"] == r.counts["removed"] == 0
                for r in unchanged),
            "unchanged sync saw every card": sum(
                r.counts["unchanged"] for r in unchanged) == args.contacts,
            f"edited sync updated exactly {edited}": sum(
                r.counts["updated"] for r in changed) == edited,
            f"one contact per person ({contacts} of {args.contacts})": contacts == args.contacts,
        }
        for what, ok in checks.items():
            print(f"check: {what}: {'ok' if ok else 'FAILED'}")
        return 0 if all(checks.values()) else 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
