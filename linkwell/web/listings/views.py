"""Pages for providers who keep their listings current.

Thin: check the policy, read through `directory.queries.listings`, write through
`directory.listings.actions`.
A provider editor sees a service of another organisation as not found (404); someone with no
editing role at all is refused (403).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linkwell.accounts.policies import Action, can, editable_services
from linkwell.directory import models as m
from linkwell.directory.listings import actions
from linkwell.directory.listings.records import (
    Listing,
    RecordError,
    current_listing,
    listing_from_json,
)
from linkwell.directory.presentation import describe_schedule
from linkwell.directory.queries import listings as queries
from linkwell.web.listings.forms import (
    ListingForm,
    LocationFormSet,
    OpeningTimeFormSet,
    check_delivery,
    check_times_places,
    extra_languages,
    listing_initial,
    locations_initial,
    other_schedules,
    place_choices,
    proposed_listing,
    times_initial,
)

PER_PAGE = 50


def _editable_service(request: HttpRequest, service_id: uuid.UUID) -> m.Service:
    if not can(request.user, Action.EDIT_SERVICE):
        raise PermissionDenied
    service = editable_services(request.user).filter(pk=service_id).first()
    if service is None:  # not theirs, or not there: the same answer
        raise Http404(_("No listing of yours has this address."))
    return service


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.EDIT_SERVICE):
        raise PermissionDenied
    services = editable_services(request.user).order_by("name", "id")
    page = Paginator(services.values_list("pk", flat=True), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = queries.listing_rows(services.filter(pk__in=list(page.object_list)))
    return render(
        request,
        "listings/dashboard.html",
        {
            "rows": rows,
            "page": page,
            "stale_count": queries.stale_count(services),
            "stale_after_days": settings.LISTING_STALE_AFTER_DAYS,
            "grace_days": settings.LISTING_STALE_GRACE_DAYS,
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _editable_service(request, service_id)
    actions.confirm_listing(service, actor=request.user)
    messages.success(
        request,
        _("%(name)s is marked as checked today. Thank you.") % {"name": service.name},
    )
    return redirect("listings:dashboard")


def _base_version(request: HttpRequest, service: m.Service, change: m.ListingChange | None):
    if change is not None:
        return change.base_version
    text = request.POST.get("base_version", "")
    try:
        found = dt.datetime.fromisoformat(text)
    except ValueError:
        return service.updated_at
    return found if timezone.is_aware(found) else service.updated_at


def _error_summary(form: Any, formsets: list[tuple[Any, str]]) -> list[tuple[str, str]]:
    """(id of the field, message) for every error, in page order."""
    found = []

    def add(bound_form: Any, where: str = "") -> None:
        for name, errors in bound_form.errors.items():
            if name == "__all__":
                continue
            field = bound_form[name]
            widget_id = field.id_for_label or field.auto_id
            if (
                getattr(field.field.widget, "allow_multiple_selected", False)
                or getattr(field.field.widget, "input_type", "") == "radio"
            ):
                widget_id = f"{field.auto_id}_0"
            label = f"{where}, {field.label}" if where else str(field.label)
            for error in errors:
                found.append((widget_id, f"{label}: {error}"))

    add(form)
    for formset, naming in formsets:
        for number, bound in enumerate(formset.forms, start=1):
            add(bound, naming % {"number": number})
        for error in formset.non_form_errors():
            found.append(("", str(error)))
    return found


def _describe(*forms_: Any) -> None:
    """Tie each input to its hint and error (aria-describedby), and mark invalid ones."""
    for form in forms_:
        for name, field in form.fields.items():
            bound = form[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-hint")
            if form.is_bound and bound.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids and not getattr(field.widget, "allow_multiple_selected", False):
                field.widget.attrs["aria-describedby"] = " ".join(ids)


@login_required
def edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _editable_service(request, service_id)
    change = queries.open_change(service)
    if request.method == "POST" and "withdraw" in request.POST:
        if change is not None:
            actions.withdraw_change(change, actor=request.user)
            messages.success(
                request,
                _("Your changes to %(name)s are withdrawn; the listing stays as it is.")
                % {"name": service.name},
            )
        return redirect("listings:dashboard")
    try:
        listing: Listing = (
            listing_from_json(change.proposed) if change else current_listing(service)
        )
    except RecordError:
        messages.error(
            request,
            _(
                "%(name)s holds details this form cannot show. Ask the partnership team to "
                "correct it."
            )
            % {"name": service.name},
        )
        return redirect("listings:dashboard")
    data = request.POST if request.method == "POST" else None
    form = ListingForm(
        data, initial=listing_initial(listing), extra_languages=extra_languages(listing)
    )
    locations = LocationFormSet(data, initial=locations_initial(listing), prefix="locations")
    times = OpeningTimeFormSet(
        data,
        initial=times_initial(listing),
        prefix="times",
        place_choices=place_choices(listing, data),
    )
    if request.method == "POST":
        valid = form.is_valid() & locations.is_valid() & times.is_valid()
        if valid:
            valid = check_times_places(times, locations) & check_delivery(form, locations)
        if valid:
            proposed = proposed_listing(listing, form, locations, times)
            try:
                actions.submit_change(
                    service,
                    proposed,
                    base_version=_base_version(request, service, change),
                    actor=request.user,
                )
            except actions.NothingChanged:
                form.add_error(
                    None,
                    _(
                        "You have not changed anything. If the listing is all still correct, "
                        "use “Confirm still correct” on your listings page."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your changes to %(name)s have been sent for review. They will show "
                        "once a partnership admin publishes them."
                    )
                    % {"name": proposed.record.name},
                )
                return redirect("listings:dashboard")
    _describe(form, *locations.forms, *times.forms)
    errors = (
        _error_summary(
            form, [(locations, _("Place %(number)s")), (times, _("Opening time %(number)s"))]
        )
        if form.is_bound
        else []
    )
    context = {
        "service": service,
        "form": form,
        "locations": locations,
        "times": times,
        # Same attributes as a Schedule row, so the public page's wording serves here too.
        "other_schedules": [describe_schedule(s) for s in other_schedules(listing)],
        "change": change,
        "errors": errors,
        "base_version": (change.base_version if change else service.updated_at).isoformat(),
    }
    status = 400 if form.is_bound and (errors or form.non_field_errors()) else 200
    return render(request, "listings/edit.html", context, status=status)
