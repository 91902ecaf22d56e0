"""Declarative column mappings: which CSV column feeds which record field.

A mapping is a TOML file (see `mappings/*.toml` for the shipped ones): scalar
fields name a column (or a list of columns, first non-empty wins); emails,
phones, urls and categories are lists of value columns, each with an optional
label column or fixed label; a column name containing `{n}` is a numbered group
("E-mail {n} - Value") expanded from the header; addresses name their parts
(street, locality, region, postal_code, country; po_box and extended, kept as
lines before the street; formatted, the whole address as one text, read when the
row has no other part). `fallback_display_name` names the contact only when a row
has no name part (Google's "File As", a sort key: "Tremblay, Jean").
`required` lists the columns that identify the layout, for picking a mapping from
a header. Mappings are data, validated when loaded, so a user can describe their
own CSV without writing Python.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from reseausync.errors import SourceError

from .rows import column_key

ScalarField = Literal["display_name", "given_name", "family_name", "middle_name", "prefix",
                      "suffix", "nickname", "organization", "title", "note", "birthday"]
ADDRESS_PARTS = ("street", "locality", "region", "postal_code", "country")
# Parts with no field of their own: the PO box and the extended address (apartment,
# suite) go before the street, one per line, as the vCard connector reads ADR; the
# formatted text is the whole address, read only when no other part is filled.
STREET_PARTS = ("po_box", "extended")
ADDRESS_COLUMNS = (*ADDRESS_PARTS, *STREET_PARTS, "formatted")


class ValueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str
    label: str | None = None          # a column holding the label
    label_text: str = ""              # or a fixed label
    separator: str | None = None      # overrides the mapping's separator
    # Outlook's e-mail type ("SMTP", "EX") and display name ("Name (address)"):
    # an Exchange entry's value is a directory name, its address is in `display`
    type: str | None = None
    display: str | None = None


class AddressSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str | None = None
    label_text: str = ""
    street: str | None = None
    locality: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    po_box: str | None = None
    extended: str | None = None
    formatted: str | None = None


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    required: list[str] = []
    key: str | None = None
    separator: str = " ::: "
    empty_values: list[str] = []
    fields: dict[ScalarField, str | list[str]] = {}
    # columns naming the contact only when the row has no name part: Google's
    # "File As" is a sort key ("Tremblay, Jean"), not what the person is called
    fallback_display_name: str | list[str] = []
    # how the locale the file was written in orders a short date: "mdy" (en-US
    # Outlook: 4/15/1985), "dmy" (fr-FR, de-DE), "" unknown; the birthdays' own
    # order wins when they tell (`birthdays.file_order`)
    date_order: Literal["", "dmy", "mdy"] = ""
    emails: list[ValueSpec] = []
    phones: list[ValueSpec] = []
    urls: list[ValueSpec] = []
    categories: list[ValueSpec] = []
    addresses: list[AddressSpec] = []

    def columns(self) -> list[str]:
        """Every column name (or template) this mapping reads."""
        names: list[str] = []
        for cols in (*self.fields.values(), self.fallback_display_name):
            names += [cols] if isinstance(cols, str) else cols
        for spec in (*self.emails, *self.phones, *self.urls, *self.categories):
            names += [c for c in (spec.value, spec.label, spec.type, spec.display) if c]
        for addr in self.addresses:
            names += [c for c in (addr.label, *(getattr(addr, p) for p in ADDRESS_COLUMNS)) if c]
        if self.key:
            names.append(self.key)
        return names


def load_mapping_file(path: Path) -> Mapping:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Mapping(**data)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the mapping ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors())
        raise SourceError(f"{path}: invalid mapping: {problems}") from exc


@lru_cache(maxsize=1)
def shipped_mappings() -> dict[str, Mapping]:
    """The mappings in `mappings/`, by name."""
    found: dict[str, Mapping] = {}
    folder = resources.files(__package__).joinpath("mappings")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            mapping = load_mapping_file(Path(str(entry)))
            found[mapping.name] = mapping
    return found


def user_mappings(specs: list[str]) -> dict[str, Mapping]:
    """The user's own mappings, by name: each spec a TOML file or a folder of them.

    They join the shipped ones, so a header is matched against them too and the
    `mapping` option can name them. A name already taken (by a shipped mapping or
    another file) is an error naming both places: which one a header picked would
    otherwise depend on the order of the list.
    """
    found: dict[str, Mapping] = {}
    where: dict[str, str] = {name: "shipped" for name in shipped_mappings()}
    for spec in specs:
        path = Path(spec).expanduser()
        files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
        for file in files:
            mapping = load_mapping_file(file)
            if mapping.name in where:
                raise SourceError(
                    f"{file}: a mapping named {mapping.name!r} already exists "
                    f"({where[mapping.name]})", hint="give your mapping another `name`")
            where[mapping.name] = str(file)
            found[mapping.name] = mapping
    return found


def mapping_by_name_or_path(spec: str, own: dict[str, Mapping] | None = None) -> Mapping:
    """`spec` is a shipped mapping's name, one of the user's `own` by name, or the
    path of a user's TOML file."""
    known = {**shipped_mappings(), **(own or {})}
    if spec in known:
        return known[spec]
    path = Path(spec).expanduser()
    if path.suffix.lower() == ".toml" or path.exists():
        return load_mapping_file(path)
    raise SourceError(f"unknown mapping {spec!r}",
                      hint=f"use one of {', '.join(known)} or the path of a .toml file")


