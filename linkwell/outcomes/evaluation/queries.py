"""Who may read a programme's evaluation, and the read itself (audited).

Programme-level figures are for those who commission and analyse the partnership's work: the
analyst role (and partnership admins). Everyone else is refused, frontline staff included:
the figures are about people they did not support. Deny by default.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from linkwell.accounts.policies import Action, can
from linkwell.audit.actions import record_event
from linkwell.outcomes.evaluation import report
from linkwell.referrals.models import Programme


def may_view_programme_figures(actor: Any) -> bool:
    return can(actor, Action.VIEW_INTELLIGENCE)


def programmes(actor: Any) -> list[tuple[str, str]]:
    """(id, name) of each programme `actor` may evaluate, by name (none if they may not)."""
    if not may_view_programme_figures(actor):
        return []
    return [
        (str(pk), name)
        for pk, name in Programme.objects.order_by("service__name").values_list(
            "pk", "service__name"
        )
    ]


def programme_report(
    programme: Programme | str,
    *,
    measure: str,
    start: dt.date,
    end: dt.date,
    actor: Any,
    via: str,
) -> dict[str, Any]:
    """The evaluation of `programme` on `measure` (a code of `report.measures()`) for cases
    opened from `start` to `end`. Raises PermissionDenied for those who may not see it and
    LookupError for a programme or measure that is not there; the read is audited."""
    if not may_view_programme_figures(actor):
        raise PermissionDenied
    if not isinstance(programme, Programme):
        programme = Programme.objects.select_related("service").filter(pk=programme).first()
        if programme is None:
            raise LookupError("no such programme")
    chosen = report.measure(measure)
    if chosen is None:
        raise LookupError("no such measure")
    data = report.build(programme, chosen, start, end)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="outcomes.evaluation_viewed",
            target=programme,
            via=via,
            details={"measure": chosen.code, "start": start.isoformat(), "end": end.isoformat()},
        )
    return data
