"""The one JSON API. Open Referral UK endpoints sit at its root (/api/v1/)."""

from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI

from linkwell.core.api_input import StrictParser
from linkwell.core.errors import json_method_not_allowed
from linkwell.directory.api import errors as api_errors
from linkwell.directory.api import router as directory_router
from linkwell.intelligence.api import router as hub_router
from linkwell.matching.api import router as matching_router
from linkwell.outcomes.api import router as instruments_router
from linkwell.places.api import router as places_router
from linkwell.referrals.api import errors as referral_api_errors
from linkwell.referrals.api.batches import router as batches_router
from linkwell.referrals.api.cases import router as cases_router
from linkwell.referrals.api.fhir import router as fhir_router
from linkwell.referrals.api.notifications import router as notifications_router
from linkwell.referrals.api.people import router as people_router
from linkwell.referrals.api.referrals import router as referrals_router


class LinkwellAPI(NinjaAPI):
    """Every answer is JSON: also a method an address does not take (405)."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = json_method_not_allowed(pattern.callback)
        return patterns, app_name, namespace


api = LinkwellAPI(
    title="Linkwell API",
    version="1",
    description=(
        "Open Referral UK 3.0 feed of the partnership's directory at the root, plus place "
        "look-ups: anonymous read access, CORS open. Referrals, people, cases and "
        "notifications: signed in only, with a bearer token (`linkwell create_api_token "
        "USERNAME`) or the pages' session (with its CSRF token for changes); each caller "
        "sees only what the policies allow, and every read of a person's record is audited."
    ),
    urls_namespace="api-v1",
    parser=StrictParser(),
)
api.add_router("/places/", places_router)
api.add_router("/people/", people_router)
api.add_router("/referrals/", fhir_router)
api.add_router("/referrals/", batches_router)
api.add_router("/referrals/", referrals_router)
api.add_router("/cases/", cases_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/hub/", hub_router)
api.add_router("/", matching_router)
api.add_router("/", instruments_router)
api.add_router("/", directory_router)
api_errors.register(api)
referral_api_errors.register(api)
