"""Signing in through the browser as staff do: the password, then the code their app shows.

Someone without an app sets one up on the way, reading the key off the set-up page as a person
types it into their phone; someone with one types the code it shows now, computed from the
app's key. No test shortcut: the browser tests go through the same pages as everyone.
"""

from __future__ import annotations

import base64
import re
import time

from django_otp.oath import totp
from playwright.sync_api import Page, expect

TOTP_STEP = 30  # seconds; django-otp's default, as the set-up page tells the app


def sign_in(page: Page, username: str, password: str, next_url: str) -> None:
    """Sign in (signing out whoever was signed in) and arrive at `next_url`."""
    sign_out = page.get_by_role("button", name=re.compile("Sign out"))
    if sign_out.count():
        sign_out.first.click()
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/set-up/" in page.url:
        set_up_app(page)
    elif "/accounts/verify/" in page.url:
        enter_code(page, username)


def set_up_app(page: Page) -> list[str]:
    """On the set-up page: "scan" the key, enter the app's first code, keep the recovery
    codes and carry on. Returns the recovery codes."""
    key = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(app_code(base64.b32decode(key)))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    codes = page.locator("code.recovery-code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name=re.compile("I have saved my recovery codes")).click()
    return codes


def enter_code(page: Page, username: str) -> None:
    """On the code page: the code the person's app shows now."""
    page.get_by_label("Code").fill(current_code(username))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/verify/" not in url)


def app_code(key: bytes, step: int | None = None) -> str:
    """What an authenticator app with this key shows at time step `step` (default now)."""
    now = int(time.time()) // TOTP_STEP
    return f"{totp(key, TOTP_STEP, 0, 6, (step if step is not None else now) - now):06d}"


def current_code(username: str) -> str:
    """The app's code for `username`, as their phone shows it. A code is accepted once: signing
    in twice within 30 seconds takes the next one, which the server accepts a step early; a
    third time waits for the clock, as a person would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    while True:
        now = int(time.time()) // TOTP_STEP
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return app_code(device.bin_key, step)
        time.sleep(TOTP_STEP - time.time() % TOTP_STEP + 0.1)
