"""trips.journeys: API endpoints (added to ``trips/api.py``'s router, under ``/api/trips/``)."""

from ninja import Router

router = Router()
