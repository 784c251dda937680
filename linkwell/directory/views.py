"""The public pages: thin, they parse input, ask `queries` and render."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linkwell.directory import presentation
from linkwell.directory.forms import ServiceSearchForm
from linkwell.directory.queries import (
    ServiceFilters,
    UnknownPostcode,
    get_service,
    paginate,
    search_services,
)
from linkwell.places.queries import list_places

PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/home.html", {"form": ServiceSearchForm()})


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    context: dict = {"form": form, "page": None, "searched": False}
    if form.is_bound and not form.is_valid():
        return render(request, "directory/service_list.html", context, status=400)
    words = form.cleaned_data.get("q", "") if form.is_bound else ""
    postcode = form.cleaned_data.get("postcode", "") if form.is_bound else ""
    filters = ServiceFilters(
        search=words, postcode=postcode, statuses=tuple(presentation.PUBLIC_STATUSES)
    )
    try:
        results = search_services(filters)
    except UnknownPostcode:
        form.add_error(
            "postcode",
            _("We could not find %(postcode)s in this area. Check it, or search without it.")
            % {"postcode": postcode},
        )
        return render(request, "directory/service_list.html", context, status=400)
    number = _page_number(request)
    page = paginate(results, number, PER_PAGE, presentation.listing_queryset())
    if page.total_pages and number > page.total_pages:
        number = page.total_pages
        page = paginate(results, number, PER_PAGE, presentation.listing_queryset())
    query = {k: v for k, v in (("q", words), ("postcode", postcode)) if v}
    context.update(
        {
            "page": page,
            "summaries": [presentation.summarise(s) for s in page.items],
            "searched": bool(words or postcode),
            "words": words,
            "postcode": postcode,
            "previous_url": f"?{urlencode({**query, 'page': number - 1})}" if number > 1 else "",
            "next_url": f"?{urlencode({**query, 'page': number + 1})}"
            if not page.last_page
            else "",
        }
    )
    return render(request, "directory/service_list.html", context)


def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = get_service(service_id)
    if service is None:
        raise Http404(_("No service has this address."))
    locations = [sal.location for sal in service.service_at_locations.all()]
    schedules = list(service.schedules.all()) + [
        s for sal in service.service_at_locations.all() for s in sal.schedules.all()
    ]
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
        "contacts": list(service.contacts.all()),
        "languages": list(service.languages.all()),
        "service_areas": list(service.service_areas.all()),
        "cost_options": list(service.cost_options.all()),
    }
    return render(request, "directory/service_detail.html", context)


def about(request: HttpRequest) -> HttpResponse:
    places = [
        (place, presentation.attribution_items(place.attributions))
        for place in list_places()
    ]
    return render(request, "directory/about.html", {"places": places})
