"""One card's text to its fields, each with a confidence.

The order matters and is the point of this module: repair the text, take the
fields that have a syntax (LinkedIn, emails, web sites, postal codes), learn the
card's country from them, then read the phones with that country as a hint, and
only then decide name, title and company among the lines nobody claimed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from reseausync.models import Address, Labeled

from . import fields as F
from . import layout as L
from . import text as T
from .layout import Evidence, decide, split_name
from .text import Line, fold, join_split_lines, repair_digits, repair_email_markers
from .words import FREE_MAIL

COUNTRY_REGION = {"Canada": "CA", "France": "FR", "USA": "US", "Belgique": "BE", "Suisse": "CH",
                  "Switzerland": "CH", "Belgium": "BE", "België": "BE", "Schweiz": "CH",
                  "Deutschland": "DE", "Germany": "DE", "Allemagne": "DE", "España": "ES",
                  "Spain": "ES", "Espagne": "ES", "Italia": "IT", "Italy": "IT", "Italie": "IT",
                  "United Kingdom": "GB", "Royaume-Uni": "GB", "Nederland": "NL",
                  "Netherlands": "NL", "Österreich": "AT", "Austria": "AT",
                  "Luxembourg": "LU", "Portugal": "PT", "Japan": "JP", "Japon": "JP",
                  "日本": "JP"}
# The country an address gets from a region the card shows (its email's or web
# site's ccTLD, its phones' country code) when it prints none.
REGION_COUNTRY = {"FR": "France", "CA": "Canada", "US": "USA", "BE": "Belgium",
                  "CH": "Switzerland", "DE": "Germany", "ES": "Spain", "IT": "Italy",
                  "GB": "United Kingdom", "NL": "Netherlands", "AT": "Austria",
                  "LU": "Luxembourg", "PT": "Portugal", "JP": "Japan", "MA": "Morocco"}
TLD_REGION = {"quebec": "CA", "qc": "CA", "uk": "GB"} | {
    r.lower(): r for r in phonenumbers.SUPPORTED_REGIONS}
_GENERIC_CCTLDS = frozenset({"co", "io", "ai", "me", "tv", "ly", "app", "cc", "fm", "ws"})


_NUMBER_WORD = re.compile(r"\b(?=[0-9OIl]*\d)[0-9OIl]+\b")


@dataclass(slots=True)
class CardFields:
    """Everything read from one card; `confidence` maps field names to 0..1."""

    display_name: str = ""
    given_name: str = ""
    family_name: str = ""
    prefix: str = ""
    suffix: str = ""
    title: str = ""
    organization: str = ""
    emails: list[Labeled] = field(default_factory=list)
    phones: list[Labeled] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    linkedin_url: str = ""
    addresses: list[Address] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    unclaimed: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)    # "gmai1.com read as gmail.com"

    def names_somebody(self) -> bool:
        """A person or an organization: what a card must show to be a record."""
        return bool(self.display_name or self.organization or self.emails or self.linkedin_url)

    def reaches_somebody(self) -> bool:
        """A person's name or a way to reach someone (email, phone, web site,
        LinkedIn, address). A card with an organization only is one line of text the
        layout had to call something: "Lorem ipsum dolor sit amet", a slogan, a
        torn-off logo line; nothing tells it is a company, nor how to reach it."""
        return bool(self.display_name or self.emails or self.phones or self.urls
                    or self.linkedin_url or self.addresses)


def _note(conf: dict[str, float], key: str, value: float) -> None:
    conf[key] = round(min(conf.get(key, 1.0), value), 2)


def extract(lines: list[Line], region: str | None) -> CardFields:
    """Read one card's lines (already split from its file) into fields."""
    card = CardFields()
    conf = card.confidence
    repaired: list[Line] = []
    touched: set[int] = set()
    for line in lines:
        fixed = repair_email_markers(line.text)
        if fixed != line.text:
            touched.add(line.number)
        repaired.append(Line(line.number, fixed))
    joined = join_split_lines(repaired)
    before = {line.number: line.text for line in repaired}
    touched.update(line.number for line in joined if line.text != before[line.number])

    rest: list[tuple[int, str, int]] = []   # (position, text, digits) still to classify
    postal: dict[int, F.PostalLine] = {}
    for pos, line in enumerate(joined):
        text = line.text
        linkedin = F.find_linkedin(text)
        if linkedin is not None:
            card.linkedin_url = linkedin.value
            _note(conf, "linkedin_url", linkedin.confidence)
            continue
        if "@" in text:
            emails = F.find_emails(text, line.number in touched)
            for email in emails:
                if all(e.value != email.value for e in card.emails):
                    card.emails.append(Labeled(email.value, "work"))
                _note(conf, "emails", email.confidence)
                if email.label:                 # an OCR repair of the domain
                    card.repairs.append(email.label)
                printed = email.value if not email.label else \
                    email.value.partition("@")[0] + "@" + email.label.split(" ")[0]
                text = text.replace(printed, " ", 1) if printed in text \
                    else _drop_casefold(text, printed)
            if emails:
                text = _strip_labels(text)
                if not text:
                    continue
        urls = F.find_urls(text)
        if urls:
            for url in urls:
                if url.value not in card.urls:
                    card.urls.append(url.value)
                _note(conf, "urls", url.confidence)
                text = text.replace(url.value, " ")
            text = _strip_labels(text)
            if not text:
                continue
        digits = F.digit_count(text)
        found = F.find_postal(text) if 0 < digits < 10 else None
        if found is not None:
            postal[pos] = found
            continue
        country = F.country_of(text) if not digits else ""     # no country name has digits
        if country:
            postal.setdefault(-1 - pos, F.PostalLine("", "", "", country, ""))
            continue
        rest.append((pos, text, digits))

    regions = _regions(region, card, postal.values())
    free: list[tuple[int, str]] = []
    for pos, text, digits in rest:
        if digits >= 5:
            phones = F.find_phones(text, regions)
            if phones:
                for phone in phones:
                    if all(p.value != phone.value for p in card.phones):
                        card.phones.append(Labeled(phone.value, phone.label))
                    _note(conf, "phones", phone.confidence)
                continue
        free.append((pos, text))

    free = _take_addresses(card, free, postal)
    evidence = _evidence(card)
    free = _name_lines(free, evidence)
    layout = decide([t for _, t in free], evidence)
    if layout.name:
        display, given, family, prefix, suffix = split_name(layout.name)
        card.display_name, card.given_name, card.family_name = display, given, family
        card.prefix, card.suffix = prefix, suffix
        conf["name"] = round(layout.name_score, 2)
    if layout.title:
        card.title = layout.title.strip(" ,;|")
        conf["title"] = round(layout.title_score, 2)
    if layout.company:
        card.organization = layout.company.strip(" ,;|")
        conf["organization"] = round(layout.company_score, 2)
    card.unclaimed = _unclaimed(free, layout)
    return card


