"""`linkwell load_demo_directory`: load (or refresh) the demo directory for the loaded place."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from linkwell.directory.demo.load import NoPlaceLoaded, load_demo_directory
from linkwell.directory.records import ServiceRecord


def kind_of(record: ServiceRecord) -> str:
    if "whole_listing" in record.demo_fields:
        return "invented activities at OpenStreetMap venues"
    if any(loc.external_identifier_type == "ods" for loc in record.locations):
        return "at GP practices"
    return "from the partnership's documents"


class Command(BaseCommand):
    help = (
        "Load the demo directory: services from the partnership's documents, ward partnerships, "
        "practice-based services and activities at real community venues. Invented details are "
        "flagged as demo. Running it again updates the same services in place."
    )

    def handle(self, *args, **options):
        try:
            loaded = load_demo_directory(actor=None)
        except NoPlaceLoaded as error:
            raise CommandError(str(error)) from None
        records = loaded.records
        self.stdout.write(
            f"Demo directory: {len(records)} services "
            f"({loaded.created} created, {loaded.updated} updated)."
        )
        for kind, count in Counter(kind_of(r) for r in records).most_common():
            self.stdout.write(f"  {count:4d} {kind}")
        tiers = Counter(r.tier_scheme_key for r in records)
        self.stdout.write(
            "Tier schemes: " + ", ".join(f"{key} {n}" for key, n in sorted(tiers.items()))
        )
        if loaded.partners_created:
            self.stdout.write("Partners created: " + ", ".join(loaded.partners_created))
        self.stdout.write(
            "Invented details are flagged (Service.is_demo, demo_fields); phones are Ofcom drama "
            "numbers, emails and websites example.org. Venues: (c) OpenStreetMap contributors, "
            "ODbL."
        )
