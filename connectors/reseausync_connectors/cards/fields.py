"""Extractors for the fields a card prints in a recognisable shape.

Emails, phones, web addresses and postal codes have a syntax; names, titles and
companies do not (layout.py decides those from what is left). Each extractor
takes one repaired line and returns what it found with a confidence, so that a
value read through heavy repair is kept but flagged instead of trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from .text import TLDS, fold, repair_digits
from .words import FREE_MAIL

# -- emails -----------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


@dataclass(slots=True)
class Found:
    """A value found on a line, with how sure we are of it."""

    value: str
    confidence: float
    label: str = ""


def find_emails(line: str, repaired: bool) -> list[Found]:
    """Valid emails on a line, lower-cased; less sure when OCR repair was needed."""
    found = []
    for match in _EMAIL.finditer(line):
        value = match.group(0).strip(".-").lower()
        local, _, domain = value.partition("@")
        if not local or ".." in value or domain.startswith(("-", ".")):
            continue
        tld = domain.rsplit(".", 1)[-1]
        conf = 0.95 if not repaired else 0.85
        if tld not in TLDS:
            conf = 0.55
        fixed = free_mail_domain(domain)
        if fixed != domain:
            value, conf = f"{local}@{fixed}", min(conf, 0.8)
            found.append(Found(value, conf, f"{domain} read as {fixed}"))
            continue
        found.append(Found(value, conf))
    return found


_DOMAIN_LETTERS = str.maketrans({"1": "l", "0": "o"})


def free_mail_domain(domain: str) -> str:
    """"gmai1.com" -> "gmail.com": a known free-mail provider's name with an OCR digit
    for a letter (no such provider has a digit in its name); any other domain as is."""
    label, dot, rest = domain.partition(".")
    if not dot or not any(c in "10" for c in label):
        return domain
    fixed = label.translate(_DOMAIN_LETTERS)
    return f"{fixed}.{rest}" if fixed in FREE_MAIL else domain


# -- web --------------------------------------------------------------------

_URL = re.compile(r"(?<![@\w.])((?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
                  r"\.([A-Za-z]{2,})(?:/[^\s,;]*)?)", re.I)
_TLD_HINT = re.compile(r"\.[A-Za-z]{2}")
_A_LETTER = re.compile(r"[a-z]", re.I)
_URL_HEAD = re.compile(r"^(?:https?://)?(?:www\.)?")
_LINKEDIN = re.compile(r"linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.I)
_LINKEDIN_SHORT = re.compile(r"^(?:linkedin|in)\s*[:/]\s*([A-Za-z0-9\-_%]{3,})/?$", re.I)


def find_linkedin(line: str) -> Found | None:
    """A LinkedIn profile URL in canonical form (https://www.linkedin.com/in/slug)."""
    low = line.lower()
    if "linkedin" not in low and not low.startswith("in/"):
        return None
    compact = line.replace(" ", "")
    match = _LINKEDIN.search(compact) or _LINKEDIN_SHORT.match(compact)
    if match is None:
        return None
    slug = match.group(1).strip("/").lower()
    return Found(f"https://www.linkedin.com/in/{slug}", 0.9 if "/in/" in compact else 0.7)


def find_urls(line: str) -> list[Found]:
    """Web sites on a line (not emails, not LinkedIn), as printed without trailing dots."""
    if "." not in line or "linkedin" in line.lower() or not _TLD_HINT.search(line):
        return []
    line = _EMAIL.sub(" ", line)
    found = []
    for match in _URL.finditer(line):
        url, tld = match.group(1).rstrip("./"), match.group(2).lower()
        has_prefix = url.lower().startswith(("http", "www."))
        if tld not in TLDS and not has_prefix:
            continue
        if not has_prefix and not _A_LETTER.search(url.split(".")[0]):
            continue
        found.append(Found(url, 0.9 if has_prefix else 0.75))
    return found


def domain_label(domain: str) -> str:
    """The name-bearing label of a domain: "mail.nimbuslabs.io" -> "nimbuslabs"."""
    host = _URL_HEAD.sub("", domain.lower()).split("/")[0]
    parts = host.split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "com", "qc", "gouv", "gc"):
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


# -- phones -----------------------------------------------------------------

