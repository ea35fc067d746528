"""Technical help figures for the staff home page (scoped)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from assistance import selectors
from assistance.models import HelpRequest
from core import extensions as core_points
from core.home import Card
from core.permissions import has_perm


@core_points.cards
def cards(user: Any) -> list[Card]:
    if not has_perm(user, "assistance.view"):
        return []
    f = selectors.figures(HelpRequest.objects.visible_to(user))
    url = reverse("assistance:figures")
    return [
        Card(_("技术帮扶需求"), f"{f.requests:,}", url, _("已办结 %(n)s 件") % {"n": f"{f.done:,}"}),
        Card(_("帮扶企业"), f"{f.enterprises_helped:,}", url, _("解决难题 %(n)s 个") % {"n": f"{f.problems_solved:,}"}),
    ]
