"""Who the export belongs to: what tells a sent message from a received one.

The rule, first that applies:

1. `Profile.csv` names the owner (first and last name); a message whose `FROM` is
   that name was sent by the owner. The owner's profile URL is then learned from
   the `SENDER PROFILE URL` of those messages, so the owner is also recognised among
   recipients by URL.
2. Else the configured `[me] linkedin_url` (`ReadContext.me_linkedin_url`): a
   message whose sender URL is that one was sent by the owner.
3. Else a guess from the messages themselves: the owner takes part in every
   conversation of their own export, so the name (sender or recipient) present in
   the most distinct conversations among the first `GUESS_ROWS` messages is taken
   as the owner. Reading a bounded head keeps the guess cheap on a huge file.
   A tie (one conversation only) gives no owner: directions are then "none".

Both 1 and 2 are used together when both are known.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from reseausync.connector import Unit

from ..csvfile.rows import RowProblem
from .table import Table
from .urls import canonical_profile_url

GUESS_ROWS = 20_000


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class Owner:
    names: set[str] = field(default_factory=set)   # folded
    urls: set[str] = field(default_factory=set)    # canonical
    rule: str = "unknown"

    @property
    def known(self) -> bool:
        return bool(self.names or self.urls)

    def is_me(self, name: str, url: str) -> bool:
        """`url` must be canonical (or empty)."""
        return (bool(url) and url in self.urls) or (bool(name) and fold(name) in self.names)


def owner_from_profile(unit: Unit) -> set[str]:
    """The owner's folded full name from Profile.csv (its first data row)."""
    table = Table(unit, ["First Name", "Last Name"])
    i_first, i_last = table.header.find("First Name"), table.header.find("Last Name")
    for item in table:
        if isinstance(item, RowProblem):
            continue
        _, cells = item
        name = f"{cells[i_first] if i_first is not None else ''} " \
               f"{cells[i_last] if i_last is not None else ''}"
        if name.strip():
            return {fold(name)}
    return set()


@lru_cache(maxsize=16384)
def split_people(names: str, urls: str) -> tuple[tuple[str, str], ...]:
    """Cached: a conversation repeats the same recipients on every message."""
    return tuple(_split_people(names, urls))


def _split_people(names: str, urls: str) -> list[tuple[str, str]]:
    """(name, canonical url) pairs from a `TO` cell and a `RECIPIENT PROFILE URLS` cell.

    Both are comma-separated lists. Names may themselves hold a comma ("Smith, Jr."),
    so they are split only when that gives as many names as there are URLs.
    """
    url_list = [canonical_profile_url(u) for u in urls.split(",") if u.strip()]
    names = names.strip()
    if not names:
        return [("", u) for u in url_list]
    parts = [n.strip() for n in names.split(",")]
    if len(url_list) == 1 or (url_list and len(parts) != len(url_list)):
        if len(url_list) == 1:
            return [(names, url_list[0])]
        return [(names, "")] + [("", u) for u in url_list]
    if not url_list:
        return [(n, "") for n in parts if n]
    return list(zip(parts, url_list, strict=True))


def guess_owner(unit: Unit) -> set[str]:
    """Rule 3: the name present in the most conversations of the file's head."""
    table = Table(unit, [("CONVERSATION ID",), ("FROM",)])
    h = table.header
    i_conv, i_from, i_to = h.find("CONVERSATION ID"), h.find("FROM"), h.find("TO")
    seen: set[tuple[str, str]] = set()
    counts: Counter[str] = Counter()
    for n, item in enumerate(table):
        if n >= GUESS_ROWS:
            break
        if isinstance(item, RowProblem):
            continue
        _, cells = item
        conv = cells[i_conv]
        names = [cells[i_from]] if i_from is not None else []
        if i_to is not None:
            names += cells[i_to].split(",")
        for name in names:
            key = (conv, fold(name))
            if key[1] and key not in seen:
                seen.add(key)
                counts[key[1]] += 1
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return set()  # a tie (a single conversation): no honest guess, direction "none"
    return {top[0][0]}
