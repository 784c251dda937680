"""The public pages: thin, they parse input, ask `queries` and render."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from linkwell.directory import presentation
from linkwell.directory import vocabularies as vocab
from linkwell.directory.models import ServiceStatus
from linkwell.directory.policies import sees_staff_view
from linkwell.directory.queries import (
    PlaceNotUnderstood,
    ServiceFilters,
    get_service,
    paginate,
    search_services,
)
from linkwell.directory.search.relevance import signalled_needs
from linkwell.directory.search.results import MAX_PAGE
from linkwell.directory.search.suggestions import suggest
from linkwell.places.queries import list_places
from linkwell.referrals import policies as referral_policies
from linkwell.referrals.queries import capacity_of, offers_for
from linkwell.web.find_support.forms import (
    DEFAULT_DISTANCE_KM,
    DISTANCE_CHOICES,
    FILTER_FIELDS,
    ServiceSearchForm,
)

PER_PAGE = 20
# Past this many results the page says "more than 1,000" instead of counting them all.
COUNT_CAP = 1000
DISTANCES_KM = [int(value) for value, _label in DISTANCE_CHOICES]
# Fewer results than this for some words, and the page offers a correction of their spelling.
FEW_RESULTS = 3


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "find_support/home.html", {"form": ServiceSearchForm()})


def _page_number(request: HttpRequest) -> int:
    """The page asked for, from 1; nonsense reads as 1, and a page past MAX_PAGE as MAX_PAGE
    (the view then shows the last page there is)."""
    try:
        return min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


def _url(params: QueryDict, **changes: object) -> str:
    """This search's address with some parameters changed (None removes one); page reset."""
    query = params.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    encoded = query.urlencode()
    return f"{reverse('directory:service_list')}?{encoded}" if encoded else "?"


def _filters(data: dict) -> ServiceFilters:
    """The page's form, cleaned, as the filters of a search."""
    postcode = data.get("postcode", "")
    return ServiceFilters(
        search=data.get("q", ""),
        postcode=postcode,
        place=data.get("place"),
        proximity=float((data.get("distance") or DEFAULT_DISTANCE_KM) * 1000) if postcode else None,
        statuses=tuple(presentation.PUBLIC_STATUSES),
        need=data.get("need", ""),
        life_stage=data.get("life_stage", ""),
        age=data.get("age"),
        day=data.get("day", ""),
        start_time=data.get("start_time"),
        end_time=data.get("end_time"),
        free=bool(data.get("free")),
        language=data.get("language", ""),
        accessible=bool(data.get("accessible")),
        mode=data.get("mode", ""),
        reviewed_since=None if data.get("include_stale") else presentation.public_review_cutoff(),
    )


def _suggestions(form: ServiceSearchForm, filters: ServiceFilters, params: QueryDict) -> dict:
    """Next steps for a search that found nothing, each a link that performs it and only if
    it finds something: a wider distance, the same search without the place, with older
    listings, without each filter (or all of them), and browsing the needs the words
    signal."""
    found: dict = {"wider": None, "anywhere": None, "stale": 0, "stale_url": "", "remove": []}

    def count(changed: ServiceFilters) -> int:
        return search_services(changed, count_cap=COUNT_CAP).count()

    if filters.postcode and filters.proximity is not None:
        for km in DISTANCES_KM:
            if km * 1000 <= filters.proximity:
                continue
            wider = count(dataclasses.replace(filters, proximity=km * 1000.0))
            if wider:
                found["wider"] = {"km": km, "count": wider, "url": _url(params, distance=km)}
                break
    if filters.postcode and not found["wider"]:
        anywhere = count(dataclasses.replace(filters, postcode="", place=None, proximity=None))
        if anywhere:
            found["anywhere"] = {
                "count": anywhere,
                "url": _url(params, postcode=None, distance=None),
            }
    if filters.reviewed_since is not None:
        found["stale"] = count(dataclasses.replace(filters, reviewed_since=None))
        found["stale_url"] = _url(params, include_stale="on")
    in_use = [name for name in FILTER_FIELDS if name != "include_stale" and params.get(name)]
    for name in in_use:
        found["remove"].append({"label": form[name].label, "url": _url(params, **{name: None})})
    if len(in_use) > 1:
        found["remove_all_url"] = _url(params, **dict.fromkeys(in_use))
    names = {term.code: term.name for term in vocab.NEEDS.terms}
    found["needs"] = [
        {"name": _(names[code]), "url": _url(params, q=None, need=code)}
        for code in signalled_needs(filters.search).codes
        if code != filters.need
        and code in names
        and count(dataclasses.replace(filters, search="", need=code))
    ]
    return found


