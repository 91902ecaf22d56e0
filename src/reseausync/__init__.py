"""reseausync: many contact sources, one deduplicated directory, and who you never engaged.

The public Python API is what this module exports (`__all__`, pinned by a test);
everything else is internal and may change. The CLI uses the same functions.
"""

from .api import import_paths, make_connector, open_store
from .connector import Connector, NoOptions, PublishTarget, ReadContext, Unit, WriteResult
from .errors import (
    ConfigError,
    LockError,
    MassRemovalError,
    RegistryError,
    ReseausyncError,
    RetriableError,
    SourceError,
    UnitError,
    UsageError,
)
from .models import (
    Address,
    Interaction,
    Labeled,
    Participant,
    Photo,
    Reject,
    SourceRecord,
)
from .pipeline import RunResult, run_source
from .registry import registry

__version__ = "0.1.0"

__all__ = [
    "Address", "ConfigError", "Connector", "Interaction", "Labeled", "LockError",
    "MassRemovalError", "NoOptions", "Participant", "Photo", "PublishTarget", "ReadContext",
    "RegistryError", "Reject", "ReseausyncError", "RetriableError", "RunResult",
    "SourceError", "SourceRecord", "Unit", "UnitError", "UsageError", "WriteResult",
    "__version__", "import_paths", "make_connector", "open_store", "registry", "run_source",
]
