from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Needs and circumstances to ranked services, each with its reasons in plain words."""

    name = "linkwell.matching"
    default_auto_field = "django.db.models.BigAutoField"
