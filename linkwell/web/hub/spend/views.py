"""Tiers and spend (the resource plan): services and spend by partner and tier in the review's
Table 2 shape, each partner's share of spend in tiers 1 and 2 (chart and table), short-term
funding apart; each table downloadable as CSV (`?format=csv&table=<key>`)."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linkwell.intelligence.models import SpendCell
from linkwell.intelligence.spend import queries
from linkwell.web.hub.access import hub_page
from linkwell.web.hub.charts import as_image, bars
from linkwell.web.hub.downloads import csv_response, wants_csv
from linkwell.web.hub.spend import present
from linkwell.web.hub.spend.forms import SpendForm


def _share_chart(report: queries.SpendReport) -> str:
    """The chart of the share table's figures; drawing takes ~150 ms, so the picture is kept
    in the cache under a digest of exactly what it shows (a refresh that changes a figure
    draws a new one)."""
    rows = [*report.shares, report.overall]
    labels = [s.partner for s in report.shares] + [_("All partners")]
    values = [None if s.share is None else round(s.share * 100, 1) for s in rows]
    name = _("Share of spend in tiers 1 and 2")
    digest = hashlib.sha256(json.dumps([labels, values, name]).encode()).hexdigest()
    svg = cache.get_or_set(
        f"hub:spend:share-chart:{digest}",
        lambda: bars(labels, [(name, values)], x_label="%"),
        timeout=24 * 3600,
    )
    return as_image(svg)


@hub_page
def spend(request: HttpRequest) -> HttpResponse:
    form = SpendForm(request.GET or None)
    scheme, by = "", "department"
    if form.is_bound and form.is_valid():
        scheme = form.cleaned_data["scheme"] or ""
        by = form.cleaned_data["by"] or "department"
    report = None
    if SpendCell.objects.exists():
        report = queries.report(scheme, by=by)  # the form only offers schemes in the cells
    shown = present.tables(report) if report else []
    if wants_csv(request):
        key = request.GET.get("table", "counts")
        table = next((t for t in shown if t.key == key), None)
        if table is None:
            raise Http404(_("No such table. Choose counts, spend, share or short_term."))
        name = f"hub-spend-{key}{'-' + scheme if scheme else ''}.csv"
        return csv_response(name, present.csv_header(table), table.csv)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return render(
        request,
        "hub/spend/spend.html",
        {
            "form": form,
            "report": report,
            "tables": shown,
            "chart": _share_chart(report) if report else "",
            "query": query.urlencode(),
        },
    )
