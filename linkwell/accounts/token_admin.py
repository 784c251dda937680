"""API tokens in the admin: who holds which, when each was last used and when it stops, and a
"Revoke selected tokens" action (audited, through `tokens.revoke_api_token`).

Nothing else is editable here: a token is made only by `linkwell create_api_token`, which shows
it once, and a token's hash is never shown. Tokens are revoked, never deleted, so the audit log
keeps naming them. In English, like the ApiToken model's field names: a screen for the partnership
admins who look after partner systems, not part of the translated pages.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from linkwell.accounts.admin_site import may_use_admin
from linkwell.accounts.token_models import ApiToken
from linkwell.accounts.tokens import revoke_api_token

VIA = "admin"


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at=None, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at=None, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(~Q(revoked_at=None))
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "state",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [StateFilter, "created_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "name", "user__username"]
    # Everything but token_hash, which nobody needs to see.
    fields = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke_selected"]

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return "revoked"
        return "expired" if token.expired else "active"

    @admin.action(description="Revoke selected tokens", permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.select_related("user"))
        revoked = sum(revoke_api_token(t, actor=request.user, via=VIA) for t in tokens)
        skipped = len(tokens) - revoked
        message = f"Revoked {revoked} token{'' if revoked == 1 else 's'}."
        if skipped:
            message += f" {skipped} {'was' if skipped == 1 else 'were'} already revoked."
        self.message_user(request, message, messages.SUCCESS)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return False  # made by `linkwell create_api_token`, which shows the token once

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked instead: the row stays for the audit log
