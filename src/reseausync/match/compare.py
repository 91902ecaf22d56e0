"""Turning declared comparisons into fast pair functions.

A pair is compared once per candidate, a few million times on a large
directory, so each comparison is compiled into one closure that tries its levels
in order; the interpretation of the declaration happens once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel, JaroWinkler, Levenshtein

from ..normalize.emails import is_role_address, local_part, organization_domain
from ..normalize.name_cultures import after_middle_name
from ..normalize.names import given_names, initials, is_initials
from ..normalize.nicknames import Nicknames
from ..normalize.text import scripts
from .comparisons import Comparison, Level
from .features import Features

Check = Callable[[object, object], bool]
_SCORERS: dict[str, Callable[[str, str], float]] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "levenshtein": Levenshtein.normalized_similarity,
    "indel": Indel.normalized_similarity,
    "osa": OSA.normalized_similarity,
    "token_set_ratio": lambda a, b: fuzz.token_set_ratio(a, b) / 100.0,
}
_SETS = frozenset({"emails", "phones"})
_SHARING = frozenset({"exact", "exact_work"})     # set levels that need a common value
_jw = JaroWinkler.normalized_similarity
_COMPACT = {"given": "gkey", "family": "fkey"}


def _initials(nicknames: Nicknames) -> Check:
    """"jf" / "j f" / "j" abbreviate "jean francois" (and not "pierre"); one letter
    may also be the initial of another form of the name ("C" for Kate, a Catherine)."""
    def match(a: str, b: str) -> bool:
        if is_initials(a) and not is_initials(b):
            short, full = a.replace(" ", ""), b
        elif is_initials(b) and not is_initials(a):
            short, full = b.replace(" ", ""), a
        else:
            return False
        if len(short) == 1:
            return short in nicknames.initials(full)
        return initials(full) == short
    return match


def known_given_names(nicknames: Nicknames) -> frozenset[str]:
    """The given names the shipped list and the nickname tables (the user's
    included) know: a name among them is a name, not a misspelling of another."""
    return given_names() | nicknames.families.keys()


def _typo(level: Level, nicknames: Nicknames) -> Check:
    """Two spellings of one given name: close by the level's scorer (compared
    without spaces), and not two different names the tables know ("Louis" and
    "Louise" are two people, "Jeln" is Jean mistyped)."""
    scorer, threshold = _SCORERS[level.scorer], level.threshold
    known = known_given_names(nicknames)

    def same(a: str, b: str) -> bool:
        if a in known and b in known:
            return False
        return scorer(a.replace(" ", ""), b.replace(" ", "")) >= threshold
    return same


def _first_word(a: str, b: str) -> bool:
    """"jean" and "jean francois": one is the other's first word and has no other;
    "an" and "van an": the given name after a Vietnamese middle name, the same
    agreement for a name written family first (normalize.name_cultures)."""
    wa, wb = a.split(), b.split()
    return ((len(wa) == 1 or len(wb) == 1) and wa[0] == wb[0]) or after_middle_name(wa, wb)


def _nickname(nicknames: Nicknames) -> Check:
    """Nickname agreement that survives a typo in the longer form: "Thmoas" is
    Thomas, so it is Tom. A name the table does not know is read as the known name
    it is closest to (Jaro-Winkler >= 0.9, at least five letters, so short names
    are never guessed); a known name (of the table or the common given names:
    Mario is not a misspelt Maria) is never corrected into another one."""
    targets = sorted(nicknames.families)
    known = known_given_names(nicknames)
    corrected: dict[str, str] = {}

    def correct(name: str) -> str:
        found = corrected.get(name)
        if found is None:
            found = name
            if name not in known and len(name) >= 5:
                best = process.extractOne(name, targets, scorer=_jw, score_cutoff=0.9)
                if best is not None:
                    found = best[0]
            corrected[name] = found
        return found

    def same(a: object, b: object) -> bool:
        if nicknames.same(a, b):
            return True
        ca, cb = correct(a), correct(b)
        return (ca != a or cb != b) and ca != cb and nicknames.same(ca, cb)
    return same


def _local_part(a: frozenset[str], b: frozenset[str]) -> bool:
    la = {local_part(e) for e in a if not is_role_address(e)}
    la = {x for x in la if len(x) >= 4}
    return bool(la) and not la.isdisjoint({local_part(e) for e in b})


def _same_work_address(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both hold one address at an organization's domain whose mailbox is a
    person's (not info@ or sales@): a company gives each employee their own."""
    return any(organization_domain(e) and not is_role_address(e) for e in a & b)


_DOMAINS: dict[frozenset[str], frozenset[str]] = {}


