"""系统管理 → 荣誉称号 / 工种: the registry's catalogues."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.models import AuditEntry
from people.models import HonourTitle, Trade


def test_honour_title_catalogue(cast: Any, client_for: Any) -> None:
    client = client_for("sysadmin")
    data = {
        "name": "宁波市技能大师",
        "kind": "craftsman",
        "level": "city",
        "enjoys_level": "",
        "awarding_body": "宁波市人力社保局",
        "aliases": "技能大师， 市技能大师",
        "sort": "50",
        "active": "on",
    }
    assert client.post(reverse("people:honour_title_create"), data).status_code == 302
    title = HonourTitle.objects.get(name="宁波市技能大师")
    assert (title.aliases, title.active, title.for_collectives) == ("技能大师,市技能大师", True, False)
    clash = client.post(reverse("people:honour_title_create"), data | {"name": "另一个", "aliases": "市劳模"})
    assert clash.context["form"].errors["aliases"] == ["“市劳模”已是称号“宁波市劳动模范”的名称或别名，导入时会无法区分"]
    same = client.post(
        reverse("people:honour_title_create"), data | {"name": "乙", "aliases": "", "enjoys_level": "city"}
    )
    assert same.context["form"].errors["enjoys_level"] == ["享受待遇级别与称号级别相同时请留空"]
    edit = client.post(
        reverse("people:honour_title_edit", args=[title.pk]), data | {"enjoys_level": "provincial", "active": ""}
    )
    assert edit.status_code == 302
    title.refresh_from_db()
    assert (title.enjoys_level, title.effective_level, title.active) == ("provincial", "provincial", False)
    assert AuditEntry.objects.get(action="people.honour_title.updated").changes == {
        "enjoys_level": ["", "provincial"],
        "active": [True, False],
    }
    listed = client.get(reverse("people:honour_titles"), {"q": "技能大师"})
    assert [t.name for t in listed.context["page"].object_list] == ["宁波市技能大师"]


def test_trade_catalogue(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    assert (
        client.post(
            reverse("people:trade_create"), {"code": "99", "name": "无人机驾驶员", "category": "新职业"}
        ).status_code
        == 302
    )
    trade = Trade.objects.get(code="99")
    taken = client.post(reverse("people:trade_create"), {"code": "98", "name": "无人机驾驶员"})
    assert taken.context["form"].errors["name"] == ["工种“无人机驾驶员”已存在"]
    client.post(
        reverse("people:trade_edit", args=[trade.pk]),
        {"code": "99", "name": "无人机操控员", "category": "新职业", "sort": "5"},
    )
    trade.refresh_from_db()
    assert (trade.name, trade.sort) == ("无人机操控员", 5)
    assert AuditEntry.objects.get(action="people.trade.updated").changes == {
        "name": ["无人机驾驶员", "无人机操控员"],
        "sort": [0, 5],
    }
