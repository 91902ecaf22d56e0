"""The `[engagement]` section of the config (owned by the engagement stage)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator

from ..durations import parse_duration


class EngagementSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cooling_after: timedelta = timedelta(days=90)
    cold_after: timedelta = timedelta(days=365)

    @field_validator("cooling_after", "cold_after", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value