def organization_domains(emails: frozenset[str]) -> frozenset[str]:
    """The organizations' domains of a record's addresses, cached per address set:
    a record meets dozens of candidates, and the set is the same object each time."""
    found = _DOMAINS.get(emails)
    if found is None:
        if len(_DOMAINS) > 1_000_000:
            _DOMAINS.clear()
        found = _DOMAINS[emails] = frozenset(organization_domain(e) for e in emails) - {""}
    return found


def _same_domain(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both hold an address at one organization's domain (not a mail provider's)."""
    da = organization_domains(a)
    return bool(da) and not da.isdisjoint(organization_domains(b))


def _check(level: Level, field: str, nicknames: Nicknames) -> Check:
    kind = level.kind
    if kind == "exact":
        if field in _SETS:
            return lambda a, b: not a.isdisjoint(b)
        return lambda a, b: a == b
    if kind == "nickname":
        return _nickname(nicknames)
    if kind == "initials":
        return _initials(nicknames)
    if kind == "typo":
        return _typo(level, nicknames)
    if kind == "first_word":
        return _first_word
    if kind == "local_part":
        return _local_part
    if kind == "same_domain":
        return _same_domain
    if kind == "exact_work":
        return _same_work_address
    if kind == "fuzzy":
        scorer, threshold = _SCORERS[level.scorer], level.threshold
        if field in _SETS:
            return lambda a, b: any(scorer(x, y) >= threshold for x in a for y in b)
        return lambda a, b: scorer(a, b) >= threshold
    raise ValueError(f"no test for level kind {kind!r}")


def same_script(a: str, b: str) -> bool:
    """True when two folded names can be compared: written in one script, or one
    of them in none (digits). "王小明" and "Wang Xiaoming", "Иван" and "Ivan" are
    one name in two spellings, not two different names: the pair is compared as
    when the name is missing (by its other details), as transliterating is not
    the matcher's to guess."""
    if a.isascii() and b.isascii():
        return True
    sa, sb = scripts(a), scripts(b)
    return not sa or not sb or not sa.isdisjoint(sb)


def _org_is_domain(org: str, label: str) -> bool:
    """"acme" / "acmeinc" for acme.com: one starts the other, and the shorter is long
    enough to name a company rather than happen to start its name; or both are the
    same short name ("CN" at cn.com, "CGI" at cgi.com)."""
    if org == label:
        return True
    short = min(len(org), len(label))
    return short >= 4 and (org.startswith(label) or label.startswith(org))


def _employer(a: Features, b: Features) -> int:
    """0 missing, 1 one's organization is the other's mail domain, 2 else. Only a
    record without an organization of its own offers its domain: when both name one,
    the organization comparison has already weighed them, and counting the same
    employer twice would overstate it."""
    ea, eb = a.employer, b.employer
    if ea.org:
        if eb.org or not eb.domains:
            return 0
        org, domains = ea.org, eb.domains
    elif eb.org and ea.domains:
        org, domains = eb.org, ea.domains
    else:
        return 0
    return 1 if any(_org_is_domain(org, d) for d in domains) else 2


def compile_comparison(comparison: Comparison, nicknames: Nicknames
                       ) -> Callable[[Features, Features], int]:
    """A function giving the index of the level a pair reaches.

    Single-valued fields (names, company, city) repeat across a directory, so the
    level reached by two values is memoised: the fuzzy scorers and nickname
    look-ups run once per pair of spellings, not once per pair of records."""
    field = comparison.field
    if field == "employer":
        if [lv.kind for lv in comparison.levels] != ["missing", "exact", "else"]:
            raise ValueError("the employer comparison has the levels missing, exact, else")
        return _employer
    exact_field = _COMPACT.get(field, field)    # names compare exactly in compact form
    middle: list[tuple[int, str, Check]] = []
    for index, level in enumerate(comparison.levels[1:-1], start=1):
        attr = exact_field if level.kind in ("exact", "fuzzy") else field
        middle.append((index, attr, _check(level, field, nicknames)))
    last = len(comparison.levels) - 1

    if field in _SETS:
        if [lv.kind for lv in comparison.levels] == ["missing", "exact", "else"]:
            get = attrgetter(field)

            def shared(a: Features, b: Features) -> int:
                """The common declaration, without the generic loop: it runs on
                every candidate pair."""
                va, vb = get(a), get(b)
                if not va or not vb:
                    return 0
                return 2 if va.isdisjoint(vb) else 1
            return shared

        get_set = attrgetter(field)
        # levels that need a value in common cannot hold for disjoint sets
        levels = [(index, comparison.levels[index].kind in _SHARING, check)
                  for index, _, check in middle]

        def compare_sets(a: Features, b: Features) -> int:
            va, vb = get_set(a), get_set(b)
            if not va or not vb:
                return 0
            disjoint = va.isdisjoint(vb)
            for index, sharing, check in levels:
                if not (sharing and disjoint) and check(va, vb):
                    return index
            return last
        return compare_sets

    if [lv.kind for lv in comparison.levels] == ["missing", "exact", "else"] and \
            exact_field == field:
        get_value = attrgetter(field)

        def same(a: Features, b: Features) -> int:
            va, vb = get_value(a), get_value(b)
            if not va or not vb:
                return 0
            return 1 if va == vb else 2
        return same

    memo: dict[tuple[str, str], int] = {}
    attrs = {attr for _, attr, _ in middle}
    if attrs - {field, exact_field}:
        raise ValueError(f"comparison {comparison.name!r} reads unexpected fields {attrs}")
    # The compact form is a function of the field, so the field's pair is the key.
    exact_first = comparison.levels[1].kind == "exact"

    def compare(a: Features, b: Features) -> int:
        va, vb = getattr(a, field), getattr(b, field)
        if not va or not vb:
            return 0
        if va == vb and exact_first:
            return 1
        key = (va, vb)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _slow(a, b)
            if len(memo) > 1_000_000:
                memo.clear()
        return found

    names = field in _COMPACT

    def _slow(a: Features, b: Features) -> int:
        if names and not same_script(getattr(a, field), getattr(b, field)):
            return 0
        for index, attr, check in middle:
            if check(getattr(a, attr), getattr(b, attr)):
                return index
        return last

    return compare


