"""The demo directory: at least 150 services for the default place (Bradford District and
Craven), drawn from the partnership's own documents and real open data.

Everything invented is flagged: `ServiceRecord.is_demo` is true and `demo_fields` names the
invented details by ServiceRecord field ("url", "email", "contacts", "schedules", "locations",
"cost_options", "annual_cost", "funding_type", "commissioning", "partner", ...);
"whole_listing" means the listing itself is an invented example (activities at real venues;
the Craven examples of examples.yaml, at real postcodes).
"""

from linkwell.directory.records import ServiceRecord


def demo_records() -> list[ServiceRecord]:
    """Build the demo directory from the loaded place (wards, venues, GP practices)."""
    from linkwell.directory.demo.build import build_records
    from linkwell.directory.demo.place import place_data_from_db

    return build_records(place_data_from_db())
