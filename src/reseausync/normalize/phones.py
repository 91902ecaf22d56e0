"""Phone numbers to E.164 ("+15145551234"), or national digits without a region.

phonenumbers costs tens of microseconds a call, which at a million records is
longer than all of matching; so the common shapes take a fast path (a number
written with "+", a ten-digit North American number when the region is in the
NANP) and only the rest go through phonenumbers, cached by raw value. Without a
default region a number written without a country code cannot be placed: its
national digits are kept and compared as such (INTERFACE.md, `--region`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

_NON_DIGIT = re.compile(r"\D+")
_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#|poste)\s*\d+\s*$", re.IGNORECASE)
_NANP = frozenset(phonenumbers.region_codes_for_country_code(1))


# Small on purpose: numbers are nearly unique (see normalize_email's cache).
@lru_cache(maxsize=1 << 13)
def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 when the number can be placed, else its digits; "" when there are none."""
    value = _EXTENSION.sub("", raw.strip())
    digits = _NON_DIGIT.sub("", value)
    if len(digits) < 3:
        return ""
    international = value.lstrip("( ").startswith("+")
    if international:
        return "+" + digits if 4 <= len(digits) <= 15 else digits
    region = region.upper() if region else None
    if not region:
        return digits
    if region in _NANP:
        if len(digits) == 10 and digits[0] in "23456789":
            return "+1" + digits
        if len(digits) == 11 and digits[0] == "1":
            return "+" + digits
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
