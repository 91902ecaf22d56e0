"""reseausync: many contact sources, one deduplicated directory, and who you never engaged."""

__version__ = "0.1.0"
