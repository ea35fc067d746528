"""Operations through the API (/api/volunteering/…): dispatch, check-in/out, lend/return, close,
the live board and the equipment ledger; the rules answered as 409 with their message, replays
with the same Idempotency-Key changing nothing, scope (404), bounded parameters. Also: a dispatch
tells the person (in-app + SMS, link to the phone task page); the 待办 of uncovered needs; the
closing figures of a district's part."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.todo import todo_for
from people.models import Trade
from people.services import create_person, set_skill
from tests.cast import login
from volunteering.incidents import services as inc
from volunteering.models import Answer, CallOutAnswer, Dispatch, EquipmentItem, EquipmentLoan, Specialty
from volunteering.operations import selectors, services

pytestmark = pytest.mark.django_db

API = "/api/volunteering"


def _person(region: Any, name: str, mobile: str = "") -> Any:
    p = create_person(actor=None, region=region, name=name, status="working", gender="M", mobile=mobile)
    set_skill(actor=None, person=p, trade=Trade.objects.get(code="01"), grade="3", specialties="")
    return p


def _post(client: Client, url: str, body: dict[str, Any] | None = None, key: str = "k") -> Any:
    return client.post(f"{API}{url}", body or {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture
def s(cast: Any) -> dict[str, Any]:
    a, b = cast.region_a, cast.region_b
    electric = Specialty.objects.get(code="electric")
    incident = inc.open_incident(
        actor=cast.city, title="台风烟花", kind="typhoon", started=timezone.now(), areas=[a, b]
    )

    def need(region: Any, place: str, n: int) -> Any:
        return inc.create_need(
            actor=cast.city,
            incident=incident,
            region=region,
            place=place,
            enterprise=place,
            specialty=electric,
            people_needed=n,
        )

    need_a, need_a2, need_b = need(a, "某电机厂", 2), need(a, "某纺织厂", 1), need(b, "某港口", 1)
    yes, no = _person(a, "电工甲", "13805749901"), _person(a, "电工乙")
    yes_b = _person(b, "电工丙")
    callout = inc.send_callout(actor=cast.city, need=need_a, person_ids=[yes.pk, no.pk])
    callout_b = inc.send_callout(actor=cast.city, need=need_b, person_ids=[yes_b.pk])
    for c, p, answer in ((callout, yes, Answer.YES), (callout, no, Answer.NO), (callout_b, yes_b, Answer.YES)):
        CallOutAnswer.objects.filter(callout=c, person=p).update(answer=answer, answered_at=timezone.now())
    pumps = EquipmentItem.objects.create(
        name="排水泵", kind="pump", owner="鄞州区总工会", place="仓库", district=a, count_held=3
    )
    return {
        "incident": incident,
        "need": need_a,
        "need2": need_a2,
        "need_b": need_b,
        "yes": yes,
        "no": no,
        "yes_b": yes_b,
        "pumps": pumps,
    }


def test_dispatch_api_rules_and_replay(cast: Any, s: dict[str, Any]) -> None:
    city = login(Client(), cast.city)
    url = f"/needs/{s['need'].pk}/dispatches"
    refused = _post(city, url, {"person_id": s["no"].pk}, key="d0")
    assert refused.status_code == 409 and "去不了" in refused.json()["detail"]
    first = _post(city, url, {"person_id": s["yes"].pk}, key="d1")
    assert first.status_code == 201 and first.json()["status"] == "sent"
    again = _post(city, url, {"person_id": s["yes"].pk}, key="d1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    busy = _post(city, f"/needs/{s['need2'].pk}/dispatches", {"person_id": s["yes"].pk}, key="d2")
    assert busy.status_code == 409 and "另一任务" in busy.json()["detail"]
    assert Dispatch.objects.count() == 1
    missing = _post(city, url, {"person_id": s["yes"].pk}, key="")
    assert missing.status_code == 422 and "Idempotency-Key" in missing.json()["detail"]
    # 海曙 staff do not see 鄞州's need: 404, nothing written
    other = _post(login(Client(), cast.district_b), url, {"person_id": s["yes"].pk}, key="d3")
    assert other.status_code == 404
    unknown = _post(city, url, {"person_id": 2**31 - 1}, key="d4")
    assert unknown.status_code == 404


def test_dispatch_tells_the_person_with_a_link(cast: Any, s: dict[str, Any]) -> None:
    person = cast.person_a
    callout = inc.send_callout(actor=cast.city, need=s["need2"], person_ids=[person.pk])
    CallOutAnswer.objects.filter(callout=callout, person=person).update(answer=Answer.YES)
    before = Notification.objects.count()
    d = services.dispatch_person(actor=cast.city, need=s["need2"], person=person)
    link = reverse("volunteering:operations_my_tasks")
    told = Notification.objects.order_by("id")[before:]
    assert sorted((n.channel, n.recipient_id, n.address) for n in told) == [
        ("inapp", cast.worker_a.pk, ""),
        ("sms", None, person.mobile),
    ]
    inapp = next(n for n in told if n.channel == "inapp")
    sms = next(n for n in told if n.channel == "sms")
    assert inapp.link == link and link in sms.body and "某纺织厂" in sms.body
    assert inapp.related_id == str(d.pk)


def test_uncovered_needs_are_a_todo_for_dispatchers(cast: Any, s: dict[str, Any]) -> None:
    def count(user: Any) -> int:
        return sum(i.count for i in todo_for(user) if i.label.startswith("应急需求"))

    assert count(cast.city) == 3
    assert count(cast.district_a) == 2
    assert count(cast.district_b) == 1
    assert count(cast.worker_a) == 0
    services.dispatch_person(actor=cast.city, need=s["need_b"], person=s["yes_b"])  # covers 某港口 (1 needed)
    assert count(cast.district_b) == 0


def test_check_in_out_by_the_person_and_close(cast: Any, s: dict[str, Any]) -> None:
    person = cast.person_a
    callout = inc.send_callout(actor=cast.city, need=s["need"], person_ids=[person.pk])
    CallOutAnswer.objects.filter(callout=callout, person=person).update(answer=Answer.YES)
    d = services.dispatch_person(actor=cast.city, need=s["need"], person=person)
    worker = login(Client(), cast.worker_a)
    tasks = worker.get(f"{API}/tasks").json()
    assert [t["id"] for t in tasks] == [d.pk]
    early = _post(worker, f"/tasks/{d.pk}/check-out", {"problems_solved": 1}, key="o0")
    assert early.status_code == 409 and "签到" in early.json()["detail"]
    assert _post(worker, f"/tasks/{d.pk}/check-in", key="i1").json()["status"] == "onsite"
    # nobody else's phone reaches the task
    assert _post(login(Client(), cast.worker_b), f"/tasks/{d.pk}/check-in", key="i2").status_code == 404
    city = login(Client(), cast.city)
    on_site = _post(city, f"/incidents/{s['incident'].pk}/close", key="c1")
    assert on_site.status_code == 409 and "现场" in on_site.json()["detail"]
    too_many = _post(worker, f"/tasks/{d.pk}/check-out", {"machines_repaired": 10**6}, key="o1")
    assert too_many.status_code == 422
    out = _post(
        worker,
        f"/tasks/{d.pk}/check-out",
        {"problems_solved": 3, "machines_repaired": 12, "people_served": 40, "notes": "更换电机 12 台"},
        key="o2",
    )
    assert out.status_code == 200 and out.json()["machines_repaired"] == 12
    closed = _post(city, f"/incidents/{s['incident'].pk}/close", key="c2")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_lend_and_return_api(cast: Any, s: dict[str, Any]) -> None:
    staff = login(Client(), cast.district_a)
    url = f"/needs/{s['need'].pk}/loans"
    lent = _post(staff, url, {"item_id": s["pumps"].pk, "count": 2}, key="l1")
    assert lent.status_code == 201 and lent.json()["outstanding"] == 2
    beyond = _post(staff, url, {"item_id": s["pumps"].pk, "count": 2}, key="l2")
    assert beyond.status_code == 409 and "只剩 1" in beyond.json()["detail"]
    assert _post(staff, url, {"item_id": s["pumps"].pk, "count": 0}, key="l3").status_code == 422
    replay = _post(staff, url, {"item_id": s["pumps"].pk, "count": 2}, key="l1")
    assert replay.json()["id"] == lent.json()["id"] and EquipmentLoan.objects.count() == 1
    s["pumps"].refresh_from_db()
    assert s["pumps"].count_out == 2
    # 海曙 staff neither see the pumps nor 鄞州's loan
    other = login(Client(), cast.district_b)
    assert _post(other, f"/loans/{lent.json()['id']}/return", {"count": 1}, key="r0").status_code == 404
    back = _post(staff, f"/loans/{lent.json()['id']}/return", {"count": 3}, key="r1")
    assert back.status_code == 409
    back = _post(staff, f"/loans/{lent.json()['id']}/return", {"count": 2}, key="r2")
    assert back.status_code == 200 and back.json()["outstanding"] == 0 and back.json()["returned_at"]
    history = staff.get(f"{API}/equipment/{s['pumps'].pk}/loans").json()
    assert [(h["count"], h["returned"]) for h in history] == [(2, 2)]
    assert other.get(f"{API}/equipment/{s['pumps'].pk}/loans").status_code == 404


def test_board_and_ledger_api_scoped_and_bounded(cast: Any, s: dict[str, Any]) -> None:
    services.dispatch_person(actor=cast.city, need=s["need"], person=s["yes"])
    services.dispatch_person(actor=cast.city, need=s["need_b"], person=s["yes_b"])
    services.lend_equipment(actor=cast.city, item=s["pumps"], need=s["need"], count=1)
    pk = s["incident"].pk
    city = login(Client(), cast.city).get(f"{API}/incidents/{pk}/board").json()
    assert city["needs"] == {"open": 2, "covered": 1, "total": 3}
    assert city["people"]["dispatched"] == 2 and city["equipment_out"] == 1
    assert [d["district"] for d in city["districts"]] == sorted(["鄞州区", "海曙区"])
    a = login(Client(), cast.district_a).get(f"{API}/incidents/{pk}/board").json()
    assert a["needs"]["total"] == 2 and a["people"]["dispatched"] == 1
    assert [d["district"] for d in a["districts"]] == ["鄞州区"]
    assert login(Client(), cast.worker_a).get(f"{API}/incidents/{pk}/board").status_code == 403
    ledger = login(Client(), cast.district_a)
    rows = ledger.get(f"{API}/equipment?out=true").json()
    assert [(r["name"], r["count_out"], r["available"]) for r in rows] == [("排水泵", 1, 2)]
    assert login(Client(), cast.district_b).get(f"{API}/equipment").json() == []
    assert ledger.get(f"{API}/equipment?limit=100000").status_code == 422
    assert ledger.get(f"{API}/equipment?offset=-1").status_code == 422


def _finish(cast: Any, need: Any, person: Any, machines: int) -> None:
    d = services.dispatch_person(actor=cast.city, need=need, person=person)
    services.check_in(actor=cast.city, dispatch=d)
    services.check_out(actor=cast.city, dispatch=d, problems_solved=1, machines_repaired=machines, people_served=10)


def test_district_figures_are_their_part(cast: Any, s: dict[str, Any]) -> None:
    _finish(cast, s["need"], s["yes"], 7)
    _finish(cast, s["need_b"], s["yes_b"], 5)
    services.lend_equipment(actor=cast.city, item=s["pumps"], need=s["need_b"], count=2)
    incident = s["incident"]
    assert selectors.machines_repaired(incident) == 12
    assert selectors.machines_repaired(incident, cast.region_a) == 7
    assert selectors.equipment_sent(incident, region=cast.region_a) == 0
    assert selectors.equipment_sent(incident, region=cast.region_b) == 2
    url = reverse("volunteering:operations_figures", args=[incident.pk])

    def figures(name: str) -> dict[str, int]:
        return dict(login(Client(), getattr(cast, name)).get(url).context["rows"])

    assert figures("city")["修复设备"] == 12 and figures("city")["参与工匠"] == 2
    assert figures("district_a")["修复设备"] == 7 and figures("district_a")["调出物资"] == 0
    assert figures("district_b")["修复设备"] == 5 and figures("district_b")["调出物资"] == 2
    sheet = login(Client(), cast.district_a).get(url + "?format=xlsx")
    values = [c for row in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values for c in row]
    assert "鄞州区" in str(values[0]) and 7 in values and 12 not in values
    api = login(Client(), cast.district_b).get(f"{API}/incidents/{incident.pk}/figures").json()
    assert api["region"] == "海曙区" and api["machines_repaired"] == 5


def test_ledger_excel_and_item_history_page(cast: Any, s: dict[str, Any]) -> None:
    services.lend_equipment(actor=cast.city, item=s["pumps"], need=s["need"], count=2)
    staff = login(Client(), cast.district_a)
    sheet = staff.get(reverse("volunteering:operations_equipment") + "?format=xlsx")
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    assert rows[-1][0] == "排水泵" and rows[-1][2:] == ("鄞州区总工会", "仓库", "鄞州区", 3, 2, 1)
    page = staff.get(reverse("volunteering:operations_equipment_loans", args=[s["pumps"].pk]))
    assert page.status_code == 200 and "某电机厂" in page.content.decode()
    assert [loan.count for loan in page.context["page"]] == [2]
