"""Property tests for the LinkedIn header finder, date parsers and URL canonical form."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reseausync_connectors.csvfile.rows import open_rows
from reseausync_connectors.linkedin.dates import DateError, parse_date, parse_datetime
from reseausync_connectors.linkedin.header import column_key, find_header
from reseausync_connectors.linkedin.urls import canonical_profile_url

COLUMNS = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
           "Connected On"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                    max_size=40)
preamble_row = st.lists(cell_text, min_size=1, max_size=8).filter(
    lambda cells: not {"first name", "last name"} <= {column_key(c) for c in cells})


def to_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


@settings(max_examples=80, deadline=None)
@given(preamble=st.lists(preamble_row, max_size=6),
       order=st.permutations(COLUMNS),
       extra=st.lists(st.sampled_from(["ATTACHMENTS", "Note", "Tags"]), max_size=2,
                      unique=True),
       bom=st.booleans(), delimiter=st.sampled_from([",", ";", "\t"]),
       data=st.lists(st.lists(cell_text, min_size=9, max_size=9), min_size=1, max_size=3))
@example(preamble=[["\n"]], order=COLUMNS, extra=[], bom=True, delimiter=",",   # BOM + quote
         data=[[""] * 9])
def test_header_found_after_any_preamble(preamble, order, extra, bom, delimiter, data) -> None:
    header = list(order) + extra
    before = to_csv(preamble, delimiter)
    text = before + to_csv([header], delimiter) + to_csv([d[:len(header)] for d in data],
                                                          delimiter)
    if bom:
        text = "\ufeff" + text
    rows = open_rows(io.StringIO(text, newline=""), delimiter)
    found = find_header(rows, ["First Name", "Last Name"])
    assert found is not None
    assert found.line == before.count("\n") + 1
    for name in COLUMNS:
        assert found.find(name) == header.index(name)
    line, cells = next(rows)
    assert cells == data[0][:len(header)]


@settings(max_examples=50, deadline=None)
@given(st.lists(preamble_row, max_size=10))
def test_no_header_means_none(rows_in) -> None:
    rows = open_rows(io.StringIO(to_csv(rows_in), newline=""), ",")
    assert find_header(rows, ["First Name", "Last Name"]) is None


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_connected_on_forms(day: date) -> None:
    mon = MONTHS[day.month - 1]
    assert parse_date(f"{day.day:02d} {mon} {day.year}") == day
    assert parse_date(f"{day.day} {mon} {day.year}") == day
    assert parse_date(f"{day.day}-{mon}-{day.year % 100:02d}") == day
    assert parse_date(f"{mon} {day.day}, {day.year}") == day
    assert parse_date(day.isoformat()) == day


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2069, 12, 31)))
def test_timestamp_forms(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    expected = moment.replace(tzinfo=UTC)
    assert parse_datetime(moment.strftime("%Y-%m-%d %H:%M:%S UTC")) == expected
    assert parse_datetime(moment.strftime("%Y/%m/%d %H:%M:%S UTC")) == expected
    hour12 = moment.hour % 12 or 12
    ampm = "AM" if moment.hour < 12 else "PM"
    us = f"{moment.month}/{moment.day}/{moment.year % 100:02d}, {hour12}:{moment.minute:02d} {ampm}"
    assert parse_datetime(us) == expected.replace(second=0)
    parsed = parse_datetime(moment.strftime("%Y-%m-%d %H:%M:%S"))
    assert parsed.tzinfo is not None and parsed == expected


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_date_parsers_fail_only_with_date_error(text: str) -> None:
    for parse in (parse_date, parse_datetime):
        try:
            parse(text)
        except DateError:
            pass


def test_impossible_dates_are_errors() -> None:
    for bad in ("31 Feb 2024", "29-Foo-21", "13/45/24, 2:00 PM", "1/2/24, 13:00 PM", ""):
        try:
            parse_datetime(bad)
        except DateError:
            continue
        raise AssertionError(f"{bad!r} parsed")


slug = st.from_regex(r"[a-z0-9][a-z0-9\-]{1,30}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(slug, st.sampled_from(["https://www.", "http://", "https://ca.", "www.", ""]),
       st.sampled_from(["", "/", "/?trk=x", "?originalSubdomain=ca", "#about"]),
       st.booleans())
def test_profile_url_canonical(slug_text: str, prefix: str, suffix: str, upper: bool) -> None:
    url = f"{prefix}linkedin.com/in/{slug_text.upper() if upper else slug_text}{suffix}"
    canonical = canonical_profile_url(url)
    assert canonical == f"https://www.linkedin.com/in/{slug_text}"
    assert canonical_profile_url(canonical) == canonical


def test_non_profile_urls() -> None:
    assert canonical_profile_url("https://example.com/in/ana") == ""
    assert canonical_profile_url("https://www.linkedin.com/company/acme") == ""
    assert canonical_profile_url("https://www.linkedin.com/in/jos%C3%A9-roy/") == \
        "https://www.linkedin.com/in/josé-roy"


_STAMP_CHARS = st.sampled_from("0123456789-:T +Z./")


@settings(max_examples=100, deadline=None)
@given(st.one_of(
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2069, 12, 31)).map(
        lambda m: m.strftime("%Y-%m-%d %H:%M:%S")),
    st.text(_STAMP_CHARS, min_size=19, max_size=19).map(lambda t: t[:10] + " " + t[11:])))
def test_messages_fast_path_reads_what_the_plain_iso_parse_reads(head: str) -> None:
    """`YYYY-MM-DD HH:MM:SS UTC` takes a fast path: it must give what reading the first
    19 characters as ISO and setting UTC gives, whenever that succeeds (odd heads
    with an offset of their own included), and the same UTC zone object."""
    try:
        expected = datetime.fromisoformat(head).replace(tzinfo=UTC)
    except ValueError:
        expected = None
    try:
        got = parse_datetime(head + " UTC")
    except DateError:
        got = None
    if expected is not None:
        assert got == expected and got.tzinfo is UTC
        assert got.isoformat() == expected.isoformat()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["https://www.linkedin.com/in/", "https://www.linkedin.com/in",
                        "http://www.linkedin.com/in/", " https://www.linkedin.com/in/"]),
       st.text(alphabet="abcXYZ019-_./?#% é\t", max_size=12))
def test_the_fast_path_for_canonical_urls_agrees_with_the_parser(prefix: str,
                                                                  rest: str) -> None:
    from reseausync_connectors.linkedin.urls import _parsed
    url = prefix + rest
    assert canonical_profile_url.__wrapped__(url) == _parsed(url)
