"""Writers that turn canonical contacts into files other tools read (vCard, ...)."""
