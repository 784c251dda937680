from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from linkwell.directory.importers.runs import mark_interrupted_runs
from linkwell.directory.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: runs are written by the import commands. Listing them first marks those
    whose process is gone as interrupted (docs/adr/0019), so none shows running for ever."""

    list_display = [
        "started_at",
        "kind",
        "source",
        "status",
        "rows_read",
        "created",
        "updated",
        "unchanged",
        "finished_at",
        "heartbeat_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["source"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        mark_interrupted_runs()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
