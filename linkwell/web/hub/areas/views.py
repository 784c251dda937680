"""The map of need and provision, provision against need per area, and one area's profile.
Figures come from the hub's last refresh; the pages only read them."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linkwell.intelligence.provision import queries
from linkwell.intelligence.provision.markers import marker_count, markers
from linkwell.intelligence.provision.measures import (
    ALL_NEEDS,
    LEVELS,
    TIERS,
    measure,
    need_label,
)
from linkwell.intelligence.provision.shapes import outlines
from linkwell.web.hub.access import hub_page
from linkwell.web.hub.areas import figures, tables
from linkwell.web.hub.areas.forms import LEVEL_LABELS, MapForm, ProvisionForm
from linkwell.web.hub.charts import as_image, bars
from linkwell.web.hub.downloads import wants_csv
from linkwell.web.work.common import found

CHART_LIMIT = 40  # areas in a bar chart; more are in the table only
# Services marked at most: more would be a blur of dots, slow to send and to draw.
MARKER_LIMIT = 1000


def _filtered(choice: dict[str, Any]) -> bool:
    """Services are marked once the commissioner narrows them: all of a district's services
    at once hide the shading and make the page slow."""
    return bool(
        choice["need"] != ALL_NEEDS or choice["tier"] or choice["life_stage"] or choice["partner"]
    )


def _measure_of(choice: dict[str, Any]) -> tuple[Any, str]:
    """The chosen measure, or IMD rank with a note when the level does not publish it."""
    keys = {m.key for m in queries.measures_for(choice["level"])}
    if choice["measure"] in keys:
        return measure(choice["measure"]), ""
    note = _("That measure is not published for this level of area: shaded by IMD rank.")
    return measure("imd_rank"), note


@hub_page
def map_page(request: HttpRequest) -> HttpResponse:
    form = MapForm(request.GET or None)
    choice = form.choice()
    level, need, tier = choice["level"], choice["need"], choice["tier"]
    chosen, note = _measure_of(choice)
    stored = queries.need_rows(level, need, chosen.key)
    rows = queries.areas(level, need, tier, chosen.key, rows=stored)
    if wants_csv(request):
        return tables.areas_csv(rows, chosen, level, need, tier)
    banded = figures.bands(rows, chosen)
    wanted = (need, tier, choice["life_stage"], choice["partner"])
    count = marker_count(*wanted) if _filtered(choice) else 0
    too_many = count > MARKER_LIMIT
    marked = markers(*wanted) if count and not too_many else []
    lines = tables.area_lines(rows, banded, chosen.label)
    data = {
        "features": figures.features(lines, outlines(level)),
        "markers": figures.marker_data(marked),
        "labels": {
            "gap": _("Gap: high need, little provision"),
            "tier": _("Tier"),
            "open": _("See the area's figures"),
            "serving": _("services serving"),
            "per10k": _("per 10,000 people"),
        },
    }
    return render(
        request,
        "hub/areas/map.html",
        {
            "form": form,
            "choice": choice,
            "measure": chosen,
            "note": note,
            "level_label": LEVEL_LABELS[level],
            "need_label": need_label(need),
            "rows": lines,
            "map_data": data,
            "filtered": _filtered(choice),
            "marker_count": count,
            "too_many": too_many,
            "query": request.GET.urlencode(),
        },
    )


def _chart(charted: list[Any], key: tuple) -> str:
    """The bar chart of services per 10,000, drawn once per refresh and choice (drawing
    takes longer than the rest of the page)."""
    cache_key = "hub:provision-chart:" + ":".join(map(str, (*key, queries.figures_stamp())))
    svg = cache.get(cache_key)
    if svg is None:
        label = _("Services serving per 10,000 people")
        values = [r.per_10k for r in charted]
        svg = bars([r.name for r in charted], [(label, values)], x_label=label)
        cache.set(cache_key, svg, 24 * 3600)
    return as_image(svg)


@hub_page
def provision_page(request: HttpRequest) -> HttpResponse:
    form = ProvisionForm(request.GET or None)
    choice = form.choice()
    level, need, tier = choice["level"], choice["need"], choice["tier"]
    chosen, note = _measure_of(choice)
    stored = queries.level_rows(level)
    rows = queries.areas(level, need, tier, chosen.key, rows=stored)
    gaps = sorted((r for r in rows if r.gap), key=lambda r: (r.per_10k or 0, r.name))
    unserved = queries.unserved(level, tier, rows=stored)
    changes = queries.changes(level, need)
    if wants_csv(request):
        return tables.provision_csv(
            request.GET.get("table", "areas"), rows, gaps, unserved, changes, chosen, choice
        )
    charted = rows if len(rows) <= CHART_LIMIT else gaps[:CHART_LIMIT]
    chart = _chart(charted, (level, need, tier)) if charted else ""
    return render(
        request,
        "hub/areas/provision.html",
        {
            "form": form,
            "choice": choice,
            "measure": chosen,
            "note": note,
            "level_label": LEVEL_LABELS[level],
            "need_label": need_label(need),
            "tier_label": tables.tier_label(tier),
            "rows": tables.area_lines(rows, {}, chosen.label),
            "gaps": tables.area_lines(gaps, {}, chosen.label),
            "unserved": [(need_label(code), found) for code, found in unserved],
            "changes": changes,
            "chart": chart,
            "charted": charted,
            "chart_of_gaps": len(rows) > CHART_LIMIT,
            "query": request.GET.urlencode(),
        },
    )


@hub_page
def area_page(request: HttpRequest, level: str, code: str) -> HttpResponse:
    profile = found(queries.profile(level, code) if level in LEVELS else None)
    if wants_csv(request):
        return tables.profile_csv(profile)
    return render(
        request,
        "hub/areas/area.html",
        {
            "profile": profile,
            "area": profile.area,
            "level_label": LEVEL_LABELS[level],
            "lines": tables.profile_lines(profile),
            "tiers": [tables.tier_label(t) for t in TIERS],
            "gaps": [(need_label(n), tables.tier_label(t)) for n, t in profile.gaps],
            "measures": [(m.label, figures.number(v)) for m, v in profile.measures],
        },
    )
