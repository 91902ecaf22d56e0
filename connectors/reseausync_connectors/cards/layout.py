"""Which of a card's free lines is the person, the title and the company.

These three have no syntax, so each candidate line gets a score for each role
from independent evidence: its shape (two to four capitalised words), its words
(title and company vocabularies, legal suffixes), the email's local part (a name
that appears in `jf.tremblay@` is the person), the email or web domain (a line
that spells `nimbuslabs` is the company) and the order of lines. The best joint
assignment wins; its scores become the fields' confidences, so a weak guess is
kept but flagged rather than presented as certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from reseausync.normalize.names import display_parts

from .text import _fold_words, fold
from .words import (
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    GIVEN_NAMES,
    NAME_PREFIXES,
    NAME_SUFFIXES,
    PARTICLES,
    TITLE_WORDS,
)

MIN_SCORE = 0.2
_NAME_CHARS = re.compile(r"^(?:[^\W\d_]|['’.\-])+$")
_DIGIT = re.compile(r"\d")
_PURE_TITLE_WORDS = TITLE_WORDS - COMPANY_WORDS
_COMPANY_VOCABULARY = COMPANY_SUFFIXES | COMPANY_WORDS
_INITIALS = re.compile(r"(?:[A-Z]\.-?)+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Particles written in lower case inside a name ("de la Roche", "van der Berg"); not
# "St"/"Ste" ("St-Pierre") nor the one-letter ones, which a name in capitals keeps.
_CASED_PARTICLES = frozenset({"de", "du", "des", "van", "von", "der", "den", "da", "di", "del",
                              "della", "la", "le", "dos", "das"})
_PART_SPLIT = re.compile(r"\s+[|·•–—]\s+|\s+-\s+")


@dataclass(slots=True)
class Evidence:
    """What the rest of the card says about who this is: email locals, domains."""

    locals: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """A free line (or part of one) with its score for each role."""

    index: int
    text: str
    lines: tuple[int, ...]
    slots: int = 0      # bit set of the pieces (line, part) it occupies
    part: bool = False  # a piece of a line ("Dentiste" of "Dr Roy, Dentiste")
    name: float = 0.0
    title: float = 0.0
    company: float = 0.0


@dataclass(slots=True)
class Layout:
    name: str = ""
    title: str = ""
    company: str = ""
    name_score: float = 0.0
    title_score: float = 0.0
    company_score: float = 0.0
    used: set[int] = field(default_factory=set)
    leftover: dict[int, list[str]] = field(default_factory=dict)   # line -> unused pieces


def _words(text: str) -> list[str]:
    return [w.strip(",;:") for w in text.split() if w.strip(",;:")]


def name_parts(text: str) -> tuple[str, list[str], str]:
    """(prefix, name words, suffix): "Me Sophie Martin, LL.B." -> ("Me", [...], "LL.B.")."""
    head, _, tail = text.partition(",")
    words = _words(head)
    prefix = ""
    if len(words) > 2 and fold(words[0]) in NAME_PREFIXES:
        prefix = words.pop(0)
    suffix = tail.strip()
    while len(words) > 2 and fold(words[-1]) in NAME_SUFFIXES:
        suffix = (words.pop() + " " + suffix).strip()
    if suffix and not all(fold(w) in NAME_SUFFIXES for w in suffix.split()):
        return prefix, [], suffix
    return prefix, words, suffix


def _name_word(word: str) -> bool:
    """Capitalised letters with hyphens, apostrophes or an initial's dot ("MacDonald",
    "O'Brien", "J.-F.", "CHEN"); not "iPhone", not "3M"."""
    return word[:1].isupper() and _NAME_CHARS.match(word) is not None


@dataclass(slots=True)
class Shape:
    """What a candidate text says about itself, whatever else the card holds.

    Scoring a line for three roles used to fold and split it a dozen times per card;
    everything that does not depend on the card's evidence (email locals, domains)
    is computed here once per distinct text and cached, since the same titles, firms
    and labels recur from card to card. The evidence-dependent part stays in
    `name_score` / `company_score` and adds up in the same order as before, so the
    floats (and the ties `decide` breaks) are unchanged. Not frozen because a
    frozen dataclass pays a `object.__setattr__` per field; nobody mutates one.
    """

    name_ok: bool                       # two to four capitalised name words
    name_long: tuple[str, ...]          # folded name parts of 3+ letters
    name_initials: str                  # first letters of the folded name parts
    name_given: bool
    name_title: bool
    name_company: bool
    name_title_words: tuple[str, ...]   # folded title words among the name words
    single: str                         # the folded word of a one-word text, else ""
    title: float                        # title_score: needs no evidence
    company_ok: bool                    # no "@", some word
    company_head: float                 # company score before the domain match
    company_titles: int
    company_capital_short: bool
    company_single_capital: bool
    has_digit: bool
    domain_words: tuple[str, ...]       # folded words without legal suffixes
    domain_joined: str
    domain_initials: str


@lru_cache(maxsize=65536)
def shape(text: str, names: bool = True) -> Shape:
    """The evidence-free facts about `text` (cached: see Shape). With `names` false
    the name facts are skipped (left "not a name"): two lines joined are only ever
    scored as a title or a company."""
    folded = _fold_words(text)
    has_digit = _DIGIT.search(text) is not None
    name_ok, name_long, name_initials = False, (), ""
    name_given = name_title = name_company = False
    name_title_words: tuple[str, ...] = ()
    # A digit anywhere rules a name out (no name word, prefix or suffix holds one).
    _, words, _ = name_parts(text) if names and not has_digit else ("", [], "")
    if 2 <= len(words) <= 5:
        core = [w for w in words if fold(w) not in PARTICLES or w[:1].isupper()]
        if 2 <= len(core) <= 4 and all(
                _name_word(w) or (fold(w) in PARTICLES and w.islower()) for w in words):
            name_ok = True
            word_folds = [fold(w) for w in words]
            parts = _fold_words(" ".join(words))
            name_long = tuple(p for p in parts if len(p) >= 3)
            name_initials = "".join(p[0] for p in parts)
            name_given = bool(parts) and parts[0] in GIVEN_NAMES
            name_title_words = tuple(w for w in word_folds if w in TITLE_WORDS)
            name_title = bool(name_title_words)
            name_company = not _COMPANY_VOCABULARY.isdisjoint(word_folds) or "&" in text
    title = 0.0
    if "@" not in text and not has_digit and folded:
        hits = len(TITLE_WORDS.intersection(folded))
        if hits == 0:
            title = 0.1 if len(folded) <= 6 else 0.0
        else:
            title = 0.55 + 0.12 * min(hits, 3)
            if not COMPANY_SUFFIXES.isdisjoint(folded) or "&" in text:
                title -= 0.35
            title = min(title, 0.95)
    company_ok = "@" not in text and bool(folded)
    head = 0.1
    # fold(text) is the folded words joined when the text is ASCII: no second pass then
    whole = "".join(folded) if text.isascii() else fold(text)
    if not COMPANY_SUFFIXES.isdisjoint(folded[1:]) or whole.endswith(("inc", "ltee")):
        head += 0.55
    if not COMPANY_WORDS.isdisjoint(folded):
        head += 0.3
    if "&" in text:
        head += 0.2
    capital = text[:1].isupper()
    domain_words = tuple(w for w in folded if w not in COMPANY_SUFFIXES)
    return Shape(
        name_ok=name_ok, name_long=name_long, name_initials=name_initials,
        name_given=name_given, name_title=name_title, name_company=name_company,
        name_title_words=name_title_words, single=folded[0] if len(folded) == 1 else "",
        title=title, company_ok=company_ok, company_head=head,
        company_titles=len(_PURE_TITLE_WORDS.intersection(folded)),
        company_capital_short=capital and len(folded) <= 6,
        company_single_capital=capital and len(folded) == 1, has_digit=has_digit,
        domain_words=domain_words, domain_joined="".join(domain_words),
        domain_initials="".join(w[0] for w in domain_words))


def name_score(text: str, evidence: Evidence) -> float:
    return _name_score(shape(text), evidence, _domain_match(text, evidence))


def _name_score(sh: Shape, evidence: Evidence, domain: float) -> float:
    if not sh.name_ok:
        return 0.0
    score = 0.45
    if _spelt_by_email(sh, evidence):
        score += 0.4
    elif any(loc == sh.name_initials for loc in evidence.locals):
        score += 0.3
    if sh.name_given:
        score += 0.15
    if sh.name_title and not _title_is_the_name(sh, evidence):
        score -= 0.35
    if sh.name_company:
        score -= 0.45
    if domain >= 0.5 and score < 0.8:
        score -= 0.3
    return max(score, 0.0)


def _title_is_the_name(sh: Shape, evidence: Evidence) -> bool:
    """A given name followed by a title word that the email spells ("Jean Notaire",
    jean.notaire@): the word is the family name, not a title."""
    return sh.name_given and all(
        len(w) >= 3 and any(w in loc for loc in evidence.locals) for w in sh.name_title_words)


def _spelt_by_email(sh: Shape, evidence: Evidence) -> bool:
    """Whether a part of the name (3 letters or more) is in an email's local part."""
    return any(any(p in loc for loc in evidence.locals) for p in sh.name_long)


