"""Give the services of a `generate_referrals.py` world what the intelligence hub reads and
that generator leaves plain: an operating-model tier, an annual cost, a funding type and
commissioning, a description of its own (`hub_text.py`: varied, with a few near-copies of
another service's at the same place), a venue spread over the place's postcodes (so over its
wards, not all at one address), and the areas each serves (wards, a constituency, the whole
place, or none named); then rebuild their search rows as the product does (`search.points.refresh`).

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


def generate(seed: int = 16) -> dict[str, Any]:
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
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    print(json.dumps(generate(seed=args.seed)))


if __name__ == "__main__":
    main()
