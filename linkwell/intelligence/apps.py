from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    """The intelligence hub: need against provision, tiers and spend, duplication, referral
    flows and indicators, read-only over the operational data and never about one person."""

    name = "linkwell.intelligence"
    default_auto_field = "django.db.models.BigAutoField"