def _name_lines(free: list[tuple[int, str]], evidence: Evidence) -> list[tuple[int, str]]:
    """Free lines with the name the email spells made readable: OCR digits in it
    repaired ("Nico1as Ga1arneau" with nicolas.galarneau@), and a name printed on
    one line with its title ("Marc-André Leblanc Directeur général") cut in two."""
    out: list[tuple[int, str]] = []
    for pos, text in free:
        text = _spelt_repair(text, evidence)
        out.extend((pos, piece) for piece in _name_then_title(text, evidence))
    return out


_OCR_LETTERS = str.maketrans({"1": "l", "0": "o", "5": "s"})


def _spelt_repair(text: str, evidence: Evidence) -> str:
    """`text` with 1/0/5 read as l/o/s in its words that mix letters and digits, when
    the email then spells every part of it (as a name); else `text` unchanged."""
    if not evidence.locals or not any(c.isdigit() for c in text):
        return text
    words = text.split(" ")
    fixed = [w.translate(_OCR_LETTERS) if any(c.isalpha() for c in w) else w for w in words]
    candidate = " ".join(fixed)
    return candidate if candidate != text and _spelt(candidate, evidence) else text


def _spelt(name: str, evidence: Evidence) -> bool:
    """A name shape whose every part of 3+ letters is in one email's local part."""
    sh = L.shape(name)
    return sh.name_ok and bool(sh.name_long) and any(
        all(p in loc for p in sh.name_long) for loc in evidence.locals)


def _name_then_title(text: str, evidence: Evidence) -> list[str]:
    """[name, title] for a line holding a name the email spells followed by title
    words; [text] otherwise (a line that is a name or anything else alone)."""
    words = text.split(" ")
    if len(words) < 3 or L.shape(text).name_ok or not evidence.locals:
        return [text]
    for k in range(min(4, len(words) - 1), 1, -1):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        if _spelt(head, evidence) and L.title_score(tail) > 0.5:
            return [head, tail]
    return [text]


def _unclaimed(free: list[tuple[int, str]], layout: L.Layout) -> list[str]:
    """The free lines no role took, and the pieces of a line that one role took
    part of ("Fleuriste" of "Dr Roy, Fleuriste"): kept for a person to read, in
    the card's order, never dropped."""
    out: list[str] = []
    for i, (_, text) in enumerate(free):
        out.extend([text] if i not in layout.used else layout.leftover.get(i, []))
    return out


