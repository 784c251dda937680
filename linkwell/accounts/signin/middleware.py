"""Two checks on every request of a signed-in person, before any view.

`SessionTimeoutMiddleware` signs out a session idle for SESSION_IDLE_MINUTES or older than
SESSION_MAX_HOURS. Activity is written into the session at most once a minute, as each write
is a database update. `SecondStepMiddleware`: until the code is given (or the app set up), the
person is signed in to nothing: pages send them to the second step, the API sees no one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import ngettext

from linkwell.accounts.signin import actions
from linkwell.accounts.signin.steps import SecondStep, pending_second_step

SIGNED_IN_AT = "linkwell_signed_in_at"
LAST_ACTIVITY = "linkwell_last_activity"
ACTIVITY_WRITTEN_EVERY = 60  # seconds


def stamp_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On `user_logged_in`: the clock for both timeouts starts now."""
    if getattr(request, "session", None) is not None:
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:  # a session from before the timeouts: its clock starts now
            session[SIGNED_IN_AT] = session[LAST_ACTIVITY] = now
            return
        last = session.get(LAST_ACTIVITY, signed_in_at)
        if now - signed_in_at >= settings.SESSION_MAX_HOURS * 3600:
            self.sign_out(request, "absolute", settings.SESSION_MAX_HOURS)
        elif now - last >= settings.SESSION_IDLE_MINUTES * 60:
            self.sign_out(request, "idle", settings.SESSION_IDLE_MINUTES)
        elif now - last >= ACTIVITY_WRITTEN_EVERY:
            session[LAST_ACTIVITY] = now

    def sign_out(self, request: HttpRequest, reason: str, limit: int) -> None:
        """Sign out, and carry on as a signed-out visitor: a page that needs signing in sends
        them to the sign-in page, which says why (a message kept in a cookie, as the session
        is gone)."""
        actions.record_timeout(request.user, reason=reason, limit=limit, via=request.path[:255])
        logout(request)
        if reason == "idle":
            text = ngettext(
                "You were signed out after %(n)d minute without activity, to keep people's "
                "details safe. Sign in again to carry on.",
                "You were signed out after %(n)d minutes without activity, to keep people's "
                "details safe. Sign in again to carry on.",
                limit,
            )
        else:
            text = ngettext(
                "You were signed out because you had been signed in for %(n)d hour. Sign in "
                "again to carry on.",
                "You were signed out because you had been signed in for %(n)d hours. Sign in "
                "again to carry on.",
                limit,
            )
        messages.info(request, text % {"n": limit}, extra_tags="signed-out")


class SecondStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def step_urls(self) -> dict[SecondStep, str]:
        return {
            SecondStep.VERIFY: reverse("two_step_verify"),
            SecondStep.SET_UP: reverse("two_step_set_up"),
        }

    @cached_property
    def open_paths(self) -> frozenset[str]:
        """Where someone half signed in may go: the steps, signing in again or out."""
        return frozenset([*self.step_urls.values(), reverse("login"), reverse("logout")])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        step = pending_second_step(user)
        if not step:
            return self.get_response(request)
        # Signed in to nothing: the steps' own views find the person in `signing_in`.
        request.signing_in = user  # type: ignore[attr-defined]
        request.user = anonymous()
        path = request.path_info
        static = "/" + settings.STATIC_URL.lstrip("/")
        if path in self.open_paths or path.startswith(("/i18n/", "/api/", static)):
            return self.get_response(request)
        return redirect_to_login(
            request.get_full_path(), self.step_urls[step], redirect_field_name="next"
        )


def anonymous() -> AnonymousUser:
    """A signed-out user, as django-otp's middleware would have left one."""
    user = AnonymousUser()
    user.otp_device = None  # type: ignore[attr-defined]
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    return user
