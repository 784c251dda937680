"""The one JSON API. Open Referral UK endpoints sit at its root (/api/v1/)."""

from ninja import NinjaAPI

from linkwell.directory import api_errors
from linkwell.directory.api import router as directory_router
from linkwell.places.api import router as places_router
from linkwell.referrals.api import errors as referral_api_errors
from linkwell.referrals.api.batches import router as batches_router
from linkwell.referrals.api.cases import router as cases_router
from linkwell.referrals.api.fhir import router as fhir_router
from linkwell.referrals.api.notifications import router as notifications_router
from linkwell.referrals.api.people import router as people_router
from linkwell.referrals.api.referrals import router as referrals_router

api = NinjaAPI(
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
)
api.add_router("/places/", places_router)
api.add_router("/people/", people_router)
api.add_router("/referrals/", fhir_router)
api.add_router("/referrals/", batches_router)
api.add_router("/referrals/", referrals_router)
api.add_router("/cases/", cases_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/", directory_router)
api_errors.register(api)
referral_api_errors.register(api)
