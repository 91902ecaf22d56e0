"""The `[engagement]` section of the config (owned by the engagement stage).

Thresholds for the status, the reply window that tells an answered message from
one nobody answered, and the network-layer rules. The user's rules
(`[[engagement.layers]]`) are tried before the rules shipped in
`reseausync/data/layers.toml`, so a user rule always wins; `default_layers =
false` drops the shipped rules entirely.
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from ..durations import duration_value, format_duration
from .webmail import Webmail

Layer = Literal["personal", "professional", "extra_professional", "unknown"]
LAYERS: tuple[str, ...] = ("personal", "professional", "extra_professional", "unknown")


class LayerRule(BaseModel):
    """One rule: every condition given must hold (AND); inside a list, any value (OR).

    `categories` compares vCard CATEGORIES / Google labels ignoring case and accents;
    `email = "webmail"` holds when every email of the contact is at a webmail domain,
    `email = "company"` when one is at neither a webmail nor a school domain,
    `email = "school"` when one is at a school or university and every other at a
    webmail domain; `email_domains` holds for a listed domain and its subdomains.
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    layer: Layer
    sources: list[str] = []
    connectors: list[str] = []
    categories: list[str] = []
    organization: bool | None = None
    email: Literal["webmail", "company", "school"] | None = None
    email_domains: list[str] = []

    @model_validator(mode="after")
    def _has_condition(self) -> LayerRule:
        if not (self.sources or self.connectors or self.categories or self.email_domains
                or self.organization is not None or self.email is not None):
            raise ValueError(f"layer rule {self.name!r} has no condition; give at least one of "
                             "sources, connectors, categories, organization, email, "
                             "email_domains")
        return self


class EngagementSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cooling_after: timedelta = timedelta(days=90)
    cold_after: timedelta = timedelta(days=365)
    # An in and an out message of the same thread this close together make an exchange.
    reply_window: timedelta = timedelta(days=30)
    layers: list[LayerRule] = []
    default_layers: bool = True
    webmail_domains: list[str] = []   # added to the shipped list

    @field_validator("cooling_after", "cold_after", "reply_window", mode="before")
    @classmethod
    def _duration(cls, value: object, info: ValidationInfo) -> object:
        default = cls.model_fields[info.field_name].default
        return duration_value(value, format_duration(default))

    @field_validator("cooling_after", "cold_after")
    @classmethod
    def _whole_days(cls, value: timedelta, info: ValidationInfo) -> timedelta:
        """A status counts whole days since the last engagement: "12h" would be
        explained as "0 days" and act as one day. Refused rather than rounded."""
        if value < timedelta(days=1) or value % timedelta(days=1):
            raise ValueError(f"engagement.{info.field_name} counts whole days: write "
                             f"it in days or weeks (\"90d\", \"13w\"), not "
                             f"{format_duration(value)!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> EngagementSettings:
        if self.cold_after <= self.cooling_after:
            raise ValueError("engagement.cold_after must be longer than "
                             "engagement.cooling_after")
        return self

    def layer_rules(self) -> list[LayerRule]:
        """The user's rules first, then the shipped ones (unless turned off)."""
        shipped = list(default_rules()) if self.default_layers else []
        return [*self.layers, *shipped]

    def unknown_rule_sources(self, configured: set[str]) -> list[str]:
        """Warnings for user rules whose `sources` name none of the configured
        sources. Not an error: a source made only by `import --source NAME` is in
        no config, and such a rule is right for it; but a typo ("phon") makes the
        rule match nothing, so `check` says so."""
        return [f"layer rule {rule.name!r}: no [[sources]] is named "
                f"{', '.join(repr(s) for s in rule.sources)} (known: "
                f"{', '.join(sorted(configured)) or 'none'}); the rule only matches "
                "records imported with `import --source` under that name"
                for rule in self.layers
                if rule.sources and not configured.intersection(rule.sources)]

    def webmail(self) -> Webmail:
        """The shipped personal-mailbox domains and the user's ("name.*" patterns too)."""
        return default_webmail() | Webmail.of(self.webmail_domains)


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    text = resources.files("reseausync").joinpath("data/layers.toml").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def default_rules() -> tuple[LayerRule, ...]:
    return tuple(LayerRule.model_validate(r) for r in _shipped().get("rules", []))


@lru_cache(maxsize=1)
def default_webmail() -> Webmail:
    return Webmail.of(_shipped().get("webmail_domains", []),
                      _shipped().get("school_domains", []))
