"""What the referral pages share: role checks, 404 for not-yours, auditing what is shown,
and turning an action's refusal into a message at the top of the page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from linkwell.referrals import actions
from linkwell.referrals.models.encounters import NEED_CHOICES
from linkwell.referrals.referral_forms import WorkForm

PER_PAGE = 20
NEED_NAMES = dict(NEED_CHOICES)


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
