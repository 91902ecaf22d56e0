"""The SQLite directory: schema migrations, runs, and batched writes."""

from .db import Store, index_dropped, now_iso
from .writer import RunWriter

__all__ = ["RunWriter", "Store", "index_dropped", "now_iso"]
