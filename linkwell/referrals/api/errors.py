"""How the referral API answers a refusal, in the shape the rest of the API uses
(`linkwell.directory.api.errors`): `{"detail": "field: reason", "errors": [{"parameter",
"reason"}]}`, where `parameter` names the field (or the rule) refused.

- 400: bad input (`errors.Refused`), including a FHIR bundle's element (`BundleRefused`);
- 401: not signed in; 403: the record is visible but the move is not the caller's;
- 404: not yours and missing alike (raised by the routers);
- 409: the request conflicts with the record's state: a move not allowed from its status,
  no place left, no consent to share, or a possible duplicate person (with the ids of the
  candidates the caller may open, and whether others are possibly known elsewhere).
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from linkwell.referrals.errors import NoConsent, NoPlaceLeft, PossibleDuplicate, Refused
from linkwell.referrals.fhir.incoming import BundleRefused
from linkwell.referrals.lifecycle import TransitionRefused


def refusal(field: str, message: str) -> dict[str, Any]:
    field = field or "request"
    return {"detail": f"{field}: {message}", "errors": [{"parameter": field, "reason": message}]}


def refusal_of(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The status and body answering a refusal: for a whole request, or for one item of a
    batch (the same words either way)."""
    if isinstance(exc, PossibleDuplicate):
        body = refusal(exc.field, exc.message)
        body["detail"] = (
            exc.message + " If they are someone else, send confirm_new: true to register them "
            "(the new record is flagged for review)."
        )
        body["candidates"] = [str(p.pk) for p in exc.candidates]  # only those you may open
        body["known_elsewhere"] = exc.known_elsewhere
        return 409, body
    if isinstance(exc, NoConsent | NoPlaceLeft):
        body = refusal(exc.field, exc.message)
        body["detail"] = exc.message  # the rule, in words
        return 409, body
    if isinstance(exc, Refused):
        return 400, refusal(exc.field, exc.message)
    if isinstance(exc, TransitionRefused):
        body = refusal("status", str(exc))
        body["detail"] = str(exc)
        return 409, body
    if isinstance(exc, BundleRefused):
        errors = [{"parameter": path, "reason": why} for path, why in exc.errors]
        return exc.status, {"detail": str(exc), "errors": errors}
    if isinstance(exc, PermissionDenied):
        return 403, {"detail": str(exc) or "Not allowed."}
    raise TypeError(f"not a refusal: {exc!r}")


REFUSAL_TYPES = (Refused, TransitionRefused, BundleRefused, PermissionDenied)


def register(api: NinjaAPI) -> None:
    """Install the handlers on the API (called from config/api.py)."""

    def on_refusal(request: HttpRequest, exc: Exception) -> HttpResponse:
        status, body = refusal_of(exc)
        return api.create_response(request, body, status=status)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request, {"detail": "Sign in, or send 'Authorization: Bearer TOKEN'."}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="linkwell"'
        return response

    for kind in REFUSAL_TYPES:
        api.add_exception_handler(kind, on_refusal)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)


T = TypeVar("T")


def found_or_404(item: T | None, what: str) -> T:
    """A record the caller may see, or 404 alike for "not yours" and "does not exist"."""
    if item is None:
        from ninja.errors import HttpError

        raise HttpError(404, f"No {what} you may see has this id.")
    return item
