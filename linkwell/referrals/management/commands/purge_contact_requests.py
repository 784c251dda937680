"""Delete closed contact requests after their retention period (personal data minimisation)."""

from django.core.management.base import BaseCommand, CommandError

from linkwell.referrals.actions import purge_closed_contact_requests, retention_days


class Command(BaseCommand):
    help = (
        "Delete contact requests closed more than --older-than DAYS ago (default: "
        "REFERRALS_RETENTION_DAYS, 365), with their notes. Each deletion is audited. "
        "Requests that are new or contacted are never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="Delete requests closed more than this many days ago.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = retention_days() if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than: give a number of days, zero or more")
        if dry_run:
            from linkwell.referrals.queries import purgeable_contact_requests

            count = purgeable_contact_requests(days).count()
            self.stdout.write(f"{count} closed request(s) would be deleted (dry run).")
            return
        count = purge_closed_contact_requests(
            actor=None, older_than_days=days, via="purge_contact_requests"
        )
        self.stdout.write(f"Deleted {count} closed request(s) closed more than {days} days ago.")
