"""REST API under ``/api/casework/``: each part's endpoints (hardship, petitions)."""

from ninja import Router

from casework.hardship import api as hardship_api
from casework.petitions import api as petitions_api

router = Router(tags=["casework"])
router.add_router("", hardship_api.router)
router.add_router("", petitions_api.router)
