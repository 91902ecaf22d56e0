"""Phone numbers to E.164 ("+15145551234"), or national digits without a region.

phonenumbers costs tens of microseconds a call, which at a million records is
longer than all of matching; so the common shapes take a fast path (a number
written with "+", a ten-digit North American number when the region is in the
NANP) and only the rest go through phonenumbers, cached by raw value. Without a
default region a number written without a country code cannot be placed: its
national digits are kept and compared as such (INTERFACE.md, `--region`).
The same holds for a number the region cannot have issued ("01 42 68 53 00", a
French number, in a Canadian phone book; a seven-digit local number): written as
E.164 it would look placed, and wrongly so ("+10142685300"), so it keeps its digits.

An extension ("x 2210", "poste 3344", a tel: URI's ";ext=204") is not part of the
number: E.164 has no place for it. `phone_extension` reads it apart, so the contact
keeps it beside the number (merge.survivorship) and the export writes it back.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

_NON_DIGIT = re.compile(r"\D+")
_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#|poste)\s*[=:]?\s*(\d+)\s*$", re.IGNORECASE)
_URI_EXT = re.compile(r";\s*ext=([\d\-.()]*\d[\d\-.()]*)", re.IGNORECASE)   # RFC 3966 separators
# A vCard 4.0 tel: URI's parameters (RFC 3966: ";ext=5555", ";isub=", ";phone-context=")
# are not digits of the number.
_URI_PARAMS = re.compile(r";\s*[a-z][a-z0-9-]*=.*$", re.IGNORECASE | re.DOTALL)
_N = "23456789"
_NANP = frozenset(phonenumbers.region_codes_for_country_code(1))


# Small on purpose: numbers are nearly unique (see normalize_email's cache).
@lru_cache(maxsize=1 << 13)
def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 when the number can be placed, else its digits; "" when there are none."""
    value = raw.strip()
    if ";" in value:
        value = _URI_PARAMS.sub("", value)
    value = _EXTENSION.sub("", value)
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
        # NPA-NXX-XXXX: neither the area code nor the exchange starts with 0 or 1
        if len(digits) == 10 and digits[0] in _N and digits[3] in _N:
            return "+1" + digits
        if len(digits) == 11 and digits[0] == "1" and digits[1] in _N and digits[4] in _N:
            return "+" + digits
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_valid_number(number):
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_extension(raw: str) -> str:
    """The extension written with a number, as digits ("(418) 555-0142 x 2210" ->
    "2210", "tel:+81-3-6748-2111;ext=204" -> "204"); "" when there is none. The
    same forms `normalize_phone` leaves out of the number, read by the same
    expressions, so what one drops the other keeps. Both forms end a value: a number
    whose last digits follow neither a ";" nor a character an extension's word or
    sign ends with ("x", "poste", "#", "ext=") has none, and that test is all a
    plain number costs (survivorship reads every phone of every contact)."""
    if ";" not in raw and raw.isascii():
        head = raw.rstrip("0123456789 \t")
        if not head or head[-1] not in _EXT_ENDS:
            return ""
    value = raw.strip()
    if ";" in value:
        uri = _URI_EXT.search(value)
        if uri:
            return _NON_DIGIT.sub("", uri.group(1))
        value = _URI_PARAMS.sub("", value)
    found = _EXTENSION.search(value)
    return found.group(1) if found else ""


_EXT_ENDS = frozenset("xXtTeEnN#=:.")       # the last character of "x", "ext.", "poste"...
