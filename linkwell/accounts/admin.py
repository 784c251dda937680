"""Admin screens for organisations, people and roles. Every save and delete is audited."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from linkwell.accounts.models import Membership, Organisation, User
from linkwell.accounts.policies import may_manage_sign_in
from linkwell.accounts.signin import actions as signin_actions
from linkwell.accounts.signin import devices
from linkwell.accounts.signin.steps import has_authenticator
from linkwell.audit.actions import record_event

VIA = "admin"

# Memberships are roles: their audit events read as roles granted and revoked.
ACTION_NAMES = {
    (Membership, "created"): "accounts.role.granted",
    (Membership, "deleted"): "accounts.role.revoked",
}


def audit_action(model: type[models.Model], verb: str) -> str:
    return ACTION_NAMES.get((model, verb), f"{model._meta.label_lower}.{verb}")


def _audit(request, obj: models.Model, verb: str, changed: list[str] | None = None) -> None:
    record_event(
        actor=request.user,
        action=audit_action(type(obj), verb),
        target=obj,
        via=VIA,
        details={"changed": changed} if changed else None,
    )


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit event in the same transaction as each admin save or delete."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _audit(request, obj, "changed" if change else "created", list(form.changed_data))

    def delete_model(self, request, obj):
        with transaction.atomic():
            _audit(request, obj, "deleted")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                _audit(request, obj, "deleted")
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            # Audited before the delete, while the rows still have their ids.
            for obj in [f.instance for f in formset.deleted_forms if f.instance.pk]:
                _audit(request, obj, "deleted")
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                _audit(request, obj, "created")
            for obj, fields in formset.changed_objects:
                _audit(request, obj, "changed", list(fields))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class DepartmentInline(admin.TabularInline):
    model = Organisation
    fk_name = "parent"
    fields = ["name", "kind", "ods_code", "is_demo"]
    extra = 0
    verbose_name = "department"
    verbose_name_plural = "departments"


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "parent", "ods_code", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "ods_code", "parent__name"]
    autocomplete_fields = ["parent"]
    inlines = [DepartmentInline]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """People. Only a superuser makes a superuser (or touches Django's groups and permissions,
    which Linkwell does not use), or changes a superuser's account at all: else a partnership
    admin could make themself one, or take over one by setting its password."""

    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]
    actions = ["unlock_sign_in", "reset_second_factor"]
    superuser_only_fields = ("is_superuser", "groups", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Signing in"), {"fields": ["sign_in_codes"]})]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if obj is not None:
            fields.append("sign_in_codes")
        if not request.user.is_superuser:
            fields.extend(self.superuser_only_fields)
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:  # whatever was posted: the field is read-only
            obj.is_superuser = bool(
                change and User.objects.filter(pk=obj.pk, is_superuser=True).exists()
            )
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Sign-in codes"))
    def sign_in_codes(self, obj: User) -> str:
        if not obj.pk or not has_authenticator(obj):
            return _("No authenticator app set up")
        left = devices.recovery_codes_left(obj)
        return ngettext(
            "Authenticator app set up; %(n)d recovery code left",
            "Authenticator app set up; %(n)d recovery codes left",
            left,
        ) % {"n": left}

    @admin.action(description=_("Unlock sign-in (after too many wrong passwords)"))
    def unlock_sign_in(self, request, queryset):
        done = self._for_each(request, queryset, signin_actions.unlock_sign_in)
        self.message_user(
            request,
            ngettext("Unlocked %(n)d person.", "Unlocked %(n)d people.", done) % {"n": done},
        )

    @admin.action(
        description=_("Reset sign-in codes (lost phone): they set up a new app at next sign-in")
    )
    def reset_second_factor(self, request, queryset):
        done = self._for_each(request, queryset, devices.reset_second_factor)
        self.message_user(
            request,
            ngettext(
                "Reset the sign-in codes of %(n)d person.",
                "Reset the sign-in codes of %(n)d people.",
                done,
            )
            % {"n": done},
        )

    def _for_each(self, request, queryset, action) -> int:
        """Run an audited action for each chosen person the admin may manage; say who not."""
        done = 0
        for user in queryset:
            if not may_manage_sign_in(request.user, user):
                self.message_user(
                    request,
                    _("Only a superuser can do that for %(user)s.") % {"user": user},
                    messages.ERROR,
                )
                continue
            action(user, actor=request.user, via=VIA)
            done += 1
        return done

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                _audit(request, self.get_object(request, id), "password_changed")
        return response


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "organisation", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


from linkwell.accounts import token_admin  # noqa: E402, F401 (registers the API token admin)
from linkwell.accounts.signin import admin as signin_admin  # noqa: E402, F401 (lockouts)
