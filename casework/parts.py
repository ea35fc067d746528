"""The parts of casework, in order; its menu, permissions, urls, api, home, hooks, reference and demo
modules join theirs (see ``core.extensions.Parts``)."""

from core.extensions import Parts

PARTS = Parts("casework", ("hardship", "petitions"))
