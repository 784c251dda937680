"""The admin's view of the worker: its heartbeats, read-only. django-q2 registers its own
models (queued, successful and failed tasks, schedules) on the default site, which the
partnership's admin site serves under its policy (linkwell/accounts/admin_site.py)."""

from django.contrib import admin

from linkwell.operations.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Written only by the workers themselves."""

    list_display = ["worker", "started_at", "last_seen", "stopped_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
