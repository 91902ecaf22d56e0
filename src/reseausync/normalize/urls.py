"""LinkedIn profile URLs to one canonical form: https://www.linkedin.com/in/<slug>.

Exports write the same profile as "linkedin.com/in/JFTremblay/", "http://ca.linkedin.com/
in/jftremblay?trk=x" or "https://www.linkedin.com/in/jftremblay"; the slug is
case-insensitive on LinkedIn, so it is lower-cased.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

_PROFILE = re.compile(r"(?:^|[/.])linkedin\.com/(in|pub)/([^/?#\s]+)", re.IGNORECASE)


# Small on purpose: profiles are unique (see normalize_email's cache).
@lru_cache(maxsize=1 << 13)
def normalize_linkedin(raw: str) -> str:
    """The canonical profile URL, or "" when `raw` is no LinkedIn profile."""
    match = _PROFILE.search(raw.strip())
    if not match:
        return ""
    slug = unquote(match.group(2)).strip().lower()
    return f"https://www.linkedin.com/{match.group(1).lower()}/{slug}" if slug else ""