def _did_you_mean(filters: ServiceFilters, total: int, params: QueryDict) -> dict | None:
    """A corrected spelling of the words, as a link, when they found little."""
    if not filters.search or total >= FEW_RESULTS:
        return None
    corrected = suggest(filters.search)
    if not corrected or corrected == filters.search.lower():
        return None
    return {"text": corrected, "url": _url(params, q=corrected)}


def _map_items(summaries: list[presentation.ServiceSummary]) -> list[dict]:
    return [
        {"name": summary.service.name, "url": summary.url, **point}
        for summary in summaries
        for point in summary.points
    ]


def directions_url(latitude: float, longitude: float) -> str:
    """Directions to a point on OpenStreetMap (the visitor says where from there)."""
    query = urlencode({"to": f"{latitude},{longitude}"})
    return f"https://www.openstreetmap.org/directions?{query}"


def _venues(summaries: list[presentation.ServiceSummary]) -> list[dict]:
    """The places the map shows, as a list (what the map falls back to without JavaScript):
    each located venue once, with its address, the services there and directions. Addresses
    are read in one query, and only when some result has a place on the map."""
    venues: dict[uuid.UUID, dict] = {}
    for summary in summaries:
        for location in summary.locations:
            if location.latitude is None or location.longitude is None:
                continue
            venue = venues.setdefault(
                location.id,
                {
                    "location": location,
                    "name": location.name or summary.service.name,
                    "directions_url": directions_url(
                        round(location.latitude, 6), round(location.longitude, 6)
                    ),
                    "services": [],
                },
            )
            if all(listed is not summary for listed in venue["services"]):
                venue["services"].append(summary)
    addresses = presentation.venue_addresses(list(venues)) if venues else {}
    for venue in venues.values():
        location = venue.pop("location")
        venue["address"] = addresses.get(location.id, location.postcode)
    return list(venues.values())


