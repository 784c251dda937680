"""Which status of a referral may follow which, and what each is called in FHIR R4 Task.

Pure data and pure functions: `actions` asks `check_move` before every change, so a move
that is not allowed (completing a declined referral, say) is refused with a message that
names the rule, and nothing is written.
"""

from linkwell.referrals.models import ReferralStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SENT, S.CANCELLED}),
    S.SENT: frozenset({S.RECEIVED, S.ACCEPTED, S.DECLINED, S.WAITLISTED, S.CANCELLED}),
    S.RECEIVED: frozenset({S.ACCEPTED, S.DECLINED, S.WAITLISTED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.DECLINED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.COMPLETED, S.DID_NOT_ENGAGE, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.DID_NOT_ENGAGE, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
    S.DID_NOT_ENGAGE: frozenset(),
    S.CANCELLED: frozenset(),
}

# Waiting for the service to answer (escalated if it does not in time).
AWAITING_ANSWER = frozenset({S.SENT, S.RECEIVED})
# Finished: nothing more will happen.
CLOSED = frozenset(s for s, nexts in TRANSITIONS.items() if not nexts)
# Holding a place in the service's capacity.
HOLDING_A_PLACE = frozenset({S.ACCEPTED, S.IN_PROGRESS})

# FHIR R4 Task.status for each (http://hl7.org/fhir/R4/valueset-task-status.html).
FHIR_TASK_STATUS: dict[str, str] = {
    S.DRAFT: "draft",
    S.SENT: "requested",
    S.RECEIVED: "received",
    S.ACCEPTED: "accepted",
    S.DECLINED: "rejected",
    S.WAITLISTED: "on-hold",
    S.IN_PROGRESS: "in-progress",
    S.COMPLETED: "completed",
    S.DID_NOT_ENGAGE: "failed",
    S.CANCELLED: "cancelled",
}

# SNOMED CT codes recorded on social prescribing events.
SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = "871731000000106"
SNOMED_SOCIAL_PRESCRIBING_DECLINED = "871711000000103"


class TransitionRefused(ValueError):
    """The move is not allowed from the referral's status (the message names the rule)."""


def check_move(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        allowed = sorted(S(s).label for s in TRANSITIONS.get(current, ()))
        raise TransitionRefused(
            f"A referral that is {S(current).label.lower()} cannot become "
            f"{S(target).label.lower()}"
            + (
                f" (it can become: {', '.join(a.lower() for a in allowed)})."
                if allowed
                else " (it is closed)."
            )
        )
