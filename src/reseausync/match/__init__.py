"""Matching: blocking, field-by-field scoring, decisions with explanations."""
