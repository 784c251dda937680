"""Demo staff (one per role), people and referrals for trying the product (development only)."""

import os

from django.core.management.base import BaseCommand, CommandError

from linkwell.referrals.demo import DemoRefused, load_demo_referrals

DEFAULT_PASSWORD = "linkwell-demo-only"  # noqa: S105 (demo accounts, development only)


class Command(BaseCommand):
    help = (
        "Create demo staff accounts (demo-firefighter, demo-gp, demo-connector, demo-provider, "
        "demo-housing, demo-analyst, demo-admin), demo people (999 NHS numbers) and referrals. "
        "Development only: the password is LINKWELL_DEMO_PASSWORD or a known default."
    )

    def handle(self, *args, **options):
        password = os.environ.get("LINKWELL_DEMO_PASSWORD", DEFAULT_PASSWORD)
        try:
            loaded = load_demo_referrals(password)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Demo staff: {', '.join(loaded.users)} (password: {loaded.password}); "
            f"{loaded.people} demo people, {loaded.referrals} new referrals."
        )
