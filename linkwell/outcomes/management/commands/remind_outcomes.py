"""Remind of follow-up questionnaires due and not answered (run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from linkwell.outcomes.actions import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the connector (or the service) of every follow-up questionnaire due and not "
        "answered, and the person too if a link sent to them still works. Each follow-up is "
        "reminded once; each reminder is audited."
    )

    def handle(self, *args, **options):
        count = send_reminders(via="remind_outcomes")
        self.stdout.write(f"Reminded {count} follow-up(s) due and not answered.")
