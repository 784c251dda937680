"""What the referral pages share: role checks, 404 for not-yours, auditing what is shown,
and turning an action's refusal into a message at the top of the page."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from linkwell.referrals import actions
from linkwell.referrals.models.encounters import NEED_CHOICES
from linkwell.web.work.forms import WorkForm

PER_PAGE = 20
NEED_NAMES = dict(NEED_CHOICES)


def path_for_each(name: str) -> Callable[[Any], str]:
    """`reverse(name, args=[pk])` for the many rows of a list page: reversed once, then filled
    in (a reverse costs tens of microseconds, and a caseload links 80 rows)."""
    placeholder = uuid.UUID(int=0)
    head, _middle, tail = reverse(name, args=[placeholder]).partition(str(placeholder))
    return lambda pk: f"{head}{pk}{tail}"


def days_as(fmt: str) -> Callable[[dt.date | dt.datetime | None], str]:
    """The template's `|date:fmt` (in the local time zone) for the many rows of a list page,
    each distinct day formatted once (formatting is most of rendering a long list). For
    formats of the day only ("j M Y"), not of the time."""
    done: dict[dt.date, str] = {}

    def text(value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        if value not in done:
            done[value] = date_format(value, fmt)
        return done[value]

    return text


def need_name(code: str) -> str:
    return _(NEED_NAMES[code]) if code in NEED_NAMES else code


def require(allowed: bool) -> None:
    """A page for a role the person does not hold: 403."""
    if not allowed:
        raise PermissionDenied


def found(item: Any) -> Any:
    """A record that is not there, or not the reader's: 404 alike."""
    if item is None:
        raise Http404(_("Nothing here has this address, or it is not yours to see."))
    return item


def audit_people(request: HttpRequest, people: Iterable[Any], page: str) -> None:
    """Every person whose details a page shows: one audit event each, written in bulk."""
    actions.record_people_listed(people, actor=request.user, via=f"page:{page}")


def refusal_text(exc: Exception) -> str:
    return getattr(exc, "message", None) or str(exc)


def put_back(form: WorkForm, exc: Exception) -> str:
    """The refusal at its field when the form has it; returns the message for the top."""
    message = refusal_text(exc)
    field = getattr(exc, "field", "")
    if field in form.fields:
        form.refuse(field, message)
    return message


def get_page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")


def refer_message(request: HttpRequest, made: Any) -> None:
    """Tell the referrer, on the next page, where the referral they made stands."""
    referral = made.referral
    messages.success(
        request,
        _("Referral %(reference)s to %(service)s is %(status)s.")
        % {
            "reference": referral.reference,
            "service": referral.service.name,
            "status": referral.get_status_display().lower(),
        },
    )
