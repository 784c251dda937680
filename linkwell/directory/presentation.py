"""What the public pages say about a service, worked out once here rather than in templates.

Functions take a service fetched by `queries` (with its attributes prefetched) and return
plain, translated text, so templates stay simple and the same wording serves every page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.text import get_text_list
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab

DAY_NAMES = {
    "MO": gettext_lazy("Monday"),
    "TU": gettext_lazy("Tuesday"),
    "WE": gettext_lazy("Wednesday"),
    "TH": gettext_lazy("Thursday"),
    "FR": gettext_lazy("Friday"),
    "SA": gettext_lazy("Saturday"),
    "SU": gettext_lazy("Sunday"),
}
ORDINALS = {
    "1": gettext_lazy("first"),
    "2": gettext_lazy("second"),
    "3": gettext_lazy("third"),
    "4": gettext_lazy("fourth"),
    "-1": gettext_lazy("last"),
}

# How a demo record's invented fields are named to the public.
DEMO_FIELD_LABELS = {
    "description": gettext_lazy("description"),
    "contacts": gettext_lazy("contact details"),
    "phones": gettext_lazy("phone numbers"),
    "email": gettext_lazy("email address"),
    "url": gettext_lazy("website"),
    "locations": gettext_lazy("locations"),
    "schedules": gettext_lazy("opening times"),
    "annual_cost": gettext_lazy("annual cost"),
    "funding_type": gettext_lazy("funding type"),
    "commissioning": gettext_lazy("commissioning"),
    "evidence_rating": gettext_lazy("evidence rating"),
    "assured_date": gettext_lazy("last reviewed date"),
    "tier": gettext_lazy("tier"),
    "cost_options": gettext_lazy("costs"),
    "languages": gettext_lazy("languages"),
    "name": gettext_lazy("name"),
    "partner": gettext_lazy("partner organisation"),
    "organization": gettext_lazy("organisation"),
    "department": gettext_lazy("department"),
    "whole_listing": gettext_lazy("the whole listing (an example activity)"),
}

PUBLIC_STATUSES = (m.ServiceStatus.ACTIVE, m.ServiceStatus.TEMPORARILY_CLOSED)


def listing_queryset() -> QuerySet[m.Service]:
    """Services with what a results list shows (organisation, needs, tier, where, when, cost)
    fetched up front: a fixed number of queries however many results a page shows."""
    return m.Service.objects.select_related("organization", "partner").prefetch_related(
        Prefetch(
            "attributes",
            queryset=m.ServiceAttribute.objects.select_related("taxonomy_term__taxonomy"),
        ),
        Prefetch(
            "service_at_locations",
            queryset=m.ServiceAtLocation.objects.select_related("location__ward").order_by(
                "location__name", "id"
            ),
        ),
        Prefetch("schedules", queryset=m.Schedule.objects.order_by("id")),
        Prefetch("cost_options", queryset=m.CostOption.objects.order_by("id")),
    )


def public_review_cutoff(today: dt.date | None = None) -> dt.date:
    """Listings last reviewed before this date are left out of default public search: stale
    (LISTING_STALE_AFTER_DAYS) and past the provider's grace period too."""
    today = today or timezone.localdate()
    days = settings.LISTING_STALE_AFTER_DAYS + settings.LISTING_STALE_GRACE_DAYS
    return today - dt.timedelta(days=days)


def terms_in(service: m.Service, taxonomy_key: str) -> list[m.TaxonomyTerm]:
    """The service's terms from one vocabulary, in the vocabulary's order."""
    terms = [
        a.taxonomy_term
        for a in service.attributes.all()
        if a.taxonomy_term.taxonomy.key == taxonomy_key
    ]
    return sorted(terms, key=lambda t: (t.position, t.name))


def needs(service: m.Service) -> list[m.TaxonomyTerm]:
    return terms_in(service, vocab.NEEDS.key)


def life_stages(service: m.Service) -> list[m.TaxonomyTerm]:
    return terms_in(service, vocab.LIFE_STAGES.key)


def tier_label(service: m.Service) -> str:
    return str(m.Tier(service.tier).label) if service.tier else ""


def is_stale(service: m.Service, today: dt.date | None = None) -> bool:
    """Not reviewed within LISTING_STALE_AFTER_DAYS (or never): the listing may be out of date."""
    if service.assured_date is None:
        return True
    today = today or timezone.localdate()
    return (today - service.assured_date).days > settings.LISTING_STALE_AFTER_DAYS


def demo_field_labels(service: m.Service) -> list[str]:
    return [
        str(DEMO_FIELD_LABELS.get(name, name.replace("_", " "))) for name in service.demo_fields
    ]


