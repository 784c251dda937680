"""What the public pages say about a service, worked out once here rather than in templates.

Functions take a service fetched by `queries` (with its attributes prefetched) and return
plain, translated text, so templates stay simple and the same wording serves every page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
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


# The service's own columns a results list shows (the card, and staff facts for staff).
RESULT_FIELDS = (
    "id",
    "name",
    "description",
    "status",
    "is_demo",
    "email",
    "url",
    "tier",
    "fees",
    "organization__name",
    "partner__name",
)


def results_queryset() -> QuerySet[m.Service]:
    """Services with only the columns a results list shows and nothing prefetched: their
    needs, places, times and costs are read by `summarise_page`, as light rows."""
    return m.Service.objects.select_related("organization", "partner").only(*RESULT_FIELDS)


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


def _hours_minutes(time: dt.time) -> str:
    """'09:30': what `time_format(time, "H:i")` gives, without looking up formats."""
    return f"{time.hour:02d}:{time.minute:02d}"


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
                "opens": _hours_minutes(schedule.opens_at),
                "closes": _hours_minutes(schedule.closes_at),
            }
        )
    text = ", ".join(str(p) for p in parts)
    if schedule.description:
        text = f"{text}. {schedule.description}" if text else schedule.description
    return text


def cost_text(service: m.Service) -> str:
    """'Free', 'Suggested donation: GBP 2', the fees text, or '' when nothing is recorded."""
    costs = [(c.option, c.amount, c.amount_description) for c in service.cost_options.all()]
    return _cost_text(costs, service.fees)


def _cost_text(costs: Iterable[tuple[str, Decimal | None, str]], fees: str) -> str:
    parts = []
    for option, amount, amount_description in costs:
        if (option or "").strip().lower() == "free" or amount == 0:
            return _("Free")
        amount_text = f"£{amount}" if amount is not None else ""
        detail = " ".join(p for p in (amount_text, amount_description) if p)
        label = option or _("Cost")
        parts.append(f"{label}: {detail}" if detail else str(label))
    if parts:
        return "; ".join(parts)
    return fees


@dataclass(frozen=True)
class ListedLocation:
    """One of a service's locations, as a results list shows it (places, map, venues)."""

    id: uuid.UUID
    name: str
    location_type: str
    postcode: str
    latitude: float | None
    longitude: float | None
    ward_id: int | None = None
    ward_name: str = ""


def _listed(location: m.Location) -> ListedLocation:
    return ListedLocation(
        id=location.id,
        name=location.name,
        location_type=location.location_type,
        postcode=location.postcode,
        latitude=location.latitude,
        longitude=location.longitude,
        ward_id=location.ward_id,
        ward_name=location.ward.name if location.ward_id else "",
    )


def _places(locations: list[ListedLocation]) -> list[str]:
    seen: list[str] = []
    for location in locations:
        if location.location_type == m.Location.LocationType.VIRTUAL:
            text = str(_("Online"))
        elif location.ward_id:
            text = location.ward_name
        else:
            text = location.name or location.postcode
        if text and text not in seen:
            seen.append(text)
    return seen


def _points(locations: list[ListedLocation]) -> list[dict]:
    return [
        {
            "lat": round(location.latitude, 6),
            "lon": round(location.longitude, 6),
            "place": location.name,
        }
        for location in locations
        if location.latitude is not None and location.longitude is not None
    ]


def places_of(service: m.Service) -> list[str]:
    """Where a service is: each location's ward (or its name and town), online if virtual."""
    return _places([_listed(link.location) for link in service.service_at_locations.all()])


def map_points(service: m.Service) -> list[dict]:
    """The service's located places, for the map ({lat, lon, place})."""
    return _points([_listed(link.location) for link in service.service_at_locations.all()])


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
    locations: list[ListedLocation] = field(default_factory=list)
    url: str = ""  # the service's page (set by the page that lists it)


def _summary(
    service: m.Service,
    needs: list[m.TaxonomyTerm],
    locations: list[ListedLocation],
    schedules: list[m.Schedule],
    costs: list[tuple[str, Decimal | None, str]],
) -> ServiceSummary:
    metres = getattr(service, "distance_m", None)
    return ServiceSummary(
        service=service,
        needs=needs,
        tier_label=tier_label(service),
        distance_km=metres / 1000 if metres is not None else None,
        places=_places(locations),
        times=[text for text in (describe_schedule(s) for s in schedules[:2]) if text],
        cost=_cost_text(costs, service.fees),
        points=_points(locations),
        locations=locations,
    )


def summarise(service: m.Service) -> ServiceSummary:
    """A service fetched with `listing_queryset` as one result."""
    return _summary(
        service,
        needs(service),
        [_listed(link.location) for link in service.service_at_locations.all()],
        list(service.schedules.all()),
        [(c.option, c.amount, c.amount_description) for c in service.cost_options.all()],
    )


def summarise_page(services: list[m.Service]) -> list[ServiceSummary]:
    """A page of results (fetched with `results_queryset`) as summaries, the same as
    `summarise` gives: needs, places, times and costs read in four queries of only the
    columns shown, rather than prefetched as model instances."""
    ids = [service.id for service in services]
    if not ids:
        return []
    terms: dict[uuid.UUID, list[m.TaxonomyTerm]] = defaultdict(list)
    attributes = (
        m.ServiceAttribute.objects.filter(
            service_id__in=ids, taxonomy_term__taxonomy__key=vocab.NEEDS.key
        )
        .select_related("taxonomy_term")
        .only("service_id", *(f"taxonomy_term__{f}" for f in ("code", "name", "position")))
    )
    for attribute in attributes:
        terms[attribute.service_id].append(attribute.taxonomy_term)
    locations: dict[uuid.UUID, list[ListedLocation]] = defaultdict(list)
    links = (
        m.ServiceAtLocation.objects.filter(service_id__in=ids)
        .order_by("location__name", "id")
        .values_list(
            "service_id",
            *(
                f"location__{f}"
                for f in ("id", "name", "location_type", "postcode", "latitude", "longitude")
            ),
            "location__ward_id",
            "location__ward__name",
        )
    )
    for service_id, *row in links:
        locations[service_id].append(ListedLocation(*row[:-1], ward_name=row[-1] or ""))
    schedules: dict[uuid.UUID, list[m.Schedule]] = defaultdict(list)
    shown = ("service_id", "freq", "interval", "byday", "description", "opens_at", "closes_at")
    for schedule in m.Schedule.objects.filter(service_id__in=ids).order_by("id").only(*shown):
        schedules[schedule.service_id].append(schedule)
    costs: dict[uuid.UUID, list[tuple[str, Decimal | None, str]]] = defaultdict(list)
    for service_id, option, amount, description in (
        m.CostOption.objects.filter(service_id__in=ids)
        .order_by("id")
        .values_list("service_id", "option", "amount", "amount_description")
    ):
        costs[service_id].append((option, amount, description))
    return [
        _summary(
            service,
            sorted(terms[service.id], key=lambda t: (t.position, t.name)),
            locations[service.id],
            schedules[service.id],
            costs[service.id],
        )
        for service in services
    ]


def venue_addresses(location_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each location's first address on one line ("1 Chapel Street, Bradford, BD1 1AA"),
    for the locations that have one: one query of the four columns shown."""
    found: dict[uuid.UUID, str] = {}
    rows = m.Address.objects.filter(location_id__in=location_ids).values_list(
        "location_id", "address_1", "address_2", "city", "postal_code"
    )
    for location_id, *parts in rows:
        if location_id not in found:
            found[location_id] = ", ".join(part for part in parts if part)
    return found


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
