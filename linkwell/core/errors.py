"""Error pages, and their JSON twins for the API: a client of /api/ never gets HTML back.

Django answers an unknown address, a refused request and a crash with its own pages; these
handlers (config/urls.py) answer in the API's shape, `{"detail": ...}`, for paths under
/api/, and with the site's pages everywhere else. A 500 never shows a stack trace.

Each page (templates 400, 403, 404, 500.html) says what happened and what to do, and gives a
way back: staff to their own home page, everyone else to finding support. A refused form
(CSRF_FAILURE_VIEW) is a 403 page too, never Django's bare "Forbidden".
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    """Whether the client is a program, which reads JSON, not a person reading pages."""
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str, **headers: str) -> JsonResponse:
    """The API's error shape (`{"detail": ...}`), for errors met before any API view runs."""
    response = JsonResponse({"detail": detail}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


# Staff's own home page (the landing page for every role); "/" until it is there.
STAFF_HOME = "referrals:staff_home"


def way_back(request: HttpRequest) -> dict[str, str]:
    """Where an error page sends the reader on: signed-in staff to their home page, everyone
    else to finding support. Never fails: an error page must not raise an error of its own."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        try:
            url = reverse(STAFF_HOME)
        except NoReverseMatch:
            url = "/"
        return {"url": url, "label": str(_("Go to your Linkwell home page"))}
    try:
        url = reverse("directory:home")
    except NoReverseMatch:
        url = "/"
    return {"url": url, "label": str(_("Find local help and support"))}


def error_page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    """An error page in the site's layout, with the way back."""
    return render(request, template, {"way_back": way_back(request), **context}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(400, "The request could not be read.")
    return error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(403, str(exception) or "Not allowed.")
    return error_page(request, "403.html", 403)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused because its security token was missing or old (settings
    CSRF_FAILURE_VIEW): the 403 page, saying what most likely happened and what to do."""
    if is_api(request):
        return api_error(403, f"CSRF check failed: {reason}" if reason else "CSRF check failed.")
    return error_page(request, "403.html", 403, form_refused=True)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(
            404, f"Nothing is at {request.path}: see /api/v1/docs for the API's addresses."
        )
    return error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html is rendered with no request context: it must show even when the database
    (sessions, the signed-in user) is what failed."""
    if is_api(request):
        return api_error(500, "Something went wrong on our side. It is logged; try again later.")
    return defaults.server_error(request)


def json_method_not_allowed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an API view so its 405 (plain text from django-ninja) is JSON like the rest."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            return api_error(
                405,
                f"{request.method} is not allowed here; allowed: {allowed}.",
                Allow=allowed,
            )
        return response

    return wrapped
