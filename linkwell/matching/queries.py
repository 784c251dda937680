"""`match`: needs (given, or read from the person's words) and a place to a short list of
services that covers each need, each with its reasons.

Candidates come from the directory's own search, one need at a time (so they are the
services a person would find there: active, open to their age, near the place or serving its
area); their facts are then read in one batch (`facts.facts_of`) and scored in Python
(`scoring.score`). The list is dealt round the needs, best first in each, so three needs get
three services in the first three places rather than five for the first need. A need the
words only hint at (one weak sign, such as "lives alone") is not shown as read, but its best
service may take a place after each need read surely has had its first: an option worth a
look, marked as a hint, rather than one more service for a need already met.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from linkwell.directory import queries as directory
from linkwell.directory.models import ServiceStatus
from linkwell.directory.needs import POSSIBLE_FROM, SHOWN_FROM, InferredNeed, infer_needs
from linkwell.directory.queries.candidates import services_for_need
from linkwell.matching.facts import facts_of
from linkwell.matching.requests import MatchRefused, MatchRequest, check
from linkwell.matching.results import Match, MatchResult
from linkwell.matching.scoring import Scored, Where, score
from linkwell.places.queries import PlaceMatch, PlaceNotUnderstood, find_place

# Needs hinted at (from POSSIBLE_FROM up to SHOWN_FROM) that may take a place left over, most
# likely first: more would crowd out second services for the needs read surely.
POSSIBLE_AT_MOST = 2
CANDIDATES = 50  # read and scored per match, shared between the needs
# How much further a need with nothing near is looked for, in turn (times the distance asked).
WIDER = (3, 10)


def match(request: MatchRequest) -> MatchResult:
    """Services for the request's needs near its place, each with its reasons. Raises
    MatchRefused naming the field (text, needs, place, age, limit...) for what it cannot use."""
    check(request)
    # The language they speak is not the language of the words (a GP's note is in English).
    reading = read_needs(request.text)
    inferred = reading.sure
    weights = {code: 1.0 for code in request.needs}
    for need in inferred:
        weights.setdefault(need.code, need.confidence)
    sure = list(weights)
    room = max(0, POSSIBLE_AT_MOST - len(request.possible))
    possible = reading.possible([*sure, *request.possible])[:room]
    for code in request.possible:
        weights.setdefault(code, POSSIBLE_FROM)
    for need in possible:
        weights.setdefault(need.code, need.confidence)
    hinted = [code for code in weights if code not in sure]
    place = _place(request.place)
    if not weights:
        return MatchResult(inferred, [], place, [], possible_needs=possible)
    where = _where(place)
    found = _candidates(list(weights), place, request)
    facts = facts_of(found)
    scored = {
        pk: score(
            f,
            request,
            weights,
            where,
            distance_m=found[pk][0],
            covers_area=found[pk][1],
        )
        for pk, f in facts.items()
    }
    chosen = deal(sure, scored, request.limit, later=hinted)
    evidence = {n.code: n.evidence for n in possible}
    results = [
        Match(
            service_id=pk,
            name=facts[pk].name,
            needs=scored[pk].needs,
            score=scored[pk].score,
            distance_km=scored[pk].distance_km,
            covers_area=scored[pk].covers_area,
            reasons=_hint(scored[pk], sure, evidence) + scored[pk].reasons,
        )
        for pk in chosen
    ]
    return MatchResult(inferred, list(weights), place, results, possible_needs=possible)


@dataclass(frozen=True)
class Reading:
    """The needs read in a text: those sure enough to show, and those only hinted at (one
    weak sign), each most confident first."""

    sure: list[InferredNeed]
    hints: list[InferredNeed]

    def possible(self, besides: list[str] | tuple[str, ...] = ()) -> list[InferredNeed]:
        """The hints worth a place, leaving out needs asked or read already."""
        return [n for n in self.hints if n.code not in besides][:POSSIBLE_AT_MOST]


def read_needs(text: str, *, language: str = "") -> Reading:
    """Read the text once (the semantic path, when on, costs tens of milliseconds a read)."""
    if not (text or "").strip():
        return Reading([], [])
    found = infer_needs(text, language=(language or None))
    return Reading(
        sure=[n for n in found if n.confidence >= SHOWN_FROM],
        hints=[n for n in found if POSSIBLE_FROM <= n.confidence < SHOWN_FROM],
    )


def _hint(scored: Scored, sure: list[str], evidence: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A service offered only for a need hinted at says so first, with the words."""
    if any(code in sure for code in scored.needs) or not scored.needs:
        return ()
    words = evidence.get(scored.needs[0], ())
    if not words:
        return (_("in case it helps"),)
    quoted = ", ".join(f"\u2018{w}\u2019" for w in words)
    return (_("in case it helps: %(words)s") % {"words": quoted},)


