"""Phone extensions: read apart from the number, never lost (qa3_vcf #8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.normalize.phones import normalize_phone, phone_extension


@pytest.mark.parametrize(("raw", "ext"), [
    ("(418) 555-0142 x 2210", "2210"),              # Outlook
    ("514-555-1000 poste 3344", "3344"),            # Google, in French
    ("+81-3-6748-2111;ext=204", "204"),             # a 4.0 tel: URI, "tel:" taken off
    ("+1-514-555-1234;ext=1-2;phone-context=+1", "12"),   # RFC 3966 separators
    ("+15148782691 ext. 1234", "1234"),             # what the cards connector writes
    ("514.555.1234 extension 7", "7"),
    ("(514) 555-1234", ""), ("+15145551234", ""), ("tel:+1-800-555-0199;isub=12", ""),
])
def test_extension_is_read(raw: str, ext: str) -> None:
    assert phone_extension(raw) == ext


@settings(max_examples=100)
@given(st.sampled_from("23456789"), st.text("0123456789", min_size=9, max_size=9),
       st.text("0123456789", min_size=1, max_size=6),
       st.sampled_from([";ext={}", ";EXT={};phone-context=+1", " ext. {}", " x{}", " x {}",
                        " poste {}", " #{}"]))
def test_what_the_number_leaves_out_the_extension_keeps(a, rest, ext, form):
    number = f"+1 {a}{rest[:2]} {rest[2:5]}-{rest[5:]}"
    raw = number + form.format(ext)
    assert phone_extension(raw) == ext
    assert normalize_phone(raw, "CA") == normalize_phone(number, "CA")


@given(st.text("0123456789 +-().", max_size=25))
def test_a_number_without_letters_has_no_extension(raw: str) -> None:
    assert phone_extension(raw) == ""
