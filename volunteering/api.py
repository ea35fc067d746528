"""REST API under ``/api/volunteering/``: each part's endpoints (teams, incidents, operations)."""

from ninja import Router

from volunteering.incidents import api as incidents_api
from volunteering.operations import api as operations_api
from volunteering.teams import api as teams_api

router = Router(tags=["volunteering"])
router.add_router("", teams_api.router)
router.add_router("", incidents_api.router)
router.add_router("", operations_api.router)