def clear_caches() -> None:
    """Forget every per-text cache (folded words, line shapes, labels, phone numbers).

    For benchmarks: each timed pass must start cold, as a fresh import does, or a
    second pass over the same cards would time cache look-ups only.
    """
    for cached in (T.fold, T._fold_words, L.shape, L._parts,
                   F._label_of, F.read_number):
        cached.cache_clear()


def _repair_numbers(street: str) -> str:
    """"Suite 18O0" -> "Suite 1800": only in words that already hold a digit."""
    if not street:
        return street
    return _NUMBER_WORD.sub(lambda m: repair_digits(m.group(0)), street)


def _drop_casefold(text: str, value: str) -> str:
    low = text.lower()
    at = low.find(value)
    return text if at < 0 else text[:at] + " " + text[at + len(value):]


def _strip_labels(text: str) -> str:
    """What is left of a line once its email or URL is gone, without dangling labels."""
    words = [w for w in text.replace("|", " ").split()
             if fold(w) not in ("email", "courriel", "e", "mail", "web", "site", "www", "url",
                                "siteweb", "w", "internet", "")]
    return " ".join(words).strip(" ,;:-·•")


def _regions(default: str | None, card: CardFields,
             postal: object) -> list[str | None]:
    """Regions to try for numbers without a country code: the default, then the card's."""
    out: list[str | None] = [default] if default else []
    for found in postal:  # type: ignore[attr-defined]
        hint = COUNTRY_REGION.get(found.country)
        if hint and hint not in out:
            out.append(hint)
    for hint in _tld_regions(card):
        if hint not in out:
            out.append(hint)
    if any(not found.country and found.postal_code.isdigit()
           for found in postal) and len(out) == (1 if default else 0):  # type: ignore[attr-defined]
        out.append("FR")    # five digits and nothing else to go by: as before, France
    return out


def _tld_regions(card: CardFields) -> list[str]:
    """Regions of the card's email and web ccTLDs ("sap.de" -> DE, "co.uk" -> GB);
    the ccTLDs used as generic ones (.co, .io, .ai, .me, .tv) say nothing."""
    out: list[str] = []
    for value in [e.value.rsplit(".", 1)[-1] for e in card.emails] + \
            [u.split("/")[0].rsplit(".", 1)[-1].lower() for u in
             (x.split("://")[-1] for x in card.urls)]:
        hint = TLD_REGION.get(value) if value not in _GENERIC_CCTLDS else None
        if hint and hint not in out:
            out.append(hint)
    return out


def _card_country(card: CardFields) -> str:
    """The country a card shows without printing it: its ccTLD, else the country code
    of its international phones; "" when it shows none (never a guess)."""
    for region in _tld_regions(card):
        if region in REGION_COUNTRY and region not in ("US",):
            return REGION_COUNTRY[region]
    for phone in card.phones:
        if phone.value.startswith("+") and not phone.value.startswith("+1"):
            try:
                number = phonenumbers.parse(phone.value.split(" ext.")[0], None)
            except phonenumbers.NumberParseException:
                continue
            region = phonenumbers.region_code_for_number(number)
            if region in REGION_COUNTRY:
                return REGION_COUNTRY[region]
    return ""


def _evidence(card: CardFields) -> Evidence:
    evidence = Evidence()
    for email in card.emails:
        local, _, domain = email.value.partition("@")
        evidence.locals.append(fold(local))
        label = F.domain_label(domain)
        if label not in FREE_MAIL:
            evidence.domains.append(fold(label))
    for url in card.urls:
        label = fold(F.domain_label(url))
        if label and label not in evidence.domains:
            evidence.domains.append(label)
    return evidence


def _take_addresses(card: CardFields, free: list[tuple[int, str]],
                    postal: dict[int, F.PostalLine]) -> list[tuple[int, str]]:
    """Build addresses from postal-code lines and the street lines just above them."""
    taken: set[int] = set()
    by_pos = dict(free)
    for pos in sorted(p for p in postal if p >= 0):
        found = postal[pos]
        street: list[str] = [found.before] if found.before else []
        above = pos - 1
        while above in by_pos and len(street) < 3 and F.is_street(by_pos[above]):
            street.insert(0, by_pos[above])
            taken.add(above)
            above -= 1
        country = found.country
        if (pos + 1) in by_pos and F.country_of(by_pos[pos + 1]):
            taken.add(pos + 1)
            country = F.country_of(by_pos[pos + 1])
        elif -2 - pos in postal:
            country = postal[-2 - pos].country
        elif not country:
            country = _card_country(card)
        card.addresses.append(Address(street=_repair_numbers(", ".join(street)),
                                      locality=found.locality, region=found.region,
                                      postal_code=found.postal_code, country=country,
                                      label="work"))
        _note(card.confidence, "addresses", 0.9 if street and found.locality else 0.7)
    return [(p, t) for p, t in free if p not in taken]
