from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Instruments, answers and scores, coded outcomes, and programme evaluation."""

    name = "linkwell.outcomes"
    default_auto_field = "django.db.models.BigAutoField"
