"""Signing in through the pages, as a person does: the password, then the code from their app.

Tests of the sign-in rules use these, never `force_login` (which the root conftest turns into a
fully verified sign-in for the tests of everything else).
"""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from linkwell.accounts.tests.personas import PASSWORD

ADDRESS = "192.0.2.10"  # documentation range (RFC 5737)
OTHER_ADDRESS = "198.51.100.20"


def password_step(
    client: Client,
    username: str,
    password: str = PASSWORD,
    *,
    address: str = ADDRESS,
    next_url: str | None = None,
):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def code_step(client: Client, code: str, *, next_url: str | None = None, address: str = ADDRESS):
    url = reverse("two_step_verify") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"code": code}, REMOTE_ADDR=address)


def code_now(device: Any) -> str:
    """The code the person's authenticator app shows at this moment."""
    device.refresh_from_db()
    step = (int(time.time()) - device.t0) // device.step
    if step <= device.last_t:  # this step's code is spent: apps show the next one soon
        step = device.last_t + 1
    value = totp(device.bin_key, device.step, device.t0, device.digits, step - _now_step(device))
    return f"{value:0{device.digits}d}"


def _now_step(device: Any) -> int:
    return (int(time.time()) - device.t0) // device.step


def give_authenticator(user: Any) -> tuple[Any, list[str]]:
    """Set up an authenticator app for `user` the way the set-up page does: (device, codes)."""
    from linkwell.accounts.signin import devices

    device = devices.authenticator_to_set_up(user)
    codes = devices.confirm_authenticator(user, device, code_now(device), via="test")
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def signed_in_fully(client: Client, url: str = "/referrals/") -> bool:
    """Can this client open a page that needs a full sign-in (not just the password)?"""
    return client.get(url).status_code == 200
