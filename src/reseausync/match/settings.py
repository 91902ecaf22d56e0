"""The `[match]` section of the config (owned by the match stage)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class MatchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_merge: float = 0.9        # match probability at or above: same person
    review: float = 0.5            # between review and auto_merge: ask the user
    source_priority: list[str] = []  # survivorship: earlier sources win ties
