"""REST API under ``/api/volunteering/``: each part's endpoints (teams, incidents, operations)."""

from volunteering.parts import PARTS

router = PARTS.router()