def title_score(text: str) -> float:
    return shape(text).title


def _title_with_evidence(sh: Shape, domain: float, halves: frozenset[str]) -> float:
    """A one-word title line that is really the firm or half of the name: the word
    the card's business domain spells ("Innovation", innovation.ca), or a word the
    email spells with the one-word line next to it ("Jean" / "Notaire",
    jean.notaire@). Else the title score its words give."""
    if sh.single and sh.title > MIN_SCORE and (domain >= 0.5 or sh.single in halves):
        return 0.1
    return sh.title


def _name_halves(lines: list[str], evidence: Evidence) -> frozenset[str]:
    """Folded one-word lines that one email's local part spells together with the
    one-word line beside them: the two halves of a name printed on two lines."""
    if not evidence.locals:
        return frozenset()
    words = [shape(line).single for line in lines]
    out: set[str] = set()
    for a, b in zip(words, words[1:], strict=False):
        if len(a) >= 2 and len(b) >= 3 and a != b and any(
                a in loc and b in loc for loc in evidence.locals):
            out.update((a, b))
    return frozenset(out)


def _domain_match(text: str, evidence: Evidence) -> float:
    """How well a line spells one of the card's business domains (0, 0.3, 0.5)."""
    if not evidence.domains:
        return 0.0
    return _domain_score(shape(text), evidence)


