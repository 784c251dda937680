"""How the referral API answers a refusal, in the shape the rest of the API uses
(`linkwell.directory.api_errors`): `{"detail": "field: reason", "errors": [{"parameter",
"reason"}]}`, where `parameter` names the field (or the rule) refused.

- 400: bad input (`errors.Refused`), including a FHIR bundle's element (`BundleRefused`);
- 401: not signed in; 403: the record is visible but the move is not the caller's;
- 404: not yours and missing alike (raised by the routers);
- 409: the request conflicts with the record's state: a move not allowed from its status,
  no place left, no consent to share, or a possible duplicate person (with candidates' ids).
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


def register(api: NinjaAPI) -> None:
    """Install the handlers on the API (called from config/api.py)."""

    def answer(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return answer(request, refusal(exc.field, exc.message), 400)

    def on_conflict(request: HttpRequest, exc: Refused) -> HttpResponse:
        body = refusal(exc.field, exc.message)
        body["detail"] = exc.message  # the rule, in words
        return answer(request, body, 409)

    def on_duplicate(request: HttpRequest, exc: PossibleDuplicate) -> HttpResponse:
        body = refusal(exc.field, exc.message)
        body["detail"] = exc.message + " Send confirm_new: true to register them anyway."
        body["candidates"] = [str(p.pk) for p in exc.candidates]
        return answer(request, body, 409)

    def on_transition(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
        body = refusal("status", str(exc))
        body["detail"] = str(exc)
        return answer(request, body, 409)

    def on_bundle(request: HttpRequest, exc: BundleRefused) -> HttpResponse:
        errors = [{"parameter": path, "reason": why} for path, why in exc.errors]
        return answer(request, {"detail": str(exc), "errors": errors}, exc.status)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return answer(request, {"detail": str(exc) or "Not allowed."}, 403)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = answer(
            request, {"detail": "Sign in, or send 'Authorization: Bearer TOKEN'."}, 401
        )
        response["WWW-Authenticate"] = 'Bearer realm="linkwell"'
        return response

    api.add_exception_handler(Refused, on_refused)
    api.add_exception_handler(NoConsent, on_conflict)
    api.add_exception_handler(NoPlaceLeft, on_conflict)
    api.add_exception_handler(PossibleDuplicate, on_duplicate)
    api.add_exception_handler(TransitionRefused, on_transition)
    api.add_exception_handler(BundleRefused, on_bundle)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)


T = TypeVar("T")


def found_or_404(item: T | None, what: str) -> T:
    """A record the caller may see, or 404 alike for "not yours" and "does not exist"."""
    if item is None:
        from ninja.errors import HttpError

        raise HttpError(404, f"No {what} you may see has this id.")
    return item
