"""The indicators dashboard: each agreed indicator's value, target and rating for a month or
a quarter, its trend over the kept months and its value by ward; the period's indicators
download as CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linkwell.intelligence.flows.tables import explanation
from linkwell.intelligence.indicators import dashboard
from linkwell.web.hub.access import hub_page
from linkwell.web.hub.downloads import csv_response, wants_csv
from linkwell.web.hub.indicators import present
from linkwell.web.hub.indicators.forms import PeriodForm, period_label


@hub_page
def indicators(request: HttpRequest) -> HttpResponse:
    asked = "period" in request.GET
    latest = dashboard.latest_month()
    form = PeriodForm(request.GET if asked else ({"period": latest} if latest else None))
    period = form.cleaned_data["period"] if form.is_bound and form.is_valid() else ""
    figures = dashboard.figures(period) if period else []
    if wants_csv(request) and period:
        return _csv(period, figures)
    return render(
        request,
        "hub/indicators/page.html",
        {
            "form": form,
            "period": period,
            "period_label": period_label(period) if period else "",
            "cards": [_card(f) for f in figures],
            "explanation": explanation(),
            "no_figures": latest is None,
        },
    )


def _card(figure: dashboard.Figure) -> dict:
    i = figure.indicator
    place = figure.place
    return {
        "key": i.key,
        "name": i.name,
        "definition": i.definition,
        "value": present.shown_value(i, place),
        "withheld": bool(place and place.value_withheld),
        "rag": place.rag if place else "",
        "rag_text": present.rag_text(place.rag if place else ""),
        "target": present.target_text(i),
        "thresholds": present.thresholds_text(i),
        "from": _from(place) if place and place.numerator is not None else "",
        "trend": [
            (m, present.shown_value(i, s), s.rag, present.rag_text(s.rag)) for m, s in figure.trend
        ],
        "wards": [_ward(i, w) for w in figure.wards],
        "error": figure.error,
        "has_place": place is not None,
        "source": i.source,
        "has_counts": any(w.numerator is not None or w.numerator_withheld for w in figure.wards),
    }


def _from(place: dashboard.Shown) -> str:
    return _("%(numerator)s of %(denominator)s") % {
        "numerator": present.count_text(place.numerator, place.numerator_withheld),
        "denominator": present.count_text(place.denominator, place.denominator_withheld),
    }


def _ward(indicator, shown: dashboard.Shown) -> dict:
    return {
        "name": shown.name or shown.code,
        "value": present.shown_value(indicator, shown),
        "withheld": shown.value_withheld,
        "numerator": present.count_text(shown.numerator, shown.numerator_withheld),
        "numerator_withheld": bool(shown.numerator_withheld),
        "denominator": present.count_text(shown.denominator, shown.denominator_withheld),
        "denominator_withheld": bool(shown.denominator_withheld),
        "rag": shown.rag,
        "rag_text": present.rag_text(shown.rag),
    }


def _csv(period: str, figures: list[dashboard.Figure]) -> HttpResponse:
    header = [
        _("Indicator"), _("Name"), _("Period"), _("Area level"), _("Area code"), _("Area"),
        _("Value"), _("Numerator"), _("Denominator"), _("Target"), _("Better"), _("Rating"),
    ]  # fmt: skip
    rows = []
    for figure in figures:
        i = figure.indicator
        better = _("higher") if i.higher_is_better else _("lower")
        for shown in [figure.place, *figure.wards] if figure.place else figure.wards:
            rows.append(
                [
                    i.key, i.name, period, shown.level, shown.code, shown.name,
                    present.shown_value(i, shown),
                    present.count_text(shown.numerator, shown.numerator_withheld),
                    present.count_text(shown.denominator, shown.denominator_withheld),
                    present.value_text(i, i.target), better, shown.rag or _("not rated"),
                ]
            )  # fmt: skip
    return csv_response(f"hub-indicators-{period}.csv", header, rows)
