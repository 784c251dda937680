"""The hub's one door: a signed-in caller who may see the hub, else 403."""

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError

from linkwell.intelligence.policies import may_view_hub
from linkwell.referrals.api.auth import caller


def hub_caller(request: HttpRequest) -> Any:
    user = caller(request)
    if not may_view_hub(user):
        raise HttpError(403, "The hub is for analysts and partnership admins.")
    return user
