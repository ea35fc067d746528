"""REST API under ``/api/trips/``: each part's endpoints (journeys, checkups)."""

from ninja import Router

from trips.checkups import api as checkups_api
from trips.journeys import api as journeys_api

router = Router(tags=["trips"])
router.add_router("", journeys_api.router)
router.add_router("", checkups_api.router)
