"""Engagement benchmark: link interactions and compute every status, at scale.

    python benchmarks/engagement.py [--contacts 100000] [--interactions 2000000] [--seed 7]

A seeded generator writes a directory (SQLite in a temp folder) in a child
process: contacts with emails, phones, LinkedIn URLs and some shared names; and
interactions whose participants name them by email, by phone written the way
people write it, by a variant of the profile URL, by name alone, plus strangers,
the owner and automated mail. Each contact gets a planned status (engaged,
cooling, cold, never engaged) and the generator writes evidence for it: an
exchange or a meeting at a chosen last-engagement date, older engagements,
attempts (unanswered messages, invitations, cards, endorsements) at any date, and
events after the as-of date that must be ignored. The ground truth (who each
participant is, each contact's status) is kept in side tables.

This process then times `link_interactions` and `annotate` over every contact
(targets: <= 60 s together, peak RSS <= 2 GiB for this process), and checks both
against the truth.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reseausync.config import MeSettings, Settings
from reseausync.engagement import annotate, cold_contacts, link_interactions, stats
from reseausync.engagement.keys import name_key
from reseausync.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from measure import peak_rss_mib  # noqa: E402

AS_OF = date(2026, 11, 20)
OWNER = "marie@example.com"
GIVEN = ["jean", "marie", "kate", "elise", "robert", "sophie", "mike", "priya", "lucas",
         "nathalie", "alex", "fred", "thomas", "julie", "marc", "isabelle", "eric", "nadia",
         "olivier", "chloe", "samuel", "lea", "antoine", "emma", "hugo", "zoe", "louis",
         "ines", "gabriel", "camille"]
FAMILY = ["tremblay", "gagnon", "roy", "cote", "bouchard", "gauthier", "morin", "lavoie",
          "fortin", "gagne", "ouellet", "pelletier", "belanger", "levesque", "bergeron",
          "leblanc", "paquette", "girard", "simard", "boucher", "caron", "beaulieu",
          "cloutier", "dube", "poirier", "fournier", "lapointe", "leclerc", "lefebvre",
          "martin", "chen", "nguyen", "obrien", "rossi", "dubois", "natarajan"]
DOMAINS = ["acme.ca", "shopify.com", "coveo.com", "desjardins.com", "gmail.com",
           "outlook.com", "videotron.ca", "bombardier.com", "uqam.ca"]
SOURCES = [("phone", "vcard"), ("linkedin", "linkedin"), ("cards", "cards"), ("google", "csv")]
PLANS = [("engaged", 0.25), ("cooling", 0.2), ("cold", 0.25), ("never_engaged", 0.3)]
NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _when(days_before: float) -> str:
    return (NOON - timedelta(days=days_before)).isoformat()


class Generator:
    """Writes contacts, interactions and the truth; one contact at a time."""

    def __init__(self, db_path: str, contacts: int, interactions: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.store = Store.open(db_path)
        self.n = contacts
        self.mean = interactions / contacts
        self.next_id = 1
        self.thread = 0
        self.rows: list[tuple] = []
        self.truth: list[tuple] = []

    def run(self) -> None:
        db = self.store.db
        db.execute("CREATE TABLE bench_truth (interaction_id INTEGER, participant INTEGER, "
                   "contact_id TEXT, PRIMARY KEY (interaction_id, participant))")
        db.execute("CREATE TABLE bench_status (contact_id TEXT PRIMARY KEY, status TEXT)")
        people = [self._person(i) for i in range(self.n)]
        names: dict[str, int] = {}
        for p in people:      # uniqueness as linking sees it: "Jean Marie" == "Marie Jean"
            p["key"] = name_key(p["name"])
            names[p["key"]] = names.get(p["key"], 0) + 1
        db.execute("BEGIN")
        self._write_contacts(people)
        for p in people:
            p["unique_name"] = names[p["key"]] == 1
            self._evidence(p)
            if len(self.rows) >= 50_000:
                self._flush()
        self._flush()
        db.execute("COMMIT")
        self.store.close()

    def _person(self, i: int) -> dict:
        rng = self.rng
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        if rng.random() < 0.5:        # a middle name makes most full names unique
            given = f"{given} {rng.choice(GIVEN)}"
        plan = rng.choices([p for p, _ in PLANS], [w for _, w in PLANS])[0]
        source = rng.choice(SOURCES)
        return {
            "id": f"c{i:07d}", "name": f"{given.title()} {family.title()}", "plan": plan,
            "email": f"{given.replace(' ', '.')}.{family}.{i}@{rng.choice(DOMAINS)}",
            "phone": f"+1514{2000000 + i:07d}" if rng.random() < 0.6 else "",
            "url": f"https://www.linkedin.com/in/{given.replace(' ', '-')}-{family}-{i}"
                   if rng.random() < 0.4 else "",
            "source": source,
            "categories": [rng.choice(["Famille", "Hockey", "Clients"])]
                          if rng.random() < 0.2 else [],
            "collected": (date(2010, 1, 1) + timedelta(days=rng.randrange(6000))).isoformat(),
        }

    def _write_contacts(self, people: list[dict]) -> None:
        db = self.store.db
        contacts, records, links = [], [], []
        for rid, p in enumerate(people, 1):
            source, connector = p["source"]
            data = {"display_name": p["name"], "given_name": "", "family_name": "",
                    "emails": [p["email"]], "phones": [p["phone"]] if p["phone"] else [],
                    "organization": "", "title": "", "linkedin_url": p["url"] or None,
                    "addresses": [], "categories": p["categories"], "urls": [], "note": "",
                    "birthday": "", "photo": "", "first_collected": p["collected"],
                    "sources": [{"source": source, "connector": connector,
                                 "external_id": p["id"], "locator": f"{source}:{rid}"}],
                    "provenance": {}, "flags": []}
            record = {"emails": [{"value": p["email"], "label": ""}], "organization": "",
                      "categories": p["categories"]}
            contacts.append((p["id"], json.dumps(data)))
            records.append((rid, source, connector, p["id"], json.dumps(record), p["collected"]))
            links.append((rid, p["id"]))
        db.executemany("INSERT INTO contacts (id, data) VALUES (?, ?)", contacts)
        db.executemany(
            "INSERT INTO records (id, source, connector, external_id, unit, locator, "
            "content_hash, data, collected_at, first_seen, last_seen, first_run, last_run) "
            "VALUES (?, ?, ?, ?, 'u', 'u', 'h', ?, ?, 'now', 'now', 1, 1)", records)
        db.executemany("INSERT INTO contact_records VALUES (?, ?, '{}')", links)
        db.executemany("INSERT INTO bench_status VALUES (?, ?)",
                       [(p["id"], p["plan"]) for p in people])

    # evidence --------------------------------------------------------------

    def _evidence(self, p: dict) -> None:
        rng = self.rng
        count = max(1, int(rng.expovariate(1 / self.mean)))
        if p["plan"] == "never_engaged":
            last = None
        else:
            low, high = {"engaged": (0, 89), "cooling": (91, 364),
                         "cold": (367, 3000)}[p["plan"]]
            last = rng.uniform(low, high + 0.49)
            count -= self._engagement(p, last)
        while count > 0:
            roll = rng.random()
            if last is not None and roll < 0.45:
                count -= self._engagement(p, rng.uniform(last + 1.5, last + 2000))
            elif roll < 0.9:
                self._attempt(p, rng.uniform(0, 3000))
                count -= 1
            elif roll < 0.95:     # after the as-of date: must be ignored
                self._add(p, "meeting", -rng.uniform(1, 300), "both")
                count -= 1
            else:                 # a mailing list copying the contact: never engagement
                self._add(p, "email", rng.uniform(0, 3000), "in", automated=True)
                count -= 1

    def _engagement(self, p: dict, days_before: float) -> int:
        if self.rng.random() < 0.4:
            self._add(p, self.rng.choice(["meeting", "call", "recommendation"]),
                      days_before, "both")
            return 1
        self.thread += 1
        kind = self.rng.choice(["message", "email"])
        first, second = self.rng.choice([("in", "out"), ("out", "in")])
        self._add(p, kind, days_before + self.rng.uniform(0.1, 10), first, thread=self.thread)
        self._add(p, kind, days_before, second, thread=self.thread)
        return 2

    def _attempt(self, p: dict, days_before: float) -> None:
        kind = self.rng.choice(["invitation", "message", "email", "card_exchange",
                                "endorsement"])
        self.thread += 1
        direction = self.rng.choice(["in", "out"]) if kind in ("message", "email") else "out"
        self._add(p, kind, days_before, direction, thread=self.thread)

    def _participant(self, p: dict) -> dict:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15 and p["phone"]:
            digits = p["phone"][2:]
            return {"phone": f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"}
        if roll < 0.30 and p["url"]:
            slug = p["url"].rsplit("/", 1)[1]
            return {"linkedin_url": f"http://ca.linkedin.com/in/{slug.upper()}/?trk=x"}
        if roll < 0.36 and p["unique_name"]:
            return {"name": p["name"].upper()}
        return {"name": p["name"], "email": p["email"].upper() if roll > 0.9 else p["email"]}

    def _add(self, p: dict, kind: str, days_before: float, direction: str, *,
             thread: int = 0, automated: bool = False) -> None:
        iid = self.next_id
        self.next_id += 1
        people = [(self._participant(p), p["id"])]
        if self.rng.random() < 0.1:
            people.insert(0, ({"email": OWNER.upper()}, None))
        if self.rng.random() < 0.05:
            people.append(({"email": f"stranger{self.rng.randrange(20000)}@nowhere.org"},
                           None))
        blob = json.dumps([{"name": "", "email": "", "phone": "", "linkedin_url": "", **q}
                           for q, _ in people])
        extra = '{"automated": true}' if automated else "{}"
        self.rows.append((iid, f"e{iid}", kind, _when(days_before), direction,
                          f"t{thread}" if thread else "", blob, extra))
        self.truth.extend((iid, n, cid) for n, (_, cid) in enumerate(people))

    def _flush(self) -> None:
        self.store.db.executemany(
            "INSERT INTO interactions (id, source, connector, external_id, unit, locator, kind,"
            " occurred_at, direction, thread, participants, extra, content_hash, first_run,"
            " last_run) VALUES (?, 'bench', 'bench', ?, 'u', 'u', ?, ?, ?, ?, ?, ?, 'h', 1, 1)",
            self.rows)
        self.store.db.executemany("INSERT INTO bench_truth VALUES (?, ?, ?)", self.truth)
        self.rows, self.truth = [], []


def measure(db_path: str) -> int:
    settings = Settings(region="CA", me=MeSettings(emails=[OWNER]))
    store = Store.open(db_path)
    interactions = store.db.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    print(f"directory: {store.db.execute('SELECT COUNT(*) FROM contacts').fetchone()[0]:,} "
          f"contacts, {interactions:,} interactions")

    start, cpu = time.perf_counter(), time.process_time()
    counts = link_interactions(store, settings)
    link_s = time.perf_counter() - start
    print(f"link_interactions: {link_s:.1f} s (CPU {time.process_time() - cpu:.1f} s)  {counts}")

    start = time.perf_counter()
    contacts = [dict(json.loads(data), id=cid)
                for cid, data in store.db.execute("SELECT id, data FROM contacts")]
    load_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    annotated = annotate(store, contacts, AS_OF, settings)
    status_s = time.perf_counter() - start
    print(f"load contacts: {load_s:.1f} s; annotate (status, tie, layer): {status_s:.1f} s "
          f"(CPU {time.process_time() - cpu:.1f} s)")
    start = time.perf_counter()
    cold = cold_contacts(annotated)
    summary = stats(store, annotated)
    print(f"cold_contacts + stats: {time.perf_counter() - start:.1f} s; "
          f"{len(cold):,} on the cold list")
    print(f"by status: {summary['by_status']}")
    print(f"by layer: {summary['by_layer']}")

    wrong_links = store.db.execute(
        "SELECT COUNT(*) FROM bench_truth t LEFT JOIN interaction_links l "
        "ON l.interaction_id = t.interaction_id AND l.participant = t.participant "
        "WHERE l.contact_id IS NOT t.contact_id").fetchone()[0]
    truth_links = store.db.execute("SELECT COUNT(*) FROM bench_truth").fetchone()[0]
    plan = dict(store.db.execute("SELECT contact_id, status FROM bench_status"))
    wrong_status = sum(1 for c in annotated if c["status"] != plan[c["id"]])
    total = link_s + status_s
    rss = peak_rss_mib()
    print(f"links wrong: {wrong_links:,} of {truth_links:,}; "
          f"statuses wrong: {wrong_status:,} of {len(annotated):,}")
    print(f"link + status: {total:.1f} s (target <= 60 s); peak RSS {rss:,.0f} MiB "
          f"(target <= 2048 MiB)")
    store.close()
    ok = wrong_links == 0 and wrong_status == 0 and total <= 60 and rss <= 2048
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="reuse or create this directory file")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        Generator(args.db, args.contacts, args.interactions, args.seed).run()
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "engagement.db")
        if not Path(path).exists():
            start = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--generate-only", "--db", path,
                            "--contacts", str(args.contacts), "--interactions",
                            str(args.interactions), "--seed", str(args.seed)], check=True)
            print(f"generated in {time.perf_counter() - start:.1f} s (child process)")
        return measure(path)


if __name__ == "__main__":
    sys.exit(main())
