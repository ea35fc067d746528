"""The parts of volunteering, in order; its menu, permissions, urls, api, home, hooks, reference and demo
modules join theirs (see ``core.extensions.Parts``)."""

from core.extensions import Parts

PARTS = Parts("volunteering", ("teams", "incidents", "operations"))
