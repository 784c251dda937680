from django.contrib import admin

from linkwell.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited through the product."""

    list_display = ["at", "actor_label", "action", "target_type", "target_label", "via"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_id", "target_label"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
