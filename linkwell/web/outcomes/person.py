"""A person's outcomes: each questionnaire's scores over time as a chart and, beside it, the
same numbers in a table; what changed since the baseline and whether that change is big
enough to count, in plain words. Only for staff who may see the person's outcomes (the
query checks and audits the reading)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from linkwell.outcomes import instruments, queries
from linkwell.outcomes.instruments.schema import Band, Instrument
from linkwell.outcomes.models import Administration
from linkwell.referrals import queries as rq
from linkwell.web.outcomes import charts
from linkwell.web.outcomes.forms import wording
from linkwell.web.work.common import found

VIA = "page:person_outcomes"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return number_format(round(value, 1), decimal_pos=0 if float(value).is_integer() else 1)


def _band(bands: tuple[Band, ...], code: str) -> str:
    return next((wording(b.label) for b in bands if b.code == code), "")


def _headline(administration: Administration) -> float | None:
    return administration.metric if administration.metric is not None else administration.total


def _scales(instrument: Instrument) -> list[dict[str, Any]]:
    """What each row reports: the headline score (if the instrument has one), then each
    subscale reported on its own."""
    scales = []
    if instrument.total is not None:
        scales.append(
            {
                "id": "",
                "name": _("Score"),
                "bands": instrument.bands,
                "better_up": instrument.higher_is_better,
            }
        )
    for sub in instrument.subscales:
        scales.append(
            {
                "id": sub.id,
                "name": wording(sub.name),
                "bands": sub.bands,
                "better_up": sub.higher_is_better,
            }
        )
    return scales


def _value(administration: Administration, scale_id: str) -> tuple[float | None, str]:
    if not scale_id:
        return _headline(administration), administration.band
    got = (administration.subscales or {}).get(scale_id) or {}
    return got.get("score"), got.get("band", "")


def _span(
    instrument: Instrument, item_ids: tuple[str, ...], how: str | None
) -> tuple[float, float]:
    items = [i for i in instrument.items if i.id in item_ids]
    lows = [float(min(o.value for o in i.options)) for i in items]
    highs = [float(max(o.value for o in i.options)) for i in items]
    if how == "mean":
        return min(lows), max(highs)
    return sum(lows), sum(highs)


def _range(instrument: Instrument) -> tuple[float, float] | None:
    """The lowest and highest score possible, so the chart's axis is the scale's own."""
    spans = []
    if instrument.total is not None:
        if instrument.conversion:
            values = instrument.conversion.values()
            spans.append((min(values), max(values)))
        else:
            spans.append(_span(instrument, tuple(i.id for i in instrument.items), instrument.total))
    spans += [_span(instrument, sub.items, sub.scoring) for sub in instrument.subscales]
    spans = [s for s in spans if s[0] <= s[1]]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def change_words(change: dict[str, Any] | None, better_up: bool) -> str:
    """The change since the baseline, in plain words."""
    if not change or change.get("change") is None:
        return ""
    moved = change["change"]
    numbers = {
        "from": _number(change["from"]),
        "to": _number(change["to"]),
        "by": _number(abs(moved)),
    }
    if moved == 0:
        said = _("No change since the baseline (%(from)s).") % numbers
    elif change.get("better"):
        said = _("Better by %(by)s since the baseline (from %(from)s to %(to)s).") % numbers
    else:
        said = _("Worse by %(by)s since the baseline (from %(from)s to %(to)s).") % numbers
    meaningful = change.get("meaningful")
    if moved == 0 or meaningful is None:
        return said
    if meaningful:
        return f"{said} {_('That is a meaningful change.')}"
    return f"{said} {_('That is too small to count as a meaningful change.')}"


def _instrument_block(
    person: Any, instrument: Instrument, done: list[Administration], request: HttpRequest
) -> dict[str, Any]:
    scales = _scales(instrument)
    rows = []
    for administration in done:
        values = []
        for scale in scales:
            value, band = _value(administration, scale["id"])
            band_label = _band(scale["bands"], band)
            values.append({"name": scale["name"], "value": _number(value), "band": band_label})
        rows.append({"administration": administration, "values": values})
    change = queries.change_since_baseline(person, instrument.key, actor=request.user, via=VIA)
    changes = []
    if change:
        for scale in scales:
            moved = (
                change.get("headline")
                if not scale["id"]
                else (change.get("subscales") or {}).get(scale["id"])
            )
            words = change_words(moved, scale["better_up"])
            if words:
                changes.append({"name": scale["name"], "words": words})
    name = wording(instrument.name)
    alt = _(
        "Chart of %(name)s scores over time, %(count)s completed: the table beside it "
        "gives the same numbers."
    ) % {
        "name": name,
        "count": len(rows),
    }
    return {
        "key": instrument.key,
        "name": name,
        "scales": scales,
        "rows": rows,
        "changes": changes,
        "alt": alt,
    }


@login_required
def person_outcomes(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = found(rq.get_person(request.user, person_id))
    done = queries.scores_over_time(person, actor=request.user, via=VIA)  # 403 if not theirs
    by_instrument: dict[str, list[Administration]] = defaultdict(list)
    for administration in done:
        by_instrument[administration.instrument].append(administration)
    blocks = [
        _instrument_block(person, instrument, by_instrument[key], request)
        for key in by_instrument
        if (instrument := instruments.get(key)) is not None
    ]
    return render(request, "outcomes/person_outcomes.html", {"person": person, "blocks": blocks})


@login_required
@csp_replace(
    {"style-src": ["'unsafe-inline'"], "script-src": ["'none'"], "default-src": ["'none'"]}
)
def person_chart(request: HttpRequest, person_id: uuid.UUID, key: str) -> HttpResponse:
    """The chart as an SVG image. Matplotlib writes its styles inline; an image runs no
    script, so its own policy allows those styles and nothing else."""
    person = found(rq.get_person(request.user, person_id))
    instrument = found(instruments.get(key))
    done = [
        a
        for a in queries.scores_over_time(person, actor=request.user, via=VIA)
        if a.instrument == key
    ]
    scales = _scales(instrument)
    series = []
    for scale in scales:
        points = []
        for administration in done:
            value, _band_code = _value(administration, scale["id"])
            when = administration.completed_at or administration.started_at
            if value is not None:
                points.append((when.date(), value))
        series.append(charts.Series(label=str(scale["name"]), points=points))
    y_range = _range(instrument)
    svg = charts.draw(series, y_label=wording(instrument.name), y_range=y_range)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
