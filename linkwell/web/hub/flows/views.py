"""The referral flows page: where referrals come from and go, what comes of them, unmet need,
time to first answer, connector caps and wellbeing change, each table downloadable as CSV."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from linkwell.intelligence.flows import figures
from linkwell.intelligence.flows.tables import Table, explanation
from linkwell.intelligence.refresh import latest_refresh
from linkwell.web.hub.access import hub_page
from linkwell.web.hub.charts import as_image, bars
from linkwell.web.hub.downloads import csv_response, wants_csv
from linkwell.web.hub.flows.forms import FIELDS, FlowFilterForm, defaults, submitted
from linkwell.web.hub.flows.render import table_html

# The tables drawn as a chart too: (all their columns stacked, or the total only). A chart
# of more rows than this would not help (the table beside it does).
CHARTED = {"by_month": "total", "unmet_by_need": "stacked"}
CHART_ROWS = 30


# Each section of the page: (key, title, the tables it holds, the table keys it makes).
SECTIONS = [
    ("referrals", gettext_lazy("Referrals by partner, need and outcome"),
     figures.referral_tables, ("by_partner", "by_need", "by_month", "outcomes")),
    ("unmet", gettext_lazy("Unmet need"), figures.unmet_tables,
     ("unmet_by_ward", "unmet_by_need", "declined_reasons")),
    ("response", gettext_lazy("Time to the first answer"),
     lambda f: [figures.response_table(f)], ("response",)),
    ("caps", gettext_lazy("Connector caps by GP practice"),
     lambda f: [figures.caps_table(f)], ("caps",)),
    ("wellbeing", gettext_lazy("Wellbeing change by ward and deprivation"),
     figures.wellbeing_tables, ("wellbeing_",)),
]  # fmt: skip


def _cache_key(kind: str, run: Any, *parts: Any) -> str:
    """A key for figures kept until the next refresh ("" without one: nothing kept)."""
    if run is None:
        return ""
    # The run's finish too: a rolled-back test run may hand its number to the next one.
    text = repr((run.pk, run.finished_at, get_language(), *parts)).encode()
    return f"{kind}:{hashlib.sha256(text).hexdigest()}"


def _sections(filters: figures.Filters, only: str = "") -> list[tuple[str, str, list[Table]]]:
    """The page's sections (or the one making table `only`), kept until the next refresh:
    the figures change only then."""
    run = latest_refresh()
    out = []
    for key, title, make, tables in SECTIONS:
        if only and not any(only == t or (t.endswith("_") and only.startswith(t)) for t in tables):
            continue
        cached = _cache_key("hub-flows", run, key, filters)
        found = cache.get(cached) if cached else None
        if found is None:
            found = make(filters)
            if cached:
                cache.set(cached, found, 3600)
        out.append((key, str(title), found))
    return out


def _chart(table: Table, query: str) -> str:
    """The table's counts as bars, as an SVG image's address (data:), kept until the next
    refresh. An image, not inline SVG: the site's Content-Security-Policy refuses the style
    attributes Matplotlib writes (every bar would be drawn black)."""
    if not table.rows or len(table.rows) > CHART_ROWS:
        return ""
    run = latest_refresh()
    key = _cache_key("hub-flows-chart", run, table.key, query)
    svg = cache.get(key) if key else None
    if svg is None:
        labels = [label for label, _cells in table.rows]
        if CHARTED[table.key] == "total":
            series = [(table.head[-1], [cells[-1].number for _label, cells in table.rows])]
        else:
            series = [
                (name, [cells[i].number for _label, cells in table.rows])
                for i, name in enumerate(table.head[1:-1])
            ]
        drawn = bars(labels, series, stacked=True, x_label=_("Number"))
        svg = as_image(drawn)
        if key:
            cache.set(key, svg, 3600)
    return svg


def _figures_html(filters: figures.Filters, query: str) -> SafeString:
    """The page's figures (every section, its tables and charts) as HTML, kept until the next
    refresh: a few strings to read back, where the tables' cells were many objects."""
    key = _cache_key("hub-flows-html", latest_refresh(), filters, query)
    html = cache.get(key) if key else None
    if html is None:
        sections = _sections(filters)
        for _key, _title, tables in sections:
            for table in tables:
                table.html = table_html(table)
                if table.key in CHARTED:
                    table.chart = _chart(table, query)
        html = render_to_string(
            "hub/flows/_figures.html",
            {"sections": sections, "explanation": explanation(), "query": query},
        )
        if key:
            cache.set(key, html, 3600)
    return SafeString(html)


def _base_query(form: FlowFilterForm) -> str:
    return urlencode({name: form.data.get(name, "") for name in FIELDS})


def warm_default_view(run_id: int) -> None:
    """The job queued after each refresh (hub/warming.py): work out the page as it first opens
    (the last twelve months, no filter) in each language, so the first person to look does not
    wait for it. A newer refresh since makes this one's figures old: nothing to do then."""
    run = latest_refresh()
    if run is None or run.pk != run_id:
        return
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            form = FlowFilterForm(defaults() or None)
            if form.is_bound and form.is_valid():
                _figures_html(form.filters(), _base_query(form))


@hub_page
def flows(request: HttpRequest) -> HttpResponse:
    asked = submitted(request.GET)
    form = FlowFilterForm(request.GET if asked else defaults() or None)
    html = SafeString("")
    if form.is_bound and form.is_valid():
        if wants_csv(request):
            only = request.GET.get("table", "")
            return _csv(request, form, _sections(form.filters(), only) if only else [])
        html = _figures_html(form.filters(), _base_query(form))
    return render(
        request,
        "hub/flows/page.html",
        {"form": form, "figures_html": html, "no_figures": not form.is_bound},
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
