"""Engagement: interactions linked to contacts, status, tie strength, network layers."""
