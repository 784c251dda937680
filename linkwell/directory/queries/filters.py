"""What a directory search asks for (the API's parameters and the public page's form alike)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from linkwell.directory.search import points as search_points
from linkwell.places.queries import PlaceMatch

DAYS = search_points.DAYS


@dataclass(frozen=True)
class ServiceFilters:
    """What a search asks for. Every field is optional; given fields are ANDed.

    Semantics follow the ORUK 3.0 API: `minimum_age` keeps services whose minimum age is at
    least the value, `maximum_age` those whose maximum age is at most it; `start_time` keeps
    services with a schedule opening at or after it, `end_time` closing at or before it, `day`
    (MO..SU) open that day. `age` (Linkwell's own) keeps services open to a person of that age.
    `postcode` is a place as a person types it (a postcode, "BD1", "Skipton": see
    `places.queries.find_place`); `proximity` is metres from its point. `place`, when given,
    is that place already found (so a form that checked it is not asked twice).
    """

    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: str = ""
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    postcode: str = ""
    proximity: float | None = None
    modified_after: dt.datetime | None = None
    organization_id: uuid.UUID | None = None
    age: int | None = None
    statuses: tuple[str, ...] = ()
    need: str = ""
    life_stage: str = ""
    free: bool = False
    language: str = ""
    accessible: bool = False
    mode: str = ""
    reviewed_since: dt.date | None = None
    place: PlaceMatch | None = None


# The public pages' own filters (not in the ORUK API). `need` and `life_stage` are term codes
# of vocabularies.NEEDS / LIFE_STAGES; `language` an ISO 639 code; `mode` one of MODES;
# `reviewed_since` keeps listings reviewed on or after the date, or never reviewed (see
# docs/adr/0009). `free` keeps services saying they are free (a cost option named "Free" or
# of amount 0, or fees saying free): an unknown cost is not taken for free.
MODES = ("in_person", "online")
