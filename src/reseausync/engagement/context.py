"""What the engagement stage needs from the config, resolved once per call.

The stage accepts the project's `Settings` (or None for defaults) and reads only
`.engagement`, `.region` and `.me`; reading them through getattr keeps the stage
usable before the config module is loaded and with any object of that shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .keys import email_key, url_key
from .settings import EngagementSettings


@dataclass(frozen=True, slots=True)
class Context:
    engagement: EngagementSettings
    region: str | None
    owner_emails: frozenset[str]
    owner_url: str

    def is_owner(self, email: str, url: str) -> bool:
        """`email` and `url` are keys (already normalized)."""
        return bool((email and email in self.owner_emails)
                    or (url and self.owner_url and url == self.owner_url))


def _default_settings() -> Any:
    try:
        from ..config import Settings  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Settings()


def context(settings: Any = None) -> Context:
    if settings is None:
        settings = _default_settings()
    engagement = getattr(settings, "engagement", None) or EngagementSettings()
    me = getattr(settings, "me", None)
    emails = getattr(me, "emails", None) or []
    url = getattr(me, "linkedin_url", None) or ""
    return Context(
        engagement=engagement,
        region=getattr(settings, "region", None) or None,
        owner_emails=frozenset(k for k in (email_key(e) for e in emails) if k),
        owner_url=url_key(url),
    )
