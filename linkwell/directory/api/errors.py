"""Error responses of the API: every bad parameter is a 400 naming the parameter and why."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from linkwell.core.untrusted_json import UntrustedJSONError
from linkwell.directory.api.params import BadParameter
from linkwell.places.queries import PlaceNotUnderstood

LOCATIONS = {"query", "path", "header", "cookie", "body", "form"}


def bad_parameters(
    api: NinjaAPI, request: HttpRequest, errors: list[dict[str, Any]]
) -> HttpResponse:
    """`{"detail": "page: must be ...", "errors": [{"parameter", "reason"}]}` with status 400."""
    detail = "; ".join(f"{e['parameter']}: {e['reason']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


def _reason(error: dict[str, Any]) -> str:
    reason = str(error.get("msg") or "is not valid").removeprefix("Value error, ")
    value = error.get("input")
    if isinstance(value, str | int | float) and error.get("type") != "missing":
        reason = f"{value!r}: {reason}"
    return reason


def _parameter(error: dict[str, Any]) -> str:
    """Where the error is: a parameter's name, or a body field's path (`referrals.3.reason`)."""
    loc = [str(p) for p in error.get("loc", ())]
    if len(loc) > 2 and loc[0] == "body":
        loc = loc[2:]  # after the location and the name of the view's body argument
    loc = [p for p in loc if p not in LOCATIONS]
    return ".".join(loc) if loc else "request"


def register(api: NinjaAPI) -> None:
    """Install the handlers on the API (called from config/api.py)."""

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"parameter": _parameter(e), "reason": _reason(e)} for e in exc.errors]
        return bad_parameters(api, request, errors)

    def on_bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
        return bad_parameters(api, request, [{"parameter": exc.parameter, "reason": exc.reason}])

    def on_place_not_understood(request: HttpRequest, exc: PlaceNotUnderstood) -> HttpResponse:
        return bad_parameters(api, request, [{"parameter": "postcode", "reason": str(exc)}])

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja wraps every failure to read a body in HttpError(400): say why.
        cause = exc.__cause__
        if isinstance(cause, UntrustedJSONError):
            return bad_parameters(
                api, request, [{"parameter": cause.path or "body", "reason": cause.reason}]
            )
        if isinstance(cause, RequestDataTooBig):
            return on_too_big(request, cause)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        reason = f"is larger than {limit} bytes"
        return api.create_response(
            request,
            {"detail": f"body: {reason}", "errors": [{"parameter": "body", "reason": reason}]},
            status=413,
        )

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(BadParameter, on_bad_parameter)
    api.add_exception_handler(PlaceNotUnderstood, on_place_not_understood)
