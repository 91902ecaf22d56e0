"""Contact-CSV connector with declarative mappings (`mappings/*.toml`)."""

from .connector import CsvConnector, CsvOptions

__all__ = ["CsvConnector", "CsvOptions"]
