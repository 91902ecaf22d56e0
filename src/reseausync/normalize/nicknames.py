"""Nicknames and diminutives: "Bob" and "Robert" name the same given name.

The table ships as package data (English and French); a user adds their own in a
text file of the same format (config/nicknames.example.txt): one line per name
family, the formal name first, then its diminutives, comma separated. A name can
belong to several families (Alex: Alexandre, Alexander, Alexandra), so a name maps
to the set of its families, and two given names agree when the sets meet.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .text import fold

_EMPTY: frozenset[int] = frozenset()


class Nicknames:
    """Maps a folded given name to the ids of the name families it belongs to."""

    def __init__(self) -> None:
        self.families: dict[str, frozenset[int]] = {}
        self._members: dict[int, set[str]] = {}
        self._count = 0

    def add_text(self, text: str) -> None:
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            names = {fold(n) for n in line.split(",")} - {""}
            if len(names) < 2:
                continue
            family = self._count
            self._count += 1
            self._members[family] = names
            for name in names:
                self.families[name] = self.families.get(name, _EMPTY) | {family}

    @classmethod
    def load(cls, extra: str | Path | None = None) -> Nicknames:
        """The shipped table plus, when given, the user's file."""
        table = cls()
        shipped = resources.files("reseausync") / "data" / "nicknames.txt"
        table.add_text(shipped.read_text(encoding="utf-8"))
        if extra:
            table.add_text(Path(extra).read_text(encoding="utf-8"))
        return table

    def same(self, a: str, b: str) -> bool:
        """True when two folded given names are one name in two forms."""
        fa = self.families.get(a)
        return fa is not None and not fa.isdisjoint(self.families.get(b, _EMPTY))

    def initials(self, name: str) -> frozenset[str]:
        """The first letters `name` may be abbreviated to: its own and those of
        every form of it ("C. Caron" may be Kate Caron, a Catherine; "B." may be
        William, a Bill)."""
        out = {name[:1]} - {""}
        for family in self.families.get(name, _EMPTY):
            out.update(form[:1] for form in self._members[family])
        return frozenset(out)


_DEFAULT: Nicknames | None = None


def default_nicknames() -> Nicknames:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Nicknames.load()
    return _DEFAULT
