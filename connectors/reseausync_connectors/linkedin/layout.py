"""Which files of a LinkedIn export are read, and which are ignored on purpose.

A unit is recognised by its base name, case-insensitively, wherever it sits in the
folder or zip (LinkedIn has moved files into sub-folders between versions).
`guide_messages.csv` and `learning_role_play_messages.csv` share the messages
header but are conversations with bots: they are not evidence about people, so
they are not units at all.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

KINDS = {
    "connections.csv": "connections",
    "messages.csv": "messages",
    "invitations.csv": "invitations",
    "endorsement_received_info.csv": "endorsements_received",
    "endorsement_given_info.csv": "endorsements_given",
    "recommendations_received.csv": "recommendations_received",
    "recommendations_given.csv": "recommendations_given",
    "profile.csv": "profile",
}

# Any one of these makes a folder or zip a LinkedIn export.
MARKERS = ("Connections.csv", "messages.csv", "Invitations.csv")


def base_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def kind_of(name: str) -> str | None:
    """The kind of a member or file name, or None for files this connector skips."""
    return KINDS.get(base_name(name).casefold())


def is_marker(name: str) -> bool:
    return base_name(name).casefold() in {m.casefold() for m in MARKERS}


def member_names(path: Path) -> list[str]:
    """Names inside a zip or folder, cheaply: the zip's central directory or a listing.

    A folder's own files count, and those of its one subfolder when that is all it
    holds (the folder an unzip tool wraps an export in). A folder holding an export
    among other things (`samples/`: a phone book, CSVs and `linkedin/`) is no export:
    claiming it whole read nothing but the export; an import routes such a subfolder
    to this connector on its own (routing.py)."""
    if path.is_dir():
        entries = [p for p in path.iterdir() if not p.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir():
            entries = list(entries[0].iterdir())
        return [p.name for p in entries]
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    return []
