"""core over REST.

Regions, scoped: city staff get the whole tree, district staff their own subtree, everyone else an
empty one. A region outside the caller's scope does not exist (404).

Messages (消息中心): the caller's own in-app messages, read through ``core.selectors`` and marked
read through ``core.notify``, as on the pages; anyone else's message does not exist (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from core import notify, selectors
from core.models import Notification, Region
from core.scope import regions_visible_to

router = Router(tags=["regions"])


class RegionNode(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    active: bool
    children: list[RegionNode] = []


RegionNode.model_rebuild()


class RegionOut(RegionNode):
    """A region with its place in the tree: its ancestors (from the top) and its visible children."""

    former_codes: str
    parent_id: int | None
    ancestors: list[RegionNode]


def _node(region: Region) -> dict[str, Any]:
    return {
        "id": region.pk,
        "code": region.code,
        "name": region.name,
        "short_name": region.short_name,
        "kind": region.kind,
        "kind_label": str(region.get_kind_display()),
        "active": region.active,
        "children": [],
    }


def region_tree(user: Any) -> list[dict[str, Any]]:
    """The regions ``user`` may see as a forest: one query, nested by parent, ordered by path and sort."""
    regions = list(regions_visible_to(user).order_by("path"))
    nodes = {r.pk: _node(r) for r in regions}
    roots: list[dict[str, Any]] = []
    for region in regions:
        parent = nodes.get(region.parent_id) if region.parent_id else None
        (parent["children"] if parent else roots).append(nodes[region.pk])
    order = {r.pk: (r.sort, r.code) for r in regions}

    def sort(items: list[dict[str, Any]]) -> None:
        items.sort(key=lambda n: order[n["id"]])
        for item in items:
            sort(item["children"])

    sort(roots)
    return roots


@router.get("/regions", response=list[RegionNode], url_name="regions", summary="区域树（本人可见范围）")
def list_regions(request: HttpRequest) -> Any:
    return region_tree(request.auth)  # type: ignore[attr-defined]


@router.get("/regions/{region_id}", response=RegionOut, url_name="region", summary="区域详情")
def region_detail(request: HttpRequest, region_id: int) -> Any:
    visible = regions_visible_to(request.auth)  # type: ignore[attr-defined]
    region = visible.filter(pk=region_id).first()
    if region is None:
        raise Http404
    codes = [c for c in region.path.split(".") if c][:-1]
    ancestors = sorted(Region.objects.filter(code__in=codes), key=lambda r: r.path)
    children = visible.filter(parent=region).order_by("sort", "code")
    return {
        **_node(region),
        "former_codes": region.former_codes,
        "parent_id": region.parent_id,
        "ancestors": [_node(r) for r in ancestors],
        "children": [_node(r) for r in children],
    }


# --- 消息中心 ---------------------------------------------------------------------------------


class MessageOut(Schema):
    id: int
    created: dt.datetime
    subject: str
    body: str
    link: str = Field(description="站内链接（可能为空）")
    read: bool
    related_type: str
    related_id: str


class MessagePage(Schema):
    count: int
    unread: int = Field(description="全部未读消息数（不受筛选与分页影响）")
    page: int
    page_size: int
    items: list[MessageOut]


class MessageQueryIn(Schema):
    unread: bool = Field(False, description="只列未读消息")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class ReadAllOut(Schema):
    marked: int
    unread: int


def _message(note: Notification) -> dict[str, Any]:
    return {
        "id": note.pk,
        "created": note.created,
        "subject": note.subject,
        "body": note.body,
        "link": note.link,
        "read": note.status == Notification.Status.READ,
        "related_type": note.related_type,
        "related_id": note.related_id,
    }


@router.get(
    "/messages", response=MessagePage, url_name="messages", summary="我的站内消息（最新在前，分页）", tags=["messages"]
)
def list_messages(request: HttpRequest, filters: Query[MessageQueryIn]) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    qs = selectors.inbox_for_user(user, unread_only=filters.unread)
    start = (filters.page - 1) * filters.page_size
    return {
        "count": qs.count(),
        "unread": selectors.unread_count(user),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_message(n) for n in qs[start : start + filters.page_size]],
    }


@router.post(
    "/messages/read-all", response=ReadAllOut, url_name="messages_read_all", summary="全部标为已读", tags=["messages"]
)
def read_all_messages(request: HttpRequest) -> dict[str, int]:
    user = request.auth  # type: ignore[attr-defined]
    return {"marked": notify.mark_all_read(user=user), "unread": selectors.unread_count(user)}


@router.get(
    "/messages/{message_id}", response=MessageOut, url_name="message", summary="一条站内消息", tags=["messages"]
)
def message_detail(request: HttpRequest, message_id: int) -> dict[str, Any]:
    return _message(selectors.get_message(request.auth, message_id))  # type: ignore[attr-defined]


@router.post(
    "/messages/{message_id}/read", response=MessageOut, url_name="message_read", summary="标为已读", tags=["messages"]
)
def read_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    note = selectors.get_message(user, message_id)
    notify.mark_read(user=user, notification=note)
    return _message(note)
