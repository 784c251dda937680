from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """One path for telling people something: an inbox row each, then one e-mail each."""

    name = "linkwell.notifications"
    default_auto_field = "django.db.models.BigAutoField"
