"""The equipment ledger page: items with held / out counts (out in red); create and edit an item; the
count held never drops below what is out; a district sees and edits only its own items."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from tests.cast import login
from volunteering.incidents import services as inc
from volunteering.models import EquipmentItem, Specialty
from volunteering.operations import services

pytestmark = pytest.mark.django_db


def test_create_list_and_edit_an_item(cast: Any) -> None:
    client = login(Client(), cast.district_a)
    r = client.post(
        reverse("volunteering:operations_equipment_new"),
        {
            "name": "排水泵",
            "kind": "pump",
            "owner": "鄞州区总工会",
            "place": "应急仓库",
            "district": cast.region_a.pk,
            "count_held": 5,
        },
    )
    assert r.status_code == 302
    item = EquipmentItem.objects.get(name="排水泵")
    assert (item.count_held, item.count_out, item.district) == (5, 0, cast.region_a)
    assert AuditEntry.objects.filter(action="volunteering.equipment.created").exists()
    incident = inc.open_incident(
        actor=None, title="台风", kind="typhoon", started=timezone.now(), areas=[cast.region_a]
    )
    need = inc.create_need(
        actor=None,
        incident=incident,
        region=cast.region_a,
        place="某厂",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=1,
    )
    services.lend_equipment(actor=None, item=item, need=need, count=3)
    page = client.get(reverse("volunteering:operations_equipment")).content.decode()
    assert '<span class="tag tag-danger">3</span>' in page and "排水泵" in page and "水泵" in page
    assert "登记物资" in page
    edit = reverse("volunteering:operations_equipment_edit", args=[item.pk])
    data = {
        "name": "排水泵",
        "kind": "pump",
        "owner": "鄞州区总工会",
        "place": "应急仓库",
        "district": cast.region_a.pk,
    }
    r = client.post(edit, {**data, "count_held": 2})
    assert r.status_code == 200 and "还有 3 件借出未还" in r.content.decode()
    item.refresh_from_db()
    assert item.count_held == 5
    assert client.post(edit, {**data, "count_held": 8}).status_code == 302
    item.refresh_from_db()
    assert item.count_held == 8
    other = login(Client(), cast.district_b)
    assert other.get(edit).status_code == 404
    assert "排水泵" not in other.get(reverse("volunteering:operations_equipment")).content.decode()
    r = other.post(reverse("volunteering:operations_equipment_new"), {**data, "count_held": 1})
    assert r.status_code == 200 and not EquipmentItem.objects.filter(count_held=1).exists()
