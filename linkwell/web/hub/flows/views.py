"""The referral flows page: where referrals come from and go, what comes of them, unmet need,
time to first answer, connector caps and wellbeing change, each table downloadable as CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linkwell.intelligence.flows import figures
from linkwell.intelligence.flows.tables import Table, explanation
from linkwell.intelligence.refresh import latest_refresh
from linkwell.web.hub.access import hub_page
from linkwell.web.hub.charts import bars
from linkwell.web.hub.downloads import csv_response, wants_csv
from linkwell.web.hub.flows.forms import FIELDS, FlowFilterForm, defaults, submitted

# The tables drawn as a chart too (stacked by their columns, the total column left out).
CHARTED = {"by_partner", "unmet_by_ward"}


def _sections(filters: figures.Filters) -> list[tuple[str, str, list[Table]]]:
    return [
        ("referrals", _("Referrals by partner, need and outcome"),
         figures.referral_tables(filters)),
        ("unmet", _("Unmet need"), figures.unmet_tables(filters)),
        ("response", _("Time to the first answer"), [figures.response_table(filters)]),
        ("caps", _("Connector caps by GP practice"), [figures.caps_table(filters)]),
        ("wellbeing", _("Wellbeing change by ward and deprivation"),
         figures.wellbeing_tables(filters)),
    ]  # fmt: skip


def _chart(table: Table, query: str) -> str:
    """The table's counts as stacked bars (SVG), kept until the next refresh."""
    if not table.rows:
        return ""
    run = latest_refresh()
    key = f"hub-flows-chart:{run.pk if run else 0}:{table.key}:{query}"
    svg = cache.get(key)
    if svg is None:
        columns = table.head[1:-1]
        series = [
            (name, [cells[i].number for _label, cells in table.rows])
            for i, name in enumerate(columns)
        ]
        svg = bars([label for label, _cells in table.rows], series, stacked=True,
                   x_label=_("Referrals or needs"))  # fmt: skip
        cache.set(key, svg, 3600)
    return svg


@hub_page
def flows(request: HttpRequest) -> HttpResponse:
    asked = submitted(request.GET)
    form = FlowFilterForm(request.GET if asked else defaults() or None)
    sections: list[tuple[str, str, list[Table]]] = []
    if form.is_bound and form.is_valid():
        sections = _sections(form.filters())
    if wants_csv(request):
        return _csv(request, form, sections)
    base = urlencode({name: form.data.get(name, "") for name in FIELDS}) if form.is_bound else ""
    for _key, _title, tables in sections:
        for table in tables:
            if table.key in CHARTED:
                table.chart = _chart(table, base)
    return render(
        request,
        "hub/flows/page.html",
        {
            "form": form,
            "sections": sections,
            "explanation": explanation(),
            "query": base,
            "no_figures": not form.is_bound,
        },
    )


def _csv(request: HttpRequest, form: FlowFilterForm, sections) -> HttpResponse:
    key = request.GET.get("table", "")
    for _section, _title, tables in sections:
        for table in tables:
            if table.key == key:
                data = form.cleaned_data
                return csv_response(
                    f"hub-flows-{key}-{data['start']}-{data['end']}.csv",
                    table.head,
                    table.csv_rows(),
                )
    raise Http404(_("There is no such table: choose a download link on the flows page."))
