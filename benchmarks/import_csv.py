"""Benchmark: LinkedIn Connections.csv and messages.csv, connector alone and end to end.

A seeded generator writes a LinkedIn export (preamble, quoted commas, accents,
empty emails, a share of drafts and of bad dates) with its ground truth; each
phase then runs in its own process so its peak RSS is its own:

  connector-connections / connector-messages   LinkedInConnector.read only
  e2e-connections / e2e-messages               reseausync.api.import_paths into SQLite
  next-month-connections                       after a first import (not timed), the
      next export: saved in another folder, 1% new connections on top (LinkedIn
      writes the newest first, so every other line moved); only the new ones may
      count as added, none as updated

Targets (issue 3): >= 50,000 connection rows/s and >= 100,000 messages/s end to
end, peak RSS < 500 MiB.

    python benchmarks/import_csv.py                      # 200,000 rows, 1,000,000 messages
    python benchmarks/import_csv.py --connections 20000 --messages 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import peak_rss_mib  # noqa: E402

FIRST = ["Jean-François", "Élise", "Catherine", "Robert", "Priya", "Frédéric", "Marie", "Zoé",
         "Alexandre", "Thomas", "Sophie", "Michael", "Nathalie", "Lucas", "Ana", "Ben", "Chloé"]
LAST = ["Tremblay", "Gagnon", "O'Brien", "Chen", "Natarajan", "Lavoie", "Côté", "Dubois",
        "Nguyen", "Martin", "Rossi", "Roy", "Silva", "Okafor", "Bouchard", "Pelletier"]
COMPANIES = ["Acme Inc.", "Shopify", "Nimbus Labs, Inc.", "Coveo", "Bombardier", "UQAM",
             "Desjardins", "Element AI", "Globex, SA", "Initech"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
OWNER = ("Marie Example", "https://www.linkedin.com/in/marie-example")
BAD_SHARE = 0.001     # rows with an unparseable date: each must become one reject
DRAFT_SHARE = 0.01    # drafts: not interactions, not rejects


def generate(folder: Path, n_connections: int, n_messages: int, seed: int) -> dict:
    """Write the export; return the ground truth."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth = {"records": 0, "record_rejects": 0, "messages": 0, "message_rejects": 0}
    with open(folder / "Connections.csv", "w", encoding="utf-8", newline="") as out:
        out.write("Notes:\n\"When exporting your connection data, you may notice that some "
                  "of the email addresses are missing.\"\n\n")
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company",
                         "Position", "Connected On"])
        for i in range(n_connections):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"p{i}@example.com" if rng.random() < 0.1 else ""
            if rng.random() < BAD_SHARE:
                when = "someday"
                truth["record_rejects"] += 1     # the date is rejected, not the person
            else:
                when = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2008, 2026)}"
            truth["records"] += 1
            writer.writerow([first, last, f"https://www.linkedin.com/in/p-{i}-{last.lower()}",
                             email, rng.choice(COMPANIES), "Directeur, ventes", when])
    people = max(1, n_connections)
    with open(folder / "messages.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL",
                         "TO", "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
                         "IS MESSAGE DRAFT"])
        written = 0
        conversation = 0
        while written < n_messages:
            conversation += 1
            other = rng.randrange(people)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            url = f"https://www.linkedin.com/in/p-{other}"
            conv_id = f"2-{conversation:012d}XzAxMA=="
            for k in range(min(rng.randint(1, 9), n_messages - written)):
                mine = rng.random() < 0.5
                sender, recipient = (OWNER, (name, url)) if mine else ((name, url), OWNER)
                draft = rng.random() < DRAFT_SHARE
                if draft:
                    stamp = "2024-01-01 00:00:00 UTC"
                elif rng.random() < BAD_SHARE:
                    stamp = "not a date"
                    truth["message_rejects"] += 1
                else:
                    stamp = (f"20{rng.randint(15, 26)}-{rng.randint(1, 12):02d}-"
                             f"{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:"
                             f"{rng.randint(0, 59):02d}:{k:02d} UTC")
                    truth["messages"] += 1
                writer.writerow([conv_id, "", sender[0], sender[1], recipient[0], recipient[1],
                                 stamp, "", f"Bonjour, message {written} 🙂, à bientôt",
                                 "DRAFT" if draft else "INBOX", "Yes" if draft else "No"])
                written += 1
    (folder / "Profile.csv").write_text("First Name,Last Name,Headline\nMarie,Example,PM\n",
                                        encoding="utf-8")
    truth["next_month"] = next_month(folder, n_connections, rng)
    return truth


def next_month_folder(folder: Path) -> Path:
    """Beside the export, not in it: the export folder is imported whole by tests."""
    return folder.with_name(folder.name + "-next-month")


