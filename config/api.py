"""The one JSON API. Open Referral UK endpoints sit at its root (/api/v1/)."""

from ninja import NinjaAPI

from linkwell.directory import api_errors
from linkwell.directory.api import router as directory_router
from linkwell.places.api import router as places_router

api = NinjaAPI(
    title="Linkwell API",
    version="1",
    description=(
        "Open Referral UK 3.0 feed of the partnership's directory at the root, plus place "
        "look-ups. Anonymous read access; CORS open."
    ),
    urls_namespace="api-v1",
)
api.add_router("/places/", places_router)
api.add_router("/", directory_router)
api_errors.register(api)
