"""The SQLite directory: schema migrations, runs, and batched writes."""

from .db import Store, now_iso
from .writer import RunWriter

__all__ = ["RunWriter", "Store", "now_iso"]
