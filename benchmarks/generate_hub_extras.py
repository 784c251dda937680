"""Give the services of a `generate_referrals.py` world what the intelligence hub reads and
that generator leaves plain: an operating-model tier, an annual cost, a funding type and
commissioning, a description of its own (`hub_text.py`: varied, with a few near-copies of
another service's at the same place), a venue spread over the place's postcodes (so over its
wards, not all at one address), and the areas each serves (wards, a constituency, the whole
place, or none named); then rebuild their search rows as the product does
(`search.points.refresh`). Also a reason code on each declined referral, and contacts whose
needs found no service (`--unmet`).

Deterministic for a `--seed` (services taken in name order). Only the generator's services
("Bench ..." and the Connector programme) are touched; the invented details are listed in
each service's `demo_fields`. Prints a JSON summary as its last line.

    DATABASE_URL=... LINKWELL_DEV=1 .venv/bin/python benchmarks/generate_hub_extras.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hub_text import NEAR_COPY_SHARE, describe, reword  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PROGRAMME_NAME = "Community Connectors"
TIERS = [(1, 35), (2, 30), (3, 25), (4, 10)]
TIER_COST = {1: 15_000, 2: 40_000, 3: 120_000, 4: 400_000}  # typical annual cost, pounds
FUNDING = [("recurrent", 70), ("short_term", 25), ("", 5)]
COMMISSIONING = [("external", 50), ("internal", 40), ("", 10)]
# What area a service names: its ward (and maybe a neighbour), its constituency, the whole
# place, or none (then it is "everywhere" to search).
COVERAGE = [("wards", 45), ("constituency", 25), ("place", 10), ("none", 20)]
DECLINE_CODES = [("no_capacity", 30), ("not_eligible", 25), ("person_declined", 20),
                 ("could_not_contact", 15), ("duplicate", 5), ("other", 5)]  # fmt: skip
ENCOUNTER_KINDS = [("safe_and_well", 30), ("gp_appointment", 40), ("tenancy_check", 15),
                   ("police_attendance", 10), ("other", 5)]  # fmt: skip
UNMET_NOTE = "Benchmark: needs recorded, no service found."  # marks this script's contacts
INVENTED = [
    "description",
    "tier",
    "annual_cost",
    "funding_type",
    "commissioning",
    "location",
    "service_areas",
]


def weighted(rng: random.Random, choices: list[tuple[Any, float]]) -> Any:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def referral_extras(rng: random.Random, unmet: int) -> dict[str, int]:
    """Reason codes on declined referrals (the generator gives only words), and contacts
    whose needs were recorded with no referral made (no service found), spread over five
    years; made afresh each run (earlier ones of this script removed first)."""
    import datetime as dt
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from linkwell.accounts.models import Membership, Role
    from linkwell.directory.vocabularies import NEEDS
    from linkwell.referrals.models import Encounter, EncounterNeed, Person, Referral

    declined = list(
        Referral.objects.filter(status="declined")
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    by_code: dict[str, list] = {}
    for pk in declined:
        by_code.setdefault(weighted(rng, DECLINE_CODES), []).append(pk)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    staff = list(
        Membership.objects.filter(role=Role.PRACTITIONER)
        .order_by("user_id")
        .values_list("user_id", "organisation_id")
    )
    needs = [term.code for term in NEEDS.terms]
    now = timezone.now()
    encounters, wanted = [], []
    for _ in range(unmet if people and staff else 0):
        user, organisation = rng.choice(staff)
        at = now - dt.timedelta(seconds=5 * 365 * 86400 * rng.random() ** 1.25)
        encounter = Encounter(
            id=uuid.UUID(int=rng.getrandbits(128), version=4), person_id=rng.choice(people),
            kind=weighted(rng, ENCOUNTER_KINDS), note=UNMET_NOTE, occurred_at=at,
            practitioner_id=user, organisation_id=organisation,
        )  # fmt: skip
        encounters.append(encounter)
        for need in rng.sample(needs, rng.choice([1, 1, 2])):
            wanted.append(EncounterNeed(encounter=encounter, need=need))
    with transaction.atomic():
        for code, pks in by_code.items():
            for start in range(0, len(pks), 500):
                Referral.objects.filter(pk__in=pks[start : start + 500]).update(
                    decline_reason_code=code
                )
        Encounter.objects.filter(note=UNMET_NOTE).delete()
        Encounter.objects.bulk_create(encounters, batch_size=1000)
        EncounterNeed.objects.bulk_create(wanted, batch_size=1000)
        # created_at is set on save (auto_now_add): put it at the contact's time.
        for encounter in encounters:
            encounter.created_at = encounter.occurred_at
        Encounter.objects.bulk_update(encounters, ["created_at"], batch_size=1000)
    return {"declined_with_codes": len(declined), "unmet_contacts": len(encounters),
            "unmet_needs": len(wanted)}  # fmt: skip


def generate(seed: int = 16, unmet: int = 10_000) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import transaction
    from django.db.models import Q

    from linkwell.directory import models as m
    from linkwell.directory.search import points
    from linkwell.places.models import Place, Postcode, Ward

    started = time.perf_counter()
    rng = random.Random(seed)
    services = list(
        m.Service.objects.filter(Q(name__startswith="Bench ") | Q(name=PROGRAMME_NAME))
        .select_related("organization")
        .order_by("name", "id")
    )
    postcodes = list(
        Postcode.objects.filter(ward__isnull=False)
        .order_by("postcode")
        .values_list("postcode", "latitude", "longitude", "ward_id")
    )
    constituency_of = dict(Ward.objects.values_list("id", "constituency_id"))
    ward_name = dict(Ward.objects.values_list("id", "name"))
    last_of_need: dict[str, tuple[str, tuple]] = {}  # need -> (description, postcode row)
    wards_in: dict[int | None, list[int]] = {}
    for ward, constituency in sorted(constituency_of.items()):
        wards_in.setdefault(constituency, []).append(ward)
    place = Place.objects.order_by("id").first()
    links = {
        link.service_id: link.location
        for link in m.ServiceAtLocation.objects.filter(service__in=services).select_related(
            "location"
        )
    }
    areas: list[m.ServiceArea] = []
    counts = {"services": len(services), "located": 0, "service_areas": 0, "near_copies": 0}
    for service in services:
        programme = service.name == PROGRAMME_NAME
        tier = 2 if programme else weighted(rng, TIERS)
        service.tier = tier
        cost = TIER_COST[tier] * (0.35 + 2.2 * rng.random())
        service.annual_cost = None if rng.random() < 0.08 else Decimal(f"{cost:.2f}")
        service.funding_type = "recurrent" if programme else weighted(rng, FUNDING)
        service.commissioning = weighted(rng, COMMISSIONING)
        service.partner_id = service.partner_id or service.organization.partner_id
        service.demo_fields = sorted({*(service.demo_fields or []), *INVENTED})
        service.import_fingerprint = None
        chosen = rng.choice(postcodes)
        need = service.name.removeprefix("Bench ").split(" service ")[0]
        if not programme:
            previous = last_of_need.get(need)
            if previous and rng.random() < NEAR_COPY_SHARE:  # a near-copy, at the same place
                service.description, chosen = reword(previous[0]), previous[1]
                counts["near_copies"] += 1
            else:
                service.description = describe(rng, need, ward_name.get(chosen[3], ""))
            last_of_need[need] = (service.description, chosen)
        postcode, latitude, longitude, ward = chosen
        location = links.get(service.id)
        if location is not None:
            location.postcode, location.latitude, location.longitude = postcode, latitude, longitude
            location.ward_id = ward
            counts["located"] += 1
        kind = "place" if programme else weighted(rng, COVERAGE)
        constituency = constituency_of.get(ward)
        if kind == "wards":
            served = [ward]
            neighbours = [w for w in wards_in.get(constituency, []) if w != ward]
            if neighbours and rng.random() < 0.4:
                served.append(rng.choice(neighbours))
            areas += [m.ServiceArea(service=service, ward_id=w) for w in served]
        elif kind == "constituency" and constituency is not None:
            areas.append(m.ServiceArea(service=service, constituency_id=constituency))
        elif kind == "place" and place is not None:
            areas.append(m.ServiceArea(service=service, place=place))
    with transaction.atomic():
        m.Service.objects.bulk_update(
            services,
            ["description", "tier", "annual_cost", "funding_type", "commissioning", "partner",
             "demo_fields", "import_fingerprint"],
            batch_size=500,
        )  # fmt: skip
        m.Location.objects.bulk_update(
            list(links.values()), ["postcode", "latitude", "longitude", "ward"], batch_size=500
        )
        m.ServiceArea.objects.filter(service__in=services).delete()
        m.ServiceArea.objects.bulk_create(areas, batch_size=1000)
        points.refresh([service.id for service in services])
    counts["service_areas"] = len(areas)
    counts["search_points"] = m.SearchPoint.objects.count()
    counts |= referral_extras(rng, unmet)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--unmet", type=int, default=10_000, help="contacts with no referral")
    args = parser.parse_args()
    print(json.dumps(generate(seed=args.seed, unmet=args.unmet)))


if __name__ == "__main__":
    main()
