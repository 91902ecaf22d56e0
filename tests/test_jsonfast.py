"""jsonfast.loads decodes exactly what json.loads decodes, whichever parser runs."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from reseausync import jsonfast

scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text() | \
    st.floats(allow_nan=False, allow_infinity=False)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(values, st.booleans())
def test_same_as_the_standard_library(value, ascii_only) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert jsonfast.loads(text) == json.loads(text)
    assert jsonfast.loads(text.encode()) == json.loads(text)


def test_texts_orjson_refuses_are_decoded_by_the_standard_library() -> None:
    lone = json.dumps({"name": "\ud800x"})          # an escaped lone surrogate
    assert jsonfast.loads(lone) == {"name": "\ud800x"}
    assert math.isnan(jsonfast.loads('{"x": NaN}')["x"])
    assert jsonfast.loads(str(2**70)) == 2**70


def test_invalid_json_is_still_an_error() -> None:
    for text in ('{"a": ', "[1,]", ""):
        try:
            jsonfast.loads(text)
        except ValueError:
            continue
        raise AssertionError(f"{text!r} decoded")
