"""What a match is asked for, and the checks that refuse a request naming the field at fault.

The checks live here, not in the API schema, so the API and the pages refuse the same input
with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from linkwell.directory import vocabularies as vocab

MAX_TEXT = 5000
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TIMES = ("morning", "afternoon", "evening")


class MatchRefused(ValueError):
    """The request cannot be matched; `field` names the request field to fix."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class MatchRequest:
    """A person's circumstances in their (or a practitioner's) words, and what matters to them.

    `place` is any place form (a postcode, "BD1", "Skipton"); `language` an ISO 639 code;
    `days` MO..SU and `times` morning/afternoon/evening are preferences, not filters.
    `possible` are needs only hinted at: offered the places left after those of `needs`.
    """

    text: str = ""
    needs: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()
    place: str = ""
    age: int | None = None
    language: str = ""
    accessible: bool = False
    days: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    cost_matters: bool = False
    max_distance_km: float = 10.0
    limit: int = 10


def check(request: MatchRequest) -> None:
    """Refuse what cannot be matched, naming the field and saying what to do."""
    text = request.text or ""
    if len(text) > MAX_TEXT:
        raise MatchRefused(
            _("Shorten the text: at most 5,000 characters (this is %(n)s).")
            % {"n": f"{len(text):,}"},
            field="text",
        )
    if not text.strip() and not request.needs:
        raise MatchRefused(_("Give text or at least one need code."), field="text")
    unknown = [code for code in (*request.needs, *request.possible) if code not in vocab.NEED_CODES]
    if unknown:
        raise MatchRefused(
            _("Unknown need code %(code)s: use one of %(codes)s.")
            % {"code": repr(unknown[0]), "codes": ", ".join(vocab.NEED_CODES)},
            field="needs",
        )
    if not 1 <= request.limit <= 50:
        raise MatchRefused(_("Give a limit from 1 to 50."), field="limit")
    if request.age is not None and not 0 <= request.age <= 120:
        raise MatchRefused(_("Give an age from 0 to 120."), field="age")
    if not 0.1 <= request.max_distance_km <= 100:
        raise MatchRefused(
            _("Give a maximum distance from 0.1 to 100 km."), field="max_distance_km"
        )
    bad_days = [d for d in request.days if d not in DAYS]
    if bad_days:
        raise MatchRefused(
            _("Unknown day %(day)s: use MO, TU, WE, TH, FR, SA or SU.")
            % {"day": repr(bad_days[0])},
            field="days",
        )
    bad_times = [t for t in request.times if t not in TIMES]
    if bad_times:
        raise MatchRefused(
            _("Unknown time %(time)s: use morning, afternoon or evening.")
            % {"time": repr(bad_times[0])},
            field="times",
        )
    language = (request.language or "").strip()
    if language and not (2 <= len(language) <= 10 and language.replace("-", "").isalpha()):
        raise MatchRefused(
            _("Give a language as an ISO 639 code, like ur or pa."), field="language"
        )
