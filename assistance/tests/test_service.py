from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assistance import selectors, services
from assistance.models import HelpRequest, Invitation, InvitationStatus, Status, VisitPerson
from assistance.tests import factories as f
from core.errors import DomainError
from core.models import Notification
from people.models import Person
from people.services import create_person, mark_deceased, merge_people, update_person

pytestmark = pytest.mark.django_db


def test_accept_by_text_message_link(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        inv = f.invited(cast)
    mobile, text = sms[-1]
    assert mobile == cast.person_a.mobile
    full_link = text.split(" ")[-1]
    link = urlsplit(full_link).path  # the site's address: see test_invitation_contact.py
    assert link.startswith("/assistance/i/")
    client = Client()  # not signed in: the signed link is enough
    page = client.get(link)
    assert page.status_code == 200 and "绕线机断线频繁" in page.content.decode()
    assert "13805749999" not in page.content.decode()  # the requester's mobile is not shown
    client.post(link, {"answer": "accept", "note": "周三可去"})
    inv.refresh_from_db()
    assert (inv.status, inv.answer_note) == (InvitationStatus.ACCEPTED, "周三可去")
    assert HelpRequest.objects.get(pk=inv.request_id).status == Status.IN_SERVICE
    client.post(link, {"answer": "decline"})
    inv.refresh_from_db()
    assert inv.status == InvitationStatus.ACCEPTED  # answered once
    assert client.get(link[:-3] + "xx/").status_code == 404  # tampered


def test_decline_from_portal_page(cast: Any, client_for: Any) -> None:
    inv = f.invited(cast)
    assert (
        client_for("worker_b")
        .post(reverse("assistance:my_invitation_answer", args=[inv.pk]), {"answer": "accept"})
        .status_code
        == 404
    )
    client_for("worker_a").post(
        reverse("assistance:my_invitation_answer", args=[inv.pk]), {"answer": "decline", "note": "出差"}
    )
    inv.refresh_from_db()
    request = HelpRequest.objects.get(pk=inv.request_id)
    assert (inv.status, request.status) == (InvitationStatus.DECLINED, Status.ACCEPTED)


def test_team_invitation_and_lead(cast: Any) -> None:
    r = f.accepted_request(cast)
    invs = services.invite_people(actor=cast.city, request=r, people=[cast.person_a, cast.person_b], lead=cast.person_b)
    assert [(i.person.name, i.is_lead) for i in invs] == [("万亚勇", False), ("单秀英", True)]
    assert [e.text for e in r.events.all()][-1] == "邀请万亚勇、单秀英参加集体会诊"
    with pytest.raises(DomainError, match="已邀请过万亚勇"):
        services.invite_people(actor=cast.city, request=r, people=[cast.person_a])


def test_reminders_then_escalation(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    inv = f.invited(cast)
    now = timezone.now()
    Invitation.objects.filter(pk=inv.pk).update(invited_at=now - dt.timedelta(hours=47))
    assert services.send_reminders(now=now) == {"reminded": 0, "escalated": 0}
    Invitation.objects.filter(pk=inv.pk).update(invited_at=now - dt.timedelta(hours=49))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=now) == {"reminded": 1, "escalated": 0}
    assert sms[-1][1].startswith("【劳模工匠服务】万亚勇您好，宁波测试电缆有限公司的技术帮扶邀请还在等您答复")
    assert services.send_reminders(now=now + dt.timedelta(hours=23)) == {"reminded": 0, "escalated": 0}
    assert services.send_reminders(now=now + dt.timedelta(hours=25)) == {"reminded": 1, "escalated": 1}
    assert services.send_reminders(now=now + dt.timedelta(hours=50)) == {"reminded": 0, "escalated": 0}
    told = Notification.objects.filter(template_code="assistance.unanswered").values_list(
        "recipient__username", flat=True
    )
    assert list(told) == ["district_a"]
    inv.refresh_from_db()
    assert inv.reminders_sent == 2


def test_visit_needs_accepted_people(cast: Any) -> None:
    r = f.in_service(cast)
    with pytest.raises(DomainError, match="单秀英未接受本需求的邀请"):
        services.record_visit(
            actor=cast.city,
            request=r,
            date=timezone.localdate(),
            work_done="x",
            participants=[(cast.person_b, Decimal(2))],
        )
    with pytest.raises(DomainError, match="上门日期不能晚于今天"):
        services.record_visit(
            actor=cast.city,
            request=r,
            date=timezone.localdate() + dt.timedelta(days=1),
            work_done="x",
            participants=[(cast.person_a, Decimal(2))],
        )


def _served(
    cast: Any,
    *,
    district: Any,
    org: str,
    code: str,
    created_days_ago: int,
    visit_days: list[int],
    people: list[Any],
    hours: str,
    outcome: dict[str, int],
    rating: int | None,
    category: str = "equipment",
) -> HelpRequest:
    r = f.make_request(cast, district=district, org_name=org, category=category)
    HelpRequest.objects.filter(pk=r.pk).update(
        credit_code=code, created=timezone.now() - dt.timedelta(days=created_days_ago)
    )
    r = services.accept_request(actor=cast.city, request=r)
    for inv in services.invite_people(actor=cast.city, request=r, people=people, unreachable_confirmed=True):
        services.answer_invitation(actor=None, invitation=inv, accept=True)
    today = timezone.localdate()
    for days_after in visit_days:
        services.record_visit(
            actor=cast.city,
            request=r,
            date=today - dt.timedelta(days=created_days_ago - days_after),
            work_done="现场指导",
            participants=[(p, Decimal(hours)) for p in people],
        )
    services.record_outcome(actor=cast.city, request=r, solved=True, summary="", **outcome)  # type: ignore[arg-type]
    if rating:
        services.rate_request(actor=cast.requester, request=r, rating=rating)
    return HelpRequest.objects.get(pk=r.pk)


def test_outcome_figures_equal_sums_of_records(cast: Any, client_for: Any) -> None:
    extra = create_person(actor=None, region=cast.region_b, name="王工", status="working", gender="M")
    one = _served(
        cast,
        district=cast.region_a,
        org="宁波市林工艺品有限公司",
        code="A1",
        created_days_ago=10,
        visit_days=[2, 5],
        people=[cast.person_a, cast.person_b],
        hours="4",
        outcome={"problems_solved": 3, "workers_trained": 8, "workers_served": 20, "equipment_repaired": 1},
        rating=5,
    )
    _served(
        cast,
        district=cast.region_b,
        org="浙江人和光伏科技有限公司",
        code="B2",
        created_days_ago=6,
        visit_days=[4],
        people=[cast.person_a, cast.person_b, extra],
        hours="2.5",
        outcome={"problems_solved": 2, "workers_trained": 0, "workers_served": 15, "equipment_repaired": 4},
        rating=4,
        category="energy",
    )
    # Same enterprise again: one more request, not one more enterprise.
    _served(
        cast,
        district=cast.region_a,
        org="宁波市林工艺品有限公司",
        code="A1",
        created_days_ago=3,
        visit_days=[1],
        people=[cast.person_a],
        hours="1",
        outcome={"problems_solved": 1, "workers_trained": 2, "workers_served": 2, "equipment_repaired": 0},
        rating=None,
    )
    f.make_request(cast)  # open, not yet served
    dup = f.make_request(cast)
    services.merge_request(actor=cast.city, request=dup, into=one)

    fig = selectors.figures(HelpRequest.objects.all())
    visits = VisitPerson.objects.all()
    assert fig.requests == 4
    assert fig.done == 3
    assert fig.enterprises_helped == 2
    assert fig.problems_solved == 6 == sum(r.problems_solved for r in HelpRequest.objects.filter(status=Status.DONE))
    assert fig.person_visits == 2 * 2 + 3 + 1 == visits.count()
    assert fig.experts == 3
    assert fig.hours == Decimal("8") * 2 + Decimal("7.5") + Decimal("1")
    assert (fig.workers_trained, fig.workers_served, fig.equipment_repaired) == (10, 37, 5)
    assert fig.avg_days_to_first_visit == round((2 + 4 + 1) / 3, 1)
    assert (fig.satisfaction, fig.rated) == (4.5, 2)

    # District staff see their district's part only; the page and the export show the same numbers.
    fig_a = selectors.figures(selectors.requests_for_user(cast.district_a))
    assert (fig_a.requests, fig_a.problems_solved, fig_a.person_visits, fig_a.experts) == (3, 4, 5, 2)
    by = {r["name"]: r for r in selectors.figures_by(HelpRequest.objects.all(), "district")}
    assert by["鄞州区"] == {"name": "鄞州区", "requests": 3, "done": 2, "problems": 4, "trained": 10}
    assert by["海曙区"] == {"name": "海曙区", "requests": 1, "done": 1, "problems": 2, "trained": 0}
    page = client_for("city").get(reverse("assistance:figures"))
    assert page.context["f"] == fig
    export = client_for("city").get(reverse("assistance:figures_export"))

    ws = load_workbook(BytesIO(export.content)).active
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]}
    assert (values["需求数"], values["解决难题数"], values["上门人次"], values["平均满意度(5分制)"]) == (4, 6, 8, 4.5)

    # A person's services page lists what they served.
    served = client_for("city").get(reverse("assistance:person_services", args=[extra.pk])).context["rows"]
    assert [(i.request.org_name, i.visits, i.hours) for i in served] == [
        ("浙江人和光伏科技有限公司", 1, Decimal("2.5"))
    ]


