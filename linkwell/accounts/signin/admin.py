"""Password lockouts in the admin: who or which address is locked, and an audited unlock.

Registered on Linkwell's admin site directly (django-axes' own admin is off: its delete is not
audited). Read-only: the only change is "Unlock", through `actions.unlock_attempts`.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from linkwell.accounts.admin_site import site, with_policy
from linkwell.accounts.signin import actions


class LockoutAdmin(admin.ModelAdmin):
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock_attempts"]
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock: forget these failed sign-ins"))
    def unlock_attempts(self, request, queryset):
        done = actions.unlock_attempts(queryset, actor=request.user, via="admin")
        self.message_user(
            request,
            ngettext(
                "Forgot %(n)d record of failed sign-ins.",
                "Forgot %(n)d records of failed sign-ins.",
                done,
            )
            % {"n": done},
        )


site.register(AccessAttempt, with_policy(LockoutAdmin))
