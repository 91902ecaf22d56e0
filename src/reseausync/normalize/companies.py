"""Company names for comparison: folded, without legal suffixes, "&" = "and" = "et".

"Acme Inc.", "ACME, Inc" and "Acme" are one employer; "Martin & Associés SENCRL" and
"Martin et associes" too. Only trailing legal forms are dropped, so a company
literally named "Inc Media" keeps its first word.
"""

from __future__ import annotations

from functools import lru_cache

from .text import fold

LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "ltd", "limited", "ltee", "ltd ltee", "llc", "llp", "lp", "plc",
    "corp", "corporation", "co", "company", "sarl", "sas", "sa", "sasu", "eurl", "sca",
    "gmbh", "ag", "kg", "bv", "nv", "srl", "spa", "pty", "senc", "sencrl", "s e n c r l",
    "enr", "limitee", "cie", "oy", "ab", "as",
})
_AND_WORDS = frozenset({"et", "und"})


@lru_cache(maxsize=1 << 17)
def normalize_company(raw: str) -> str:
    """The comparison form of an employer's name, or "" when nothing is left."""
    # Words, not substrings: "ET" and "Et" are "and" as much as "et" is, and the
    # output never holds "et", so a second pass finds nothing left to change.
    words = ["and" if w in _AND_WORDS else w for w in fold(raw.replace("&", " and ")).split()]
    while len(words) > 1:
        if words[-1] in LEGAL_SUFFIXES or words[-1] == "and":
            words.pop()
        elif len(words) > 2 and " ".join(words[-2:]) in LEGAL_SUFFIXES:
            del words[-2:]
        else:
            break
    return " ".join(words)
