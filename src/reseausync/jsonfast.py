"""JSON decoding on the hot paths, with orjson (a compiled parser, 2-3x faster than
the standard library's on the records, contacts and participants this product
stores): a full build of a million records decodes every record twice (its
matching fields, then its whole data for survivorship), and a messages import
decodes every participant list.

Decoding only: what is written stays json.dumps' text, so stored contacts,
records and their content hashes are the same bytes as before. A text orjson
refuses and the standard library accepts (an escaped lone surrogate, NaN) is
decoded by the standard library: the result never depends on which parser ran.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
