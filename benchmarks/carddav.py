"""CardDAV pull benchmark against a local Radicale with N cards (default 5,000).

    python benchmarks/carddav.py [--cards 5000] [--changes 50] [--seed 7]

Three pulls through the real pipeline (`run_source`, a SQLite file in a temp
folder): the first (every card fetched), a second with nothing changed (target:
no card body fetched, <= 2 s), and one after `--changes` changes made on the
server (80% edits, 10% deletions, 10% additions). The generator is seeded and
keeps the ground truth, so each pull's counts are checked, not just timed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reseausync.connector import ReadContext  # noqa: E402
from reseausync.pipeline import run_source  # noqa: E402
from reseausync.store import Store  # noqa: E402
from reseausync_connectors.carddav import CardDavConnector  # noqa: E402
from tests.integration.conftest import (  # noqa: E402
    MKCOL_ADDRESSBOOK,
    PASSWORD,
    PASSWORD_ENV,
    USER,
    start_radicale,
    stop_radicale,
)

GIVEN = ["Jean", "Marie", "Kate", "Élise", "Robert", "Sophie", "Mike", "Priya", "Lucas",
         "Nathalie", "Thomas", "Alex", "Frédéric", "Chloé", "Olivier", "Amélie"]
FAMILY = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Chen", "Martin", "Rossi",
          "Nguyen", "Dubois", "Lavoie", "Natarajan", "O'Brien", "Fortin", "Girard"]
ORGS = ["Acme", "Shopify", "Coveo", "Desjardins", "Nimbus Labs", "Bombardier", "UQAM"]


def make_card(rng: random.Random, uid: str, version: int = 0) -> str:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    email = f"{given}.{family}.{uid}".lower().replace("'", "") + "@example.com"
    phone = f"+1514555{rng.randrange(10000):04d}"
    return "\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{given} {family}",
        f"N:{family};{given};;;", f"EMAIL;TYPE=work:{email}", f"TEL;TYPE=cell:{phone}",
        f"ORG:{rng.choice(ORGS)}", f"NOTE:revision {version}", "END:VCARD"]) + "\r\n"


def pull(store: Store, url: str) -> dict:
    conn = CardDavConnector({"url": url, "username": USER, "password_env": PASSWORD_ENV,
                             "batch_size": 200, "timeout": 300},
                            ReadContext(source="bench"))
    start = time.perf_counter()
    result = run_source(store, conn, [url], command="sync", full_listing=True)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "requests": conn.http.requests_made, **conn.stats,
            **{k: result.counts.get(k, 0) for k in ("added", "updated", "unchanged",
                                                    "removed", "rejected")}}


def show(label: str, figures: dict) -> None:
    print(f"{label:<22} {figures['seconds']:7.2f} s  requests={figures['requests']:<4} "
          f"bodies={figures['bodies_fetched']:<5} listing={figures['listing']:<12} "
          f"discover={figures['discover_seconds']:.2f}s "
          f"added={figures['added']} updated={figures['updated']} "
          f"unchanged={figures['unchanged']} removed={figures['removed']} "
          f"rejected={figures['rejected']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    import os
    os.environ[PASSWORD_ENV] = PASSWORD
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        proc, root = start_radicale(folder)
        try:
            return run(args, rng, root, folder)
        finally:
            stop_radicale(proc)


def run(args: argparse.Namespace, rng: random.Random, root: str, folder: Path) -> int:
    http = requests.Session()
    http.auth = (USER, PASSWORD)
    http.trust_env = False
    book = f"{root}/{USER}/bench/"
    resp = http.request("MKCOL", book, data=MKCOL_ADDRESSBOOK.format(name="bench"))
    assert resp.status_code == 201, resp.status_code
    uids = [f"card-{i:05d}" for i in range(args.cards)]
    # Radicale takes ~50 ms per PUT here, so the cards are seeded as files in its
    # storage folder (one .vcf per card, its documented layout); every change
    # measured below goes through HTTP.
    start = time.perf_counter()
    storage = folder / "collections" / "collection-root" / USER / "bench"
    for uid in uids:
        (storage / f"{uid}.vcf").write_text(make_card(rng, uid), encoding="utf-8")
    print(f"seeded {args.cards} cards in {time.perf_counter() - start:.1f} s "
          f"(seed {args.seed})")
    # Cards written as files have no Radicale item cache or sync history yet; a
    # server that received them by PUT has both. Build them once, untimed by the
    # pulls (Radicale parses every card here: ~20-40 ms each on a busy machine).
    start = time.perf_counter()
    http.request("PROPFIND", book, headers={"Depth": "1"}, timeout=1800).raise_for_status()
    http.request("REPORT", book, headers={"Depth": "0"}, timeout=1800,
                 data='<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1'
                      '</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>'
                 ).raise_for_status()
    print(f"server cache warm-up {time.perf_counter() - start:.1f} s (not part of a pull)")

    store = Store.open(folder / "bench.db")
    first = pull(store, book)
    show("first pull", first)
    second = pull(store, book)
    show("second pull (no change)", second)

    n_edit = int(args.changes * 0.8)
    n_del = int(args.changes * 0.1)
    n_add = args.changes - n_edit - n_del
    chosen = rng.sample(uids, n_edit + n_del)
    for uid in chosen[:n_edit]:
        http.put(f"{book}{uid}.vcf", data=make_card(rng, uid, 1).encode(),
                 headers={"Content-Type": "text/vcard"}).raise_for_status()
    for uid in chosen[n_edit:]:
        http.delete(f"{book}{uid}.vcf").raise_for_status()
    for i in range(n_add):
        uid = f"new-{i:03d}"
        http.put(f"{book}{uid}.vcf", data=make_card(rng, uid).encode(),
                 headers={"Content-Type": "text/vcard"}).raise_for_status()
    third = pull(store, book)
    show(f"after {args.changes} changes", third)

    checks = {
        "first pull added every card": first["added"] == args.cards,
        "second pull fetched no body": second["bodies_fetched"] == 0,
        "second pull <= 2 s (whole pipeline run)": second["seconds"] <= 2.0,
        "second pull listing <= 2 s (connector discover)": second["discover_seconds"] <= 2.0,
        "third pull fetched only changed bodies": third["bodies_fetched"] == n_edit + n_add,
        "third pull counts match the ground truth": (
            third["updated"], third["removed"], third["added"]) == (n_edit, n_del, n_add),
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
