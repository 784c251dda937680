"""Keeping listings current: providers' edits, review and publishing, stale flags."""
