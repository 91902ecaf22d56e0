"""The built-in connectors. Each registers through the `reseausync.connectors`
entry-point group in pyproject.toml, exactly as a third-party connector would; the
core never imports this package by name."""