PHONE_LABELS = {
    "tel": "work", "tél": "work", "t": "work", "telephone": "work", "phone": "work",
    "ph": "work", "p": "work", "office": "work", "bureau": "work", "b": "work", "w": "work",
    "work": "work", "tels": "work", "main": "work", "standard": "work",
    "cell": "cell", "cel": "cell", "cellulaire": "cell", "mobile": "cell", "mob": "cell",
    "m": "cell", "c": "cell", "portable": "cell", "port": "cell", "gsm": "cell",
    "fax": "fax", "f": "fax", "telec": "fax", "telecopieur": "fax", "telecopie": "fax",
    "direct": "direct", "d": "direct", "ligne": "direct", "dir": "direct",
    "home": "home", "domicile": "home", "maison": "home", "h": "home",
}
_EXT_WORDS = frozenset({"poste", "ext", "x", "extension", "post", "p", "pste"})
_CONFUSABLE = str.maketrans({"1": "l", "0": "o"})
_DIGITISH = re.compile(r"^[+(]*[0-9OolI|]+(?:[)\-./(]*[0-9OolI|]+)*[).,;/\-]*$")
_GLUED_LABEL = re.compile(r"(?<=[A-Za-zÀ-ÿ][.:])(?=[\d+(])")
_NON_DIGIT = re.compile(r"\D")
_REAL_DIGIT = re.compile(r"\d")
_GLUED_EXT = re.compile(r"^(?:x|ext\.?|poste)([0-9][0-9OolI|]*|[0-9OolI|]*[0-9])$", re.I)


@lru_cache(maxsize=4096)
def _label_of(token: str) -> str | None:
    key = fold(token.strip(".:()").translate(_CONFUSABLE))
    if not key:
        return None
    return PHONE_LABELS.get(key)


def _is_digitish(token: str, in_run: bool, nxt: str = "") -> bool:
    """Part of a number: digits, or letters OCR took for digits inside a number ("Ol"
    before "67 13 12 69" is "01"; "lOO" after "555" is "100")."""
    if not _DIGITISH.match(token):
        return False
    if _REAL_DIGIT.search(token) or token.startswith("+"):
        return True
    if in_run:
        return token.strip("|") != ""
    return len(token) >= 2 and bool(_REAL_DIGIT.search(nxt)) and bool(_DIGITISH.match(nxt))


def digit_count(line: str) -> int:
    """How many real digits a line holds: a cheap pre-check before looking for phones
    (a phone keeps at least five true digits even under heavy O/0 and l/1 damage)."""
    return len(_REAL_DIGIT.findall(line))


def find_phones(line: str, regions: list[str | None]) -> list[Found]:
    """Phones on a line with their printed label, normalized to E.164 when possible.

    A run of number-like tokens (after O/0, l/1 repair) is a phone when it holds 7
    to 15 digits; a label before it ("Tél.", "Cell.", "Fax") gives its kind; an
    extension after it ("poste 123", "ext. 123", "x123") is kept as ` ext. 123`.
    """
    tokens = _GLUED_LABEL.sub(" ", line).replace("·", " ").replace("•", " ").split()
    found: list[Found] = []
    label = ""
    run: list[str] = []
    i = 0

    def close(ext: str) -> None:
        nonlocal label
        if run:
            hit = _make_phone(run, ext, label, regions)
            if hit is not None:
                found.append(hit)
                label = ""
            run.clear()

    while i < len(tokens):
        tok = tokens[i]
        if _is_digitish(tok, bool(run), tokens[i + 1] if i + 1 < len(tokens) else ""):
            run.append(tok)
            i += 1
            continue
        if tok in ("-", "/") and run:
            i += 1
            continue
        if run:
            ext = ""
            glued = _GLUED_EXT.match(tok)
            if glued:
                ext = repair_digits(glued.group(1))
                i += 1
            elif fold(tok) in _EXT_WORDS and i + 1 < len(tokens) \
                    and repair_digits(tokens[i + 1].strip(".,;:)")).isdigit():
                ext = repair_digits(tokens[i + 1].strip(".,;:)"))
                i += 2
            close(ext)
            continue
        named = _label_of(tok)
        if named is not None:
            label = named
        i += 1
    close("")
    return found


