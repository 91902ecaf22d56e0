"""Tie strength: one number in 0..1 from recency, frequency and reciprocity.

    recency     = 0.5 ** (days since the last engagement / half-life),
                  half-life = engagement.cooling_after (90 days by default);
                  0 when never engaged
    frequency   = min(1, ln(1 + engaged days) / ln(1 + 24)): distinct days with an
                  engaging interaction; 24 days (twice a month for a year) saturates
    reciprocity = engagements / (engagements + attempts): the share of contact that
                  was mutual; 0 when there was no contact at all
    tie         = 0.5 * recency + 0.3 * frequency + 0.2 * reciprocity
    past        = frequency * (0.5 + 0.5 * reciprocity)  (the tie without recency: how
                  strong it was, used to sort ties gone cold; one lone meeting is not
                  a strong past tie however mutual it was)

Granovetter's ingredients (time, intensity, reciprocity) with what the evidence
can measure; the weights are deliberately simple so `show` can explain them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

W_RECENCY, W_FREQUENCY, W_RECIPROCITY = 0.5, 0.3, 0.2
FREQUENCY_SATURATION = 24
FORMULA = ("tie = 0.5*recency + 0.3*frequency + 0.2*reciprocity; "
           "recency = 0.5**(days since last engagement / cooling_after days); "
           "frequency = min(1, ln(1+engaged days)/ln(25)); "
           "reciprocity = engagements/(engagements+attempts)")


@dataclass(frozen=True, slots=True)
class Tie:
    score: float
    recency: float
    frequency: float
    reciprocity: float
    past: float

    def as_dict(self) -> dict[str, float]:
        return {"score": self.score, "recency": self.recency, "frequency": self.frequency,
                "reciprocity": self.reciprocity, "past": self.past}


def tie_strength(last_engagement: datetime | None, engaged_days: int, engagements: int,
                 attempts: int, as_of: date, half_life_days: float) -> Tie:
    if last_engagement is None:
        recency = 0.0
    else:
        days = max(0, (as_of - last_engagement.date()).days)
        recency = 0.5 ** (days / max(half_life_days, 1.0))
    frequency = min(1.0, math.log1p(engaged_days) / math.log1p(FREQUENCY_SATURATION))
    total = engagements + attempts
    reciprocity = engagements / total if total else 0.0
    score = W_RECENCY * recency + W_FREQUENCY * frequency + W_RECIPROCITY * reciprocity
    past = frequency * (0.5 + 0.5 * reciprocity)
    return Tie(round(score, 4), round(recency, 4), round(frequency, 4), round(reciprocity, 4),
               round(past, 4))
