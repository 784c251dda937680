"""Recording a person's verdict on a possible duplicate pair: confirmed (the same service) or
dismissed (not). The verdict is kept across refreshes, keyed by the two services' ids, and
audited in the same transaction; who may judge is checked here, whatever the caller."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linkwell.audit.actions import record_event
from linkwell.intelligence.models import DuplicatePair, DuplicateVerdict, Verdict
from linkwell.intelligence.policies import may_judge_duplicates

NOTE_LENGTH = 500


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """A pair's two service ids in the order pairs and verdicts keep them."""
    return (a, b) if a < b else (b, a)


def judge_pair(
    *, actor: Any, pair: DuplicatePair, verdict: str, note: str = "", via: str = ""
) -> DuplicateVerdict:
    """Confirm or dismiss a pair (judging it again replaces the earlier verdict).
    Raises PermissionDenied, or ValidationError naming the field (`verdict` or `note`)."""
    if not may_judge_duplicates(actor):
        raise PermissionDenied("Only analysts and partnership admins may judge duplicates.")
    if verdict not in Verdict.values:
        message = _("Choose whether the two are the same service (confirm) or not (dismiss).")
        raise ValidationError({"verdict": message})
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        message = _("The note must be %(count)s characters or fewer: shorten it.") % {
            "count": NOTE_LENGTH
        }
        raise ValidationError({"note": message})
    a, b = ordered(pair.service_a, pair.service_b)
    with transaction.atomic():
        found, _created = DuplicateVerdict.objects.update_or_create(
            service_a=a,
            service_b=b,
            defaults={"verdict": verdict, "note": note, "by": actor, "at": timezone.now()},
        )
        record_event(
            actor=actor,
            action=f"hub.duplicate_{verdict}",
            target=found,
            target_label=f"{pair.name_a} / {pair.name_b}"[:255],
            via=via,
            details={
                "service_a": a.hex,
                "service_b": b.hex,
                "verdict": verdict,
                "score": pair.score,
            },
        )
    return found
