"""Reads shared by core's pages and API: the signed-in user's own in-app messages (消息中心), and
the city this installation serves.

A message belongs to its recipient alone: there is no region scope to widen it, so staff with
全部数据权限 see only their own messages too, and anyone else's message does not exist (404)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from core.models import Notification, Region, RegionKind


def inbox_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app messages, newest first (text messages and e-mail never show here)."""
    qs = Notification.objects.filter(recipient_id=user.pk, channel=Notification.Channel.INAPP)
    if unread_only:
        qs = qs.exclude(status=Notification.Status.READ)
    return qs.order_by("-created", "-pk")


def unread_count(user: Any) -> int:
    """One COUNT query; 0 for anonymous visitors (no query at all)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_for_user(user, unread_only=True).count()


def get_message(user: Any, pk: int) -> Notification:
    """The access function for one message: someone else's (or a text message) is 404."""
    note = inbox_for_user(user).filter(pk=pk).first()
    if note is None:
        raise Http404
    return note


# --- the city this installation serves --------------------------------------------------------------


def home_city() -> Region:
    """The city region named by ``LAOMO_CITY_CODE`` (the root of everything the association sees)."""
    return Region.objects.get(code=settings.LAOMO_CITY_CODE, kind=RegionKind.CITY)


def city_prefix_pattern() -> str:
    """A regular expression for the province and city names people write before a district
    (浙江省宁波市鄞州区, 宁波鄞州区), built from the region tree, not from code."""
    city = home_city()
    names = {city.name, city.short_name, city.name.removesuffix("市")} - {""}
    province = city.parent
    province_names = {province.name, province.short_name} - {""} if province else set()
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    province_part = "|".join(re.escape(n) for n in sorted(province_names, key=len, reverse=True))
    return rf"^({province_part})?({alternatives})" if province_part else rf"^({alternatives})"
