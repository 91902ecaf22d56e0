"""`Connections.csv`: one source record per connection.

The profile URL, in canonical form, is the external id: it is the one key LinkedIn
keeps for a person. Older exports have no `URL` column; then the id is the
person's name and connection date (`jean-françois tremblay (2024-01-15)`), stable
across re-exports and readable. `Connected On` becomes `collected_at`: the day the
contact was collected. Most `Email Address` cells are empty, and that is normal.

A file re-saved by a spreadsheet has numeric dates (`15/01/2024`, `1/15/2024`):
their order is the column's, decided once from all of them (`dateorder`). A date
that cannot be read costs the date, not the person: the connection is imported
without `collected_at` (its id, when it has no URL, says "no date") and the cell
is rejected at its line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from reseausync.connector import Connector, Unit
from reseausync.errors import UnitError
from reseausync.models import Labeled, SourceItem, SourceRecord

from ..csvfile.rows import RowProblem, to_line
from ..dateorder import ColumnOrder
from .dates import DateError, OrderUnknown, parse_date
from .table import Table
from .urls import canonical_profile_url

REQUIRED = ["First Name", "Last Name"]


def fallback_key(first: str, last: str, connected: date | None) -> str:
    """The id of a connection without a profile URL: folded name and connection date."""
    name = " ".join(f"{first} {last}".split()).casefold()
    return f"{name} ({connected.isoformat() if connected else 'no date'})"


def read_connections(conn: Connector, unit: Unit) -> Iterator[SourceItem]:
    table = Table(unit, REQUIRED)
    h = table.header
    i_first, i_last = h.find("First Name"), h.find("Last Name")
    i_url = h.find("URL", "Profile URL", "Public Profile Url")
    i_email = h.find("Email Address", "E-mail Address", "Email")
    i_company = h.find("Company")
    i_position = h.find("Position", "Job Title", "Title")
    i_date = h.find("Connected On", "Connected", "Connection Date")
    source, name, unit_id = conn.source, conn.name, unit.id
    order = ColumnOrder(lambda: _column(unit, i_date), table.delimiter)
    for item in table:
        if isinstance(item, RowProblem):
            yield conn.reject(unit, table.locator(item.line), item.reason, item.message)
            continue
        line, cells = item
        locator = table.locator(line)
        first = cells[i_first].strip() if i_first is not None else ""
        last = cells[i_last].strip() if i_last is not None else ""
        raw_url = cells[i_url].strip() if i_url is not None else ""
        raw_date = cells[i_date].strip() if i_date is not None else ""
        connected = None
        if raw_date:
            try:
                connected = _parse(raw_date, order)
            except DateError as exc:
                yield conn.reject(unit, locator, "bad-date",
                                  f"{locator}: Connected On {exc}; the connection is "
                                  "imported without its date", to_line(cells))
        url = canonical_profile_url(raw_url) if raw_url else ""
        if not (first or last or url):
            yield conn.reject(unit, locator, "no-identity",
                              f"{locator}: a connection with no name and no profile URL",
                              to_line(cells))
            continue
        email = cells[i_email].strip() if i_email is not None else ""
        yield SourceRecord(
            source=source, connector=name,
            external_id=url or fallback_key(first, last, connected),
            locator=locator, unit=unit_id,
            display_name=f"{first} {last}".strip(), given_name=first, family_name=last,
            emails=[Labeled(email)] if email else [],
            organization=cells[i_company].strip() if i_company is not None else "",
            title=cells[i_position].strip() if i_position is not None else "",
            linkedin_url=url,
            urls=[raw_url] if raw_url and not url else [],
            collected_at=connected,
            raw=to_line(cells),
        )


def _parse(text: str, order: ColumnOrder) -> date:
    """A `Connected On` cell; a numeric one in the order of its file's column."""
    try:
        return parse_date(text, order.day_first)
    except OrderUnknown:
        return parse_date(text, order.decide())


def _column(unit: Unit, index: int | None) -> Iterable[str]:
    """The `Connected On` cells of the file, read again on their own. A file that
    cannot be read to its end gives the cells before the break: the main read
    reports that break."""
    if index is None:
        return
    try:
        for item in Table(unit, REQUIRED):
            if not isinstance(item, RowProblem):
                yield item[1][index]
    except (UnitError, OSError):
        return
