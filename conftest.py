"""Shared pytest fixtures live in linkwell/conftest.py; this file marks the repository root."""
