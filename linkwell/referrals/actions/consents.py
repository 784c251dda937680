"""Consent to share with several services, given in one conversation: one consent per
service, written together with one shared time, note and source, so each referral after it
is one step."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import actor_label, record_event
from linkwell.directory.models import Service, ServiceStatus
from linkwell.referrals import policies
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Consent, ConsentPurpose, ConsentSource, Person

MAX_SERVICES = 20


def services_to_share_with(services: Iterable[Any], *, field: str = "service_ids") -> list[Any]:
    """The services named (objects or ids), in order, once each: Refused naming `field` and
    the ids no service has, or the services not taking referrals (inactive)."""
    asked = list(dict.fromkeys(_as_id(getattr(s, "pk", s)) for s in services))
    if not asked:
        raise Refused("Name at least one service.", field=field)
    if len(asked) > MAX_SERVICES:
        raise Refused(f"At most {MAX_SERVICES} services at once.", field=field)
    found = Service.objects.in_bulk([pk for pk in asked if isinstance(pk, uuid.UUID)])
    unknown = [str(pk) for pk in asked if pk not in found]
    if unknown:
        raise Refused("No service has the id " + ", ".join(unknown) + ".", field=field)
    inactive = [found[pk].name for pk in asked if found[pk].status != ServiceStatus.ACTIVE]
    if inactive:
        raise Refused(
            "Not taking referrals (no longer active in the directory): "
            + "; ".join(inactive)
            + ".",
            field=field,
        )
    return [found[pk] for pk in asked]


def _as_id(value: Any) -> Any:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return str(value)[:40]


def record_consent_for_services(
    person: Person,
    services: Iterable[Any],
    *,
    actor: Any,
    via: str,
    purpose: str = ConsentPurpose.SHARE_WITH_SERVICE,
    how: str = "",
    source: str = ConsentSource.RECORDED,
    provenance: str = "",
    at: Any = None,
) -> list[Consent]:
    """The person's consent to share their details with each of `services` (objects or
    ids), given in one conversation: written in one transaction, sharing the time, `how`,
    source and a conversation id, with one audit event naming the services. Refused, with
    nothing written, for an unknown id or an inactive service (naming them), or a person the
    actor may not open."""
    if purpose != ConsentPurpose.SHARE_WITH_SERVICE:
        raise Refused(
            "Consent for several services is consent to share with them "
            "(share_with_service); record other purposes one at a time.",
            field="purpose",
        )
    if not policies.may_record_people(actor):
        raise PermissionDenied("Only practitioners and connectors record consent.")
    if not policies.readable_people(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("Only someone who may open the person's record records consent.")
    chosen = services_to_share_with(services)
    return _write(
        person, chosen, actor=actor, via=via, how=how, source=source, provenance=provenance, at=at
    )


def _write(
    person: Person,
    services: list[Any],
    *,
    actor: Any,
    via: str,
    how: str,
    source: str,
    provenance: str,
    at: Any,
) -> list[Consent]:
    """Write the consents (checked by the caller); inside or outside a transaction."""
    conversation = uuid.uuid4()
    at = at or timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        consents = Consent.objects.bulk_create(
            [
                Consent(
                    person=person,
                    purpose=ConsentPurpose.SHARE_WITH_SERVICE,
                    service=service,
                    recorded_by=user,
                    recorded_by_label=actor_label(actor),
                    recorded_at=at,
                    how=(how or "")[:100],
                    source=source,
                    provenance=(provenance or "")[:500],
                    conversation=conversation,
                )
                for service in services
            ]
        )
        record_event(
            actor=actor,
            action="referrals.consent.given",
            target=person,
            via=via,
            details={
                "purpose": ConsentPurpose.SHARE_WITH_SERVICE.value,
                "services": [str(s.pk) for s in services],
                "conversation": str(conversation),
                "source": source,
            },
        )
    return consents
