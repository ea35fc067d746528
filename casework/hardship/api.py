"""casework.hardship: API endpoints (added to ``casework/api.py``'s router, under ``/api/casework/``)."""

from ninja import Router

router = Router()
