"""reseausync: many contact sources, one deduplicated directory, and who you never engaged.

The public Python API is what this module exports (`__all__`, pinned by a test);
everything else is internal and may change. The CLI uses the same functions.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Loaded on first use (PEP 562): `reseausync contacts` needs neither the import
# pipeline nor the matcher, whose modules (numpy among them) took most of every
# command's start-up.
_WHERE = {
    "import_paths": "api", "make_connector": "api", "open_store": "api",
    "Connector": "connector", "NoOptions": "connector", "PublishTarget": "connector",
    "ReadContext": "connector", "Unit": "connector", "WriteResult": "connector",
    "ConfigError": "errors", "LockError": "errors", "MassRemovalError": "errors",
    "RegistryError": "errors", "ReseausyncError": "errors", "RetriableError": "errors",
    "SourceError": "errors", "UnitError": "errors", "UsageError": "errors",
    "Address": "models", "Interaction": "models", "Labeled": "models",
    "Participant": "models", "Photo": "models", "Reject": "models",
    "SourceRecord": "models",
    "RunResult": "pipeline", "run_source": "pipeline",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'reseausync' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


# Its name is also its module's: bound here, the object wins as it always did.
from .registry import registry  # noqa: E402

if TYPE_CHECKING:
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
    from .models import Address, Interaction, Labeled, Participant, Photo, Reject, SourceRecord
    from .pipeline import RunResult, run_source

__version__ = "0.1.0"

__all__ = [
    "Address", "ConfigError", "Connector", "Interaction", "Labeled", "LockError",
    "MassRemovalError", "NoOptions", "Participant", "Photo", "PublishTarget", "ReadContext",
    "RegistryError", "Reject", "ReseausyncError", "RetriableError", "RunResult",
    "SourceError", "SourceRecord", "Unit", "UnitError", "UsageError", "WriteResult",
    "__version__", "import_paths", "make_connector", "open_store", "registry", "run_source",
]
