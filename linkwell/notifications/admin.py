from django.contrib import admin

from linkwell.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: notices are written by actions, and marked read by their owner."""

    list_display = ("created_at", "user", "kind", "subject_type", "read_at")
    list_filter = ("kind", "subject_type")
    search_fields = ("user__username", "subject_id")
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