def _place(text: str) -> PlaceMatch | None:
    if not (text or "").strip():
        return None
    try:
        return find_place(text)
    except PlaceNotUnderstood as problem:
        raise MatchRefused(str(problem), field="place") from problem


def _where(place: PlaceMatch | None) -> Where | None:
    if place is None:
        return None
    keys = {f"P{place.place_id}"} if place.place_id else set()
    keys |= {f"W{pk}" for pk in place.ward_ids}
    keys |= {f"C{pk}" for pk in place.constituency_ids}
    return Where(place.latitude, place.longitude, frozenset(keys))


def _candidates(
    needs: list[str], place: PlaceMatch | None, request: MatchRequest
) -> dict[uuid.UUID, tuple[float | None, bool]]:
    """Each need's first services in the directory's search, by id, with the distance (m)
    and covers-area mark the search gave them. Services covering the area come after those
    near (as the search orders them). A need with none within the distance or covering the
    area gets the nearest serving the place further away, within `WIDER` times the distance
    (a village in the Dales may have no bereavement group within 10 km: the nearest, with
    its distance, beats nothing)."""
    per_need = min(CANDIDATES, max(request.limit, math.ceil(CANDIDATES / len(needs))))
    base = directory.ServiceFilters(
        statuses=(ServiceStatus.ACTIVE,),
        age=request.age,
        place=place,
        proximity=request.max_distance_km * 1000 if place else None,
    )
    found: dict[uuid.UUID, tuple[float | None, bool]] = {}
    if place is None:  # nothing to rank by distance: any services meeting the need, scored here
        for code in needs:
            for pk in services_for_need(
                code, statuses=base.statuses, age=request.age, limit=per_need
            ):
                found.setdefault(pk, (None, False))
        return found
    for code in needs:
        if not services_for_need(code, statuses=base.statuses, age=request.age, limit=1):
            continue  # no service anywhere meets it: no place to look
        near = _search(dataclasses.replace(base, need=code), per_need)
        for wider in WIDER:  # nothing that near nor covering the area: the nearest further away
            if near or base.proximity is None:
                break
            further = dataclasses.replace(base, need=code, proximity=base.proximity * wider)
            near = _search(further, per_need)
        for pk, metres, covers in near:
            found.setdefault(pk, (metres, covers))
    return found


def _search(
    filters: directory.ServiceFilters, count: int
) -> list[tuple[uuid.UUID, float | None, bool]]:
    """The search's first services, each with its distance and covers-area mark (no rows
    fetched: scoring reads its own facts)."""
    try:
        results = directory.search_services(filters, count_cap=count)
    except (directory.PostcodeError, directory.UnknownPostcode):
        anywhere = dataclasses.replace(filters, place=None, postcode="", proximity=None)
        results = directory.search_services(anywhere, count_cap=count)
    return results.first_placed(count)


def deal(
    needs: list[str],
    scored: dict[uuid.UUID, Scored],
    limit: int,
    *,
    later: list[str] | tuple[str, ...] = (),
) -> list[uuid.UUID]:
    """Round the needs, best first in each: every round takes each need's best service not
    yet taken, and the round's services go in score order. A service meeting several needs
    scores higher, so it comes early in the round of each. The `later` needs (hinted at, not
    read surely) get one service each, in the first round after those of all of `needs`."""
    if not needs:  # nothing read surely: the hints are all there is to go on
        needs, later = list(later), ()
    order = [*needs, *(code for code in later if code not in needs)]
    queues = {
        code: sorted(
            (pk for pk, s in scored.items() if code in s.needs),
            key=lambda pk: (-scored[pk].score, str(pk)),
        )
        for code in order
    }
    chosen: list[uuid.UUID] = []
    taken: set[uuid.UUID] = set()
    while len(chosen) < limit and any(queues[code] for code in order):
        first: list[uuid.UUID] = []
        then: list[uuid.UUID] = []
        for code in order:
            queue = queues[code]
            while queue and queue[0] in taken:
                queue.pop(0)
            if queue:
                pk = queue.pop(0)
                taken.add(pk)
                (first if code in needs else then).append(pk)
        for round_ in (first, then):
            round_.sort(key=lambda pk: (-scored[pk].score, str(pk)))
            chosen.extend(round_[: limit - len(chosen)])
        order = list(needs)
    return chosen
