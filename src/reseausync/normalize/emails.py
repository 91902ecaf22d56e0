"""Email addresses: trimmed and lower-cased, nothing provider-specific.

Gmail dots and plus tags are NOT removed: that is a guess about one provider, and
two distinct mailboxes must never look the same by default.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z0-9-]{2,}$")


@lru_cache(maxsize=1 << 18)
def normalize_email(raw: str) -> str:
    """The comparison form of an address, or "" when it is not one."""
    value = raw.strip().strip("<>").strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    value = value.replace("(at)", "@").replace("[at]", "@").replace(" ", "")
    value = value.lower().rstrip(".")
    return value if _SHAPE.match(value) else ""


def local_part(email: str) -> str:
    return email.split("@", 1)[0]