def _make_phone(run: list[str], ext: str, label: str,
                regions: list[str | None]) -> Found | None:
    text = repair_digits(" ".join(run)).strip(".,;/-")
    digits = _NON_DIGIT.sub("", text)
    if not 7 <= len(digits) <= 15:
        return None
    repaired = text != " ".join(run).strip(".,;/-")
    value, conf = normalize_phone(text, digits, regions)
    if repaired:
        conf -= 0.05
    if not label:
        conf -= 0.05
    if ext:
        value += f" ext. {ext}"     # the form reseausync.normalize.phones strips
    return Found(value, round(max(conf, 0.0), 2), label)


def _valid(number: phonenumbers.PhoneNumber, region: str | None) -> bool:
    """Validity, asking the expected region first: `is_valid_number` alone tries all
    twenty-odd regions sharing +1 on every call, which dominated the extraction time."""
    if region and phonenumbers.country_code_for_region(region) == number.country_code \
            and phonenumbers.is_valid_number_for_region(number, region):
        return True
    return phonenumbers.is_valid_number(number)


_NANP = frozenset(phonenumbers.region_codes_for_country_code(1))


def _nanp(digits: str, plus: bool, regions: list[str | None]) -> str:
    """The North American fast path: NXX-NXX-XXXX (area code and exchange start with
    2-9), with or without the leading 1, when the card is North American. It gives
    what phonenumbers would, at a fraction of the cost, for most cards."""
    if not plus and (not regions or regions[0] not in _NANP):
        return ""
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    elif len(digits) != 10 or plus:
        return ""
    if digits[0] in "01" or digits[3] in "01" or digits[1:3] == "11" or digits[4:6] == "11":
        return ""
    return "+1" + digits


@lru_cache(maxsize=16384)
def read_number(text: str, region: str | None,
                hint: str | None) -> tuple[str, bool, bool] | None:
    """(E.164, valid, possible) for `text` read in `region`; None when unparsable.

    Cached per printed number: parsing and validating with phonenumbers costs some
    80 microseconds, more than all the rest of a card, and a firm's switchboard
    number comes back on the card of every colleague. `possible` means possible
    and not "local only", asked only when the number is not valid.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if _valid(number, hint):
        return e164, True, False
    possible = phonenumbers.is_possible_number_with_reason(number) \
        == phonenumbers.ValidationResult.IS_POSSIBLE
    return e164, False, possible


def normalize_phone(text: str, digits: str, regions: list[str | None]) -> tuple[str, float]:
    """E.164 for a number valid in some candidate region; else the best we can say.

    Regions are tried in order (the configured default first, then the card's own
    hints such as a French postal code). A number that no region validates keeps
    its E.164 form when merely possible, else its raw digits, with a low
    confidence: it is kept, never dropped.
    """
    plus = text.lstrip("(").startswith("+")
    nanp = _nanp(digits, plus, regions)
    if nanp:
        return nanp, 0.95
    candidates: list[str | None] = [None] if plus else [r for r in regions if r]
    fallback: tuple[str, float] | None = None
    for region in candidates:
        if region in _NANP and digits[0] == "0":
            continue            # a trunk "0" is never North American: try the card's country
        read = read_number(text, region, region or next((r for r in regions if r), None))
        if read is None:
            continue
        e164, valid, possible = read
        if valid:
            return e164, 0.95
        if fallback is None and possible:
            fallback = (e164, 0.55)
    if fallback is not None:
        return fallback
    if plus:
        return "+" + digits, 0.4
    return digits, 0.6 if not candidates and len(digits) >= 10 else 0.4


# -- postal addresses -------------------------------------------------------

_CA_POSTAL = re.compile(r"(?<![A-Za-z0-9])([ABCEGHJ-NPRSTVXY][0-9OIl][A-Z])"
                        r"\s?([0-9OIl][A-Z][0-9OIl])(?![A-Za-z0-9])")
_PAREN_TAIL = re.compile(r"\(([^)]*)\)\s*$")
_BLANK_OR_COMMA = re.compile(r"[\s,]+")
_US_POSTAL = re.compile(r"(?:^|,|\s)([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\s*$")
_FR_POSTAL = re.compile(r"(?:^|[\s,])(?:F-)?([0-9O]{5})\s+([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' \-]*?)"
                        r"(?:\s+CEDEX(?:\s*\d+)?)?\s*$", re.I)
CA_PROVINCES = {
    "qc": "QC", "quebec": "QC", "on": "ON", "ontario": "ON", "bc": "BC",
    "colombiebritannique": "BC", "britishcolumbia": "BC", "ab": "AB", "alberta": "AB",
    "mb": "MB", "manitoba": "MB", "sk": "SK", "saskatchewan": "SK", "ns": "NS",
    "novascotia": "NS", "nouvelleecosse": "NS", "nb": "NB", "newbrunswick": "NB",
    "nouveaubrunswick": "NB", "nl": "NL", "pe": "PE", "yt": "YT", "nt": "NT", "nu": "NU",
}
US_STATES = frozenset("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN
MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC""".split())
COUNTRIES = {"canada": "Canada", "france": "France", "usa": "USA", "us": "USA",
             "unitedstates": "USA", "etatsunis": "USA", "belgique": "Belgique",
             "suisse": "Suisse", "switzerland": "Switzerland", "belgium": "Belgium",
             "belgie": "België", "schweiz": "Schweiz", "deutschland": "Deutschland",
             "germany": "Germany", "allemagne": "Allemagne", "espana": "España",
             "spain": "Spain", "espagne": "Espagne", "italia": "Italia", "italy": "Italy",
             "italie": "Italie", "unitedkingdom": "United Kingdom", "uk": "United Kingdom",
             "royaumeuni": "Royaume-Uni", "nederland": "Nederland", "netherlands": "Netherlands",
             "osterreich": "Österreich", "austria": "Austria", "luxembourg": "Luxembourg",
             "portugal": "Portugal", "japan": "Japan", "japon": "Japon", "日本": "日本"}
