"""Engagement: interactions linked to contacts, status, tie strength, network layers.

The pipeline calls `link_interactions` inside each run's transaction, after the
contacts were rebuilt. Read commands call `annotate` (status, tie strength, layer
as of a date; nothing is stored), then `cold_contacts`, `stats`, and for `show`
`explain_engagement`; `unknown_people` lists participants linked to nobody.
"""

from .asof import parse_as_of, today
from .cold import cold_contacts
from .explain import explain_engagement
from .linking import link_interactions
from .settings import EngagementSettings, LayerRule
from .stats import stats
from .status import STATUSES, annotate
from .unknown import unknown_people

__all__ = [
    "STATUSES",
    "EngagementSettings",
    "LayerRule",
    "annotate",
    "cold_contacts",
    "explain_engagement",
    "link_interactions",
    "parse_as_of",
    "stats",
    "today",
    "unknown_people",
]
