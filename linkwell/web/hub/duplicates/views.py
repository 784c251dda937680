"""Possible duplicates: pairs of services of different partners that share a need, serve
overlapping areas and are described alike, each with why, for a person to confirm or dismiss
(the verdict is kept across refreshes). A dismissed pair is listed again only when asked for.
The pairs download as CSV (`?format=csv`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from linkwell.intelligence.duplicates import queries
from linkwell.intelligence.duplicates.actions import NOTE_LENGTH, judge_pair, ordered
from linkwell.intelligence.models import Verdict
from linkwell.web.hub.access import hub_page
from linkwell.web.hub.downloads import csv_response, wants_csv

PER_PAGE = 50


def _show(request: HttpRequest) -> str:
    show = request.GET.get("show") or request.POST.get("show") or "current"
    return show if show in queries.SHOW_CHOICES else "current"


def _filters() -> list[tuple[str, str]]:
    return [
        ("current", _("Not dismissed")),
        ("open", _("Not judged yet")),
        ("confirmed", _("Confirmed")),
        ("dismissed", _("Dismissed")),
        ("all", _("All")),
    ]


def _csv(rows: list[queries.Listed]) -> HttpResponse:
    header = [
        _("Service A"),
        _("Partner A"),
        _("Service B"),
        _("Partner B"),
        _("Similarity (%)"),
        _("Shared needs"),
        _("Overlapping areas"),
        _("Verdict"),
        _("Note"),
        _("Judged on"),
    ]
    lines = [
        [
            x.pair.name_a,
            x.pair.partner_a,
            x.pair.name_b,
            x.pair.partner_b,
            x.similarity,
            "; ".join(x.needs),
            "; ".join(x.areas),
            x.verdict.get_verdict_display() if x.verdict else _("not judged yet"),
            x.verdict.note if x.verdict else "",
            x.verdict.at.date().isoformat() if x.verdict else "",
        ]
        for x in rows
    ]
    return csv_response("hub-duplicates.csv", header, lines)


def _judge(request: HttpRequest, show: str) -> tuple[HttpResponse | None, dict[str, Any]]:
    """A verdict posted for a pair: a redirect when recorded, else what to show again."""
    try:
        a, b = (
            uuid.UUID(request.POST.get("service_a", "")),
            uuid.UUID(request.POST.get("service_b", "")),
        )
    except ValueError:
        return None, {"problem": ("", _("Choose a pair from the list and try again."))}
    key = "-".join(side.hex for side in ordered(a, b))
    pair = queries.pair_of(a, b)
    if pair is None:
        message = _(
            "This pair is no longer listed: the figures were refreshed since the page "
            "was opened. Look for it again in the list below."
        )
        return None, {"problem": ("", message)}
    verdict, note = request.POST.get("verdict", ""), request.POST.get("note", "")
    try:
        judge_pair(
            actor=request.user, pair=pair, verdict=verdict, note=note, via="page:hub_duplicates"
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        anchor = f"confirm-{key}" if field == "verdict" else f"note-{key}"
        return None, {"problem": (anchor, " ".join(messages)), "failed": key, "note": note}
    query = urlencode({"show": show, "done": verdict})
    return HttpResponseRedirect(f"{reverse('hub:duplicates')}?{query}"), {}


@hub_page
def duplicates(request: HttpRequest) -> HttpResponse:
    show = _show(request)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        response, extra = _judge(request, show)
        if response is not None:
            return response
    rows, counts = queries.listed(show)
    if wants_csv(request):
        return _csv(rows)
    done = request.GET.get("done")
    shown = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "rows": shown,
        "page": shown,
        "counts": counts,
        "show": show,
        "filters": [(key, label, counts[key]) for key, label in _filters()],
        "figures": queries.found_figures(),
        "done": done if done in Verdict.values else "",
        "errors": [extra["problem"]] if extra.get("problem") else [],
        "failed": extra.get("failed", ""),
        "failed_note": extra.get("note", ""),
        "note_length": NOTE_LENGTH,
    }
    return render(request, "hub/duplicates/duplicates.html", context, status=400 if extra else 200)
