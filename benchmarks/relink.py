"""Benchmark: what a sync that edits one card costs in linking, with many interactions.

    python benchmarks/relink.py [--cards 5000] [--calls 100000] [--seed 7] [--keep DIR]

Builds a real directory through the import pipeline: a phone book (one vCard file
of `--cards` distinct people) and a call log (`--calls` rows naming them by e-mail,
phone or name, or nobody the book knows). Then edits one card's e-mail, imports
again, and prints the CPU of each step, the interactions the edit linked again
(engagement/relink.py) and, on a copy, what a full relink of every interaction
costs and whether it gives the same links.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from reseausync import api, pipeline
from reseausync.config import Settings
from reseausync.engagement.linking import link_interactions
from reseausync.store import Store

SETTINGS = Settings.model_validate({"region": "CA", "me": {"emails": ["marie@example.com"]}})


def people(n: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(given, family, email, phone) of n distinct people."""
    out = []
    for i in range(n):
        given = rng.choice(["Anne", "Marc", "Lea", "Paul", "Ines", "Hugo", "Zoe", "Noah"])
        family = f"Fam{i:06d}"
        out.append((given, family, f"{given.lower()}.{i}@ex{i % 97}.ca",
                    f"514-{200 + i // 10000:03d}-{i % 10000:04d}"))
    return out


def write_book(path: Path, book: list[tuple[str, str, str, str]]) -> None:
    path.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{f};{g};;;\r\nFN:{g} {f}\r\nEMAIL:{e}\r\n"
        f"TEL;type=CELL:{p}\r\nUID:card-{i}\r\nEND:VCARD\r\n"
        for i, (g, f, e, p) in enumerate(book)), encoding="utf-8", newline="")


def write_log(path: Path, book: list[tuple[str, str, str, str]], calls: int,
              rng: random.Random) -> None:
    rows = ["date,who,channel,note,direction"]
    for n in range(calls):
        g, f, e, p = rng.choice(book)
        who = rng.choice([e, p, f"{g} {f}", f"stranger{n % 5000}@else.org"])
        rows.append(f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-"
                    f"{rng.randint(1, 28):02d},{who},call,n{n},in")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def timed_import(paths: list[Path], db: str) -> tuple[float, list[dict[str, Any]]]:
    """CPU of one import, and what each linking in it returned."""
    seen: list[dict[str, Any]] = []
    real = pipeline.link_interactions

    def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        counts = real(*args, **kwargs)
        seen.append(counts)
        return counts

    pipeline.link_interactions = spy
    try:
        start = time.process_time()
        api.import_paths([str(p) for p in paths], db=db, settings=SETTINGS)
        return time.process_time() - start, seen
    finally:
        pipeline.link_interactions = real


def links(path: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM interaction_links ORDER BY 1, 2").fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="folder to keep the files in")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(args.keep or tempfile.mkdtemp(prefix="relink-"))
    root.mkdir(parents=True, exist_ok=True)
    book = people(args.cards, rng)
    vcf, log, db = root / "phone.vcf", root / "log.csv", str(root / "dir.db")
    write_book(vcf, book)
    write_log(log, book, args.calls, rng)
    cpu, _ = timed_import([vcf, log], db)
    print(f"first import of {args.cards} cards and {args.calls} calls: {cpu:.2f} s CPU")
    g, f, _, p = book[len(book) // 2]
    book[len(book) // 2] = (g, f, f"{g.lower()}@new-job.ca", p)
    write_book(vcf, book)
    cpu, seen = timed_import([vcf], db)
    counts = seen[-1] if seen else {}
    print(f"import editing one card's e-mail: {cpu:.2f} s CPU, "
          f"relinked {counts.get('relinked', 'all')} of {args.calls} interactions {counts}")
    copy = str(root / "full.db")
    shutil.copy(db, copy)
    store = Store.open(copy)
    try:
        start = time.process_time()
        link_interactions(store, SETTINGS)
        print(f"full relink of every interaction: {time.process_time() - start:.2f} s CPU")
    finally:
        store.close()
    print("incremental links equal the full relink's:", links(db) == links(copy))
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
