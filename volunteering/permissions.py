"""Role -> permissions: the union of each part's (teams, incidents, operations)."""

from volunteering.parts import PARTS

PERMISSIONS = PARTS.permissions()
