"""The registry's part of a model worker's own page (我的服务)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from people import extensions as people_points
from people.history import Item, Section
from people.selectors import honours_of


@people_points.person_history
def portal_sections(*, user: Any, person: Any) -> list[Section]:
    """我的荣誉: every honour the registry holds for the person, newest first."""
    items = [
        Item(
            title=_("%(year)s年 %(title)s") % {"year": h.year, "title": h.title},
            lines=[
                line
                for line in [
                    h.awarding_body,
                    _("证书编号：%(n)s") % {"n": h.certificate_no} if h.certificate_no else "",
                ]
                if line
            ],
        )
        for h in honours_of(user, person)
    ]
    return [Section(title=_("我的荣誉"), items=items, order=10, empty_text=_("协会还没有登记您的荣誉"))]
