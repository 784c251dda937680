"""`linkwell load_demo_directory`: load (or refresh) the demo directory for the loaded place."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from linkwell.directory.actions import save_services
from linkwell.directory.demo import demo_records
from linkwell.places.models import Place


class Command(BaseCommand):
    help = (
        "Load the demo directory: services from the partnership's documents, ward partnerships, "
        "practice-based services and activities at real community venues. Invented details are "
        "flagged as demo. Running it again updates the same services in place."
    )

    def handle(self, *args, **options):
        if not Place.objects.exists():
            raise CommandError("No place is loaded: run `linkwell load_place` first.")
        records = demo_records()
        result = save_services(records, actor=None, via="demo", source="linkwell demo directory")
        tiers = Counter(record.tier_scheme_key for record in records)
        self.stdout.write(
            f"Demo directory: {len(records)} services "
            f"({result.created} created, {result.updated} updated)."
        )
        self.stdout.write(
            "Tier schemes used: " + ", ".join(f"{k} {v}" for k, v in sorted(tiers.items()))
        )
        self.stdout.write(
            "Every invented detail is flagged: Service.is_demo and Service.demo_fields."
        )
