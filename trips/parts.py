"""The parts of trips, in order; its menu, permissions, urls, api, home, hooks, reference and demo
modules join theirs (see ``core.extensions.Parts``)."""

from core.extensions import Parts

PARTS = Parts("trips", ("journeys", "checkups"))
