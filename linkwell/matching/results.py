"""What a match answers: the needs it used (and those it read in the text), the place it
understood, and the services, each with the needs it meets and its reasons in plain words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from linkwell.directory.needs import InferredNeed
from linkwell.places.queries import PlaceMatch


@dataclass(frozen=True)
class Match:
    """One service offered: the asked needs it meets, its score (higher is better, for
    ordering only) and why, in short translated phrases ("0.8 km", "has places")."""

    service_id: uuid.UUID
    name: str
    needs: tuple[str, ...]
    score: float
    distance_km: float | None
    covers_area: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    inferred_needs: list[InferredNeed]
    needs: list[str]  # the codes used: those given, those inferred, then those hinted at
    place: PlaceMatch | None
    results: list[Match] = field(default_factory=list)
    # Needs the words only hint at (one weak sign): not shown as read, offered places left over.
    possible_needs: list[InferredNeed] = field(default_factory=list)

    def by_need(self) -> list[tuple[str, list[Match]]]:
        """The results under each need they meet, in the order of `needs` (a service meeting
        two needs shows under both)."""
        return [(code, [m for m in self.results if code in m.needs]) for code in self.needs]
