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

A zip is routed like a folder, member by member (a zip of a phone book, a CSV
and a calendar): a member its connector does not read is detected from a copy of
its first 64 KiB (connectors recognise files by a path: `can_open`), and read in
the zip by the connector that recognises it, whose other members it skips (units
`zip!member`). A member that no connector reads (a zip inside the zip, a vCard
with no extension, which connectors only list by name) is named in the
`not-read` reject: the zip is never extracted.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .connector import Connector, ReadContext
from .errors import ReseausyncError
from .files import folder_files, member_problem, path_text
from .models import Reject
from .registry import registry

NOT_READ = "not-read"
SHOWN = 5          # file names a not-read reject spells out
PEEK = 64 * 1024   # bytes of a zip member that its detection sees
PROBES = 1000      # members of one zip detected at most; the rest are named not read


@dataclass
class Route:
    """One import target and the connector class that reads it; `unread` the files of
    a folder target (or `zip!member`s) that no connector reads; `skip` the units of
    the target (ids) that another connector reads."""

    cls: type[Connector]
    path: str
    unread: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)


def routes(path: str, connector: Connector) -> list[Route]:
    """`path` for `connector` (detected for it), then the files of a folder or the
    members of a zip that it does not read, or that another connector claims
    (`claims_from`), each for the connector that recognises it alone. `path` is
    absolute (api.import_paths makes it so), as every unit id is."""
    first = Route(type(connector), path)
    target = Path(path)
    if connector.whole_folder or not (target.is_dir() or _is_zip(target)):
        return [first]
    try:
        units = list(connector.discover(path))
    except (ReseausyncError, OSError):
        return [first]       # the run itself will say what is wrong with the target
    out = [first]
    if target.is_dir():
        out += _folder_routes(first, path, units, connector.context)
    else:
        out += _zip_routes(first, path, {u.id for u in units}, connector.context)
    own = {u.id for u in units}
    if own and own <= first.skip and not first.unread:
        return out[1:]       # a folder holding only logs: no empty run of its connector
    return out


def _folder_routes(first: Route, folder: str, units: list, context: ReadContext
                   ) -> list[Route]:
    """Routes for the files of `folder` that `first`'s connector does not read or
    that another claims; the members of its zips are routed as a zip's are."""
    # both walks start from `folder`, an absolute path (files.absolute): a unit's
    # Path and a walked name spell each file alike (`./a.vcf` would not: `import .`
    # once read every file twice)
    covered = {str(u.path) for u in units if u.path}
    out = _export_routes(first, folder, units)
    inside = tuple(route.path + os.sep for route in out)
    for name in folder_files(folder):
        if inside and name.startswith(inside):
            continue
        if name in covered:
            if _is_zip(Path(name)):
                taken = {u.id for u in units if u.member is not None and str(u.path) == name}
                out += _zip_routes(first, name, taken, context)
                continue
            claimant = registry.claimant(name, first.cls)
            if claimant is not None:
                out.append(Route(claimant, name))
                first.skip.add(path_text(name))
            continue
        try:
            cls = registry.detect(name)
        except ReseausyncError:
            if _is_zip(Path(name)):      # no one reads it whole: perhaps its members
                out += _zip_routes(first, name, set(), context)
            else:
                first.unread.append(name)
            continue
        route = Route(cls, name)
        out.append(route)
        if _is_zip(Path(name)) and not cls.whole_folder:
            out += _zip_routes(route, name, _ids(cls, name, context), context)
    return out


def _export_routes(first: Route, folder: str, units: list) -> list[Route]:
    """Routes for the subfolders of `folder` that a whole-folder connector reads as
    one export (a LinkedIn export unzipped beside a phone book): each is read whole
    by that connector, and `first` skips its own units inside them."""
    out: list[Route] = []
    for parent, folders, _ in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        cls = registry.whole_reader(parent) if parent != folder else None
        if cls is None:
            continue
        folders[:] = []
        out.append(Route(cls, parent))
        below = parent + os.sep
        first.skip.update(u.id for u in units if u.path and str(u.path).startswith(below))
    return out


