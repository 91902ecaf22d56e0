"""LinkedIn profile URLs in one canonical form, so one person has one key.

Exports write `https://www.linkedin.com/in/JFTremblay/`, older ones `http://ca.linkedin.com/in/...`,
with tracking queries or percent-encoded accents. The canonical form is
`https://www.linkedin.com/in/<slug>`: https, www, no country subdomain, slug
percent-decoded and lower-cased, no trailing slash, no query or fragment.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/(in|pub)/([^?#]+?)/*(?:[?#].*)?",
    re.IGNORECASE)


_CANONICAL = "https://www.linkedin.com/in/"


@lru_cache(maxsize=65536)
def canonical_profile_url(url: str) -> str:
    """The canonical profile URL, or "" when `url` is not a LinkedIn profile URL.

    Most export URLs are canonical already (a lower-case slug of letters, digits
    and hyphens): those are recognized with string tests, a tenth of the regex's
    cost, for a Connections.csv where every URL is new to the cache."""
    if url.startswith(_CANONICAL):
        slug = url[len(_CANONICAL):]
        if slug.isascii() and slug.replace("-", "").isalnum() and slug == slug.lower():
            return url
    return _parsed(url)


def _parsed(url: str) -> str:
    match = _PROFILE.fullmatch(url.strip())
    if match is None:
        return ""
    slug = unquote(match[2]).strip("/").lower()
    if not slug or any(c.isspace() for c in slug):
        return ""
    return f"https://www.linkedin.com/{match[1].lower()}/{slug}"
