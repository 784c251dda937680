from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Requests for contact and referrals between people, practitioners and services."""

    name = "linkwell.referrals"
    default_auto_field = "django.db.models.BigAutoField"
