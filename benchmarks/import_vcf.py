"""Benchmark: the whole vCard import into SQLite against raw vobject parsing.

Generates N seeded, realistic cards (accented names, 2 phones, 2 emails, an
address, some inline photos; a mix of 2.1 quoted-printable, 3.0 iPhone groups and
4.0), then measures in separate child processes, on the same file:

- import: `reseausync.api.import_paths([file], db=tmp_db)`, the whole pipeline
  (read, write records, resolve contacts), checked against the ground truth
  (every card added, none rejected);
- raw vobject: `vobject.readComponents` over the file, single process;
- the vCard connector alone (no store), to tell parsing from storing and resolving.

Prints cards/s of both, their ratio (target >= 1.3) and the peak RSS of each child
(target < 400 MiB for the import).

    python benchmarks/import_vcf.py [--n 100000] [--seed 7] [--photo-share 0.02]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import quopri
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import peak_rss_mib, run_phase  # noqa: E402

GIVEN = ["Jean-François", "Élise", "Hélène", "Frédéric", "Zoé", "Amélie", "Benoît", "Chloé",
         "Noël", "Mathéo", "Catherine", "Robert", "Priya", "Thomas", "Sophie", "Lucas",
         "Nathalie", "Michaël", "Björn", "Łucja", "José", "Anaïs", "Gaëlle", "Raphaël"]
FAMILY = ["Tremblay", "Gagnon", "Côté", "Bélanger", "Lévesque", "Bouchard", "Gauthier",
          "Pelletier", "O'Brien", "Nguyen", "Martin", "Dubois", "Lavoie", "Fortin", "Roy",
          "Ménard", "Ouellet", "Béliveau", "Desrosiers", "Saint-Pierre", "Chen", "Natarajan"]
ORGS = ["Acme Inc.", "Desjardins", "Shopify", "Coveo", "Bombardier", "Nimbus Labs",
        "Hydro-Québec", "Université de Montréal", "Banque Nationale", "Ubisoft"]
TITLES = ["Directeur des ventes", "Product Manager", "Développeuse", "CTO", "Avocate",
          "Conseiller en placements", "Data Scientist", "Infirmière", "Comptable"]
STREETS = ["rue Saint-Denis", "boulevard René-Lévesque Ouest", "avenue du Mont-Royal",
           "chemin de la Côte-des-Neiges", "rue Sherbrooke Est", "rue Principale"]
CITIES = [("Montréal", "QC", "H2J"), ("Québec", "QC", "G1R"), ("Laval", "QC", "H7N"),
          ("Gatineau", "QC", "J8X"), ("Toronto", "ON", "M5V"), ("Ottawa", "ON", "K1P")]


def _ascii(text: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c) and c.isalnum())


def _qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii").replace("=\n", "")


def _photo(rng: random.Random) -> str:
    blob = b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randint(3000, 8000)) + b"\xff\xd9"
    return base64.b64encode(blob).decode("ascii")


def _fold(line: str) -> str:
    if len(line) <= 75:
        return line
    return "\r\n ".join([line[:75]] + [line[i:i + 74] for i in range(75, len(line), 74)])


def card(i: int, rng: random.Random, photo_share: float) -> str:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    fn = f"{given} {family}"
    user = f"{_ascii(given).lower()}.{_ascii(family).lower()}{i}"
    org = rng.choice(ORGS)
    city, region, fsa = rng.choice(CITIES)
    street = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
    code = f"{fsa} {rng.randint(1, 9)}{rng.choice('ABCEGHJ')}{rng.randint(1, 9)}"
    mobile = f"+1 514 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    work = f"({rng.randint(400, 819)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    kind = rng.random()
    lines = ["BEGIN:VCARD"]
    if kind < 0.3:                                   # old Android, vCard 2.1
        lines += ["VERSION:2.1",
                  f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(family)};{_qp(given)};;;",
                  f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(fn)}",
                  f"TEL;CELL;PREF:{mobile}", f"TEL;WORK:{work}",
                  f"EMAIL;HOME:{user}@gmail.com", f"EMAIL;WORK:{user}@example.com",
                  f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(org)}",
                  f"ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;{_qp(street)};"
                  f"{_qp(city)};{region};{code};Canada"]
        if rng.random() < photo_share:
            lines.append(_fold(f"PHOTO;ENCODING=BASE64;JPEG:{_photo(rng)}"))
            lines.append("")
    elif kind < 0.8:                                 # iPhone, vCard 3.0 with groups
        lines += ["VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
                  f"N:{family};{given};;;", f"FN:{fn}", f"ORG:{org};",
                  f"TITLE:{rng.choice(TITLES)}",
                  f"item1.EMAIL;type=INTERNET;type=pref:{user}@example.com",
                  "item1.X-ABLabel:_$!<Work>!$_",
                  f"item2.EMAIL;type=INTERNET:{user}@icloud.com",
                  "item2.X-ABLabel:_$!<Home>!$_",
                  f"item3.TEL;type=pref:{mobile}", "item3.X-ABLabel:_$!<Mobile>!$_",
                  f"TEL;type=WORK;type=VOICE:{work}",
                  f"item4.ADR;type=HOME;type=pref:;;{street};{city};{region};{code};Canada",
                  "item4.X-ABLabel:_$!<Home>!$_", "CATEGORIES:Amis,Hockey",
                  f"NOTE:Rencontré à {city}\\, au 5 à 7"]
        if rng.random() < photo_share:
            lines.append(_fold(f"PHOTO;ENCODING=b;TYPE=JPEG:{_photo(rng)}"))
    else:                                            # server, vCard 4.0
        lines += ["VERSION:4.0", f"N:{family};{given};;;", f"FN:{fn}", f"ORG:{org}",
                  f"EMAIL;TYPE=work;PREF=1:{user}@example.com", f"EMAIL;TYPE=home:{user}@proton.me",
                  f"TEL;VALUE=uri;TYPE=\"cell,voice\":tel:{mobile.replace(' ', '-')}",
                  f"TEL;TYPE=work:{work}",
                  f"ADR;TYPE=work:;;{street};{city};{region};{code};Canada",
                  f"URL:https://www.linkedin.com/in/{user}"]
        if rng.random() < photo_share:
            lines.append(_fold(f"PHOTO:data:image/jpeg;base64,{_photo(rng)}"))
    if i % 10:  # one card in ten has no UID: its id is a hash of its content
        lines.append(f"UID:bench-{i:08d}")
    lines.append("END:VCARD")
    return "\r\n".join(_fold(line) if not line.startswith("PHOTO") else line
                       for line in lines) + "\r\n"


def generate(path: Path, n: int, seed: int, photo_share: float) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as out:
        for i in range(n):
            out.write(card(i, rng, photo_share))


def phase_import(path: str) -> dict:
    from reseausync import api
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        results = api.import_paths([path], db=db)
        elapsed = time.perf_counter() - start
        counts = results[0].counts
        photos = api.open_store(db)
        with photos as store:
            stored_photos = store.db.execute("SELECT count(*) FROM photos").fetchone()[0]
    return {"seconds": elapsed, "counts": counts, "photos": stored_photos,
            "peak_mib": peak_rss_mib()}


def phase_vobject(path: str) -> dict:
    import vobject
    start = time.perf_counter()
    count = 0
    with open(path, encoding="utf-8") as stream:
        for _ in vobject.readComponents(stream):
            count += 1
    return {"seconds": time.perf_counter() - start, "cards": count, "peak_mib": peak_rss_mib()}


def phase_connector(path: str) -> dict:
    from reseausync.models import SourceRecord
    from reseausync_connectors.vcard import VCardConnector
    conn = VCardConnector()
    start = time.perf_counter()
    count = sum(isinstance(item, SourceRecord)
                for item in conn.read(list(conn.discover(path))))
    return {"seconds": time.perf_counter() - start, "cards": count, "peak_mib": peak_rss_mib()}


PHASES = {"import": phase_import, "vobject": phase_vobject, "connector": phase_connector}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--photo-share", type=float, default=0.02)
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.file)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.vcf"
        generate(path, args.n, args.seed, args.photo_share)
        size_mib = path.stat().st_size / 2**20
        imported = run_phase(__file__, "import", path)
        raw = run_phase(__file__, "vobject", path)
        alone = run_phase(__file__, "connector", path)
    counts = imported["counts"]
    ok = counts["added"] == args.n and counts["rejected"] == 0 and raw["cards"] == args.n
    import_rate = args.n / imported["seconds"]
    vobject_rate = raw["cards"] / raw["seconds"]
    print(f"cards: {args.n} (seed {args.seed}), file {size_mib:.1f} MiB, "
          f"photos stored {imported['photos']}")
    print(f"ground truth: added {counts['added']}/{args.n}, rejected {counts['rejected']}, "
          f"vobject read {raw['cards']} -> {'OK' if ok else 'MISMATCH'}")
    print(f"import (whole pipeline): {imported['seconds']:.2f} s, {import_rate:,.0f} cards/s, "
          f"peak RSS {imported['peak_mib']:.0f} MiB")
    print(f"raw vobject.readComponents: {raw['seconds']:.2f} s, {vobject_rate:,.0f} cards/s, "
          f"peak RSS {raw['peak_mib']:.0f} MiB")
    print(f"vCard connector alone (no store): {alone['seconds']:.2f} s, "
          f"{alone['cards'] / alone['seconds']:,.0f} cards/s, peak RSS {alone['peak_mib']:.0f} MiB")
    print(f"ratio import / vobject: {import_rate / vobject_rate:.2f} (target >= 1.3); "
          f"import peak RSS target < 400 MiB")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
