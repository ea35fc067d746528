"""Role -> permissions: the union of each part's (hardship, petitions)."""

from casework.parts import PARTS

PERMISSIONS = PARTS.permissions()