class Comparator:
    """Compares two records on every declared comparison, aligning swapped names."""

    def __init__(self, comparisons: Sequence[Comparison], nicknames: Nicknames) -> None:
        self.comparisons = tuple(comparisons)
        self.functions = tuple(compile_comparison(c, nicknames) for c in self.comparisons)
        self.conflicts = tuple(frozenset(i for i, lv in enumerate(c.levels) if lv.conflict)
                               for c in self.comparisons)
        self.decisive = tuple(frozenset(i for i, lv in enumerate(c.levels) if lv.decisive)
                              for c in self.comparisons)
        # Name comparisons depend on the two names only (alignment included), and a
        # directory repeats its names: their levels are memoised per pair of names.
        named = [i for i, c in enumerate(self.comparisons) if c.field in ("given", "family")]
        self.named = tuple(named)
        self._named = tuple(self.functions[i] for i in named)
        self._others = tuple(f for i, f in enumerate(self.functions) if i not in named)
        self._prefix = named == list(range(len(named)))
        self._order = named + [i for i in range(len(self.functions)) if i not in named]
        self._names: dict[tuple[str, str, str, str], tuple[int, ...]] = {}

    @staticmethod
    def align(a: Features, b: Features) -> Features:
        """`b` with given and family swapped when both parts line up that way (one
        exactly, the other at least closely): "Tremblay Pierre" is "Pierre Tremblay",
        but "Taipale Sophie" is not "Louis Taipale" just because one word meets."""
        if a.fkey and b.fkey and a.gkey and b.gkey and a.fkey != b.fkey:
            if (a.fkey == b.gkey and _jw(a.gkey, b.fkey) >= 0.85) or \
                    (a.gkey == b.fkey and _jw(a.fkey, b.gkey) >= 0.85):
                return b.swapped()
        return b

    def name_levels(self, a: Features, b: Features) -> tuple[int, ...]:
        """The levels of the name comparisons (in `named` order), aligned and
        memoised: they depend on the two records' names only."""
        key = (a.given, a.family, b.given, b.family)
        names = self._names.get(key)
        if names is None:
            aligned = self.align(a, b)
            names = tuple([f(a, aligned) for f in self._named])
            if len(self._names) > 1_000_000:
                self._names.clear()
            self._names[key] = names
        return names

    def gamma(self, a: Features, b: Features) -> tuple[int, ...]:
        levels = self.name_levels(a, b) + tuple([f(a, b) for f in self._others])
        if self._prefix:
            return levels
        out = [0] * len(levels)
        for i, level in zip(self._order, levels, strict=True):
            out[i] = level
        return tuple(out)

    def conflict(self, gamma: tuple[int, ...]) -> bool:
        """A conflict level reached, and no decisive agreement to outweigh it."""
        return (any(g in c for g, c in zip(gamma, self.conflicts, strict=True))
                and not any(g in d for g, d in zip(gamma, self.decisive, strict=True)))

    def explain(self, gamma: tuple[int, ...]) -> dict[str, str]:
        return {c.name: c.levels[g].label for c, g in zip(self.comparisons, gamma, strict=True)}
