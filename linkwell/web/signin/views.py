"""The sign-in pages: password, code (or setting up an app), recovery codes, the account page.

Thin: the steps' rules are in `steps`, changes and audit in `actions` and `devices`.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from linkwell.accounts.policies import must_use_second_factor
from linkwell.accounts.signin import actions, devices
from linkwell.accounts.signin.lockout import client_address
from linkwell.accounts.signin.steps import (
    SecondStep,
    demo_password_alone,
    has_authenticator,
    is_verified,
    mark_verified,
    second_step_for,
)
from linkwell.web.signin.forms import CodeForm, SetUpCodeForm
from linkwell.web.staff_home.landing import staff_home_url

CODES_TO_SHOW = "linkwell_recovery_codes_to_show"
STEP_URL_NAMES = {SecondStep.VERIFY: "two_step_verify", SecondStep.SET_UP: "two_step_set_up"}


def _next_url(request: HttpRequest) -> str:
    """The page asked for before signing in, if it is on this site; else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _with_next(url_name: str, next_url: str) -> str:
    """The page's address, carrying `next` on (readable, as Django's own redirects write it)."""
    url = reverse(url_name)
    if not next_url:
        return url
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{url}?{query.urlencode(safe='/')}"


class SignInView(LoginView):
    """The password step. Locked accounts and addresses are refused by django-axes (its
    backend comes first) and shown the locked-out page by its middleware."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "failure_limit": settings.SIGNIN_FAILURE_LIMIT,
        }

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        # A password step always leads to a code step: no code given earlier still counts.
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        auth_login(self.request, user)  # a new session id; the timeouts' clock starts
        step = second_step_for(user)
        actions.record_sign_in(
            user, second_step=step, address=client_address(self.request), via="sign-in page"
        )
        next_url = self.get_redirect_url()
        if step:
            return HttpResponseRedirect(_with_next(STEP_URL_NAMES[step], next_url))
        return HttpResponseRedirect(next_url or staff_home_url(user))

    def form_invalid(self, form: Any) -> HttpResponse:
        request = self.request
        if getattr(request, "axes_updated", False):  # a password was checked (or refused)
            if not request.axes_locked_out:
                outcome = "failed"
            elif request.axes_failures_since_start is not None:
                outcome = "locked_out"  # this failure reached the limit
            else:
                outcome = "refused_locked"
            actions.record_failed_sign_in(
                form.data.get("username", ""),
                outcome=outcome,
                failures=request.axes_failures_since_start,
                address=request.axes_ip_address,
                via="sign-in page",
            )
        return super().form_invalid(form)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): what to do, not just "no"."""
    minutes = settings.SIGNIN_COOLOFF_MINUTES
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the app, or a recovery code."""
    user = getattr(request, "signing_in", None)
    next_url = _next_url(request)
    if user is None:
        if request.user.is_authenticated:  # nothing (more) to do
            return HttpResponseRedirect(next_url or staff_home_url(request.user))
        return redirect_to_login(next_url or reverse("directory:home"))
    if second_step_for(user) == SecondStep.SET_UP:
        return HttpResponseRedirect(_with_next("two_step_set_up", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = devices.check_code(
            user, form.cleaned_data["code"], via="sign-in page", address=client_address(request)
        )
        if result.device is not None:
            mark_verified(request, user, result.device)
            return HttpResponseRedirect(next_url or staff_home_url(user))
        form.add_error("code", _code_refusal(result))
    return render(
        request, "registration/second_step.html", {"form": form, "next": next_url, "person": user}
    )


def _code_refusal(result: devices.CodeCheck) -> str:
    if result.wait_seconds:
        return ngettext(
            "Too many wrong codes. Wait %(n)d second, then enter the code your app shows.",
            "Too many wrong codes. Wait %(n)d seconds, then enter the code your app shows.",
            result.wait_seconds,
        ) % {"n": result.wait_seconds}
    if result.method == "recovery_code":
        return _(
            "That recovery code is not right, or was used before. Enter the 6-digit code your "
            "authenticator app shows now, or another recovery code."
        )
    return _(
        "The code is not right. Enter the 6-digit code your authenticator app shows now, or "
        "one of your recovery codes."
    )


@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code.
    Someone who has an app but has not given its code may not set up another: whoever knew
    the password could otherwise put their own phone in its place."""
    user = getattr(request, "signing_in", None) or request.user
    next_url = _next_url(request)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if has_authenticator(user) and not is_verified(user):
        return HttpResponseRedirect(_with_next("two_step_verify", next_url))
    device = devices.authenticator_to_set_up(user)
    form = SetUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = devices.confirm_authenticator(
            user, device, form.cleaned_data["code"], via="set-up page"
        )
        if codes is not None:
            device.refresh_from_db()
            mark_verified(request, user, device)
            request.session[CODES_TO_SHOW] = codes
            return HttpResponseRedirect(_with_next("recovery_codes", next_url))
        form.add_error(
            "code",
            _(
                "The code is not right. Enter the 6-digit code the app shows now for "
                "Linkwell. If it is still refused, check your phone sets its time automatically."
            ),
        )
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/set_up.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "required": must_use_second_factor(user),
            "replacing": has_authenticator(user),
        },
    )


def _qr_svg(text: str) -> str:
    """The QR code as inline SVG: no image request, no inline style (the CSP allows none)."""
    svg = segno.make(text, error="m").svg_inline(scale=5, border=4, omitsize=True, svgclass="qr")
    return mark_safe(svg)  # noqa: S308 (made here from our own URL, no user input in markup)


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: not kept anywhere we could show them again."""
    codes = request.session.pop(CODES_TO_SHOW, None)
    if not codes:
        return redirect("account")
    next_url = _next_url(request)
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "continue_url": next_url or staff_home_url(request.user)},
    )


@require_POST
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not has_authenticator(request.user):
        return redirect("account")
    codes = devices.replace_recovery_codes(request.user, actor=request.user, via="account page")
    request.session[CODES_TO_SHOW] = codes
    return redirect("recovery_codes")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The person's own account: how they sign in, and what they can change."""
    user = request.user
    app = has_authenticator(user)
    return render(
        request,
        "registration/account.html",
        {
            "has_app": app,
            "codes_left": devices.recovery_codes_left(user) if app else 0,
            "required": must_use_second_factor(user),
            "demo_exception": demo_password_alone(user),
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Django's default landing address: sent on to the page for the person's role."""
    return HttpResponseRedirect(staff_home_url(request.user))
