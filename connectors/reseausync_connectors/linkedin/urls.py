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


@lru_cache(maxsize=65536)
def canonical_profile_url(url: str) -> str:
    """The canonical profile URL, or "" when `url` is not a LinkedIn profile URL."""
    match = _PROFILE.fullmatch(url.strip())
    if match is None:
        return ""
    slug = unquote(match[2]).strip("/").lower()
    if not slug or any(c.isspace() for c in slug):
        return ""
    return f"https://www.linkedin.com/{match[1].lower()}/{slug}"