def age_range(service: m.Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("Ages %(low)s to %(high)s") % {"low": low, "high": high}
    if low is not None:
        return _("Ages %(low)s and over") % {"low": low}
    if high is not None:
        return _("Ages up to %(high)s") % {"high": high}
    return ""


def _day(code: str) -> str:
    code = code.strip().upper()
    day, position = code[-2:], code[:-2]
    name = str(DAY_NAMES.get(day, day))
    if position in ORDINALS:
        return _("the %(ordinal)s %(day)s") % {
            "ordinal": ORDINALS[position],
            "day": name,
        }
    return name


def describe_schedule(schedule: m.Schedule) -> str:
    """'Every Tuesday and Thursday, 10:00 to 12:00', or the schedule's own description."""
    parts = []
    days = [_day(code) for code in schedule.byday.split(",") if code.strip()]
    if days:
        day_text = get_text_list(days, _("and"))
        if schedule.freq == "MONTHLY":
            parts.append(_("Every month on %(days)s") % {"days": day_text})
        elif schedule.interval and schedule.interval > 1:
            parts.append(
                _("Every %(n)s weeks on %(days)s") % {"n": schedule.interval, "days": day_text}
            )
        else:
            parts.append(_("Every %(days)s") % {"days": day_text})
    if schedule.opens_at and schedule.closes_at:
        parts.append(
            _("%(opens)s to %(closes)s")
            % {
                "opens": time_format(schedule.opens_at, "H:i"),
                "closes": time_format(schedule.closes_at, "H:i"),
            }
        )
    text = ", ".join(str(p) for p in parts)
    if schedule.description:
        text = f"{text}. {schedule.description}" if text else schedule.description
    return text


def cost_text(service: m.Service) -> str:
    """'Free', 'Suggested donation: GBP 2', the fees text, or '' when nothing is recorded."""
    parts = []
    for cost in service.cost_options.all():
        if (cost.option or "").strip().lower() == "free" or cost.amount == 0:
            return _("Free")
        amount = f"£{cost.amount}" if cost.amount is not None else ""
        detail = " ".join(p for p in (amount, cost.amount_description) if p)
        label = cost.option or _("Cost")
        parts.append(f"{label}: {detail}" if detail else str(label))
    if parts:
        return "; ".join(parts)
    return service.fees


def places_of(service: m.Service) -> list[str]:
    """Where a service is: each location's ward (or its name and town), online if virtual."""
    seen: list[str] = []
    for link in service.service_at_locations.all():
        location = link.location
        if location.location_type == m.Location.LocationType.VIRTUAL:
            text = str(_("Online"))
        elif location.ward_id:
            text = location.ward.name
        else:
            text = location.name or location.postcode
        if text and text not in seen:
            seen.append(text)
    return seen


def map_points(service: m.Service) -> list[dict]:
    """The service's located places, for the map ({lat, lon, place})."""
    return [
        {
            "lat": round(link.location.latitude, 6),
            "lon": round(link.location.longitude, 6),
            "place": link.location.name,
        }
        for link in service.service_at_locations.all()
        if link.location.latitude is not None and link.location.longitude is not None
    ]


def language_name(language: m.Language) -> str:
    """A language by name: its own name if recorded, else Django's name for its code."""
    if language.name:
        return language.name
    try:
        info = get_language_info(language.code.lower())
    except KeyError:
        return language.code
    return str(info["name_translated"])


@dataclass
class ServiceSummary:
    """One result in a list."""

    service: m.Service
    needs: list[m.TaxonomyTerm]
    tier_label: str
    distance_km: float | None = None
    places: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    cost: str = ""
    points: list[dict] = field(default_factory=list)


def summarise(service: m.Service) -> ServiceSummary:
    metres = getattr(service, "distance_m", None)
    schedules = list(service.schedules.all())
    return ServiceSummary(
        service=service,
        needs=needs(service),
        tier_label=tier_label(service),
        distance_km=metres / 1000 if metres is not None else None,
        places=places_of(service),
        times=[text for text in (describe_schedule(s) for s in schedules[:2]) if text],
        cost=cost_text(service),
        points=map_points(service),
    )


def attribution_items(text: str) -> list[str]:
    """A place's credits (a Markdown-style bullet list) as plain items, one per credit.

    Lines starting with '- ' or '* ' begin an item; other lines continue the one before.
    Emphasis and code marks are dropped, so templates show plain text (autoescaped).
    """
    items: list[str] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[:2] in {"- ", "* "} or not items:
            items.append(line.lstrip("-* ").strip())
        else:
            items[-1] = f"{items[-1]} {line}"
    return [re.sub(r"\*\*|__|`", "", item) for item in items if item]
