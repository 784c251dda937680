"""A run of `refresh_hub`, and the month's snapshot of the hub's headline figures."""

from django.db import models

__all__ = ["HubRefresh", "Snapshot"]


class RefreshStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class HubRefresh(models.Model):
    """One refresh of the hub's precomputed tables: when, how long, what it counted."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RefreshStatus.choices, default=RefreshStatus.RUNNING
    )
    seconds = models.FloatField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # rows written per table
    # Seconds by part ("connect", each part, "write"); the parts overlap (run side by side).
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"Hub refresh {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class Snapshot(models.Model):
    """The hub's figures as they stood in a month (`YYYY-MM`): each refresh rewrites the
    current month's; earlier months are kept as they were, so trends and "since the last
    snapshot" show. `data` holds each part's figures under its own key."""

    month = models.CharField(max_length=7, unique=True)
    taken_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Hub snapshot {self.month}"
