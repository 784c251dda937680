"""/api/v1/hub/: the hub's figures for partners' own tools. Analysts and partnership admins
only (others 403, anonymous 401); aggregates only, small counts suppressed as on the pages."""

from ninja import Router

from linkwell.intelligence.api.indicators import router as indicators_router
from linkwell.intelligence.api.provision import router as provision_router
from linkwell.intelligence.api.spend import router as spend_router
from linkwell.referrals.api.auth import SIGNED_IN

router = Router(auth=SIGNED_IN, tags=["Hub"])
router.add_router("", provision_router)
router.add_router("", spend_router)
router.add_router("", indicators_router)
