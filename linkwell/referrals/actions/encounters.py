"""Recording a contact (Every Contact Counts): who was seen, where, and the needs noticed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.directory.vocabularies import NEED_CODES
from linkwell.referrals import policies
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Encounter, EncounterKind, EncounterNeed, Urgency

EARLIEST_YEAR = 1900


def record_encounter(
    person: Any,
    *,
    actor: Any,
    via: str,
    kind: str,
    needs: list[tuple[str, str]],
    note: str = "",
    occurred_at: dt.datetime | None = None,
    organisation: Any = None,
) -> Encounter:
    """`needs`: (need code, urgency) pairs, each need once."""
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record contacts.")
    if kind not in EncounterKind.values:
        raise Refused(f"Unknown kind of contact {kind!r}.", field="kind")
    if len(note or "") > 2000:
        raise Refused("At most 2,000 characters.", field="note")
    occurred_at = occurred_at or timezone.now()
    if timezone.is_naive(occurred_at):
        raise Refused(
            "Give the time with its UTC offset (e.g. 2026-12-04T09:30:00+00:00).",
            field="occurred_at",
        )
    if occurred_at.year < EARLIEST_YEAR:
        raise Refused(f"A contact before {EARLIEST_YEAR} is not possible.", field="occurred_at")
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise Refused("A contact cannot be in the future.", field="occurred_at")
    seen: set[str] = set()
    for code, urgency in needs:
        if code not in NEED_CODES:
            raise Refused(f"Unknown need {code!r}.", field="needs")
        if urgency not in Urgency.values:
            raise Refused(f"Unknown urgency {urgency!r} for {code}.", field="needs")
        if code in seen:
            raise Refused(f"{code} is listed twice.", field="needs")
        seen.add(code)
    with transaction.atomic():
        encounter = Encounter.objects.create(
            person=person,
            kind=kind,
            note=(note or "").strip(),
            occurred_at=occurred_at,
            practitioner=actor if getattr(actor, "pk", None) else None,
            organisation=organisation or policies.home_organisation(actor),
        )
        EncounterNeed.objects.bulk_create(
            EncounterNeed(encounter=encounter, need=code, urgency=urgency)
            for code, urgency in needs
        )
        record_event(
            actor=actor,
            action="referrals.contact.recorded",
            target=person,
            via=via,
            details={"kind": kind, "needs": [code for code, _ in needs]},
        )
    return encounter
