"""Writing the audit log. Called by every action inside its own transaction, never by signals
(signals miss bulk updates; see docs/adr/0005-explicit-audit-calls.md)."""

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.core.bulk import insert as insert_rows


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "username", None) or str(actor)


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    via: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events must be written inside the action's transaction.")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)[:255]
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:255],
        via=via[:255],
        details=details or {},
    )


def record_events(
    *,
    actor: Any,
    action: str,
    targets: Iterable[tuple[str, str, str]],
    via: str = "",
    details: dict[str, Any] | None = None,
) -> int:
    """Append one event per (target_type, target_id, target_label), in bulk, for imports."""
    shared = details or {}  # one object for every row: prepared for the database once
    return _insert_events(
        actor, via, ((action, t_type, t_id, t_label, shared) for t_type, t_id, t_label in targets)
    )


def record_each(
    *, actor: Any, via: str, events: Iterable[tuple[str, models.Model, dict[str, Any]]]
) -> int:
    """Append one event per (action, target, details), in one insert: what `record_event`
    writes for each, for actions that change many records at once (batches of referrals)."""
    return _insert_events(
        actor,
        via,
        (
            (action, target._meta.label_lower, str(target.pk), str(target), details)
            for action, target, details in events
        ),
    )


def _insert_events(
    actor: Any, via: str, events: Iterable[tuple[str, str, str, str, dict[str, Any] | None]]
) -> int:
    """(action, target type, id, label, details) rows as one insert, without model instances
    (an import writes 100,000 of these). Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events must be written inside the action's transaction.")
    now = timezone.now()
    user_id = actor.pk if getattr(actor, "pk", None) else None
    label = actor_label(actor)
    via = via[:255]
    rows = [
        {
            "at": now,
            "actor_id": user_id,
            "actor_label": label,
            "action": action,
            "target_type": t_type,
            "target_id": t_id,
            "target_label": t_label[:255],
            "via": via,
            "details": details or {},
        }
        for action, t_type, t_id, t_label, details in events
    ]
    insert_rows(AuditEvent, rows)
    return len(rows)
