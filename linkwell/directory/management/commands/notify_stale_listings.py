"""E-mail each partner's provider editors the listings they have not checked for too long."""

from django.core.management.base import BaseCommand

from linkwell.directory.listings.actions import notify_stale_listings


class Command(BaseCommand):
    help = (
        "E-mail provider editors their stale listings and the date each leaves search. "
        "Run daily; a partner is e-mailed at most once a day."
    )

    def handle(self, *args, **options) -> None:
        sent = notify_stale_listings(actor=None)
        for notice in sent:
            self.stdout.write(
                f"{notice.organisation.name}: {len(notice.rows)} stale listings, "
                f"told {', '.join(notice.recipients)}"
            )
        self.stdout.write(f"{len(sent)} organisations e-mailed.")
