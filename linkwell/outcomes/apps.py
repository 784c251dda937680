from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Instruments, answers and scores, coded outcomes, and programme evaluation."""

    name = "linkwell.outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Referrals never import outcomes: outcomes takes part in a referral's ending
        # (the coded outcome, the message back, the FHIR export) through referrals' hooks.
        from linkwell.outcomes import hooks

        hooks.register()
