"""Who is calling: a bearer API token (scripts, GP systems) or the pages' own session.

The session counts only with Django's CSRF check on unsafe methods, so another site cannot
make a signed-in browser post to the API. An anonymous request gets 401 (not a CSRF 403).
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from linkwell.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return user_for_token(token)


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # not signed in: 401, whatever the CSRF token
        return super()._get_key(request)  # CSRF checked for unsafe methods

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        return request.user if key and request.user.is_authenticated else None


SIGNED_IN = [TokenAuth(), SessionAuth()]


def caller(request: HttpRequest) -> Any:
    """The signed-in user the operation acts for (set by one of SIGNED_IN)."""
    return request.auth  # type: ignore[attr-defined]
