"""A small hand-made place for the provision tests: two wards in one constituency, one 2011
LSOA in each, and five services whose areas and locations are known.

- Northfield (5,000 people; its LSOA ranked 100th most deprived in England) and Southgate
  (10,000; ranked 30,000th), both in Testbury constituency (15,000).
- Falls class: falls and frailty, tier 2, based in Northfield, naming no area.
- Strength and balance: falls and frailty, tier 3, covering Southgate ward, no location.
- Home fire checks: fire safety, tier 1, covering the whole place.
- Befriending line: loneliness, tier 1, naming no area and with no location.
- Carers hub: carers, tier 2, covering Testbury constituency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.actions import ensure_vocabularies
from linkwell.directory.search import points
from linkwell.places import models as places


@dataclass
class World:
    place: places.Place
    constituency: places.Constituency
    north: places.Ward
    south: places.Ward
    services: dict[str, m.Service]

    def close(self, name: str) -> None:
        """The service stops (status inactive), as an editor's save would record it."""
        service = self.services[name]
        service.status = m.ServiceStatus.INACTIVE
        service.save(update_fields=["status"])
        points.refresh([service.pk])


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.8, 53.8], [-1.7, 53.8], [-1.7, 53.9], [-1.8, 53.9], [-1.8, 53.8]]],
}


def _shifted(dx: float) -> dict:
    ring = [[x + dx, y] for x, y in SQUARE["coordinates"][0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _area(ward: places.Ward, code: str, rank: int, population: int, postcode: str) -> None:
    small = places.SmallArea.objects.create(
        place=ward.place, code=code, name=f"{ward.name} 001A", vintage=2011, ward=ward,
        ward_share=1.0, geometry=ward.geometry,
    )  # fmt: skip
    places.Deprivation.objects.create(
        small_area=small, imd_rank=rank, imd_decile=1 if rank < 3300 else 10,
        income_decile=1 if rank < 3300 else 10, population=population,
    )  # fmt: skip
    places.Postcode.objects.create(
        place=ward.place, postcode=postcode, latitude=53.85, longitude=-1.75,
        small_area_2011=small, ward=ward,
    )  # fmt: skip


def make_service(
    name: str,
    need: str,
    tier: int,
    *,
    ward: places.Ward | None = None,
    area: dict | None = None,
    areas: list[dict] = (),
) -> m.Service:
    """An active service for one need: based in `ward` if given, covering `area` (a ward,
    constituency or place) and `areas` if given."""
    organization = m.Organization.objects.create(name=f"{name} Trust", description="A charity.")
    service = m.Service.objects.create(
        organization=organization, name=name, tier=tier, last_modified=timezone.now()
    )
    m.ServiceAttribute.objects.create(
        service=service, taxonomy_term_id=vocab.stable_id("term", vocab.NEEDS.key, need)
    )
    if ward is not None:
        location = m.Location.objects.create(
            organization=organization, name=f"{name} venue", latitude=53.85,
            longitude=-1.75, postcode=ward.postcodes.first().postcode, ward=ward,
        )  # fmt: skip
        m.ServiceAtLocation.objects.create(service=service, location=location)
    for covered in [area, *areas] if area else areas:
        m.ServiceArea.objects.create(service=service, **covered)
    points.refresh([service.pk])
    return service


def make_world() -> World:
    ensure_vocabularies()
    place = places.Place.objects.create(slug="testshire", name="Testshire")
    constituency = places.Constituency.objects.create(
        place=place, code="E14009991", name="Testbury", geometry=SQUARE
    )
    north = places.Ward.objects.create(
        place=place, code="E05009991", name="Northfield", constituency=constituency,
        population=5000, population_year="mid-2022", geometry=SQUARE,
    )  # fmt: skip
    south = places.Ward.objects.create(
        place=place, code="E05009992", name="Southgate", constituency=constituency,
        population=10000, population_year="mid-2022", geometry=_shifted(0.1),
    )  # fmt: skip
    _area(north, "E01009991", rank=100, population=1500, postcode="NF1 1AA")
    _area(south, "E01009992", rank=30000, population=1600, postcode="SG1 1AA")
    services = {
        "Falls class": make_service("Falls class", "falls_frailty", 2, ward=north),
        "Strength and balance": make_service(
            "Strength and balance", "falls_frailty", 3, area={"ward": south}
        ),
        "Home fire checks": make_service(
            "Home fire checks", "fire_safety", 1, area={"place": place}
        ),
        "Befriending line": make_service("Befriending line", "loneliness", 1),
        "Carers hub": make_service("Carers hub", "carers", 2, area={"constituency": constituency}),
    }
    return World(place, constituency, north, south, services)