def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    context: dict = {
        "form": form,
        "page": None,
        "searched": False,
        "filters_open": form.filters_in_use(),
        "staff_view": sees_staff_view(request.user),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "find_support/service_list.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    filters = _filters(data)
    try:
        results = search_services(filters, count_cap=COUNT_CAP)
    except PlaceNotUnderstood as exc:  # (the form has found it already; a place data reload)
        form.add_error("postcode", str(exc))
        return render(request, "find_support/service_list.html", context, status=400)
    number = _page_number(request)
    queryset = presentation.results_queryset()
    page = paginate(results, number, PER_PAGE, queryset)
    if page.total_pages and number > page.total_pages:
        number = page.total_pages
        page = paginate(results, number, PER_PAGE, queryset)
    summaries = presentation.summarise_page(page.items)
    for summary in summaries:
        summary.url = reverse("directory:service_detail", args=[summary.service.id])
    params = request.GET.copy()
    params.pop("page", None)
    searched = bool(
        filters.search or filters.postcode or any(data.get(name) for name in FILTER_FIELDS)
    )
    context.update(
        {
            "page": page,
            "more_than": COUNT_CAP if page.total_items > COUNT_CAP else None,
            "summaries": summaries,
            # Each result links to its page with this search, to come back to.
            "back_query": f"?back={quote(request.GET.urlencode(), safe='')}" if request.GET else "",
            "map_items": _map_items(summaries),
            "venues": _venues(summaries),
            "searched": searched,
            "words": filters.search,
            "postcode": filters.place.label if filters.place else filters.postcode,
            "did_you_mean": _did_you_mean(filters, page.total_items, request.GET),
            "distance_km": int(filters.proximity / 1000) if filters.proximity else None,
            "suggestions": _suggestions(form, filters, request.GET)
            if page.empty and searched
            else None,
            "previous_url": f"?{urlencode({**params.dict(), 'page': number - 1})}"
            if number > 1
            else "",
            "next_url": f"?{urlencode({**params.dict(), 'page': number + 1})}"
            if not page.last_page
            else "",
            "map_tiles_url": settings.MAP_TILES_URL,
            "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        }
    )
    return render(request, "find_support/service_list.html", context)


def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = get_service(service_id)
    if service is None:
        raise Http404(_("No service has this address."))
    links = list(service.service_at_locations.all())
    locations = [link.location for link in links]
    schedules = list(service.schedules.all()) + [s for link in links for s in link.schedules.all()]
    context = {
        "service": service,
        "needs": presentation.needs(service),
        "life_stages": presentation.life_stages(service),
        "tier_label": presentation.tier_label(service),
        "age_range": presentation.age_range(service),
        "is_stale": presentation.is_stale(service),
        "stale_after_days": settings.LISTING_STALE_AFTER_DAYS,
        "demo_fields": presentation.demo_field_labels(service) if service.is_demo else [],
        "schedules": [presentation.describe_schedule(s) for s in schedules],
        "locations": locations,
        "map_items": [
            {
                "name": location.name or service.name,
                "lat": location.latitude,
                "lon": location.longitude,
            }
            for location in locations
            if location.latitude is not None and location.longitude is not None
        ],
        "contacts": _contacts_without_repeats(service),
        "languages": [presentation.language_name(lang) for lang in service.languages.all()],
        "service_areas": list(service.service_areas.all()),
        "cost_options": list(service.cost_options.all()),
        "cost": presentation.cost_text(service),
        "share_url": request.build_absolute_uri(request.path),
        "staff_view": sees_staff_view(request.user),
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "back_url": _back_to_results(request.GET.get("back", "")),
        "directions": [
            {"location": location, "url": _directions_url(location)} for location in locations
        ],
        **(_referring(service) if _refers(request) else {}),
    }
    return render(request, "find_support/service_detail.html", context)


def _refers(request: HttpRequest) -> bool:
    return sees_staff_view(request.user) and referral_policies.may_refer(request.user)


def _referring(service: Any) -> dict:
    """For staff who refer: "Refer someone" (an active service only) and its live capacity."""
    (offer,) = offers_for([service])
    capacity = capacity_of(service)
    return {
        "refer_url": reverse("referrals:refer_to_service", args=[service.pk])
        if service.status == ServiceStatus.ACTIVE
        else "",
        "availability": offer.availability,
        "places_left": offer.places_left,
        "capacity_unit": capacity.unit,
    }


def _back_to_results(back: str) -> str:
    """The search the person came from: its query string, re-encoded (only the search page's
    address, so `back` can never send them elsewhere)."""
    encoded = QueryDict(back[:2000]).urlencode()
    return f"{reverse('directory:service_list')}?{encoded}" if encoded else ""


def _directions_url(location: Any) -> str:
    """Directions to a venue on OpenStreetMap (a link: no third-party script)."""
    if location.latitude is None or location.longitude is None:
        return ""
    query = urlencode({"to": f"{location.latitude:.5f},{location.longitude:.5f}"})
    return f"https://www.openstreetmap.org/directions?{query}"


def _contacts_without_repeats(service: Any) -> list[dict]:
    """The service's contacts, each e-mail address shown once (not again after the
    service's own, nor at a second contact)."""
    shown = {service.email.strip().lower()} if service.email else set()
    rows = []
    for contact in service.contacts.all():
        email = (contact.email or "").strip()
        if email.lower() in shown:
            email = ""
        elif email:
            shown.add(email.lower())
        rows.append({"contact": contact, "email": email})
    return rows


def about(request: HttpRequest) -> HttpResponse:
    places = [
        (place, presentation.attribution_items(place.attributions)) for place in list_places()
    ]
    return render(request, "find_support/about.html", {"places": places})
