"""Who the export belongs to: what tells a sent message from a received one.

The rule, first that applies:

1. `Profile.csv` names the owner (first and last name); a message whose `FROM` is
   that name was sent by the owner. The owner's profile URL is then learned from
   the `SENDER PROFILE URL` of those messages, so the owner is also recognised among
   recipients by URL.
2. Else the configured `[me] linkedin_url` (`ReadContext.me_linkedin_url`): a
   message whose sender URL is that one was sent by the owner.
3. Else (or to add the name that 2 lacks) `Invitations.csv`: the `To` of an
   INCOMING invitation and the `From` of an OUTGOING one is the owner, by what
   the file is; with the profile URL beside it in exports that have one. Older
   exports without `Profile.csv` still have this file. The name named most often
   is taken (every row names the same person; a tie between two names, which no
   real export shows, gives nothing).
4. Else a guess from the messages themselves: the owner takes part in every
   conversation of their own export, so the name (sender or recipient) present in
   the most distinct conversations among the first `GUESS_ROWS` messages is taken
   as the owner. Reading a bounded head keeps the guess cheap on a huge file.
   A tie gives no owner: directions are then "none". A tie is no bug to work
   around: with a single conversation, or with a friend who is in every
   conversation the owner is in (two conversations, both with Marc), the
   messages do not say who the owner is.

Profile and configuration are used together when both are known; the invitations
fill in the names (or URLs) that neither gave.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from reseausync.connector import Unit
from reseausync.normalize.names import split_credentials

from ..csvfile.rows import RowProblem
from .evidence import INVITATION_DIRECTIONS, INVITATION_REQUIRED
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


def owner_from_invitations(unit: Unit) -> tuple[set[str], set[str]]:
    """Rule 3: (folded names, canonical URLs) of the owner's side of the invitations,
    read from the first `GUESS_ROWS` rows."""
    table = Table(unit, INVITATION_REQUIRED)
    h = table.header
    i_from, i_to, i_dir = h.find("From"), h.find("To"), h.find("Direction")
    i_inviter, i_invitee = h.find("inviterProfileUrl"), h.find("inviteeProfileUrl")
    names: Counter[str] = Counter()
    urls: Counter[str] = Counter()
    for n, item in enumerate(table):
        if n >= GUESS_ROWS:
            break
        if isinstance(item, RowProblem) or i_dir is None:
            continue
        _, cells = item
        direction = INVITATION_DIRECTIONS.get(cells[i_dir].strip().casefold())
        if direction is None:
            continue
        at_name, at_url = (i_to, i_invitee) if direction == "in" else (i_from, i_inviter)
        name = fold(cells[at_name]) if at_name is not None else ""
        if name:
            names[name] += 1
        url = canonical_profile_url(cells[at_url].strip()) if at_url is not None else ""
        if url:
            urls[url] += 1
    return _clear_winner(names), _clear_winner(urls)


def _clear_winner(counts: Counter[str]) -> set[str]:
    """The most frequent value, or nothing when two share the top."""
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return set()
    return {top[0][0]}


@lru_cache(maxsize=16384)
def split_people(names: str, urls: str) -> tuple[tuple[str, str], ...]:
    """Cached: a conversation repeats the same recipients on every message."""
    return tuple(_split_people(names, urls))


def _split_people(names: str, urls: str) -> list[tuple[str, str]]:
    """(name, canonical url) pairs from a `TO` cell and a `RECIPIENT PROFILE URLS` cell.

    Both are comma-separated lists. Names may themselves hold a comma ("Smith, Jr."):
    a credentials tail stays with its name (`split_names`), and with URLs the names
    are paired with them only when the counts agree.
    """
    url_list = [canonical_profile_url(u) for u in urls.split(",") if u.strip()]
    names = names.strip()
    if not names:
        return [("", u) for u in url_list]
    parts = split_names(names)
    if len(url_list) == 1 or (url_list and len(parts) != len(url_list)):
        if len(url_list) == 1:
            return [(names, url_list[0])]
        return [(names, "")] + [("", u) for u in url_list]
    if not url_list:
        return [(n, "") for n in parts if n]
    return list(zip(parts, url_list, strict=True))


def split_names(cell: str) -> list[str]:
    """The names of a comma-separated `TO` cell, a credentials tail kept with the
    name before it: "Paul Tremblay, CPA,Sam Roy" is two people, not three (older
    exports have no `RECIPIENT PROFILE URLS` to count them by), and "CPA" is no one.
    Empty pieces keep their place, so the count still matches the URLs."""
    parts: list[str] = []
    for piece in cell.split(","):
        piece = piece.strip()
        if piece and parts and parts[-1]:
            joined = f"{parts[-1]}, {piece}"
            if split_credentials(joined)[1]:     # the piece is credentials
                parts[-1] = joined
                continue
        parts.append(piece)
    return parts


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
            names += split_names(cells[i_to])
        for name in names:
            key = (conv, fold(name))
            if key[1] and key not in seen:
                seen.add(key)
                counts[key[1]] += 1
    return _clear_winner(counts)  # a tie: no honest guess, direction "none"