# --- matching a mapping to a header -------------------------------------------------

def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile(re.escape(column_key(template)).replace(r"\{n\}", r"(\d+)"))


# "Titre #2", "Titre #-1": one copy of a column the header names more than once
OCCURRENCE = re.compile(r"(.*\S) #(-?[1-9]\d*)")


def expand(template: str, keys: dict[str, int]) -> list[tuple[str, int]]:
    """(n, position) of every header column a `{n}` template matches, in n order;
    for a plain name, its position if present, with n = "".

    A plain name ending in " #N" is the N-th copy of a column the header repeats
    (" #-N" counting from the end): French Outlook calls both the title ("M.") and
    the job title "Titre". A column the header names once is its own first and
    last copy, so "Titre #-1" reads the job title either way."""
    if "{n}" not in template:
        pos = keys.get(column_key(template))
        if pos is None and (m := OCCURRENCE.fullmatch(template)) and m[2] in ("1", "-1"):
            pos = keys.get(column_key(m[1]))
        return [("", pos)] if pos is not None else []
    pattern = _template_regex(template)
    found = [(m[1], pos) for key, pos in keys.items() if (m := pattern.fullmatch(key))]
    return sorted(found, key=lambda item: int(item[0]))


def header_keys(header: list[str]) -> dict[str, int]:
    """Comparable column name -> its first position; a repeated name also gets a
    key per copy ("titre #1", "titre #-1", ...) for `expand`."""
    keys: dict[str, int] = {}
    for pos, name in enumerate(header):
        keys.setdefault(column_key(name), pos)
    if len(keys) < len(header):
        _add_copies(header, keys)
    return keys


def _add_copies(header: list[str], keys: dict[str, int]) -> None:
    where: dict[str, list[int]] = {}
    for pos, name in enumerate(header):
        where.setdefault(column_key(name), []).append(pos)
    for key, positions in where.items():
        if len(positions) > 1:
            for i, pos in enumerate(positions):
                keys.setdefault(f"{key} #{i + 1}", pos)
                keys.setdefault(f"{key} #{i - len(positions)}", pos)


@dataclass(slots=True)
class Fit:
    mapping: Mapping
    missing: list[str]
    used: int

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def present(self) -> int:
        """How many of the mapping's identifying columns the header has."""
        return len(self.mapping.required) - len(self.missing)


def fit(mapping: Mapping, keys: dict[str, int]) -> Fit:
    missing = [name for name in mapping.required if not expand(name, keys)]
    used = sum(1 for name in mapping.columns() if expand(name, keys))
    return Fit(mapping, missing, used)


@dataclass(slots=True)
class Choice:
    mapping: Mapping | None
    closest: Fit | None = None
    fits: list[Fit] = field(default_factory=list)

    def explain(self) -> str:
        """Why no mapping was picked. A mapping none of whose identifying columns
        is in the header is not "closest" to it: naming it would send the user
        after the wrong layout, so the known layouts are listed instead."""
        closest = self.closest
        if closest is None:
            return "no mapping is available"
        if not closest.present:
            names = ", ".join(sorted(f.mapping.name for f in self.fits))
            return ("the header matches no mapping: none has any of its identifying "
                    f"columns here (known: {names})")
        return (f"the header matches no mapping; closest is {closest.mapping.name!r} "
                f"({closest.present} of its {len(closest.mapping.required)} identifying "
                f"columns), missing columns: {', '.join(closest.missing)}")


def choose_mapping(header: list[str], candidates: list[Mapping]) -> Choice:
    """The mapping whose required columns are all present, using the most columns.

    A mapping with all its identifying columns ranks first, then the number of
    header columns the mapping would use: the older Google layout and Outlook
    share `First Name`, but only one of them has all its identifying columns.
    Among incomplete fits (the "closest" a reject names) the count of identifying
    columns present decides, not their share: a share would favour the layout
    that asks for fewer ("First Name, Last Name, E-mail Address" is 2 of Google's
    3 but 3 of Outlook's 5, and is Outlook's). A mapping without `required` ranks
    with those of which nothing is present, so it is picked only when no layout
    is recognised.
    """
    keys = header_keys(header)
    fits = [fit(m, keys) for m in candidates]
    if not fits:
        return Choice(None)

    def rank(f: Fit) -> tuple[int, int, int]:
        if f.complete and f.present:
            return (2, f.used, 0)
        return (1 if f.present else 0, f.present, f.used)

    best = max(fits, key=rank)
    if best.complete and best.used:
        return Choice(best.mapping, best, fits)
    return Choice(None, best, fits)
