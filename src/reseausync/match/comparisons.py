"""Comparisons declared as data: per field, an ordered list of levels.

As in splink, each comparison is a list of levels tried in order (missing first,
"else" last); the first level whose test holds is the level a pair reaches. A level
names its test (`kind`), the rapidfuzz scorer and threshold for fuzzy levels, and
starting m and u probabilities; the model re-estimates m and u from the data.
The level every pair reached is kept, which is what makes a match explainable.

`term_frequency` weighs an exact agreement by the value's own frequency, as
splink's term-frequency adjustment does: two records agreeing on "Tremblay" say
less than two agreeing on "Natarajan", which is what keeps same-name strangers
apart in a directory full of Tremblays.

`conflict` marks levels that are strong evidence of two different people (two
different given names, two different LinkedIn profiles, two mailboxes at one
employer): the clustering never
puts two records that reach one in the same contact, whatever links them.
`typo` is a fuzzy level for given names that never holds between two different
given names a table knows: "Louis" and "Louise", "Daniel" and "Danielle", "Marie"
and "Mario" are close spellings and often a couple sharing a landline, while
"Jeln" is Jean mistyped. Spelling variants of one name (Philip / Philippe) are
families of the nickname table, so they agree at its level.
`decisive` marks the few agreements that name one person whatever else differs
(one LinkedIn profile, one mailbox at an organization): with one of them, a
conflict elsewhere is a misspelt or abbreviated name ("Thmoas" / "Tom" sharing
thomas.bergeron@acme.com), not a second person. A household's shared address is
at a mail provider, so it is never decisive.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = frozenset({"missing", "exact", "exact_work", "nickname", "initials", "first_word", "fuzzy",
                   "typo", "local_part", "same_domain", "else"})
SCORERS = frozenset({"jaro_winkler", "levenshtein", "indel", "osa", "token_set_ratio"})
FIELDS = frozenset({"given", "family", "emails", "phones", "linkedin", "org", "city",
                    "employer"})


@dataclass(frozen=True)
class Level:
    label: str
    kind: str
    scorer: str = ""
    threshold: float = 0.0
    m: float = 0.1          # starting P(level | same person)
    u: float = 0.1          # starting P(level | different people)
    conflict: bool = False
    decisive: bool = False  # names one person: outweighs a conflict elsewhere


@dataclass(frozen=True)
class Comparison:
    name: str
    field: str
    levels: tuple[Level, ...]
    term_frequency: bool = False   # weigh an exact match by how rare the value is

    def __post_init__(self) -> None:
        problems = []
        if self.field not in FIELDS:
            problems.append(f"unknown field {self.field!r}")
        if not self.levels or self.levels[0].kind != "missing":
            problems.append("the first level must be 'missing'")
        if not self.levels or self.levels[-1].kind != "else":
            problems.append("the last level must be 'else'")
        for level in self.levels:
            if level.kind not in KINDS:
                problems.append(f"level {level.label!r}: unknown kind {level.kind!r}")
            if level.kind == "typo" and self.field != "given":
                problems.append(f"level {level.label!r}: typo compares given names only")
            if level.kind in ("fuzzy", "typo") and (level.scorer not in SCORERS
                                          or not 0 < level.threshold <= 1):
                problems.append(f"level {level.label!r}: {level.kind} needs a known scorer and a "
                                "threshold in (0, 1]")
        if len({lv.label for lv in self.levels}) != len(self.levels):
            problems.append("level labels must be unique")
        if problems:
            raise ValueError(f"comparison {self.name!r}: " + "; ".join(problems))

    @property
    def labels(self) -> list[str]:
        return [level.label for level in self.levels]


def _missing() -> Level:
    return Level("missing", "missing", m=1.0, u=1.0)


DEFAULT_COMPARISONS: tuple[Comparison, ...] = (
    Comparison("given_name", "given", (
        _missing(),
        Level("exact", "exact", m=0.80, u=0.02),
        Level("nickname", "nickname", m=0.06, u=0.001),
        Level("initials", "initials", m=0.04, u=0.01),
        Level("jaro_winkler_0.88", "typo", "jaro_winkler", 0.88, m=0.06, u=0.01),
        # one letter typed wrong in a short name ("Jeln", "Maxeme"), which
        # Jaro-Winkler scores below its threshold
        Level("osa_0.75", "typo", "osa", 0.75, m=0.03, u=0.002),
        Level("first_word", "first_word", m=0.02, u=0.005),
        Level("else", "else", m=0.02, u=0.955, conflict=True),
    ), term_frequency=True),
    Comparison("family_name", "family", (
        _missing(),
        Level("exact", "exact", m=0.88, u=0.005),
        Level("jaro_winkler_0.92", "fuzzy", "jaro_winkler", 0.92, m=0.07, u=0.005),
        Level("jaro_winkler_0.80", "fuzzy", "jaro_winkler", 0.80, m=0.03, u=0.05),
        Level("else", "else", m=0.02, u=0.94),
    ), term_frequency=True),
    Comparison("email", "emails", (
        _missing(),
        Level("exact_work", "exact_work", m=0.3, u=0.00002, decisive=True),
        Level("exact", "exact", m=0.3, u=0.0001),
        # Two different mailboxes at one employer: a company gives each employee
        # their own, so this is what two namesakes at one company look like, and
        # the clustering keeps them apart as it does two LinkedIn profiles.
        Level("same_domain", "same_domain", m=0.02, u=0.002, conflict=True),
        Level("else", "else", m=0.38, u=0.9979),
    )),
    Comparison("phone", "phones", (
        _missing(),
        Level("exact", "exact", m=0.7, u=0.0001),
        Level("else", "else", m=0.3, u=0.9999),
    )),
    Comparison("linkedin", "linkedin", (
        _missing(),
        Level("exact", "exact", m=0.95, u=0.00001, decisive=True),
        Level("else", "else", m=0.05, u=0.99999, conflict=True),
    )),
    Comparison("organization", "org", (
        _missing(),
        Level("exact", "exact", m=0.6, u=0.01),
        Level("token_set_0.90", "fuzzy", "token_set_ratio", 0.90, m=0.1, u=0.01),
        Level("else", "else", m=0.3, u=0.98),
        # two namesakes at a company of thousands are common, at a firm of ten rare
    ), term_frequency=True),
    # One record's organization against the other's work address domain. Only the
    # cross evidence: two organizations are the comparison above, two addresses
    # the email one. "else": a work address at another company than the other
    # card's employer (a job change, or another person).
    Comparison("employer", "employer", (
        _missing(),
        Level("org_is_domain", "exact", m=0.3, u=0.002),
        Level("else", "else", m=0.7, u=0.998),
    )),
    Comparison("city", "city", (
        _missing(),
        Level("exact", "exact", m=0.8, u=0.1),
        Level("else", "else", m=0.2, u=0.9),
    )),
)
