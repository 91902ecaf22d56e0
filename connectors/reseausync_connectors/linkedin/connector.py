"""The LinkedIn data-export connector: a folder or zip of CSV files.

Units are the files this connector understands (see `layout`); each is read on
its own, so a broken messages file does not stop the connections. The owner's
identity (needed for message direction) comes from `Profile.csv`, else the
configuration, else `Invitations.csv` (see `owner`): `discover` attaches the
Profile and Invitations units to every unit's `meta` so they are found even when
the core skips them as unchanged.

Locators (of records, interactions and rejects) are `<unit>:<line>`, as the vCard
connector's: `exports/linkedin/Connections.csv:11` or
`Basic_LinkedInDataExport_11-20-2026.zip!Connections.csv:11`. Every export names
its files alike, so the bare `Connections.csv:11` would not say which one is meant.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from pathlib import Path

from reseausync.connector import Connector, Unit
from reseausync.errors import SourceError, UnitError
from reseausync.files import walk
from reseausync.models import SourceItem

from .connections import read_connections
from .evidence import EVIDENCE_KINDS, read_evidence, read_invitations
from .layout import MARKERS, is_marker, kind_of, member_names
from .messages import read_messages
from .owner import Owner, guess_owner, owner_from_invitations, owner_from_profile
from .urls import canonical_profile_url


class LinkedInConnector(Connector):
    name = "linkedin"
    priority = 20  # a LinkedIn export is also a folder of CSVs: win over `csv`
    whole_folder = True     # its other CSVs (Positions, Skills, ...) are no contact lists
    read_in_worker = True  # a read keeps no state on the object: a large one may be forked
    description = "LinkedIn data export (folder or zip): connections, messages, invitations"

    @classmethod
    def can_open(cls, target: str) -> bool:
        """A file named like an export member, or a folder/zip holding one (by name only)."""
        path = Path(target)
        if path.is_file() and not zipfile.is_zipfile(path):
            return is_marker(path.name)
        try:
            return any(is_marker(name) for name in member_names(path))
        except (OSError, zipfile.BadZipFile):
            return False

    def discover(self, target: str) -> Iterator[Unit]:
        path = Path(target)
        units = list(walk(path, lambda name: kind_of(name) is not None))
        if path.is_file() and not zipfile.is_zipfile(path):
            units = [u for u in units if kind_of(u.name) is not None]
        if not any(is_marker(u.name) for u in units):
            raise SourceError(
                f"{target}: not a LinkedIn data export: expected {', '.join(MARKERS)} "
                "(and optionally Profile.csv, Endorsement_*_Info.csv, Recommendations_*.csv)",
                hint="point at the Basic_LinkedInDataExport_*.zip or its unzipped folder, "
                     "or choose another connector with --connector")
        profile, invitations = (next((u for u in units
                                      if kind_of(u.name) == kind and u.problem is None), None)
                                for kind in ("profile", "invitations"))
        for unit in units:
            yield dataclasses.replace(unit, meta={"kind": kind_of(unit.name),
                                                  "profile": profile,
                                                  "invitations": invitations})

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        kind = unit.meta.get("kind") or kind_of(unit.name)
        if kind == "connections":
            yield from read_connections(self, unit)
        elif kind == "messages":
            yield from read_messages(self, unit, self.owner(unit))
        elif kind == "invitations":
            yield from read_invitations(self, unit)
        elif kind in EVIDENCE_KINDS:
            yield from read_evidence(self, unit, kind)
        # profile: read only for the owner's identity; it yields nothing itself

    def owner(self, messages_unit: Unit) -> Owner:
        """The owner by the rule documented in `owner`; a fresh object per read."""
        owner = Owner()
        profile: Unit | None = messages_unit.meta.get("profile")
        if profile is not None:
            try:
                owner.names = owner_from_profile(profile)
            except UnitError:
                owner.names = set()
            if owner.names:
                owner.rule = "profile"
        me_url = canonical_profile_url(self.context.me_linkedin_url or "")
        if me_url:
            owner.urls.add(me_url)
            if owner.rule == "unknown":
                owner.rule = "config"
        if not owner.names:
            self._from_invitations(owner, messages_unit.meta.get("invitations"))
        if not owner.known:
            owner.names = guess_owner(messages_unit)
            owner.rule = "guess" if owner.names else "unknown"
        return owner

    @staticmethod
    def _from_invitations(owner: Owner, invitations: Unit | None) -> None:
        """Rule 3: the names (and URLs) the invitations give, where rules 1-2 gave none."""
        if invitations is None:
            return
        try:
            names, urls = owner_from_invitations(invitations)
        except UnitError:
            return
        if not (names or urls):
            return
        owner.names = names
        if not owner.urls:
            owner.urls = urls
        if owner.rule == "unknown":
            owner.rule = "invitations"
