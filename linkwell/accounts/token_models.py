"""API tokens: a bearer secret per user for the referral API. Only a hash is kept, so a copy of
the database does not hand out working tokens; the token itself is shown once, when made."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


def default_expiry() -> dt.datetime:
    """Tokens last API_TOKEN_DAYS (90 unless set): a leaked one stops working on its own."""
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What or who uses it.")
    # SHA-256 of the token (hex). The token is 256 random bits, so a plain hash is enough.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, to tell tokens apart in lists without revealing them.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        default=default_expiry, help_text="After this the token no longer signs anyone in."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API token {self.prefix}… of {self.user_id}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        """Still signs its user in: neither revoked nor past its expiry."""
        return self.revoked_at is None and not self.expired
