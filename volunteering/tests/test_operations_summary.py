"""The one-page PDF summary of a closed incident (WeasyPrint) holds its figures from the records and
is linked from the figures page; outside the scope it is a 404."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Region
from people.models import Trade
from people.services import create_person, set_skill
from tests.cast import login
from volunteering.incidents import services as inc
from volunteering.models import Answer, CallOutAnswer, EquipmentItem, Specialty
from volunteering.operations import services

pytestmark = pytest.mark.django_db


def _closed_incident(cast: Any) -> Any:
    a = cast.region_a
    incident = inc.open_incident(
        actor=cast.city, title="台风烟花抢险", kind="typhoon", started=timezone.now(), areas=[a]
    )
    need = inc.create_need(
        actor=cast.city,
        incident=incident,
        region=a,
        place="宁波阿帕奇电器科技股份有限公司",
        enterprise="宁波阿帕奇电器科技股份有限公司",
        specialty=Specialty.objects.get(code="electric"),
        people_needed=2,
    )
    people = []
    for name in ("电工甲", "电工乙"):
        p = create_person(actor=None, region=a, name=name, status="working", gender="M")
        set_skill(actor=None, person=p, trade=Trade.objects.get(code="01"), grade="3", specialties="")
        people.append(p)
    callout = inc.send_callout(actor=cast.city, need=need, person_ids=[p.pk for p in people])
    CallOutAnswer.objects.filter(callout=callout).update(answer=Answer.YES, answered_at=timezone.now())
    for p, machines in zip(people, (7, 6), strict=True):
        d = services.dispatch_person(actor=cast.city, need=need, person=p)
        services.check_in(actor=cast.city, dispatch=d)
        services.check_out(actor=cast.city, dispatch=d, problems_solved=2, machines_repaired=machines, people_served=30)
    pump = EquipmentItem.objects.create(
        name="排水泵", kind="pump", owner="鄞州区总工会", place="仓库", district=a, count_held=9
    )
    loan = services.lend_equipment(actor=cast.city, item=pump, need=need, count=4)
    services.return_equipment(actor=cast.city, loan=loan, count=4)
    return services.close_incident(actor=cast.city, incident=incident)


def test_summary_pdf_is_a_real_pdf_with_the_figures(cast: Any) -> None:
    incident = _closed_incident(cast)
    url = reverse("volunteering:operations_figures", args=[incident.pk])
    client = login(Client(), cast.city)
    page = client.get(url).content.decode()
    assert "?format=pdf" in page
    r = client.get(url, {"format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", "-"], input=r.content, capture_output=True, check=True).stdout.decode()  # noqa: S607
    assert "Pages:           1" in info
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils on PATH
        input=r.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "台风烟花抢险" in text and "应急服务工作总结" in text and "已结束" in text
    assert "宁波阿帕奇电器科技股份有限公司" in text
    flat = " ".join(text.split())
    assert "参与工匠 2" in flat  # two craftsmen
    assert "修复设备 13" in flat  # 7 + 6 machines
    assert "解决问题 4" in flat and "服务职工 60" in flat and "调出物资 4" in flat
    assert "受影响区域：鄞州区" in flat
    assert "排水泵" in text


def test_summary_pdf_outside_scope_is_404(cast: Any) -> None:
    incident = _closed_incident(cast)
    url = reverse("volunteering:operations_figures", args=[incident.pk])
    assert login(Client(), cast.district_b).get(url, {"format": "pdf"}).status_code == 404
    assert isinstance(cast.region_a, Region)
