"""POST /api/v1/match: open to anyone (no sign-in), rate-limited per address. Nothing sent is
stored, logged or audited: no personal record is read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from linkwell.directory.api.params import BadParameter
from linkwell.matching import throttle
from linkwell.matching.queries import match
from linkwell.matching.requests import MatchRefused, MatchRequest
from linkwell.matching.schemas import MatchIn, MatchResultOut, Problem

router = Router(tags=["Matching"])
# The request's field names as this API calls them.
API_FIELDS = {"place": "postcode"}


@router.post(
    "/match",
    response={200: MatchResultOut, 400: Problem, 429: Problem},
    summary="Services for a person's needs or circumstances, with reasons",
    description=(
        "Give `text` (anyone's words), `needs` (codes) or both. Needs read in the text are "
        "returned with how sure the reading is and the words that signalled them; needs the "
        "words only hint at (one weak sign, such as 'lives alone') come apart, in "
        "`possible_needs`. Results cover each need before a second service for any, each "
        "with its reasons in plain words; a hinted need is offered only the places left after "
        "those of the needs read surely, and says so in its reasons. Anonymous; rate-limited "
        "per address (429 with Retry-After)."
    ),
    auth=None,
)
def match_services(request: HttpRequest, body: MatchIn) -> Any:
    wait = throttle.take(request)
    if wait:
        response = JsonResponse(
            {"detail": _("Too many requests: try again in %(n)s seconds.") % {"n": wait}},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    asked = MatchRequest(
        text=body.text,
        needs=tuple(body.needs),
        place=body.postcode,
        age=body.age,
        language=body.language,
        max_distance_km=body.max_distance_km,
        limit=body.limit,
    )
    try:
        found = match(asked)
    except MatchRefused as refused:
        raise BadParameter(API_FIELDS.get(refused.field, refused.field), refused.message) from None
    return {
        "inferred_needs": [
            {"code": n.code, "confidence": n.confidence, "evidence": list(n.evidence)}
            for n in found.inferred_needs
        ],
        "possible_needs": [
            {"code": n.code, "confidence": n.confidence, "evidence": list(n.evidence)}
            for n in found.possible_needs
        ],
        "results": [
            {
                "service_id": m.service_id,
                "name": m.name,
                "needs": list(m.needs),
                "score": m.score,
                "distance_km": m.distance_km,
                "reasons": list(m.reasons),
            }
            for m in found.results
        ],
    }