def _domain_score(sh: Shape, evidence: Evidence) -> float:
    words = sh.domain_words
    if not evidence.domains or not words:
        return 0.0
    joined = sh.domain_joined
    best = 0.0
    for label in evidence.domains:
        if joined == label or label == sh.domain_initials and len(label) >= 2:
            return 0.5
        if len(label) >= 4 and (label in joined or joined in label
                                or any(len(w) >= 4 and w in label for w in words)):
            best = 0.3
    return best


def company_score(text: str, evidence: Evidence) -> float:
    return _company_score(shape(text), _domain_match(text, evidence))


def _company_score(sh: Shape, domain: float) -> float:
    if not sh.company_ok:
        return 0.0
    score = sh.company_head
    score += domain
    titles = sh.company_titles
    if titles and score < 0.6:
        score -= 0.1 * titles
    elif not titles and sh.company_capital_short:
        score += 0.1        # a capitalised line nobody else claims is most likely the firm
    if sh.company_single_capital:
        score += 0.1
    if sh.has_digit:
        score -= 0.2
    return max(score, 0.0)     # not capped here: a split firm's two lines must outscore
                               # either half; confidences are capped by `decide`


def _candidates(lines: list[str], evidence: Evidence) -> list[Candidate]:
    """Each line, the parts of a line ("Name, Title", "CTO | Nimbus"), and each pair of
    adjacent lines (a company or title that OCR split without a sign). `slots` tell
    which pieces a candidate occupies, so that two roles never share a piece."""
    out: list[Candidate] = []
    full: list[int] = []
    bit = 1                 # the next piece's bit: pieces are numbered across the card
    for i, line in enumerate(lines):
        parts = _parts(line)
        if len(parts) == 1 and "," in line:
            head, _, tail = line.partition(",")
            if name_score(head, evidence) >= 0.45 and name_parts(line)[1] == []:
                parts = (head.strip(), tail.strip())
        first = bit
        bit <<= len(parts)
        full.append(bit - first)
        if len(parts) > 1:
            out.extend(Candidate(len(out), p, (i,), first << k, part=True)
                       for k, p in enumerate(parts))
        out.append(Candidate(len(out), line, (i,), full[i]))
    strength = [0.0] * len(lines)
    halves = _name_halves(lines, evidence)
    for c in out:
        sh = shape(c.text)
        domain = _domain_score(sh, evidence)
        c.name = _name_score(sh, evidence, domain)
        c.title = _title_with_evidence(sh, domain, halves)
        c.company = _company_score(sh, domain)
        for i in c.lines:
            strength[i] = max(strength[i], c.name, c.title, c.company)
    for i in range(len(lines) - 1):
        if min(strength[i], strength[i + 1]) >= 0.7:
            continue        # two lines that each stand on their own are not halves
        pair = Candidate(len(out), lines[i] + " " + lines[i + 1], (i, i + 1),
                         full[i] | full[i + 1])
        sh = shape(pair.text, False)
        pair.title = sh.title - 0.08
        pair.company = _company_score(sh, _domain_score(sh, evidence)) - 0.08
        pair.name = _split_name_score(lines[i], lines[i + 1], pair.text, evidence)
        out.append(pair)
    return out


