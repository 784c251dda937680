"""Admin screens for organisations, people and roles. Every save and delete is audited."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction

from linkwell.accounts.models import Membership, Organisation, User
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
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]

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
