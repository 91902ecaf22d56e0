"""The one-record fast path of survivorship builds exactly what the general path builds.

A first import builds most contacts from a single record through `single`, which
skips the ranking; the stored JSON is compared byte for byte on later runs to
decide what changed, so `single(m)` must equal `merged([m])` down to key order.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.merge.survivorship import Member, canonical, merged, single

# values chosen so that normalization folds some of them together
EMAILS = ["Kate.OBrien@Shopify.com", "kate.obrien@shopify.com ", "", "  ", "not-an-email",
          "jf@acme.ca", "JF@ACME.CA", "marie.t@desjardins.com"]
PHONES = ["(514) 555-1234", "514-555-1234", "+1 514 555 1234", "", "555", "613 555 0199",
          "+33 1 42 68 53 00", "ext. 12"]
NAMES = ["", "Jean-François Tremblay", "JF", "Tremblay, Jean-François", "jf@acme.ca",
         "Jean de la Fontaine", "Marie", "É. Côté"]
CATEGORIES = ["Work", "work", " Work ", "", "Famille", "famille", "Clients"]
URLS = ["https://acme.ca", " https://acme.ca ", "", "http://example.org"]
LINKEDIN = ["", "linkedin.com/in/jftremblay", "https://www.linkedin.com/in/JFTremblay/",
            "https://example.org/jf"]
CITIES = ["", "Montréal", "montreal", "MONTRÉAL", "Québec"]

labeled = st.fixed_dictionaries({"value": st.sampled_from(EMAILS), "label": st.just("")})
addresses = st.fixed_dictionaries({
    "street": st.sampled_from(["", "1 rue Sainte-Catherine", "1 Rue Sainte-Catherine"]),
    "locality": st.sampled_from(CITIES), "region": st.sampled_from(["", "QC"]),
    "postal_code": st.sampled_from(["", "H2X 1Y4"]), "country": st.just(""),
    "label": st.just("")})
data = st.fixed_dictionaries(
    {},
    optional={
        "display_name": st.sampled_from(NAMES), "given_name": st.sampled_from(NAMES[:3]),
        "family_name": st.sampled_from(["", "Tremblay", "O'Brien"]),
        "emails": st.lists(labeled, max_size=4),
        "phones": st.lists(st.fixed_dictionaries(
            {"value": st.sampled_from(PHONES), "label": st.just("")}), max_size=4),
        "organization": st.sampled_from(["", "Acme", None]),
        "title": st.sampled_from(["", "CTO"]), "note": st.sampled_from(["", "met at a 5 à 7"]),
        "birthday": st.sampled_from(["", "1980-02-29"]),
        "linkedin_url": st.sampled_from(LINKEDIN),
        "addresses": st.lists(addresses, max_size=3),
        "categories": st.lists(st.sampled_from(CATEGORIES), max_size=4),
        "urls": st.lists(st.sampled_from(URLS), max_size=3),
        "extra": st.just({}),
    })
members = st.builds(
    Member, rid=st.integers(1, 10**6), source=st.sampled_from(["phone", "linkedin"]),
    connector=st.just("vcard"), external_id=st.text(max_size=5), locator=st.just("x:1"),
    data=data, photo=st.sampled_from(["", "ab" * 32]),
    collected_at=st.sampled_from([None, "", "2024-05-01T10:00:00+00:00"]))
flags = st.lists(st.sampled_from(["review", "me", "no_identity", "review"]), max_size=3)


@settings(max_examples=100, deadline=None)
@given(members, st.sampled_from([None, "CA", "FR"]), flags)
def test_single_record_fast_path_is_byte_identical(m: Member, region: str | None,
                                                   fl: list[str]) -> None:
    fast = single(m, region, fl)
    general = merged([m], {"phone": 0}, region, fl)
    assert json.dumps(fast, ensure_ascii=False) == json.dumps(general, ensure_ascii=False)
    assert canonical([m], {}, region, fl) == fast


def test_single_record_keeps_distinct_values_once_with_their_record() -> None:
    m = Member(7, "phone", "vcard", "a", "phone.vcf:1", {
        "display_name": "Tremblay, Jean-François",
        "emails": [{"value": "JF@Acme.ca"}, {"value": "jf@acme.ca "}, {"value": ""}],
        "phones": [{"value": "(514) 555-1234"}, {"value": "514-555-1234"}],
        "categories": ["Work", " work"], "addresses": [
            {"locality": "Montréal"}, {"locality": "MONTREAL"}, {"locality": ""}],
        "linkedin_url": "https://www.linkedin.com/in/JFTremblay/"},
        "", "2024-05-01T10:00:00+00:00")
    out = single(m, "CA", ["review"])
    assert (out["given_name"], out["family_name"]) == ("Jean-François", "Tremblay")
    assert out["emails"] == ["jf@acme.ca"]
    assert out["phones"] == ["+15145551234"]
    assert out["categories"] == ["Work"]
    assert out["addresses"] == [{"locality": "Montréal"}]
    assert out["provenance"]["emails"] == {"jf@acme.ca": [7]}
    assert out["first_collected"] == "2024-05-01"
    assert out["photo"] == "" and "photo" not in out["provenance"]
    assert out["flags"] == ["review"]