def _split_name_score(first: str, second: str, joined: str, evidence: Evidence) -> float:
    """A name OCR cut in two ("Marie-Claude" / "Bergeron-Lapointe"): short halves
    that the card's email spells. Without the email's word for it two lines are
    never joined into a name: a given name over a title line would pass as one."""
    if len(_words(first)) > 2 or len(_words(second)) > 2:
        return 0.0
    sh = shape(joined)
    if not _spelt_by_email(sh, evidence):
        return 0.0
    return _name_score(sh, evidence, _domain_match(joined, evidence)) - 0.08


@lru_cache(maxsize=65536)
def _parts(line: str) -> tuple[str, ...]:
    """The pieces of a line cut at " | ", " · ", " - " and the like (cached per text)."""
    return tuple(p.strip() for p in _PART_SPLIT.split(line) if p.strip())


def _best(cands: list[Candidate], role: str, keep: int = 5) -> list[Candidate]:
    """The few best candidates for a role: a line ranked lower never wins in practice,
    and keeping the search to 6 x 6 x 6 choices keeps it fast."""
    able = [c for c in cands if getattr(c, role) >= MIN_SCORE]
    able.sort(key=lambda c: getattr(c, role), reverse=True)
    return able[:keep]


def decide(lines: list[str], evidence: Evidence) -> Layout:
    """The best (name, title, company) assignment over the free lines of a card.

    Every choice of distinct candidates (or none) is scored by the sum of its role
    scores plus small order bonuses (a title just under the name); with the few
    free lines a card has, trying them all is cheaper than being clever.
    """
    cands = _candidates(lines, evidence)
    names = [None] + _best(cands, "name")
    titles = [None] + _best(cands, "title")
    companies = [(c, c.slots, c.company, c.lines[0] == 0) for c in _best(cands, "company")]
    best: tuple[float, Candidate | None, Candidate | None, Candidate | None] = (0.0, None, None,
                                                                                  None)
    for n in names:
        n_slots = n.slots if n else 0
        n_score = n.name if n else 0.0
        for t in titles:
            if t is not None and n_slots & t.slots:
                continue
            t_score = t.title if t else 0.0
            if n and t and t.lines[0] in (n.lines[-1], n.lines[-1] + 1):
                t_score += 0.05
            used = n_slots | (t.slots if t else 0)
            base = n_score + t_score
            if base > best[0]:                  # no company
                best = (base, n, t, None)
            for c, c_slots, c_score, first_line in companies:
                if used & c_slots:
                    continue
                total = base + c_score
                if n is None and first_line:
                    total += 0.02
                if total > best[0]:
                    best = (total, n, t, c)
    _, n, t, c = best
    layout = Layout()
    if n:
        layout.name, layout.name_score = n.text, min(n.name, 1.0)
        layout.used |= set(n.lines)
    if t:
        layout.title, layout.title_score = t.text, min(t.title, 1.0)
        layout.used |= set(t.lines)
    if c:
        layout.company, layout.company_score = c.text, min(c.company, 1.0)
        layout.used |= set(c.lines)
    taken = (n.slots if n else 0) | (t.slots if t else 0) | (c.slots if c else 0)
    for cand in cands:
        if cand.part and not cand.slots & taken and cand.lines[0] in layout.used:
            layout.leftover.setdefault(cand.lines[0], []).append(cand.text)
    return layout


