"""Which connector reads which file of a one-off import, when none is named.

A folder is detected as a whole, by the most specific connector that can open it;
but a user's `exports/` folder is mixed: a phone book, a Google CSV, a mailbox,
a calendar. The folder's connector reads its own files, and each file it does
not list is detected on its own and read by its connector, as if named on the
command line. What no connector recognises (a README, a photo) becomes one
reject of the folder's run (`not-read`), naming the files: never skipped in
silence. A file of the folder's own kind that another connector claims by its
content (an interactions log among contact CSVs: `claims_from`) goes to that
connector. A folder that a connector reads as one export (`whole_folder`: a
LinkedIn export, whose Positions.csv is no contact list) is left to it whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .connector import Connector
from .errors import ReseausyncError
from .files import folder_files, path_text
from .models import Reject
from .registry import registry

NOT_READ = "not-read"
SHOWN = 5          # file names a not-read reject spells out


@dataclass
class Route:
    """One import target and the connector class that reads it; `unread` the files of
    a folder target that no connector recognises."""

    cls: type[Connector]
    path: str
    unread: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)     # files of the folder read by others


def routes(path: str, connector: Connector) -> list[Route]:
    """`path` for `connector` (detected for it), then the files of a folder that it
    does not read, or that another connector claims (`claims_from`), each for the
    connector that recognises it alone."""
    first = Route(type(connector), path)
    if connector.whole_folder or not Path(path).is_dir():
        return [first]
    try:            # both walks start from `path`: their strings compare as they are
        covered = {str(u.path) for u in connector.discover(path) if u.path}
    except (ReseausyncError, OSError):
        return [first]       # the run itself will say what is wrong with the folder
    out = [first]
    for name in folder_files(path):
        if name in covered:
            claimant = registry.claimant(name, first.cls)
            if claimant is not None:
                out.append(Route(claimant, name))
                first.skip.add(name)
            continue
        try:
            out.append(Route(registry.detect(name), name))
        except ReseausyncError:
            first.unread.append(name)
    if covered and covered <= first.skip and not first.unread:
        return out[1:]       # a folder holding only logs: no empty run of its connector
    return out


def not_read(source: str, folder: str, files: list[str]) -> Reject:
    """The one reject saying which files of `folder` no connector read."""
    names = [path_text(Path(f).relative_to(folder)) for f in files]
    shown = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more"
                                       if len(names) > SHOWN else "")
    return Reject(source=source, locator=path_text(folder), reason=NOT_READ,
                  message=f"{len(names)} file(s) no connector recognises were not read: "
                          f"{shown} (if they hold contacts, import them with --connector)")
