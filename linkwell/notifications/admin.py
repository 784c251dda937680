from django.contrib import admin

from linkwell.notifications.models import Notification, OutgoingMessage


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


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    """Read only: messages are written by actions and recorded by their delivery job. The
    personalisation is not shown (until sent it may hold a self-completion link)."""

    list_display = ("created_at", "channel", "kind", "status", "attempts", "sent_by")
    list_filter = ("status", "channel", "kind")
    search_fields = ("subject_id", "notify_id")
    raw_id_fields = ("sent_by",)
    date_hierarchy = "created_at"
    exclude = ("personalisation",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
