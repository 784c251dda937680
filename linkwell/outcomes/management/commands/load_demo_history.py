"""`linkwell load_demo_history`: two years of invented referrals, cases and scores on top of
`load_demo_referrals`, so the evaluation and the hub have figures (development only)."""

import time

from django.core.management.base import BaseCommand, CommandError

from linkwell.outcomes.demo import load_demo_history
from linkwell.referrals.demo import DemoRefused


class Command(BaseCommand):
    help = (
        "Add about two years of invented, demo-marked history (400 people, 1,200 referrals, "
        "connector cases with SWEMWBS scores) after load_demo_referrals. Development only; "
        "running it again adds nothing."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            history = load_demo_history()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        if not history.loaded:
            self.stdout.write("Demo history: loaded already; nothing added.")
            return
        self.stdout.write(
            f"Demo history: {history.people} demo people, {history.referrals} referrals, "
            f"{history.cases} connector cases, {history.administrations} scores "
            f"({time.perf_counter() - started:.1f} s)."
        )
