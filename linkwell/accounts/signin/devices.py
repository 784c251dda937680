"""Authenticator apps and recovery codes: set up, checked, replaced and reset. Atomic, audited.

Recovery codes are kept only as hashes (salted with the person's id), so reading the database
does not give anyone a way in; django-otp's static device checks a hash against hashes.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linkwell.accounts.actions import AccountsError
from linkwell.accounts.policies import may_manage_sign_in
from linkwell.audit.actions import record_event

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper. 12 of 31 symbols: 59 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 12
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def normalise(code: str) -> str:
    """What was typed, as compared: no spaces or hyphens, lower case."""
    return "".join((code or "").split()).replace("-", "").lower()


def recovery_hash(user: Any, code: str) -> str:
    """The stored form of a recovery code (StaticToken holds 16 characters)."""
    digest = hashlib.sha256(f"linkwell-recovery:{user.pk}:{normalise(code)}".encode())
    return digest.hexdigest()[:16]


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def _issue_recovery_codes(user: Any) -> list[str]:
    """New codes in place of any old ones; returns them, the one time they are readable."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_hash(user, code)) for code in codes]
    )
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def authenticator_to_set_up(user: Any) -> TOTPDevice:
    """The app being set up (not yet confirmed): made once and kept, so that reloading the
    page shows the same QR code the person may already have scanned."""
    found = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return found or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def confirm_authenticator(
    user: Any, device: TOTPDevice, code: str, *, via: str
) -> list[str] | None:
    """Confirm the app with a code it shows, replacing any app set up before, and issue new
    recovery codes (returned, to show once). None if the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(normalise(code)):
            record_event(
                actor=user,
                action="accounts.second_factor.failed",
                target=user,
                via=via,
                details={"method": "authenticator", "during": "set_up"},
            )
            return None
        others = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
        replaced = others.filter(confirmed=True).exists()
        others.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _issue_recovery_codes(user)
        record_event(
            actor=user,
            action="accounts.second_factor.set_up",
            target=user,
            via=via,
            details={"recovery_codes": len(codes), "replaced": replaced},
        )
    return codes


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why not."""

    device: Device | None
    method: str  # "authenticator" or "recovery_code"
    wait_seconds: int = 0  # too many wrong codes: wait this long before the next try


def check_code(user: Any, code: str, *, via: str, address: str | None = None) -> CodeCheck:
    """Check a code from the app (six digits) or a recovery code (used up if right). Wrong
    codes slow the next try down (django-otp doubles the wait each time)."""
    typed = normalise(code)
    is_app_code = typed.isdigit() and len(typed) == 6
    method = "authenticator" if is_app_code else "recovery_code"
    model = TOTPDevice if is_app_code else StaticDevice
    token = typed if is_app_code else recovery_hash(user, typed)
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("id")
            .first()
        )
        wait = 0
        accepted = False
        if device is not None:
            allowed, why = device.verify_is_allowed()
            if allowed:
                accepted = device.verify_token(token)
            elif why and why.get("locked_until"):
                wait = math.ceil((why["locked_until"] - timezone.now()).total_seconds())
        details: dict[str, Any] = {"method": method, "address": address}
        if accepted and method == "recovery_code":
            details["recovery_codes_left"] = recovery_codes_left(user)
        if wait:
            details["wait_seconds"] = wait
        outcome = "verified" if accepted else "failed"
        record_event(
            actor=user,
            action=f"accounts.second_factor.{outcome}",
            target=user,
            via=via,
            details=details,
        )
    return CodeCheck(device if accepted else None, method, max(wait, 0))


def replace_recovery_codes(user: Any, *, actor: Any, via: str) -> list[str]:
    """New recovery codes for someone with an app (the old ones stop working)."""
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AccountsError("recovery codes: set up an authenticator app first")
        codes = _issue_recovery_codes(user)
        record_event(
            actor=actor,
            action="accounts.second_factor.recovery_codes_replaced",
            target=user,
            via=via,
            details={"recovery_codes": len(codes)},
        )
    return codes


def reset_second_factor(user: Any, *, actor: Any, via: str) -> int:
    """Lost phone: remove the person's app and recovery codes, so that they set up a new app
    at their next sign-in (and their sessions verified with the old one no longer count).
    Returns how many devices were removed."""
    if actor is not None and not may_manage_sign_in(actor, user):
        raise AccountsError(f"user: you may not reset the sign-in codes of {user}")
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
        record_event(
            actor=actor,
            action="accounts.second_factor.reset",
            target=user,
            via=via,
            details={"devices_removed": removed},
        )
    return removed
