"""Error pages, and their JSON twins for the API: a client of /api/ never gets HTML back.

Django answers an unknown address, a refused request and a crash with its own pages; these
handlers (config/urls.py) answer in the API's shape, `{"detail": ...}`, for paths under
/api/, and with the site's pages everywhere else. A 500 never shows a stack trace.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

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


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(400, "The request could not be read.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(403, str(exception) or "Not allowed.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(
            404, f"Nothing is at {request.path}: see /api/v1/docs for the API's addresses."
        )
    return defaults.page_not_found(request, exception)


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