def next_month(folder: Path, n_connections: int, rng: random.Random) -> int:
    """Next month's Connections.csv, saved in another folder: 1% new rows first."""
    lines = (folder / "Connections.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    new = max(1, n_connections // 100)
    rows = [f"{rng.choice(FIRST)},{rng.choice(LAST)},https://www.linkedin.com/in/new-{i},,"
            f"{rng.choice(COMPANIES).replace(',', '')},Analyste,20 Nov 2026\n" for i in range(new)]
    target = next_month_folder(folder)
    target.mkdir(exist_ok=True)
    (target / "Connections.csv").write_text(
        "".join(lines[:header + 1] + rows + lines[header + 1:]), encoding="utf-8")
    (target / "Profile.csv").write_text(
        (folder / "Profile.csv").read_text(encoding="utf-8"), encoding="utf-8")
    return new


def phase(name: str, folder: Path, db: Path) -> dict:
    """One measurement, run inside its own process."""
    from reseausync.connector import ReadContext
    from reseausync.models import Interaction, Reject, SourceRecord
    from reseausync_connectors.linkedin import LinkedInConnector

    wanted = "Connections.csv" if name.endswith("connections") else "messages.csv"
    target = folder / ("only_connections" if wanted == "Connections.csv" else "only_messages")
    target.mkdir(exist_ok=True)
    for file in (wanted, "Profile.csv"):
        link = target / file
        if not link.exists():
            link.symlink_to(folder / file)
    if name.startswith("next-month"):
        from reseausync.api import import_paths
        import_paths([str(target)], db=str(db), connector="linkedin")     # last month's
        target = next_month_folder(folder)
    started, cpu_started = time.perf_counter(), time.process_time()
    counts = {"records": 0, "interactions": 0, "rejects": 0}
    if name.startswith("connector"):
        conn = LinkedInConnector({}, ReadContext(source="bench"))
        for item in conn.read(list(conn.discover(str(target)))):
            if isinstance(item, SourceRecord):
                counts["records"] += 1
            elif isinstance(item, Interaction):
                counts["interactions"] += 1
            elif isinstance(item, Reject):
                counts["rejects"] += 1
    else:
        from reseausync.api import import_paths
        (result,) = import_paths([str(target)], db=str(db), connector="linkedin")
        counts = {"records": result.counts["added"] + result.counts["updated"],
                  "unchanged": result.counts["unchanged"],
                  "interactions": result.counts["interactions"],
                  "rejects": result.counts["rejected"], "status": result.status}
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)   # forked read/match workers
    return {"phase": name, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "worker_cpu_seconds": round(workers.ru_utime + workers.ru_stime, 2),
            "peak_rss_mib": round(peak_rss_mib(), 1),
            "worker_peak_rss_mib": round(workers.ru_maxrss / 1024, 1),
            **counts}


def worker_note(result: dict) -> str:
    """CPU and peak RSS of the phase's forked workers (read worker, match scorers)."""
    if not result.get("worker_cpu_seconds"):
        return ""
    return (f"(workers: CPU {result['worker_cpu_seconds']:.2f}s, "
            f"peak RSS {result['worker_peak_rss_mib']:.1f} MiB)  ")


def run_phases(phases: str, folder: Path, truth: dict) -> None:
    """Each phase in its own process, its counts checked against the truth."""
    for name in phases.split(","):
        out = subprocess.run([sys.executable, __file__, "--phase", name, "--folder", str(folder)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{name}: FAILED\n{out.stderr[-2000:]}")
            continue
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows = result["records"] + result["interactions"] + result["rejects"] + \
            result.get("unchanged", 0)
        kind = "connections" if name.endswith("connections") else "messages"
        expected = (truth["records"], truth["record_rejects"]) if kind == "connections" \
            else (truth["messages"], truth["message_rejects"])
        if name.startswith("next-month"):      # only the new ones added, none updated
            expected = (truth["next_month"], truth["record_rejects"])
        got = (result["records"] if kind == "connections" else result["interactions"],
               result["rejects"])
        target = 50_000 if kind == "connections" else 100_000
        rate = rows / result["seconds"] if result["seconds"] else float("inf")
        cpu_rate = rows / result["cpu_seconds"] if result["cpu_seconds"] else float("inf")
        print(f"{name:22s} {rows:>9d} rows {result['seconds']:>8.2f}s {rate:>10,.0f} rows/s "
              f"(CPU {result['cpu_seconds']:.2f}s, {cpu_rate:,.0f} rows/CPU-s) "
              f"peak RSS {result['peak_rss_mib']:>6.1f} MiB  "
              f"{worker_note(result)}"
              f"{'ok' if got == expected else f'COUNTS {got} != truth {expected}'}"
              f"{'' if not name.startswith('e2e') else f'  (target {target:,}/s)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--phases", default="connector-connections,connector-messages,"
                                            "e2e-connections,e2e-messages,"
                                            "next-month-connections")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        db = args.folder / f"{args.phase}.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)   # a reused --workdir measures a first import too
        print(json.dumps(phase(args.phase, args.folder, db)))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reseausync-bench-"))
    folder = workdir / "export"
    started = time.perf_counter()
    truth = generate(folder, args.connections, args.messages, args.seed)
    print(f"generated {args.connections} connections, {args.messages} messages in "
          f"{time.perf_counter() - started:.1f}s under {folder}")
    print(f"ground truth: {json.dumps(truth)}")
    try:
        run_phases(args.phases, folder, truth)
    finally:
        if args.workdir is None:     # the export and its databases: a few GB
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
