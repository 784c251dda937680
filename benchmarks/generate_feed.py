"""Write a synthetic Open Referral UK 3.0 feed (ndjson, one full service per line) for benchmarks.

Every service is invented and says so (its description, and the `demo` partnership attribute).
Wards and postcodes are real (from the place data folder), so postcode and area searches find
services; names are put together from word lists; taxonomy terms are Linkwell's own. A fixed
seed gives the same feed every time.

    .venv/bin/python benchmarks/generate_feed.py --services 100000 --output var/bench/feed.ndjson
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import uuid
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The vocabularies mark their labels for translation, which reads Django's settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LINKWELL_DEV", "1")

from linkwell.directory import vocabularies as vocab  # noqa: E402 (after the path is set)

NAMESPACE = uuid.UUID("0b7c4a86-3f0e-4f5e-9d1c-5e2b8f7a9c31")
ONS = "https://statistics.data.gov.uk/id/statistical-geography/"

ACTIVITIES = [
    ("lunch club", ["loneliness", "food"], "ageing_well"),
    ("walking group", ["physical_activity_weight", "loneliness"], "living_well"),
    ("befriending service", ["loneliness"], "ageing_well"),
    ("debt advice", ["money_debt"], "living_well"),
    ("stop smoking clinic", ["smoking"], "living_well"),
    ("food bank", ["food", "money_debt"], "living_well"),
    ("bereavement support", ["bereavement", "mental_wellbeing"], "living_well"),
    ("digital skills drop-in", ["digital_inclusion"], "ageing_well"),
    ("youth club", ["youth"], "starting_well"),
    ("singing group", ["loneliness", "mental_wellbeing"], "ageing_well"),
    ("exercise class", ["physical_activity_weight", "falls_frailty"], "ageing_well"),
    ("carers support group", ["carers"], "living_well"),
    ("falls prevention class", ["falls_frailty"], "ageing_well"),
    ("warm homes advice", ["fuel_poverty"], "ageing_well"),
    ("home fire safety check", ["fire_safety"], "ageing_well"),
    ("ESOL conversation class", ["english_language"], "living_well"),
    ("stay and play", ["parenting_early_years"], "starting_well"),
    ("job club", ["employment_skills"], "living_well"),
    ("wellbeing cafe", ["mental_wellbeing", "loneliness"], "living_well"),
    ("housing advice", ["housing"], "living_well"),
]
ADJECTIVES = ["Friendly", "Community", "Neighbourhood", "Open", "Weekly", "Drop-in", "Family"]
ORG_KINDS = ["Community Trust", "Association", "Network", "CIC", "Community Centre", "Project"]
STREETS = ["Mill Lane", "Church Street", "Park Road", "High Street", "Station Road", "Manor Row"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]
PARTNERS = [
    "Synthetic Council",
    "Synthetic NHS Trust",
    "Synthetic Housing Association",
    "Synthetic Voluntary Network",
]
DEPARTMENTS = ["Public Health", "Adult Social Care", "Children's Services", ""]
LANGUAGES = [("ur", "Urdu"), ("pa", "Punjabi"), ("pl", "Polish"), ("bn", "Bengali")]


@cache
def _term(vocabulary: vocab.Vocabulary, code: str) -> dict:
    found = next(t for t in vocabulary.terms if t.code == code)
    return {
        "id": str(vocab.stable_id("term", vocabulary.key, code)),
        "name": found.name,
        "description": found.description,
        "taxonomy": vocabulary.name,
        "taxonomy_id": str(vocab.stable_id("taxonomy", vocabulary.key)),
        "term": code,
    }


def term(vocabulary: vocab.Vocabulary, code: str) -> dict:
    return dict(_term(vocabulary, code))


def child_id(parent: str, kind: str) -> str:
    return str(uuid.uuid5(uuid.UUID(parent), kind))


def read_places(folder: Path) -> tuple[list[dict], list[dict]]:
    with (folder / "postcodes_bradford.csv").open(newline="") as handle:
        postcodes = [row for row in csv.DictReader(handle) if row["ward_code"]]
    with (folder / "bradford_ward_constituency_lookup.csv").open(newline="") as handle:
        wards = list(csv.DictReader(handle))
    return postcodes, wards


def service(n: int, rng: random.Random, postcodes: list[dict], wards: list[dict]) -> dict:
    sid = str(uuid.uuid5(NAMESPACE, f"service/{n}"))
    activity, needs, life_stage = rng.choice(ACTIVITIES)
    place = rng.choice(postcodes)
    org_number = n // 10
    org_id = str(uuid.uuid5(NAMESPACE, f"organization/{org_number}"))
    org_ward = wards[org_number % len(wards)]["ward_name"]
    name = f"{rng.choice(ADJECTIVES)} {activity} {place['ward_name']} {n}"
    attr = [{"taxonomy_term": term(vocab.NEEDS, code)} for code in needs] + [
        {"taxonomy_term": term(vocab.LIFE_STAGES, life_stage)}
    ]
    scheme = rng.choice(vocab.TIER_SCHEMES)
    level = rng.choice(scheme.levels)
    attr.append({"taxonomy_term": term(vocab.TIERS, str(level.tier)), "value": str(level.tier)})
    facts = {
        "partner": rng.choice(PARTNERS),
        "annual_cost": f"{rng.randrange(500, 250_000)}.00",
        "funding_type": rng.choice(["recurrent", "short_term"]),
        "commissioning": rng.choice(["internal", "external"]),
        "evidence_rating": rng.choice(["not_rated", "eif_2", "eif_3"]),
        "tier_in_scheme": f"{scheme.key}:{level.code}",
        "demo": "all",
    }
    if department := rng.choice(DEPARTMENTS):
        facts["department"] = department
    attr += [{"taxonomy_term": term(vocab.SERVICE_FACTS, k), "value": v} for k, v in facts.items()]
    for a in attr:
        a["id"] = child_id(sid, f"attribute/{a['taxonomy_term']['id']}")
        a["link_id"], a["link_type"] = sid, "service"
        a["taxonomy_term_id"] = a["taxonomy_term"]["id"]
    loc_id = str(uuid.uuid5(NAMESPACE, f"location/{n}"))
    day = rng.choice(DAYS)
    opens = rng.choice([9, 10, 11, 13, 14, 18])
    doc = {
        "id": sid,
        "organization_id": org_id,
        "name": name,
        "description": f"Synthetic benchmark data, not a real service: a {activity} "
        f"in {place['ward_name']}.",
        "url": f"https://example.org/services/{n}",
        "email": f"service{n}@example.org",
        "status": "active",
        "assured_date": f"2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 28):02d}",
        "last_modified": "2026-11-01T09:00:00+00:00",
        "organization": {
            "id": org_id,
            "name": f"{org_ward} {ORG_KINDS[org_number % len(ORG_KINDS)]} {org_number}",
            "description": "Synthetic organisation for benchmarks.",
        },
        "schedules": [
            {
                "id": child_id(sid, "schedule/0"),
                "freq": "WEEKLY",
                "byday": day,
                "opens_at": f"{opens:02d}:00",
                "closes_at": f"{opens + 2:02d}:00",
                "description": f"Every week, {opens:02d}:00 to {opens + 2:02d}:00.",
            }
        ],
        "service_at_locations": [
            {
                "id": child_id(sid, "sal/0"),
                "location_id": loc_id,
                "location": {
                    "id": loc_id,
                    "location_type": "physical",
                    "name": f"{place['ward_name']} community room {n}",
                    "latitude": float(place["lat"]),
                    "longitude": float(place["long"]),
                    "addresses": [
                        {
                            "id": child_id(loc_id, "address/0"),
                            "address_1": f"{rng.randrange(1, 300)} {rng.choice(STREETS)}",
                            "city": "Bradford",
                            "state_province": "West Yorkshire",
                            "postal_code": place["postcode"],
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "contacts": [
            {
                "id": child_id(sid, "contact/0"),
                "name": "Enquiries",
                "phones": [{"id": child_id(sid, "phone/0"), "number": f"01632 960{n % 1000:03d}"}],
            }
        ],
        "service_areas": [
            {
                "id": child_id(sid, f"area/{i}"),
                "name": ward["ward_name"],
                "uri": f"{ONS}{ward['ward_code']}",
            }
            for i, ward in enumerate(rng.sample(wards, rng.randrange(0, 3)))
        ],
        "attributes": attr,
    }
    if rng.random() < 0.3:
        doc["cost_options"] = [
            {"id": child_id(sid, "cost/0"), "option": "Per session", "amount": rng.choice([2, 3.5])}
        ]
    if rng.random() < 0.2:
        code, language = rng.choice(LANGUAGES)
        doc["languages"] = [{"id": child_id(sid, "language/0"), "code": code, "name": language}]
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--output", type=Path, help="default: standard output")
    parser.add_argument("--seed", type=int, default=2026)
    default_places = os.environ.get("LINKWELL_PLACE_DIR", ROOT.parent / "shared" / "data")
    parser.add_argument("--place-dir", type=Path, default=Path(default_places))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    postcodes, wards = read_places(args.place_dir)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        for n in range(1, args.services + 1):
            out.write(json.dumps(service(n, rng, postcodes, wards), separators=(",", ":")) + "\n")
    finally:
        if args.output:
            out.close()


if __name__ == "__main__":
    main()
