"""Regions over REST, scoped: city staff get the whole tree, district staff their own subtree,
everyone else an empty one. A region outside the caller's scope does not exist (404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from core.models import Region
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


class RegionOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    former_codes: str
    active: bool
    parent_id: int | None
    ancestors: list[RegionNode]
    children: list[RegionNode]


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
