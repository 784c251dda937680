"""Sign-ins, failures, lockouts, timeouts and unlocks: each one an audit event, written in its
own transaction like every accounts action (docs/adr/0005). Devices: see `devices`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction

from linkwell.accounts.actions import AccountsError
from linkwell.accounts.policies import may_manage_sign_in
from linkwell.audit.actions import record_event


def record_sign_in(user: Any, *, second_step: str, address: str | None, via: str) -> None:
    """The password was right; `second_step` says what is still asked ("" for nothing)."""
    with transaction.atomic():
        record_event(
            actor=user,
            action="accounts.sign_in.succeeded",
            target=user,
            via=via,
            details={"second_step": second_step or "none", "address": address},
        )


def record_failed_sign_in(
    username: str, *, outcome: str, failures: int | None, address: str | None, via: str
) -> None:
    """A refused password. `outcome`: "failed" (wrong), "locked_out" (wrong, and now locked),
    "refused_locked" (not even checked: already locked). What was typed as a username is
    kept only if it names an account: people type passwords into the wrong box."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    with transaction.atomic():
        record_event(
            actor=None,
            action=f"accounts.sign_in.{outcome}",
            target=user,
            target_type="" if user else "accounts.user",
            target_label="" if user else "(no such username)",
            via=via,
            details={"address": address, "failures": failures},
        )


def record_timeout(user: Any, *, reason: str, limit: int, via: str) -> None:
    """A session ended by the idle (`limit` minutes) or absolute (`limit` hours) timeout."""
    unit = "minutes" if reason == "idle" else "hours"
    with transaction.atomic():
        record_event(
            actor=user,
            action="accounts.session.timed_out",
            target=user,
            via=via,
            details={"reason": reason, unit: limit},
        )


def unlock_sign_in(user: Any, *, actor: Any, via: str) -> int:
    """Lift a password lockout from an account at once (before its cool-off ends). Returns
    how many failed attempts were forgotten."""
    if actor is not None and not may_manage_sign_in(actor, user):
        raise AccountsError(f"user: you may not unlock {user}")
    with transaction.atomic():
        cleared, _ = AccessAttempt.objects.filter(username=user.get_username()).delete()
        record_event(
            actor=actor,
            action="accounts.sign_in.unlocked",
            target=user,
            via=via,
            details={"attempts_cleared": cleared},
        )
    return cleared


def unlock_attempts(attempts: Iterable[AccessAttempt], *, actor: Any, via: str) -> int:
    """Forget failed attempts (by account and address, as listed in the admin): unlocks an
    address as well as an account. One audit event for each."""
    cleared = 0
    with transaction.atomic():
        for attempt in attempts:
            record_event(
                actor=actor,
                action="accounts.sign_in.unlocked",
                target_type="axes.accessattempt",
                target_id=str(attempt.pk),
                target_label=f"{attempt.username} from {attempt.ip_address}",
                via=via,
                details={
                    "address": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                },
            )
            attempt.delete()
            cleared += 1
    return cleared
