"""A seeded generator of contact records with ground truth, for the dedup benchmarks.

Each generated person has an entity id; each of their 1-4 records is what one
source would say about them, with the variations real exports have: typos,
dropped accents, nicknames, swapped name order, initials, missing fields, work vs
personal email, phone formats. The hard cases are built in on purpose:
homonyms (same-name strangers, drawn from a skewed name distribution), households
(relatives sharing a surname, a landline, a family email and a city) and
colleagues (one company, one email domain).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

GIVEN = ("Marie Jean Pierre Sophie Catherine Robert William Michael Alexandre Frédéric "
         "Maxime Philippe Élise Nathalie Lucas Thomas Julie Isabelle Luc Martin Émilie Olivier "
         "Sébastien Stéphane Chantal Sylvie Manon Josée Patrick Daniel David Nicolas Simon "
         "Camille Léa Chloé Gabriel Samuel Antoine Louis Mathieu Vincent Éric Marc François "
         "Jean-François Jean-Philippe Marie-Ève Anne-Marie Priya Wei Mohamed Fatima Ana "
         "Carlos Hiroshi Olga Ingrid Kate Bob Michelle Karen Steven Jennifer Richard James "
         "Elizabeth Margaret Charles Henri Raphaël Valérie Véronique Dominique Emmanuel "
         "Guillaume Benjamin Andrew Christopher Timothy Rebecca Deborah Louise Théo").split()
FAMILY = ("Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet "
          "Pelletier Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron "
          "Beaulieu Cloutier Dubé Poirier Fournier Lapointe Leclerc Lefebvre Poulin Thibault "
          "St-Pierre Nadeau Martin Landry Martel Bédard Grenier Lessard Bernier Richard Michaud "
          "Hébert Desjardins Couture Turcotte Lachance Parent Blais Gosselin Savard Proulx "
          "Beaudoin Demers Perreault Smith Johnson Brown Wilson Chen Nguyen Natarajan O'Brien "
          "Rossi Dubois Müller García Kowalski Novak Silva Kim Park Ivanova Haddad Diallo "
          "MacDonald Fitzgerald van_der_Berg de_la_Fontaine Da_Silva").split()
# Compound family names stay whole.
FAMILY = [f.replace("_", " ") for f in FAMILY]
NICK = {"Robert": "Bob", "William": "Bill", "Catherine": "Kate", "Michael": "Mike",
        "Alexandre": "Alex", "Frédéric": "Fred", "Maxime": "Max", "Philippe": "Phil",
        "Elizabeth": "Liz", "Richard": "Rick", "James": "Jim", "Steven": "Steve",
        "Christopher": "Chris", "Benjamin": "Ben", "Jean-François": "JF",
        "Jean-Philippe": "JP", "Nicolas": "Nico", "Thomas": "Tom", "Daniel": "Dan"}
COMPANIES = ("Acme Inc.|Shopify|Desjardins|Bombardier Ltée|Coveo|Nimbus Labs Inc.|"
             "Element AI|CGI|Hydro-Québec|Banque Nationale|UQAM|Ubisoft|SAP Canada|"
             "Martin & Associés SENCRL|Lightspeed|Cascades|Saputo|Couche-Tard|CN|Air Canada"
             ).split("|")
CITIES = ("Montréal Québec Laval Gatineau Longueuil Sherbrooke Lévis Toronto Ottawa "
          "Trois-Rivières Saguenay Terrebonne").split()
DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "videotron.ca", "yahoo.ca")
SOURCES = ("phone", "linkedin", "google", "cards", "outlook")


@dataclass
class Person:
    entity: int
    given: str
    family: str
    company: str
    city: str
    phone: str           # ten NANP digits
    work_email: str
    personal_email: str
    linkedin: str


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    return "".join(c for c in ascii_fold(text).lower() if c.isalnum())


_SYLLABLES = ("ber ga ron la pointe tru del ma sson ri chard vil le neu fon tai ne bou "
              "cher mar tin gi ra lan dry mi chaud ca ro nie pa quet ge st hu bert an "
              "dre ko wal ski no vak to mas").split()


def tail_families(rng: random.Random, n: int) -> list[str]:
    """A long tail of plausible surnames: most people do not share a surname with
    thousands of others."""
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3)))).title())
    return sorted(out)


class Generator:
    def __init__(self, seed: int = 42) -> None:
        self.rng = random.Random(seed)
        self.tail = tail_families(random.Random(0), 20000)
        tail_rng = random.Random(1)
        forms = ("Inc.", "Ltée", "Labs", "Conseil", "SAS", "Group")
        self.companies = [f"{name} {tail_rng.choice(forms)}"
                          for name in tail_families(tail_rng, 5000)]
        # A skewed name distribution: a few very common names, a long tail.
        self.given_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(GIVEN))]
        self.family_weights = [1.0 / (i + 1) ** 0.9 for i in range(len(FAMILY))]
        self.phones: set[str] = set()
        self.work_emails: set[str] = set()

    def _phone(self) -> str:
        while True:
            digits = "514" if self.rng.random() < 0.5 else self.rng.choice(("438", "450", "418"))
            digits += f"{self.rng.randrange(2000000, 9999999)}"
            if digits not in self.phones:
                self.phones.add(digits)
                return digits

    def _work_email(self, local: str, suffix: object, domain: str) -> str:
        """A company gives each employee a mailbox of their own: a second Marie
        Tremblay at Acme gets marie.tremblay2@, never the first one's address (a
        family address shared by relatives is realistic and stays). The random draw
        for the suffix is the same as before, so the rest of the seeded stream is
        unchanged."""
        address = f"{local}{suffix}@{domain}.com"
        n = 1
        while address in self.work_emails:
            n += 1
            address = f"{local}{suffix}{'-' if suffix != '' else ''}{n}@{domain}.com"
        self.work_emails.add(address)
        return address

    def person(self, entity: int, family: str | None = None, phone: str | None = None,
               city: str | None = None, home_email: str | None = None) -> Person:
        rng = self.rng
        given = rng.choices(GIVEN, self.given_weights)[0]
        if family is None:
            family = (rng.choices(FAMILY, self.family_weights)[0] if rng.random() < 0.5
                      else rng.choice(self.tail))
        company = rng.choice(COMPANIES) if rng.random() < 0.3 else rng.choice(self.companies)
        local = f"{slug(given)}.{slug(family)}"
        work = self._work_email(local, entity % 97 if rng.random() < 0.5 else "",
                                slug(company)[:12])
        personal = home_email or f"{slug(given)[:1]}{slug(family)}{entity}@{rng.choice(DOMAINS)}"
        return Person(entity, given, family, company, city or rng.choice(CITIES),
                      phone or self._phone(), work, personal,
                      f"https://www.linkedin.com/in/{slug(given)}-{slug(family)}-{entity:x}")

    def people(self, n_people: int) -> Iterator[Person]:
        entity = 0
        while entity < n_people:
            roll = self.rng.random()
            if roll < 0.08:     # a household: 2-3 relatives, one landline, one family email
                head = self.person(entity)
                email = f"famille.{slug(head.family)}{entity}@videotron.ca"
                head.personal_email = email
                yield head
                entity += 1
                for _ in range(self.rng.choice((1, 2))):
                    relative = self.person(entity, head.family, head.phone, head.city, email)
                    while relative.given == head.given:
                        relative.given = self.rng.choice(GIVEN)
                    yield relative
                    entity += 1
            else:
                yield self.person(entity)
                entity += 1

    # variations ----------------------------------------------------------------

    def typo(self, text: str) -> str:
        if len(text) < 4:
            return text
        i = self.rng.randrange(1, len(text) - 1)
        kind = self.rng.random()
        if kind < 0.4:
            return text[:i] + text[i + 1:]                       # deletion
        if kind < 0.7:
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]   # transposition
        return text[:i] + self.rng.choice("aeiourstnl") + text[i + 1:]

    def phone_format(self, digits: str) -> str:
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return self.rng.choice((f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}",
                                f"1-{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a}{b}{c}"))

    def record(self, p: Person, source: str, n: int) -> dict:
        rng = self.rng
        given, family = p.given, p.family
        if rng.random() < 0.15 and given in NICK:
            given = NICK[given]
        if rng.random() < 0.15:
            given, family = ascii_fold(given), ascii_fold(family)
        if rng.random() < 0.06:
            given = self.typo(given)
        if rng.random() < 0.06:
            family = self.typo(family)
        if rng.random() < 0.05:
            given = "".join(w[0] for w in given.replace("-", " ").split()) or given
        data = {"display_name": "", "given_name": "", "family_name": "", "emails": [],
                "phones": [], "organization": "", "title": "", "linkedin_url": "",
                "addresses": [], "categories": [], "urls": [], "note": "", "birthday": "",
                "extra": {}}
        shape = rng.random()
        if shape < 0.5:
            data["display_name"] = f"{given} {family}"
        elif shape < 0.58:
            data["display_name"] = f"{family}, {given}"
        elif shape < 0.63:
            data["display_name"] = f"{family} {given}"       # swapped, no comma
        else:
            data["given_name"], data["family_name"] = given, family
        if source == "linkedin":
            data["linkedin_url"] = p.linkedin
            data["organization"] = p.company
            if rng.random() < 0.5:
                data["emails"] = [{"value": p.work_email, "label": ""}]
        else:
            emails = []
            if rng.random() < 0.6:
                emails.append(p.work_email if rng.random() < 0.5 else p.personal_email)
            if rng.random() < 0.15:
                emails.append(p.personal_email)
            data["emails"] = [{"value": e.upper() if rng.random() < 0.1 else e, "label": ""}
                              for e in dict.fromkeys(emails)]
            if rng.random() < 0.6:
                data["phones"] = [{"value": self.phone_format(p.phone), "label": ""}]
            if rng.random() < 0.5:
                data["organization"] = p.company
            if not data["emails"] and not data["phones"]:   # a record names a way to reach
                data["phones"] = [{"value": self.phone_format(p.phone), "label": ""}]
            if rng.random() < 0.4:
                data["addresses"] = [{"street": "", "locality": p.city, "region": "QC",
                                      "postal_code": "", "country": "", "label": ""}]
        return data

    def records(self, n_records: int) -> Iterator[tuple[int, str, str, dict]]:
        """(entity, source, external id, data) until about `n_records` records."""
        made = 0
        n = 0
        for p in self.people(n_records):
            k = self.rng.choices((1, 2, 3, 4), (0.45, 0.3, 0.17, 0.08))[0]
            for source in self.rng.sample(SOURCES, k):
                n += 1
                yield p.entity, source, f"{source}-{n}", self.record(p, source, n)
                made += 1
                if made >= n_records:
                    return
