"""Merging: clusters, survivorship, stable ids, the user's overrides, explanations."""
