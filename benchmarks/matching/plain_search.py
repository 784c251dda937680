"""Today's plain word search, kept here as the fixed baseline the new search is measured against.

It is written apart from the code under test (no import of linkwell's search), so improving
the search can never move the baseline.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_WORDS = 12
RADIUS_KM = 10.0


@dataclass
class Listing:
    """What the plain search needs of one service."""

    name: str
    name_words: set[str]
    words: set[str]
    points: list[tuple[float, float]] = field(default_factory=list)


TOKEN = re.compile(r"\w+")
FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


def tokens(text: str) -> list[str]:
    return TOKEN.findall((text or "").lower())


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


class PlainSearch:
    """Today's search as a visitor meets it: a service matches when every word typed (lower-case
    \\w+ tokens, at most 12) is a whole word of its name, its organisation's name or its
    description; no stemming, no synonyms, no typos forgiven. Ranked by words found in the
    name, then by name. A place must be a full postcode of today's place data, and then only
    services with a location within 10 km are kept; any other place is refused (None)."""

    def __init__(self, listings: dict[str, Listing], postcodes: dict[str, tuple[float, float]]):
        self.listings = listings
        self.postcodes = postcodes

    def centroid(self, place: str) -> tuple[float, float] | None:
        compact = re.sub(r"\s+", "", place.upper())
        text = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
        if not FULL_POSTCODE.match(text):
            return None
        return self.postcodes.get(text)

    def search(self, text: str, place: str = "") -> list[str] | None:
        words = list(dict.fromkeys(tokens(text)))[:MAX_WORDS]
        centre = None
        if place.strip():
            centre = self.centroid(place)
            if centre is None:
                return None
        if not words:
            return []
        found = []
        for service_id, listing in self.listings.items():
            if not all(word in listing.words for word in words):
                continue
            if centre is not None and not any(
                km_between(centre, point) <= RADIUS_KM for point in listing.points
            ):
                continue
            in_name = sum(word in listing.name_words for word in words)
            found.append((-in_name, listing.name.lower(), service_id))
        return [service_id for _in_name, _name, service_id in sorted(found)]


def read_postcodes(path: Path) -> dict[str, tuple[float, float]]:
    """Postcode centroids from a place's postcodes file."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["postcode"]: (float(row["lat"]), float(row["long"]))
            for row in csv.DictReader(handle)
            if row["lat"] and row["long"]
        }
