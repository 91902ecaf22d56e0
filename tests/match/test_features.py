"""Features read through SQLite's json_extract equal features of the decoded record.

A full build and a sync read records.data through `extract_sql` (only the fields
matching needs, decoded by SQLite); `record_features` reads the decoded dict. Both
must give the same features, or a sync would disagree with a rebuild."""

from __future__ import annotations

import json
import sqlite3

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reseausync.match.features import (
    EMPTY,
    FIELDS,
    Features,
    extract_sql,
    features_of,
    record_features,
)

TEXT = st.one_of(st.text(max_size=30),
                 st.sampled_from(["Jean-François Tremblay", "TREMBLAY, Jean", "é\u0301", "a\\b",
                                  "\"quoted\"", "j.roy@acme.com", "+1 514 555 1234",
                                  "linkedin.com/in/JRoy/", "Acme Inc.", "\ud800x", ""]))
VALUES = st.lists(st.fixed_dictionaries({"value": TEXT}), max_size=3)
DATA = st.fixed_dictionaries({}, optional={
    "given_name": TEXT, "family_name": TEXT, "display_name": TEXT, "emails": VALUES,
    "phones": VALUES, "linkedin_url": st.one_of(st.none(), TEXT),
    "urls": st.lists(TEXT, max_size=2), "organization": TEXT,
    "addresses": st.lists(st.fixed_dictionaries({}, optional={
        "locality": st.one_of(st.none(), TEXT), "street": TEXT}), max_size=2),
    "note": TEXT, "extra": st.dictionaries(st.text(max_size=5), TEXT, max_size=2)})


def state(f: Features) -> tuple:
    return (f.rid, f.to_json(), f.gkey, f.fkey, f.identity, f.employer.org,
            sorted(f.employer.domains), bool(f.employer))


@settings(max_examples=100, deadline=None)
@given(DATA, st.booleans())
def test_extracted_fields_give_the_features_of_the_whole_record(data, ascii_only) -> None:
    text = json.dumps(data, ensure_ascii=ascii_only)
    # a lone surrogate is stored only escaped (SQLite text is UTF-8)
    assume(ascii_only or not any(0xD800 <= ord(c) < 0xE000 for c in text))
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, data TEXT)")
    db.execute("INSERT INTO records VALUES (7, ?)", (text,))
    (values,) = db.execute(f"SELECT {extract_sql()} FROM records").fetchone()
    decoded = json.loads(values)
    assert decoded == [data.get(f) for f in FIELDS]
    assert state(features_of(7, decoded, "CA")) == state(record_features(7, data, "CA"))


def test_records_without_phones_or_work_domains_share_the_empty_sets() -> None:
    a = record_features(1, {"display_name": "Marie Roy", "organization": "Acme Inc.",
                            "emails": [{"value": "marie@gmail.com"}]}, "CA")
    b = record_features(2, {"display_name": "Luc Roy", "organization": "ACME inc",
                            "emails": [{"value": "luc.roy@gmail.com"}]}, "CA")
    assert a.phones is EMPTY and b.phones is EMPTY and a.employer.domains is EMPTY
    assert a.employer is b.employer and a.employer.org == "acme"
    c = record_features(3, {"display_name": "Ana Roy", "organization": "Acme",
                            "emails": [{"value": "ana@acme.com"}]}, "CA")
    assert c.employer is not a.employer and sorted(c.employer.domains) == ["acme"]
    assert Features.from_json(3, c.to_json()).employer is c.employer
