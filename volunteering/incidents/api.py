"""volunteering.incidents: API endpoints (added to ``volunteering/api.py``'s router, under ``/api/volunteering/``)."""

from ninja import Router

router = Router()