def proper_case(word: str) -> str:
    """"JEAN-FRANÇOIS" -> "Jean-François", "O'BRIEN" -> "O'Brien"; other words unchanged."""
    if not word.isupper() or len(word) < 2 or _INITIALS.fullmatch(word):
        return word
    return _LETTER_RUN.sub(lambda m: m.group(0).capitalize(), word.lower())


def split_name(text: str) -> tuple[str, str, str, str, str]:
    """(display, given, family, prefix, suffix) with particles kept in the family name.

    Cards often print the family name first, in capitals ("DUBOIS Isabelle",
    "TANAKA Hiroshi"): capitals before a capitalised word are the family name. Else
    the order is read as the vCard connector and the matcher read a display name
    (README "Name order": "Dubois Isabelle" is family first), so one person's card
    and phone entry agree on their name parts."""
    prefix, words, suffix = name_parts(text)
    capitals = _family_in_capitals(words)
    shouted = len(words) > 2 and all(w.isupper() for w in words)
    words = [proper_case(w) for w in words]
    if shouted:     # "CHARLES DE LA ROCHE": the particles are lower-case once cased
        words = [w.lower() if 0 < i < len(words) - 1 and fold(w) in _CASED_PARTICLES else w
                 for i, w in enumerate(words)]
    if not words:
        return "", "", "", prefix, suffix
    display = " ".join(words)
    if capitals:
        return (display, " ".join(words[capitals:]), " ".join(words[:capitals]),
                prefix, suffix)
    given, family = display_parts(display)
    if given and family and display.startswith(family + " "):
        return display, given, family, prefix, suffix
    k = len(words) - 1
    while k > 1 and fold(words[k - 1]) in PARTICLES and words[k - 1][:1].islower():
        k -= 1
    given, family = " ".join(words[:k]), " ".join(words[k:])
    return " ".join(words), given, family, prefix, suffix


def _family_in_capitals(words: list[str]) -> int:
    """How many leading words are in capitals before a word that is not ("DUBOIS
    Isabelle" -> 1); 0 when the name is all in capitals or all in mixed case."""
    caps = 0
    while caps < len(words) and len(words[caps]) > 1 and words[caps].isupper():
        caps += 1
    rest = words[caps:]
    return caps if caps and rest and not any(w.isupper() for w in rest) else 0
