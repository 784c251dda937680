"""The areas pages' tables, as shown and as CSV (the same rows; numbers unformatted in CSV)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from linkwell.intelligence.provision.measures import Measure, need_label
from linkwell.intelligence.provision.measures import tier_label as _tier_label
from linkwell.intelligence.provision.queries import AreaFigures, Changes, Profile
from linkwell.web.hub.areas.figures import area_link_parts, number
from linkwell.web.hub.downloads import csv_response


def tier_label(tier: int) -> str:
    return _tier_label(tier)


def area_lines(
    rows: list[AreaFigures], banded: dict[str, int], measure_label: str
) -> list[dict[str, Any]]:
    """Each area's figures as shown, with its table row (`html`, drawn here: a template per
    cell took most of the time of a page of three hundred small areas)."""
    links = {level: area_link_parts(level) for level in {row.level for row in rows}}
    labels = [
        escape(label)
        for label in (
            _("Population"), measure_label, _("Services based"), _("Services serving"),
            _("Serving per 10,000 people"), _("Gap"), _("No"),
        )
    ]  # fmt: skip
    lines = []
    for row in rows:
        line = {
            "code": row.code,
            "name": row.name,
            "url": row.code.join(links[row.level]),
            "population": number(row.population),
            "population_source": row.population_source,
            "measure": number(row.need_measure),
            "band": banded.get(row.code),
            "based": row.services_based,
            "serving": row.services_serving,
            "per_10k": number(row.per_10k),
            "gap": row.gap,
        }
        line["html"] = _row_html(line, labels)
        lines.append(line)
    return lines


def _row_html(line: dict[str, Any], labels: list[str]) -> SafeString:
    population, measure, based, serving, per, gap, no = labels
    band = line["band"]
    swatch = ""
    if band:
        swatch = f'<span class="hub-swatch hub-band-{int(band)}" aria-hidden="true"></span> '
    row_class = ' class="hub-gap-row"' if line["gap"] else ""
    gap_cell = f"<strong>{gap}</strong>" if line["gap"] else no
    url, name, code = escape(line["url"]), escape(line["name"]), escape(line["code"])
    return mark_safe(  # noqa: S308 (every value escaped here)
        f"<tr{row_class}>"
        f'<th scope="row"><a href="{url}">{name}</a> <span class="hub-code">{code}</span></th>'
        f'<td data-label="{population}">{escape(line["population"])}</td>'
        f'<td data-label="{measure}">{swatch}{escape(line["measure"])}</td>'
        f'<td data-label="{based}">{int(line["based"])}</td>'
        f'<td data-label="{serving}">{int(line["serving"])}</td>'
        f'<td data-label="{per}">{escape(line["per_10k"])}</td>'
        f'<td data-label="{gap}">{gap_cell}</td>'
        "</tr>"
    )


def _header(chosen: Measure) -> list[str]:
    return [
        _("Code"), _("Area"), _("Population"), _("Population source"), chosen.label,
        _("Services based"), _("Services serving"), _("Serving per 10,000 people"),
        _("Gap (high need, little provision)"),
    ]  # fmt: skip


def _cells(row: AreaFigures) -> list[Any]:
    return [
        row.code, row.name, row.population, row.population_source, row.need_measure,
        row.services_based, row.services_serving, row.per_10k, _("Yes") if row.gap else _("No"),
    ]  # fmt: skip


def _filename(stem: str, choice: dict[str, Any]) -> str:
    return f"{stem}-{choice['level']}-{choice['need']}-tier{choice['tier']}.csv"


def areas_csv(
    rows: list[AreaFigures], chosen: Measure, level: str, need: str, tier: int
) -> HttpResponse:
    name = _filename("hub-map", {"level": level, "need": need, "tier": tier})
    return csv_response(name, _header(chosen), [_cells(row) for row in rows])


def provision_csv(
    table: str,
    rows: list[AreaFigures],
    gaps: list[AreaFigures],
    unserved: list[tuple[str, list[AreaFigures]]],
    changes: Changes | None,
    chosen: Measure,
    choice: dict[str, Any],
) -> HttpResponse:
    if table == "gaps":
        return csv_response(
            _filename("hub-gaps", choice), _header(chosen), [_cells(r) for r in gaps]
        )
    if table == "unserved":
        lines = [
            [need_label(code), area.code, area.name, area.population]
            for code, found in unserved
            for area in found
        ]
        header = [_("Need"), _("Code"), _("Area with no service serving it"), _("Population")]
        return csv_response(_filename("hub-unserved", choice), header, lines)
    if table == "changes":
        header = [
            _("Code"), _("Area"), _("Per 10,000 before"), _("Per 10,000 now"), _("Change"),
        ]  # fmt: skip
        moved = changes.per_10k if changes else []
        lines = [[c.code, c.name, c.before, c.after, c.difference] for c in moved]
        return csv_response(_filename("hub-changes", choice), header, lines)
    return csv_response(
        _filename("hub-provision", choice), _header(chosen), [_cells(r) for r in rows]
    )


def profile_lines(profile: Profile) -> list[tuple[str, list[dict[str, Any]]]]:
    """Need -> one cell per tier (all tiers first): serving, based, per 10,000, gap."""
    return [
        (
            need_label(need),
            [
                {"tier": tier_label(t), "based": b, "serving": s, "per_10k": number(p), "gap": g}
                for t, (b, s, p, g) in enumerate(cells)
            ],
        )
        for need, cells in profile.rows
    ]


def profile_csv(profile: Profile) -> HttpResponse:
    area = profile.area
    header = [_("Need"), _("Tier"), _("Services based"), _("Services serving"),
              _("Serving per 10,000 people"), _("Gap (high need, little provision)")]  # fmt: skip
    lines = [
        [need_label(need), tier_label(tier), b, s, p, _("Yes") if g else _("No")]
        for need, cells in profile.rows
        for tier, (b, s, p, g) in enumerate(cells)
    ]
    return csv_response(f"hub-area-{area.level}-{area.code}.csv", header, lines)
