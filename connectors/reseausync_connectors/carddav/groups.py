"""A CardDAV book's contact groups, turned into the categories of their members.

iOS, macOS and iCloud file people in groups, never in CATEGORIES: a group is a card
of its own (`KIND:group` + `MEMBER`, Apple's `X-ADDRESSBOOKSERVER-KIND:group` +
`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:...`). In a .vcf file the vCard connector
finds the groups and their members in the same file (vcard/groups.py). Over
CardDAV each card is its own resource, read only when its ETag changes, so a
member added to a group changes the group's card alone, and the member's card,
unchanged, would never be read again to get the category.

So the connector keeps, in the cursor the core stores for it, each book's groups
(group href -> name and member UIDs) and the UID of each card whose href does
not already spell it (`<uid>.vcf`, what most clients write). A read learns the
groups and UIDs of the cards it fetches before it yields any record, so every
record it yields has its groups as they are after this sync; then `reread()`
names the cards it did not read whose groups changed (a member added to or
removed from a group, a group renamed or deleted), and the core reads them
again in the same run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from reseausync_connectors.vcard.groups import card_membership, member_key


def href_key(href: str) -> str:
    """The member key an href spells: "/book/7E1B-AA.vcf" -> "7e1b-aa"."""
    name = unquote(href.rstrip("/").rsplit("/", 1)[-1])
    if name.lower().endswith(".vcf"):
        name = name[:-4]
    return member_key(name)


@dataclass
class BookGroups:
    """One book's groups and the UIDs its hrefs do not spell, as the cursor keeps them."""

    groups: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    uids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, state: dict[str, Any] | None) -> BookGroups:
        """From a book's cursor state; anything malformed is taken as no group."""
        state = state or {}
        groups, uids = state.get("groups"), state.get("uids")
        out = cls()
        if isinstance(groups, dict):
            for href, value in groups.items():
                if (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
                        and isinstance(value[1], list)):
                    out.groups[href] = (value[0], [str(m) for m in value[1]])
        if isinstance(uids, dict):
            out.uids = {str(h): str(k) for h, k in uids.items()}
        return out

    def copy(self) -> BookGroups:
        return BookGroups(dict(self.groups), dict(self.uids))

    def dump(self, state: dict[str, Any]) -> None:
        """Into a book's cursor state: only when there is something to keep, so a
        book without groups has the cursor it always had."""
        for key, value in (("groups", {h: [n, m] for h, (n, m) in self.groups.items()}),
                           ("uids", self.uids)):
            if value:
                state[key] = value
            else:
                state.pop(key, None)

    def keep_only(self, hrefs: Iterable[str]) -> None:
        """Forget the cards no longer listed (a deleted group files nobody)."""
        listed = set(hrefs)
        self.groups = {h: g for h, g in self.groups.items() if h in listed}
        self.uids = {h: k for h, k in self.uids.items() if h in listed}

    def learn(self, href: str, text: str) -> None:
        """What a fetched card says: its UID, and whether it is a group of whom."""
        uid, group = card_membership(text)
        if uid and uid != href_key(href):
            self.uids[href] = uid
        else:
            self.uids.pop(href, None)
        if group is None:
            self.groups.pop(href, None)
        else:
            self.groups[href] = group

    def membership(self, hrefs: Iterable[str]) -> dict[str, list[str]]:
        """href -> its groups' names (groups in href order, each name once), for
        the cards of `hrefs` in at least one group."""
        by_key: dict[str, list[str]] = {}
        for _, (name, members) in sorted(self.groups.items()):
            for key in members:
                names = by_key.setdefault(key, [])
                if name not in names:
                    names.append(name)
        if not by_key:
            return {}
        out = {}
        for href in hrefs:
            names = by_key.get(self.uids.get(href) or href_key(href))
            if names:
                out[href] = names
        return out
