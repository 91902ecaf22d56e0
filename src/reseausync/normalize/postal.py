"""Postal codes: upper-case, no spaces or dashes ("h2x 1y4" -> "H2X1Y4")."""

from __future__ import annotations

import re

_SEP = re.compile(r"[\s\-.]+")


def normalize_postal(raw: str) -> str:
    return _SEP.sub("", raw).upper()