def _zip_routes(first: Route, archive_path: str, taken: set[str], context: ReadContext
                ) -> list[Route]:
    """Routes for the members of the zip that `first` does not read (`taken`: the
    unit ids it reads) or that another connector claims; what none reads goes to
    `first.unread` as `zip!member`."""
    prefix = path_text(archive_path) + "!"
    claims = any(first.cls.name in r.cls.claims_from for r in registry.entries())
    offers: dict[type[Connector], set[str]] = {}     # what each connector lists of it

    def lists(cls: type[Connector], unit: str) -> bool:
        return unit in offers.setdefault(cls, _ids(cls, archive_path, context))

    readers: dict[type[Connector], set[str]] = {}
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError):
        return []            # its own run says what is wrong with it
    probed = 0
    with tempfile.TemporaryDirectory(prefix="reseausync-") as tmp, archive:
        for info in archive.infolist():
            unit = prefix + info.filename
            if info.is_dir() or (unit in taken and not claims):
                continue
            probed += 1
            probe = _probe(archive, info, Path(tmp)) if probed <= PROBES else None
            if unit in taken:            # first's own kind: does another claim it?
                cls = _detected(probe, first.cls)
                if cls is not None and lists(cls, unit):
                    readers.setdefault(cls, set()).add(unit)
                    first.skip.add(unit)
                continue
            cls = _detected(probe)
            if cls is None or cls is first.cls or cls.whole_folder or not lists(cls, unit):
                first.unread.append(unit)    # none reads it (or not under this name)
                continue
            readers.setdefault(cls, set()).add(unit)
    return [Route(cls, archive_path, skip=offers[cls] - ids) for cls, ids in readers.items()]


def _probe(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path) -> Path | None:
    """A file holding the member's first PEEK bytes, under its own name (connectors
    recognise files by name and head), for `_detected` to remove; None for a member
    that must not or cannot be opened."""
    if member_problem(info) is not None:
        return None
    name = PurePosixPath(info.filename.replace("\\", "/")).name
    if name in ("", ".", ".."):
        return None
    try:
        with archive.open(info) as stream:
            head = stream.read(PEEK)
    except Exception:       # noqa: BLE001 - encrypted, damaged: the run says so if read
        return None
    probe = folder / name
    try:
        probe.write_bytes(head)
    except OSError:          # a name this file system refuses
        return None
    return probe


def _detected(probe: Path | None, claimed_from: type[Connector] | None = None
              ) -> type[Connector] | None:
    """The connector that recognises the probe (with `claimed_from`: one claiming it
    from that connector), None if none; the probe is removed (one at a time: a
    folder per probe made removing them the slowest part on some file systems)."""
    if probe is None:
        return None
    try:
        if claimed_from is not None:
            return registry.claimant(str(probe), claimed_from)
        return registry.detect(str(probe))
    except ReseausyncError:
        return None
    finally:
        probe.unlink(missing_ok=True)


def _ids(cls: type[Connector], target: str, context: ReadContext) -> set[str]:
    """The units `cls` would read of `target`; none when it cannot list it."""
    try:
        return {u.id for u in cls(None, context).discover(target)}
    except Exception:       # noqa: BLE001 - a connector's options or discover refused
        return set()


def _is_zip(path: Path) -> bool:
    try:
        return path.is_file() and path.name.lower().endswith(".zip") \
            and zipfile.is_zipfile(path)
    except OSError:
        return False


def not_read(source: str, folder: str, files: list[str]) -> Reject:
    """The one reject saying which files of `folder` (or members of a zip) no
    connector read."""
    names = [_shown(f, folder) for f in files]
    how = "extract and import them" if any("!" in f for f in files) else "import them"
    shown = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more"
                                       if len(names) > SHOWN else "")
    return Reject(source=source, locator=path_text(folder), reason=NOT_READ,
                  message=f"{len(names)} file(s) no connector recognises were not read: "
                          f"{shown} (if they hold contacts, {how} with --connector)")


def _shown(name: str, folder: str) -> str:
    """`name` relative to `folder`; a member of the zip `folder` by its own name."""
    zipped = path_text(folder) + "!"
    if name.startswith(zipped):
        return name[len(zipped):]
    try:
        return path_text(Path(name).relative_to(folder))
    except ValueError:
        return path_text(name)
