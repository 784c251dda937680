"""How a referral ended, coded: by the service completing it, or by the connector at
discharge for the case's referral. Counted, compared and sent back to the referrer and GP."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.outcomes import policies
from linkwell.outcomes.models import OutcomeCode, OutcomeReason, ReferralOutcome
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import ReferralStatus

ENDED = frozenset({ReferralStatus.COMPLETED, ReferralStatus.DID_NOT_ENGAGE})


def clean_coded(code: str, reasons: Iterable[str] | None, note: str = "") -> tuple[str, list[str]]:
    """The code and reasons as stored. Raises Refused naming `outcome_code` or
    `outcome_reasons`."""
    code = (code or "").strip()
    if not code:
        raise Refused(
            "Choose how it ended: achieved, partly achieved, not achieved or did not engage.",
            field="outcome_code",
        )
    if code not in OutcomeCode.values:
        raise Refused(f"Unknown outcome {code!r}.", field="outcome_code")
    if isinstance(reasons, str):
        reasons = [reasons]
    cleaned: list[str] = []
    for reason in reasons or ():
        reason = str(reason).strip()
        if reason not in OutcomeReason.values:
            raise Refused(f"Unknown reason {reason!r}.", field="outcome_reasons")
        if reason not in cleaned:
            cleaned.append(reason)
    if OutcomeReason.OTHER in cleaned and not (note or "").strip():
        raise Refused("Say what the other reason was.", field="outcome_reasons")
    return code, cleaned


def may_record_outcome(actor: Any, referral: Any) -> bool:
    if policies.may_record_for_referral(actor, referral):
        return True
    case = getattr(referral, "case", None) if hasattr(referral, "case") else None
    return case is not None and policies.may_record_for_case(actor, case)


def record_referral_outcome(
    referral: Any,
    *,
    code: str,
    reasons: Iterable[str] | None,
    note: str,
    actor: Any,
    via: str,
) -> ReferralOutcome:
    """The coded outcome of a referral that has ended (replacing one recorded before)."""
    note = (note or "").strip()
    if len(note) > 2000:
        raise Refused("Enter a note of 2,000 characters or fewer.", field="note")
    code, cleaned = clean_coded(code, reasons, note)
    if not may_record_outcome(actor, referral):
        raise PermissionDenied("Only the service or the case's connector records the outcome.")
    if referral.status not in ENDED:
        raise Refused("Record the outcome when the referral is completed.", field="outcome_code")
    with transaction.atomic():
        outcome, created = ReferralOutcome.objects.update_or_create(
            referral=referral,
            defaults={
                "code": code,
                "reasons": cleaned,
                "note": note,
                "recorded_at": timezone.now(),
                "recorded_by": actor if getattr(actor, "pk", None) else None,
                "organisation": getattr(referral.service, "partner", None),
            },
        )
        record_event(
            actor=actor,
            action="outcomes.referral_outcome.recorded",
            target=outcome,
            via=via,
            details={
                "referral": str(referral.pk),
                "code": code,
                "reasons": cleaned,
                "replaced": not created,
            },
        )
    return outcome
