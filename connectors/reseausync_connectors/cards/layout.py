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

from .text import fold, fold_words
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
    slots: frozenset[tuple[int, int]] = frozenset()
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


def name_score(text: str, evidence: Evidence) -> float:
    _, words, _ = name_parts(text)
    core = [w for w in words if fold(w) not in PARTICLES or w[:1].isupper()]
    if not 2 <= len(core) <= 4 or len(words) > 5:
        return 0.0
    if not all(_name_word(w) or (fold(w) in PARTICLES and w.islower()) for w in words):
        return 0.0
    folded = [fold(w) for w in words]
    score = 0.45
    parts = fold_words(" ".join(words))
    if any(len(p) >= 3 and any(p in loc for loc in evidence.locals) for p in parts):
        score += 0.4
    elif any(loc == "".join(p[0] for p in parts) for loc in evidence.locals):
        score += 0.3
    if parts and parts[0] in GIVEN_NAMES:
        score += 0.15
    if any(f in TITLE_WORDS for f in folded):
        score -= 0.35
    if any(f in COMPANY_SUFFIXES or f in COMPANY_WORDS for f in folded) or "&" in text:
        score -= 0.45
    if _domain_match(text, evidence) >= 0.5 and score < 0.8:
        score -= 0.3
    return max(score, 0.0)


def title_score(text: str) -> float:
    if "@" in text or _DIGIT.search(text):
        return 0.0
    folded = fold_words(text)
    if not folded:
        return 0.0
    hits = len(TITLE_WORDS.intersection(folded))
    if hits == 0:
        return 0.1 if len(folded) <= 6 else 0.0
    score = 0.55 + 0.12 * min(hits, 3)
    if any(f in COMPANY_SUFFIXES for f in folded) or "&" in text:
        score -= 0.35
    return min(score, 0.95)


def _domain_match(text: str, evidence: Evidence) -> float:
    """How well a line spells one of the card's business domains (0, 0.3, 0.5)."""
    if not evidence.domains:
        return 0.0
    words = [w for w in fold_words(text) if w not in COMPANY_SUFFIXES]
    if not words:
        return 0.0
    joined = "".join(words)
    best = 0.0
    for label in evidence.domains:
        if joined == label or label == "".join(w[0] for w in words if w) and len(label) >= 2:
            return 0.5
        if len(label) >= 4 and (label in joined or joined in label
                                or any(len(w) >= 4 and w in label for w in words)):
            best = 0.3
    return best


def company_score(text: str, evidence: Evidence) -> float:
    if "@" in text:
        return 0.0
    folded = fold_words(text)
    if not folded:
        return 0.0
    score = 0.1
    if any(f in COMPANY_SUFFIXES for f in folded[1:]) or fold(text).endswith(("inc", "ltee")):
        score += 0.55
    if any(f in COMPANY_WORDS for f in folded):
        score += 0.3
    if "&" in text:
        score += 0.2
    score += _domain_match(text, evidence)
    titles = len(_PURE_TITLE_WORDS.intersection(folded))
    if titles and score < 0.6:
        score -= 0.1 * titles
    elif not titles and text[:1].isupper() and len(folded) <= 6:
        score += 0.1        # a capitalised line nobody else claims is most likely the firm
    if len(folded) == 1 and text[:1].isupper():
        score += 0.1
    if _DIGIT.search(text):
        score -= 0.2
    return max(score, 0.0)     # not capped here: a split firm's two lines must outscore
                               # either half; confidences are capped by `decide`


def _candidates(lines: list[str], evidence: Evidence) -> list[Candidate]:
    """Each line, the parts of a line ("Name, Title", "CTO | Nimbus"), and each pair of
    adjacent lines (a company or title that OCR split without a sign). `slots` tell
    which pieces a candidate occupies, so that two roles never share a piece."""
    out: list[Candidate] = []
    full: list[frozenset[tuple[int, int]]] = []
    for i, line in enumerate(lines):
        parts = [p.strip() for p in _PART_SPLIT.split(line) if p.strip()]
        if len(parts) == 1 and "," in line:
            head, _, tail = line.partition(",")
            if name_score(head, evidence) >= 0.45 and name_parts(line)[1] == []:
                parts = [head.strip(), tail.strip()]
        full.append(frozenset((i, k) for k in range(len(parts))))
        if len(parts) > 1:
            out.extend(Candidate(len(out), p, (i,), frozenset({(i, k)}))
                       for k, p in enumerate(parts))
        out.append(Candidate(len(out), line, (i,), full[i]))
    strength = [0.0] * len(lines)
    for c in out:
        c.name = name_score(c.text, evidence)
        c.title = title_score(c.text)
        c.company = company_score(c.text, evidence)
        for i in c.lines:
            strength[i] = max(strength[i], c.name, c.title, c.company)
    for i in range(len(lines) - 1):
        if min(strength[i], strength[i + 1]) >= 0.7:
            continue        # two lines that each stand on their own are not halves
        pair = Candidate(len(out), lines[i] + " " + lines[i + 1], (i, i + 1),
                         full[i] | full[i + 1])
        pair.title = title_score(pair.text) - 0.08
        pair.company = company_score(pair.text, evidence) - 0.08
        out.append(pair)
    return out


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
    companies = [None] + _best(cands, "company")
    best: tuple[float, Candidate | None, Candidate | None, Candidate | None] = (0.0, None, None,
                                                                                  None)
    for n in names:
        n_slots = n.slots if n else frozenset()
        n_score = n.name if n else 0.0
        for t in titles:
            if t is not None and n_slots & t.slots:
                continue
            t_score = t.title if t else 0.0
            if n and t and t.lines[0] in (n.lines[-1], n.lines[-1] + 1):
                t_score += 0.05
            used = n_slots | (t.slots if t else frozenset())
            for c in companies:
                if c is not None and used & c.slots:
                    continue
                total = n_score + t_score + (c.company if c else 0.0)
                if n is None and c is not None and c.lines[0] == 0:
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
    return layout


def proper_case(word: str) -> str:
    """"JEAN-FRANÇOIS" -> "Jean-François", "O'BRIEN" -> "O'Brien"; other words unchanged."""
    if not word.isupper() or len(word) < 2 or re.fullmatch(r"(?:[A-Z]\.-?)+", word):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())


def split_name(text: str) -> tuple[str, str, str, str, str]:
    """(display, given, family, prefix, suffix) with particles kept in the family name."""
    prefix, words, suffix = name_parts(text)
    words = [proper_case(w) for w in words]
    if not words:
        return "", "", "", prefix, suffix
    k = len(words) - 1
    while k > 1 and fold(words[k - 1]) in PARTICLES and words[k - 1][:1].islower():
        k -= 1
    given, family = " ".join(words[:k]), " ".join(words[k:])
    return " ".join(words), given, family, prefix, suffix
