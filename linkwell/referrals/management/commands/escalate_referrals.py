"""Escalate referrals not answered in time (run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from linkwell.referrals.actions import escalate_overdue


class Command(BaseCommand):
    help = (
        "Tell the referrer and the partnership admins about every referral its service has "
        "not answered within its response time (14 days unless the service sets another). "
        "Each referral is escalated once; each escalation is audited."
    )

    def handle(self, *args, **options):
        count = escalate_overdue(via="escalate_referrals")
        self.stdout.write(f"Escalated {count} referral(s) not answered in time.")
