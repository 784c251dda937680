"""Partner organisations, people who sign in, and the roles they hold in each organisation."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. Their powers come only from memberships."""

    is_demo = models.BooleanField(
        default=False,
        help_text="A demo account with a known password (made by load_demo_referrals).",
    )


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    COUNCIL_DEPARTMENT = "council_department", "Council department"
    NHS_TRUST = "nhs_trust", "NHS trust"
    ICB = "icb", "Integrated care board"
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    HOUSING = "housing", "Social housing"
    VOLUNTARY = "voluntary", "Voluntary and community group"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A partner of the partnership, or one of its departments (parent set)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="departments"
    )
    ods_code = models.CharField("ODS code", max_length=16, blank=True, db_index=True)
    is_demo = models.BooleanField(default=False, help_text="Invented for demonstration.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    CONNECTOR = "connector", "Community Connector"
    PROVIDER_EDITOR = "provider_editor", "Provider editor"
    ANALYST = "analyst", "Analyst"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership admin"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} at {self.organisation}"


from linkwell.accounts.token_models import ApiToken  # noqa: E402, F401 (the app's models)