def test_rating_only_by_requester_after_done(cast: Any) -> None:
    r = f.with_visit(cast)
    with pytest.raises(DomainError, match="当前为“服务中”"):
        services.rate_request(actor=cast.requester, request=r, rating=5)
    services.record_outcome(
        actor=cast.city,
        request=r,
        solved=True,
        problems_solved=1,
        workers_trained=0,
        workers_served=0,
        equipment_repaired=0,
        summary="",
        measures=[services.MeasureData("产线人数", "人", Decimal(8), Decimal(4))],
    )
    with pytest.raises(DomainError, match="只有提出需求的单位可以评价"):
        services.rate_request(actor=cast.city, request=r, rating=5)
    with pytest.raises(DomainError, match="评分应为1到5分"):
        services.rate_request(actor=cast.requester, request=r, rating=6)
    services.rate_request(actor=cast.requester, request=r, rating=4, comment="很专业")
    r.refresh_from_db()
    assert (r.rating, r.rating_comment, [(m.label, m.before, m.after) for m in r.measures.all()]) == (
        4,
        "很专业",
        [("产线人数", Decimal("8.00"), Decimal("4.00"))],
    )


def test_days_to_first_visit_count_local_days_at_any_hour(cast: Any) -> None:
    """A request made at 01:00 in Ningbo (17:00 UTC the day before) and first visited the next
    local day waited one day, not two: dates are read in local time whatever the hour."""
    r = f.make_request(cast)
    made = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)  # 2026-03-02 01:00 in Asia/Shanghai
    HelpRequest.objects.filter(pk=r.pk).update(created=made, first_visit_on=dt.date(2026, 3, 3))
    assert selectors.figures(HelpRequest.objects.filter(pk=r.pk)).avg_days_to_first_visit == 1


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("deceased", "已去世，不能邀请"),
        ("moved_away", "已迁出本市，不能邀请"),
        ("merged", "的记录已合并到另一条记录，请邀请合并后的记录"),
    ],
)
def test_inviting_someone_gone_is_refused_with_the_reason(cast: Any, change: str, problem: str) -> None:
    request = f.accepted_request(cast)
    person = cast.person_a
    stale = Person.objects.get(pk=person.pk)  # as the page that chose them loaded it
    if change == "deceased":
        mark_deceased(actor=cast.city, person=person, date=dt.date(2026, 1, 5))
    elif change == "moved_away":
        update_person(actor=cast.city, person=person, status="moved_away")
    else:
        twin = create_person(actor=None, region=cast.region_a, name=person.name, gender=person.gender)
        merge_people(actor=cast.city, keep=twin, duplicate=person)
    with pytest.raises(DomainError) as refused:
        services.invite_people(actor=cast.city, request=request, people=[stale])
    assert str(refused.value.message) == f"{person.name}{problem}"
    assert not Invitation.objects.filter(request=request).exists()
