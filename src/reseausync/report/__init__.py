"""Rendering for people (tables) and programs (JSON, CSV): no logic, only layout."""
