"""Scoring one candidate service for one request, with its reasons in plain words.

Pure functions over `facts.ServiceFacts`: no queries. The weights say what the partnership
asked for (docs/adr/0029): meeting the needs comes first (each need met adds its weight, so a
service meeting two needs ranks up), then whether the person can get there and get in
(distance or the area covered, places available), then prevention first (the lowest tier),
then what makes it work for this person (language, days and times, cost, step-free access,
an age group), and a listing not checked for a while counts a little against it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import time_format
from django.utils.text import get_text_list
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from linkwell.directory.search.proximity import haversine_m
from linkwell.matching.facts import ServiceFacts, Slot
from linkwell.matching.requests import MatchRequest
from linkwell.referrals.queries import Availability

NEED = 10.0  # times the need's weight: 1 for a need given, the confidence for one inferred
NEAR = 3.0  # at the place itself, falling to 0 at the request's maximum distance
COVERS = 1.5  # serves the area the place lies in, without a location near it
HAS_PLACES = 1.0
WAITING = -6.0  # full, or taking names for a waiting list
CLOSED = -12.0  # not taking referrals for now
TIER = {1: 1.5, 2: 1.0, 3: 0.5, 4: 0.0}  # prevention first
UNKNOWN_TIER = 0.5
LANGUAGE = 2.0
SCHEDULE_FITS = 1.5
SCHEDULE_MISSES = -0.5
FREE_WHEN_COST_MATTERS = 2.0
STEP_FREE = 1.5
NOT_STEP_FREE = -1.0
FOR_THEIR_AGE = 0.5
STALE = -1.0

# Times of day as a person says them: the hour a session opens.
TIME_BANDS = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


@dataclass(frozen=True)
class Where:
    """The place a match measures from: its point and the coverage keys of the areas it lies
    in (ward "W..", constituency "C..", place "P..")."""

    latitude: float
    longitude: float
    keys: frozenset[str]


@dataclass(frozen=True)
class Scored:
    score: float
    needs: tuple[str, ...]
    distance_km: float | None
    covers_area: bool
    reasons: tuple[str, ...]


def score(
    facts: ServiceFacts,
    request: MatchRequest,
    weights: dict[str, float],
    where: Where | None,
    *,
    distance_m: float | None = None,
    covers_area: bool = False,
    today: dt.date | None = None,
) -> Scored:
    """The candidate's score and reasons. `weights` are the needs asked (code: weight, in the
    order asked); `distance_m` and `covers_area` as the search found them, if it did."""
    met = tuple(code for code in weights if code in facts.needs)
    total = sum(NEED * weights[code] for code in met)
    reasons: list[str] = []

    km = _distance_km(facts, where, distance_m)
    covers = covers_area or bool(where and facts.coverage & where.keys)
    if km is not None and km <= request.max_distance_km:
        total += NEAR * (1 - km / request.max_distance_km)
    elif covers:
        total += COVERS
    if km is not None:  # further than asked only when nothing nearer meets the need
        reasons.append(_("%(km)s km") % {"km": _km(km)})
    if covers:
        reasons.append(_("covers your area"))

    when = _schedule_reason(facts.slots, request)
    if when is not None:
        fits, text = when
        if request.days or request.times:
            total += SCHEDULE_FITS if fits else SCHEDULE_MISSES
        if text:
            reasons.append(text)

    language = (request.language or "").strip().lower()
    if language and language in facts.languages:
        total += LANGUAGE
        if language != "en":
            reasons.append(_("%(language)s spoken") % {"language": language_name(language)})

    if facts.free:
        total += FREE_WHEN_COST_MATTERS if request.cost_matters else 0
        reasons.append(_("free"))

    total, reason = _availability(facts, total)
    if reason:
        reasons.append(reason)

    if request.accessible:
        total += STEP_FREE if facts.step_free else NOT_STEP_FREE
        if facts.step_free:
            reasons.append(_("step-free access"))

    age_group = _age_group(facts)
    if age_group:
        total += FOR_THEIR_AGE if request.age is not None else 0
        reasons.append(age_group)

    total += TIER.get(facts.tier, UNKNOWN_TIER) if facts.tier else UNKNOWN_TIER
    if _stale(facts, today):
        total += STALE
        reasons.append(_("details not checked recently"))
    return Scored(round(total, 3), met, km, covers, tuple(reasons))


def _distance_km(facts: ServiceFacts, where: Where | None, metres: float | None) -> float | None:
    if metres is None and where is not None and facts.points:
        metres = min(haversine_m(where.latitude, where.longitude, a, b) for a, b in facts.points)
    return None if metres is None else round(metres / 1000, 1)


def _km(km: float) -> str:
    return f"{km:.1f}"


def _availability(facts: ServiceFacts, total: float) -> tuple[float, str]:
    availability = facts.availability
    if availability in (Availability.FULL, Availability.WAITING_LIST):
        return total + WAITING, _("waiting list")
    if availability == Availability.CLOSED:
        return total + CLOSED, _("not taking referrals now")
    if availability == Availability.PLACES:
        return total + HAS_PLACES, _("has places")
    return total, ""


def _age_group(facts: ServiceFacts) -> str:
    low, high = facts.minimum_age, facts.maximum_age
    if low is not None and high is not None:
        return _("for people %(low)s to %(high)s") % {"low": low, "high": high}
    if low:
        return _("for people %(low)s and over") % {"low": low}
    if high is not None:
        return _("for people up to %(high)s") % {"high": high}
    return ""


def _stale(facts: ServiceFacts, today: dt.date | None) -> bool:
    if facts.assured_date is None:
        return True
    today = today or dt.date.today()
    return (today - facts.assured_date).days > settings.LISTING_STALE_AFTER_DAYS


def language_name(code: str) -> str:
    """A language by its name in the page's language ("Punjabi"), else its code."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


# --- Days and times -------------------------------------------------------------------------


def _plural_day(code: str) -> str:
    return str(
        {
            "MO": _("Mondays"),
            "TU": _("Tuesdays"),
            "WE": _("Wednesdays"),
            "TH": _("Thursdays"),
            "FR": _("Fridays"),
            "SA": _("Saturdays"),
            "SU": _("Sundays"),
        }[code]
    )


def clock(at: dt.time) -> str:
    """2pm, 10:30am: how a time is said in English; the 24-hour clock ("14:30") in the other
    languages, as their readers write it."""
    if not (get_language() or "en").startswith("en"):
        return time_format(at, "H:i")
    hour = at.hour % 12 or 12
    suffix = _("am") if at.hour < 12 else _("pm")
    return f"{hour}{suffix}" if not at.minute else f"{hour}:{at.minute:02d}{suffix}"


def _fits(slot: Slot, request: MatchRequest) -> bool:
    if request.days and not set(slot.days) & set(request.days):
        return False
    if request.times:
        if slot.opens_at is None:
            return False
        return any(
            low <= slot.opens_at.hour < high for low, high in (TIME_BANDS[t] for t in request.times)
        )
    return True


def _schedule_reason(slots: list[Slot], request: MatchRequest) -> tuple[bool, str] | None:
    """(whether a session fits the days and times asked, "Tuesdays 2pm"), or None when the
    service publishes no days."""
    dated = [s for s in slots if s.days]
    if not dated:
        return None
    fitting = [s for s in dated if _fits(s, request)]
    slot = (fitting or dated)[0]
    days = [_plural_day(d) for d in slot.days[:3]]
    text = get_text_list(days, _("and"))
    if slot.opens_at:
        text = f"{text} {clock(slot.opens_at)}"
    return bool(fitting), text
