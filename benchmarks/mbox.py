"""Benchmark of the mbox connector: a seeded mailbox with ground truth.

    python benchmarks/mbox.py [--n 50000] [--seed 7]

Generates one mbox of N messages with the headers real mailboxes carry: display
names plain, quoted ("Tremblay, JF"), RFC 2047 encoded (UTF-8 and ISO-8859-1,
B and Q) and raw UTF-8; To and Cc lists; Date in several zones and shapes;
Message-ID, In-Reply-To and References chains; encoded subjects; Received and
DKIM noise; bodies with "From " lines. Some messages come from mailing lists and
robots (flagged automated, still yielded), some are notes to self (skipped), some
are broken (bad Date, no Date, From without an address, a line that is not a
header: rejected). The generator knows what each message must give, so every
figure is checked against the ground truth: interactions, participants, messages
sent by the owner, automated, rejects by reason.

Measured in child processes, each with its own peak RSS: the connector alone
(read only) and `reseausync.api.import_paths([mbox], db=tmp)` end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import peak_rss_mib, run_phase  # noqa: E402

ME = ["marie@example.com", "marie.example@gmail.com"]
GIVEN = ["Élise", "Jean-François", "Frédéric", "Zoé", "Amélie", "Benoît", "Chloé", "Noël",
         "Catherine", "Robert", "Priya", "Thomas", "Sophie", "Lucas", "Nathalie", "Björn",
         "Łucja", "José", "Anaïs", "Kate", "Wei", "Oluwaseun", "Siobhan", "Hélène"]
FAMILY = ["Tremblay", "Gagnon", "Côté", "Bélanger", "Lévesque", "Bouchard", "Gauthier",
          "O'Brien", "Nguyen", "Martin", "Dubois", "Lavoie", "Fortin", "Roy", "Chen",
          "Natarajan", "Müller", "Saint-Pierre", "Desrosiers", "Okafor"]
DOMAINS = ["gmail.com", "acme.ca", "shopify.com", "coveo.com", "desjardins.com",
           "videotron.ca", "umontreal.ca", "nimbuslabs.io", "outlook.com", "example.org"]
SUBJECTS = ["Souper des fêtes ?", "Re: Proposition", "Réunion de jeudi", "Café demain?",
            "Quarterly review", "Invitation : lancement", "Suivi de notre appel",
            "Offre d'emploi — développeur", "Photos du week-end", "Question rapide"]
ZONES = [timezone(timedelta(hours=h)) for h in (-5, -4, 0, 1, 2, 9)]
LISTS = ["mtlblog", "python-dev", "quebec-tech", "annonces"]
ROBOTS = ["noreply", "no-reply", "noreply-billing", "mailer-daemon", "donotreply"]


@dataclass
class Truth:
    """What the connector must give for the whole mailbox."""

    interactions: int = 0
    participants: int = 0
    outgoing: int = 0
    automated: int = 0
    notes_to_self: int = 0
    rejects: Counter = field(default_factory=Counter)


@dataclass
class Person:
    name: str
    email: str


def _person(rng: random.Random) -> Person:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    local = rng.choice(["{g}.{f}", "{g}{f}", "{g0}{f}", "{g}"]).format(
        g=_ascii(given), f=_ascii(family), g0=_ascii(given)[0])
    return Person(f"{given} {family}", f"{local}{rng.randint(1, 400)}@{rng.choice(DOMAINS)}")


def _ascii(text: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if c.isascii() and c.isalnum()).lower()


def _address(rng: random.Random, person: Person) -> str:
    """One address as mail programs write it, the name in one of the usual shapes."""
    roll = rng.random()
    if roll < 0.15 or not person.name:
        return person.email if rng.random() < 0.5 else f"<{person.email}>"
    if roll < 0.35:
        return f"{Header(person.name, 'utf-8').encode()} <{person.email}>"
    if roll < 0.45:
        try:
            encoded = Header(person.name, "iso-8859-1").encode()
        except UnicodeEncodeError:
            encoded = Header(person.name, "utf-8").encode()
        return f"{encoded} <{person.email}>"
    if roll < 0.55:
        given, _, family = person.name.partition(" ")
        return f'"{family}, {given}" <{person.email}>'
    return f'"{person.name}" <{person.email}>' if rng.random() < 0.5 \
        else f"{person.name} <{person.email}>"


def _subject(rng: random.Random) -> str:
    text = rng.choice(SUBJECTS)
    if not text.isascii() and rng.random() < 0.7:
        return Header(text, "utf-8").encode()
    return text


def _date(rng: random.Random, start: datetime, i: int) -> str:
    moment = (start + timedelta(minutes=7 * i + rng.randint(0, 6))).astimezone(
        rng.choice(ZONES))
    roll = rng.random()
    if roll < 0.8:
        return format_datetime(moment)
    if roll < 0.9:
        return moment.strftime("%d %b %Y %H:%M:%S %z")
    return moment.strftime("%a, %d %b %Y %H:%M:%S") + " (EST)"      # no zone: read as UTC


def message(rng: random.Random, i: int, people: list[Person], start: datetime,
            roots: list[str], truth: Truth) -> str:
    """One message in mbox form; updates `truth` with what it must give."""
    kind = rng.random()
    me = Person("Marie Example", rng.choice(ME))
    outgoing = kind < 0.3
    sender = me if outgoing else rng.choice(people)
    to = [rng.choice(people) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    if not outgoing:
        to = [me] + to[:-1] if rng.random() < 0.8 else to
    cc = [rng.choice(people) for _ in range(rng.choice([0, 0, 0, 1, 2, 4]))]
    if rng.random() < 0.2:
        cc.append(me)
    headers: list[str] = []
    automated = ""
    broken = ""
    if kind > 0.985:
        broken = rng.choice(["bad-date", "no-date", "no-from", "not-a-header"])
    elif kind > 0.93:
        automated = rng.choice(["list", "robot", "bulk", "auto"])
    elif 0.92 < kind <= 0.93:
        to, cc, sender = [me], [], me         # a note to self
    if automated == "robot":
        sender = Person("Service", f"{rng.choice(ROBOTS)}@{rng.choice(DOMAINS)}")
    headers.append(f"Return-Path: <{sender.email}>")
    for hop in range(rng.randint(1, 3)):
        headers.append(f"Received: from mx{hop}.{rng.choice(DOMAINS)} (mx{hop} [10.0.{hop}.1])"
                       f"\n\tby mail.example.com with ESMTPS id {rng.getrandbits(48):x};"
                       f"\n\t{format_datetime(start)}")
    if rng.random() < 0.3:
        headers.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;"
                       f"\n\ts=s1; h=from:to:subject:date; bh={rng.getrandbits(128):x}=;"
                       f"\n\tb={rng.getrandbits(256):x}")
    if broken == "no-from":
        headers.append("From: undisclosed")
    else:
        headers.append(f"From: {_address(rng, sender)}")
    headers.append("To: " + ",\n ".join(_address(rng, p) for p in to))
    if cc:
        headers.append("Cc: " + ",\n ".join(_address(rng, p) for p in cc))
    if broken == "bad-date":
        headers.append("Date: le 3 décembre vers midi")
    elif broken != "no-date":
        headers.append(f"Date: {_date(rng, start, i)}")
    headers.append(f"Subject: {_subject(rng)}")
    own = f"m{i}.{rng.getrandbits(32):x}@{sender.email.split('@')[1]}"
    if rng.random() < 0.97:
        headers.append(f"Message-ID: <{own}>")
    if roots and rng.random() < 0.4:
        root = rng.choice(roots)
        headers.append(f"In-Reply-To: <{root}>")
        headers.append(f"References: <{root}>" + "".join(
            f"\n <r{rng.getrandbits(24):x}@x.example>" for _ in range(rng.randint(0, 3))))
    else:
        roots.append(own)
    if automated == "list":
        name = rng.choice(LISTS)
        headers.append(f"List-Id: {name} <{name}.lists.example.org>")
        headers.append(f"List-Unsubscribe: <mailto:leave-{name}@lists.example.org>")
    elif automated == "bulk":
        headers.append("Precedence: bulk")
    elif automated == "auto":
        headers.append("Auto-Submitted: auto-replied")
    headers.append("MIME-Version: 1.0")
    headers.append("Content-Type: text/plain; charset=utf-8")
    if broken == "not-a-header":
        headers.insert(rng.randint(1, len(headers)), "this line is not a header")
    body = [f"Bonjour {sender.name.split()[0]}," if sender.name else "Bonjour,", ""]
    body += ["Merci pour ton message, on se reparle bientôt." for _ in range(rng.randint(2, 12))]
    if rng.random() < 0.05:
        body += ["", "From the team at Acme: happy holidays!"]   # unescaped, as some writers do
    stamp = (start + timedelta(minutes=7 * i)).strftime("%a %b %d %H:%M:%S %Y")
    text = f"From {sender.email} {stamp}\n" + "\n".join(headers) + "\n\n" + \
        "\n".join(body) + "\n\n"

    if broken:
        truth.rejects["bad-header" if broken in ("no-from", "not-a-header") else broken] += 1
        return text
    unique: list[str] = []
    for p in [sender] + to + cc:
        if p.email not in ME and p.email not in unique:
            unique.append(p.email)
    if not unique:
        truth.notes_to_self += 1
        return text
    truth.interactions += 1
    truth.participants += len(unique)
    truth.outgoing += sender.email in ME
    truth.automated += bool(automated)
    return text


def generate(path: Path, n: int, seed: int) -> Truth:
    rng = random.Random(seed)
    people = [_person(rng) for _ in range(max(n // 20, 50))]
    start = datetime(2024, 1, 8, 9, tzinfo=UTC)
    truth = Truth()
    roots: list[str] = []
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(message(rng, i, people, start, roots, truth))
            del roots[:-500]
    return truth


def phase_connector(path: str) -> dict:
    from reseausync.connector import ReadContext
    from reseausync.models import Interaction, Reject
    from reseausync_connectors.mbox import MboxConnector
    conn = MboxConnector({}, ReadContext(source="bench", me_emails=frozenset(ME)))
    got = {"interactions": 0, "participants": 0, "outgoing": 0, "automated": 0,
           "rejects": Counter()}
    start = time.perf_counter()
    for item in conn.read(list(conn.discover(path))):
        if isinstance(item, Interaction):
            got["interactions"] += 1
            got["participants"] += len(item.participants)
            got["outgoing"] += item.direction == "out"
            got["automated"] += bool(item.extra.get("automated"))
        elif isinstance(item, Reject):
            got["rejects"][item.reason] += 1
    got["seconds"] = time.perf_counter() - start
    got["peak_mib"] = peak_rss_mib()
    return got


def phase_import(path: str) -> dict:
    from reseausync import api
    from reseausync.config import MeSettings, Settings
    settings = Settings(me=MeSettings(emails=ME))
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        results = api.import_paths([path], db=db, settings=settings)
        elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "counts": results[0].counts, "status": results[0].status,
            "peak_mib": peak_rss_mib()}


PHASES = {"connector": phase_connector, "import": phase_import}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-import", action="store_true",
                        help="time the connector alone (no store)")
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.file)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mbox"
        truth = generate(path, args.n, args.seed)
        size_mib = path.stat().st_size / 2**20
        alone = run_phase(__file__, "connector", path)
        imported = None if args.skip_import else run_phase(__file__, "import", path)
    want = {"interactions": truth.interactions, "participants": truth.participants,
            "outgoing": truth.outgoing, "automated": truth.automated,
            "rejects": dict(truth.rejects)}
    got = {k: alone[k] for k in ("interactions", "participants", "outgoing", "automated")}
    got["rejects"] = dict(alone["rejects"])
    ok = got == want
    print(f"messages: {args.n} (seed {args.seed}), file {size_mib:.1f} MiB; notes to self "
          f"{truth.notes_to_self}")
    print(f"ground truth: {json.dumps(want, sort_keys=True)}")
    print(f"connector:    {json.dumps(got, sort_keys=True)} -> {'OK' if ok else 'MISMATCH'}")
    print(f"connector alone: {alone['seconds']:.2f} s, {args.n / alone['seconds']:,.0f} "
          f"messages/s, peak RSS {alone['peak_mib']:.0f} MiB")
    if imported is not None:
        counts = imported["counts"]
        rejected = sum(truth.rejects.values())
        good = counts.get("interactions") == truth.interactions \
            and counts.get("rejected") == rejected and imported["status"] == "ok"
        ok = ok and good
        print(f"import_paths end to end: {imported['seconds']:.2f} s, "
              f"{args.n / imported['seconds']:,.0f} messages/s, peak RSS "
              f"{imported['peak_mib']:.0f} MiB; interactions {counts.get('interactions')}, "
              f"rejected {counts.get('rejected')} -> {'OK' if good else 'MISMATCH'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
