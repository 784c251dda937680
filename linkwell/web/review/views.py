"""Partnership admins review providers' listing changes as a diff and publish them."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linkwell.accounts.policies import Action, can
from linkwell.directory import models as m
from linkwell.directory.importers import uploads
from linkwell.directory.listings import actions
from linkwell.directory.listings.diff import field_diffs
from linkwell.directory.listings.records import current_listing, listing_from_json
from linkwell.directory.queries import listings as queries


def _require_reviewer(request: HttpRequest) -> None:
    if not can(request.user, Action.REVIEW_LISTINGS):
        raise PermissionDenied


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    context = {
        "changes": list(queries.review_queue()[:200]),
        "may_import": uploads.may_import(request.user),
    }
    return render(request, "review/queue.html", context)


@login_required
def review(request: HttpRequest, change_id: uuid.UUID) -> HttpResponse:
    _require_reviewer(request)
    change = queries.get_change(change_id)
    if change is None:
        raise Http404(_("No change has this address."))
    error = ""
    if request.method == "POST" and change.status == m.ListingChange.Status.SUBMITTED:
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                actions.approve_change(
                    change,
                    actor=request.user,
                    overwrite=request.POST.get("overwrite") == "yes",
                )
                messages.success(request, _("Published: %(name)s.") % {"name": change.service.name})
                return redirect("listings:review_queue")
            if decision == "reject":
                actions.reject_change(
                    change, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request,
                    _("Sent back to the provider: %(name)s.") % {"name": change.service.name},
                )
                return redirect("listings:review_queue")
            error = _("Choose whether to publish the change or send it back.")
        except actions.Conflict as exc:
            error = str(exc)
        except actions.ListingChangeError as exc:
            error = str(exc)
    current = current_listing(change.service)
    proposed = listing_from_json(change.proposed)
    diffs = field_diffs(current, proposed)
    context = {
        "change": change,
        "service": change.service,
        "changed": [d for d in diffs if d.changed],
        "unchanged": [d for d in diffs if not d.changed],
        "conflict": queries.has_changed_since(change),
        "error": error,
        "reason": request.POST.get("reason", "") if request.method == "POST" else "",
        "is_open": change.status == m.ListingChange.Status.SUBMITTED,
    }
    return render(request, "review/review.html", context, status=400 if error else 200)
