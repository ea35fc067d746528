"""REST API under ``/api/casework/``: each part's endpoints (hardship, petitions)."""

from casework.parts import PARTS

router = PARTS.router()
