"""The `[match]` section of the config (owned by the match stage)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator


class MatchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_merge: float = 0.5        # match probability at or above: same person
    review: float = 0.2            # between review and auto_merge: ask the user
    source_priority: list[str] = []  # survivorship: earlier sources win ties
    nicknames: str = ""            # the user's own nickname file, added to the shipped table
    max_block: int = 100           # a blocking key shared by more records is too common to use
    max_name_block: int = 50       # the same for name-only keys (mostly homonyms when common)
    retrain_growth: float = 0.5    # re-estimate the model when the directory grew by this share

    @model_validator(mode="after")
    def _thresholds(self) -> MatchSettings:
        if not 0.0 < self.review <= self.auto_merge <= 1.0:
            raise ValueError("need 0 < review <= auto_merge <= 1")
        if self.max_block < 2 or self.max_name_block < 2:
            raise ValueError("max_block and max_name_block must be at least 2")
        return self