STREET_WORDS = frozenset("""rue boul boulevard blvd avenue av ave street st road rd chemin ch
place pl suite bureau floor etage drive dr way lane allee quai cours impasse route rang montee
cote square plaza tower tour bp cp box piece local unit unite parkway pkwy court ct""".split())


@dataclass(slots=True)
class PostalLine:
    """What a line with a postal code says; `before` is street text on the same line."""

    postal_code: str
    locality: str
    region: str
    country: str
    before: str


def find_postal(line: str) -> PostalLine | None:
    """A Canadian, US or French postal code line ("Montréal (Québec) H3B 4W8")."""
    if not _REAL_DIGIT.search(line):
        return None
    match = _CA_POSTAL.search(line)
    if match:
        code = f"{match.group(1)[0]}{repair_digits(match.group(1)[1])}{match.group(1)[2]} " \
               f"{repair_digits(match.group(2)[0])}{match.group(2)[1]}{repair_digits(match.group(2)[2])}"
        head = line[:match.start()].strip(" ,")
        region = ""
        paren = _PAREN_TAIL.search(head)
        if paren:
            region = CA_PROVINCES.get(fold(paren.group(1)), paren.group(1))
            head = head[:paren.start()].strip(" ,")
        else:
            parts = _BLANK_OR_COMMA.split(head)
            if parts and fold(parts[-1]) in CA_PROVINCES:
                region = CA_PROVINCES[fold(parts[-1])]
                head = head[: head.rfind(parts[-1])].strip(" ,")
        before, _, locality = head.rpartition(",")
        return PostalLine(code, locality.strip(), region, "Canada", before.strip())
    match = _US_POSTAL.search(line)
    if match and match.group(1) in US_STATES:
        head = line[:match.start(1)].strip(" ,")
        before, _, locality = head.rpartition(",")
        return PostalLine(match.group(2), locality.strip(), match.group(1), "USA", before.strip())
    match = _FR_POSTAL.search(line)
    if match and sum(c.isdigit() for c in match.group(1)) >= 3:
        head = line[:match.start(1)].strip(" ,")
        # five digits are France, Germany, Spain, Italy...: the country comes from the
        # card (extract), "France" only when the line says so ("F-75008", "CEDEX")
        french = line.lstrip().upper().startswith("F-") or "CEDEX" in line.upper()
        return PostalLine(repair_digits(match.group(1)), match.group(2).strip(), "",
                          "France" if french else "", head.removeprefix("F-").strip(" ,"))
    return None


def is_street(line: str) -> bool:
    """A street or suite line: a number with a street word, or a street word alone."""
    words = line.split()
    if not any(fold(w) in STREET_WORDS for w in words):
        return False
    return len(words) <= 6 or _REAL_DIGIT.search(line) is not None or any(
        c.isdigit() for c in line)


def country_of(line: str) -> str:
    return COUNTRIES.get(fold(line), "")
