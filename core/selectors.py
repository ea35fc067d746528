"""Reads shared by core's pages and API: the signed-in user's own in-app messages (消息中心).

A message belongs to its recipient alone: there is no region scope to widen it, so staff with
全部数据权限 see only their own messages too, and anyone else's message does not exist (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from core.models import Notification


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
