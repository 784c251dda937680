"""The Django admin, open only to active partnership admins (and superusers).

Django's own admin lets in anyone with `is_staff` and then asks model permissions; Linkwell
keeps powers in memberships instead, so this site asks `policies.can(user, USE_ADMIN)` for
both. Apps keep registering their ModelAdmins on `django.contrib.admin.site` as usual; this
site serves every one of them, wrapped so that the policy (not Django permissions) decides,
while a ModelAdmin's own refusals (the read-only audit log) still stand.

Signing in to the admin is the site's own sign-in (password, then code: docs/adr/0020), and
the site asks for the second step itself too, whatever the middleware did.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linkwell.accounts.policies import Action, can

# Models never shown in the admin: one-time-code devices (a partnership admin resets them with
# the audited action on people instead; editing them would let one sign in as someone else).
NOT_MIRRORED_APPS = frozenset({"otp_totp", "otp_static"})


def may_use_admin(user) -> bool:
    return bool(user is not None and user.is_active and can(user, Action.USE_ADMIN))


class PolicyModelAdmin(admin.ModelAdmin):
    """Permissions from the policy. Mixed in after a ModelAdmin's own class, so its refusals win."""

    def _allowed(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args, **kwargs):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class PolicyInline(admin.options.InlineModelAdmin):
    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_use_admin(request.user)


def with_policy(model_admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """A subclass whose permission checks (and its inlines') come from the policy."""
    inlines = [
        type(f"Policy{inline.__name__}", (inline, PolicyInline), {})
        for inline in model_admin_class.inlines
    ]
    return type(
        f"Policy{model_admin_class.__name__}",
        (model_admin_class, PolicyModelAdmin),
        {"inlines": inlines, "__module__": model_admin_class.__module__},
    )


class LinkwellAdminSite(admin.AdminSite):
    site_header = _("Linkwell administration")
    site_title = _("Linkwell admin")
    index_title = _("Partnership administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from linkwell.accounts.signin.steps import pending_second_step

        user = request.user
        return may_use_admin(user) and not pending_second_step(user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """No second way in: the admin signs in through the site's sign-in, code and all.
        Someone signed in without the admin's role is refused (the site's 403 page): signing in
        again would not open it."""
        if request.user.is_authenticated and not may_use_admin(request.user):
            raise PermissionDenied
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index", current_app=self.name),
            settings.LOGIN_URL,
        )

    def mirror(self, source: admin.AdminSite) -> None:
        """Serve every model registered on `source` (the default site), under the policy."""
        for model, model_admin in source._registry.items():
            if model not in self._registry and model._meta.app_label not in NOT_MIRRORED_APPS:
                self.register(model, with_policy(type(model_admin)))

    def get_urls(self):
        self.mirror(admin.site)
        return super().get_urls()


site = LinkwellAdminSite(name="admin")
