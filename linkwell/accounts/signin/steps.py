"""What is left to do to sign in, after the password: nothing, the code, or setting up an app.

Whoever has an authenticator app set up gives its code; whoever must have one (policies:
`must_use_second_factor`) and has none sets one up first. Demo staff skip both, but only in
development (settings.DEVELOPMENT), never otherwise.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from linkwell.accounts.policies import must_use_second_factor


class SecondStep(StrEnum):
    NONE = ""
    VERIFY = "verify"  # enter the code from the app, or a recovery code
    SET_UP = "set_up"  # set up an app first


def has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def demo_password_alone(user: Any) -> bool:
    """Demo staff (with their published password) skip the code in development only."""
    return bool(settings.DEVELOPMENT and getattr(user, "is_demo", False))


def second_step_for(user: Any) -> SecondStep:
    """The step after a right password, for `user` (whatever their session holds)."""
    if demo_password_alone(user):
        return SecondStep.NONE
    if has_authenticator(user):
        return SecondStep.VERIFY
    if must_use_second_factor(user):
        return SecondStep.SET_UP
    return SecondStep.NONE


def is_verified(user: Any) -> bool:
    """Did this session's user give a code (django-otp's OTPMiddleware knows)?"""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def pending_second_step(user: Any) -> SecondStep:
    """The step this request's user still owes; NONE when fully signed in (or signed out)."""
    if user is None or not user.is_authenticated or is_verified(user):
        return SecondStep.NONE
    return second_step_for(user)


def mark_verified(request: Any, user: Any, device: Any) -> None:
    """The session has given a code: a new session id for the greater power, then the device
    is recorded as django-otp's own `login` does."""
    request.session.cycle_key()
    request.user = user
    otp_login(request, device)
