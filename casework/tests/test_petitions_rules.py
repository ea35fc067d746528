"""信访 deadline rules (hand-counted across Spring Festival and National Day 2021, working and
calendar days), the extension approver, 复查/复核 and handler transfers."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import (
    DeadlineKey,
    DeadlineRule,
    ExtensionStatus,
    PetitionCase,
    PetitionCategory,
    PetitionStage,
    PetitionStatus,
)
from casework.petitions import selectors, services
from core.errors import DomainError
from core.models import CalendarDay, Notification
from core.todo import todo_for
from core.workdays import MissingCalendarYear
from tests.cast import login, make_user

pytestmark = pytest.mark.django_db

D = dt.date


def _case(cast: Any, **kw: Any) -> PetitionCase:
    args = {"channel": "call", "name": "张三", "matter": "工资拖欠", "district": cast.region_a, "mobile": ""}
    return services.register_case(actor=cast.city, **(args | kw))


def _calendar_days(key: str) -> None:
    DeadlineRule.objects.filter(key=key).update(working_days=False)


# ---------------------------------------------------------------- deadlines, hand-counted


def test_defaults_are_the_regulation_in_working_days(cast: Any) -> None:
    rules = {r.key: (r.days, r.working_days) for r in DeadlineRule.objects.all()}
    assert rules == {
        "notice": (15, True),
        "handling": (60, True),
        "extension": (30, True),
        "review_request": (30, True),
        "review_answer": (30, True),
        "recheck_request": (30, True),
        "recheck_answer": (30, True),
    }
    assert set(PetitionCategory.objects.values_list("name", flat=True)) >= {"劳动就业", "劳模待遇", "其他"}


def test_notice_across_spring_festival_2021(cast: Any) -> None:
    # Received Mon 1 Feb. Working days after it: 2,3,4,5, Sun 7 (调休), 8,9,10 = 8; 11–17 off;
    # 18,19, Sat 20 (调休) = 11; 22,23,24,25 = 15 → Thu 25 Feb.
    case = _case(cast, received_on=D(2021, 2, 1))
    assert case.notice_due == D(2021, 2, 25)
    # Calendar days: 1 Feb + 15 = 16 Feb (in the holiday: calendar days do not care).
    _calendar_days(DeadlineKey.NOTICE)
    assert _case(cast, received_on=D(2021, 2, 1)).notice_due == D(2021, 2, 16)


def test_notice_across_national_day_2021(cast: Any) -> None:
    # Received Fri 24 Sep. Sun 26 (调休) 1, 27–30 = 5; 1–7 Oct off; 8 = 6, Sat 9 (调休) = 7;
    # 11–15 = 12; 18, 19, 20 = 15 → Wed 20 Oct.
    assert _case(cast, received_on=D(2021, 9, 24)).notice_due == D(2021, 10, 20)
    _calendar_days(DeadlineKey.NOTICE)
    assert _case(cast, received_on=D(2021, 9, 24)).notice_due == D(2021, 10, 9)


def test_handling_deadline_working_and_calendar_days(cast: Any) -> None:
    # Received Mon 1 Feb 2021; 60 working days. Feb: 2–5 (4), 7 (5), 8–10 (8), 18–19 (10), 20 (11),
    # 22–26 (16); Mar: 23 working days (1–31, no holiday) → 39; Apr: 1, 2 (41), 6–9 (45) [3–5 清明],
    # 12–16 (50), 19–23 (55), Sun 25 (调休 56), 26, 27, 28, 29 (60) → Thu 29 Apr.
    assert _case(cast, received_on=D(2021, 2, 1)).due == D(2021, 4, 29)
    _calendar_days(DeadlineKey.HANDLING)
    assert _case(cast, received_on=D(2021, 2, 1)).due == D(2021, 4, 2)  # 1 Feb + 60 days


def test_changing_a_rule_affects_new_cases_only(cast: Any) -> None:
    before = _case(cast, received_on=D(2021, 9, 24))
    services.save_rule(actor=cast.city, key=DeadlineKey.NOTICE, days=10, working_days=False)
    after = _case(cast, received_on=D(2021, 9, 24))
    before.refresh_from_db()
    assert (before.notice_due, after.notice_due) == (D(2021, 10, 20), D(2021, 10, 4))
    with pytest.raises(DomainError):
        services.save_rule(actor=cast.city, key=DeadlineKey.NOTICE, days=0, working_days=True)
    with pytest.raises(DomainError):
        services.save_rule(actor=cast.city, key="bogus", days=5, working_days=True)


def test_missing_calendar_year_is_a_clear_error_and_nothing_is_written(cast: Any) -> None:
    CalendarDay.objects.filter(date__year=2021).delete()
    with pytest.raises(MissingCalendarYear, match="2021"):
        _case(cast, received_on=D(2021, 2, 1))
    assert not PetitionCase.objects.exists()
    # with calendar-day rules no calendar is needed
    _calendar_days(DeadlineKey.NOTICE)
    _calendar_days(DeadlineKey.HANDLING)
    assert _case(cast, received_on=D(2021, 2, 1)).due == D(2021, 4, 2)


def test_missing_calendar_year_is_a_form_error(cast: Any, client: Any) -> None:
    CalendarDay.objects.filter(date__year=2021).delete()
    login(client, cast.district_a)
    response = client.post(
        reverse("casework:petitions_create"),
        {
            "channel": "call",
            "name": "李四",
            "district": cast.region_a.pk,
            "matter": "社保",
            "received_on": "2021-02-01",
        },
    )
    assert response.status_code == 200
    assert "工作日历缺少 2021 年" in response.content.decode()
    assert not PetitionCase.objects.exists()


# ---------------------------------------------------------------- extension with an approver


def test_extension_requested_then_approved_by_someone_else(cast: Any) -> None:
    case = _case(cast, received_on=D(2021, 9, 1))
    due = case.due
    with pytest.raises(DomainError):
        services.request_extension(actor=cast.district_a, case=case, days=31, reason="复杂")
    with pytest.raises(DomainError):
        services.request_extension(actor=cast.district_a, case=case, days=10, reason=" ")
    services.request_extension(actor=cast.district_a, case=case, days=5, reason="涉及多部门")
    case.refresh_from_db()
    assert case.due == due  # not yet
    assert Notification.objects.filter(recipient=cast.city, subject__contains="延期").exists()
    with pytest.raises(DomainError, match="一次"):
        services.request_extension(actor=cast.district_a, case=case, days=5, reason="再延")
    with pytest.raises(DomainError, match="本人"):
        services.decide_extension(actor=cast.district_a, case=case, approve=True)
    ext = services.decide_extension(actor=cast.city, case=case, approve=True, note="同意")
    assert ext.status == ExtensionStatus.APPROVED
    case.refresh_from_db()
    # 60 working days from Wed 1 Sep 2021: 2–3 (2), 6–10 (7), 13–17 (12), Sat 18 (调休, 13); 19–21 中秋
    # off; 22–24 (16), Sun 26 (调休, 17), 27–30 (21); 1–7 Oct off; 8 (22), Sat 9 (调休, 23), 11–15 (28),
    # 18–22 (33), 25–29 (38); 1–5 Nov (43), 8–12 (48), 15–19 (53), 22–26 (58), 29, 30 (60) → Tue 30 Nov.
    # + 5 working days: 1, 2, 3, 6, 7 Dec.
    assert (due, case.due, case.extended_days) == (D(2021, 11, 30), D(2021, 12, 7), 5)
    with pytest.raises(DomainError, match="已由他人审批"):
        services.decide_extension(actor=cast.city, case=case, approve=False)
    assert Notification.objects.filter(recipient=cast.district_a, subject__contains="已批准").exists()


def test_extension_in_calendar_days_and_refused(cast: Any) -> None:
    _calendar_days(DeadlineKey.EXTENSION)
    case = _case(cast, received_on=D(2021, 9, 1))
    services.request_extension(actor=cast.city, case=case, days=30, reason="调阅档案")
    other = make_user("city2", role="city_staff")
    services.decide_extension(actor=other, case=case, approve=True)
    case.refresh_from_db()
    assert case.due == D(2021, 12, 30)  # 30 Nov + 30 calendar days
    refused = _case(cast, received_on=D(2021, 9, 2))
    services.request_extension(actor=cast.district_a, case=refused, days=3, reason="补材料")
    services.decide_extension(actor=cast.city, case=refused, approve=False, note="可按期办结")
    refused.refresh_from_db()
    assert refused.extended_days == 0
    with pytest.raises(DomainError, match="一次"):
        services.request_extension(actor=cast.district_a, case=refused, days=3, reason="再申请")


def test_extension_pages_and_todo(cast: Any, client: Any) -> None:
    case = _case(cast, received_on=D(2021, 9, 1))
    login(client, cast.district_a)
    client.post(reverse("casework:petitions_extend", args=[case.pk]), {"days": "10", "reason": "需会商"})
    assert case.extension_request.status == ExtensionStatus.PENDING
    page = client.get(reverse("casework:petitions_detail", args=[case.pk])).content.decode()
    assert "待审批" in page and "需会商" in page
    # district_a cannot approve (no permission): 403
    url = reverse("casework:petitions_extension_decide", args=[case.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    labels = {t.label: t.count for t in todo_for(cast.city)}
    assert labels.get("信访件延期待审批") == 1
    login(client, cast.city)
    client.post(url, {"decision": "approve", "note": "同意"})
    case.refresh_from_db()
    assert case.extended_days == 10
    assert {t.label: t.count for t in todo_for(cast.city)}.get("信访件延期待审批", 0) == 0


def test_extension_through_the_api_once_per_key(cast: Any, client_for: Any) -> None:
    case = _case(cast, received_on=D(2021, 9, 1))
    url = f"/api/casework/cases/{case.pk}/extend"
    a = client_for("district_a")

    def post(key: str, **body: Any) -> Any:
        data = {"days": 10, "reason": "需会商"} | body
        return a.post(url, data, content_type="application/json", headers={"Idempotency-Key": key})

    assert post("e0", days=31).status_code == 422  # over the rule's 30 days
    first, again = post("e1"), post("e1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"case_id": case.pk, "days": 10, "reason": "需会商", "status": "pending"}
    assert "一次" in post("e2").json()["detail"]
    listed = a.get("/api/casework/cases", {"view": "extension"}).json()
    assert [c["id"] for c in listed["items"]] == [case.pk]
    assert (listed["items"][0]["stage"], listed["items"][0]["category_id"]) == ("original", None)
    assert (
        client_for("district_b")
        .post(url, {"days": 1, "reason": "x"}, content_type="application/json", headers={"Idempotency-Key": "e3"})
        .status_code
        == 404
    )


# ---------------------------------------------------------------- 复查 / 复核


def _closed(cast: Any, closed_on: dt.date, **kw: Any) -> PetitionCase:
    case = _case(cast, received_on=closed_on - dt.timedelta(days=20), **kw)
    services.close_case(actor=cast.city, case=case, answer="已答复", satisfaction="unsatisfied")
    PetitionCase.objects.filter(pk=case.pk).update(closed_on=closed_on)
    case.refresh_from_db()
    return case


def test_review_within_the_window_then_recheck(cast: Any) -> None:
    case = _closed(cast, D(2021, 9, 28))
    # 30 working days after Tue 28 Sep 2021: 29, 30 (2); 8, Sat 9 (4); 11–15 (9); 18–22 (14);
    # 25–29 (19); 1–5 Nov (24); 8–12 (29); 15 Nov (30).
    assert services.review_window(case) == D(2021, 11, 15)
    with pytest.raises(DomainError, match="2021-11-15"):
        services.request_review(actor=cast.city, case=case, requested_on=D(2021, 11, 16))
    review = services.request_review(actor=cast.city, case=case, requested_on=D(2021, 11, 15))
    assert (review.stage, review.review_of, review.status) == (PetitionStage.REVIEW, case, PetitionStatus.HANDLING)
    # answer within 30 working days of Mon 15 Nov: 16–19 (4), 22–26 (9), 29 Nov–3 Dec (14), 6–10 (19),
    # 13–17 (24), 20–24 (29), 27 Dec (30).
    assert review.due == D(2021, 12, 27)
    with pytest.raises(DomainError, match="已申请过"):
        services.request_review(actor=cast.city, case=case, requested_on=D(2021, 11, 15))
    with pytest.raises(DomainError, match="尚未办结"):
        services.request_review(actor=cast.city, case=review, requested_on=D(2021, 11, 20))
    services.close_case(actor=cast.city, case=review, answer="维持原答复", satisfaction="unsatisfied")
    PetitionCase.objects.filter(pk=review.pk).update(closed_on=D(2021, 12, 20))
    review.refresh_from_db()
    recheck = services.request_review(actor=cast.city, case=review, requested_on=D(2021, 12, 21))
    assert (recheck.stage, recheck.review_of) == (PetitionStage.RECHECK, review)
    assert services.review_chain(recheck) == [case, review, recheck]
    services.close_case(actor=cast.city, case=recheck, answer="复核维持", satisfaction="")
    with pytest.raises(DomainError, match="最终"):
        services.request_review(actor=cast.city, case=recheck)


def test_review_window_in_calendar_days(cast: Any) -> None:
    _calendar_days(DeadlineKey.REVIEW_REQUEST)
    case = _closed(cast, D(2021, 9, 28))
    assert services.review_window(case) == D(2021, 10, 28)
    with pytest.raises(DomainError, match="已超过"):
        services.request_review(actor=cast.city, case=case, requested_on=D(2021, 10, 29))


def test_review_page_shows_the_chain(cast: Any, client: Any) -> None:
    case = _closed(cast, D(2021, 9, 28))
    login(client, cast.district_a)
    response = client.post(reverse("casework:petitions_review", args=[case.pk]), {"requested_on": "2021-10-08"})
    review = PetitionCase.objects.get(review_of=case)
    assert response["Location"] == reverse("casework:petitions_detail", args=[review.pk])
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and review.number in page and "复查" in page
    late = _closed(cast, D(2021, 1, 4), name="王五")
    client.post(reverse("casework:petitions_review", args=[late.pk]), {"requested_on": "2021-12-01"})
    assert not PetitionCase.objects.filter(review_of=late).exists()
    page = client.get(reverse("casework:petitions_detail", args=[late.pk])).content.decode()
    assert "已超过申请复查的期限" in page


# ---------------------------------------------------------------- transfers


def test_transfer_keeps_history_and_tells_the_new_handler(cast: Any, client: Any) -> None:
    case = _case(cast, received_on=D(2021, 9, 1))
    clerk_b = cast.district_b
    with pytest.raises(DomainError, match="不能转办到"):
        services.transfer_case(actor=cast.district_a, case=case, district=cast.region_b, handler=None, reason="属地")
    with pytest.raises(DomainError, match="承办人"):
        services.transfer_case(
            actor=cast.city, case=case, district=cast.region_b, handler=cast.district_a, reason="属地"
        )
    with pytest.raises(DomainError, match="理由"):
        services.transfer_case(actor=cast.city, case=case, district=cast.region_b, handler=clerk_b, reason=" ")
    services.transfer_case(actor=cast.city, case=case, district=cast.region_b, handler=clerk_b, reason="属地管理")
    case.refresh_from_db()
    assert (case.district, case.handler) == (cast.region_b, clerk_b)
    assert Notification.objects.filter(recipient=clerk_b, subject__contains="转交您承办").exists()
    t = case.transfers.get()
    assert (t.from_district, t.to_district, t.by, t.reason) == (cast.region_a, cast.region_b, cast.city, "属地管理")
    login(client, cast.city)
    page = client.get(reverse("casework:petitions_detail", args=[case.pk])).content.decode()
    assert "属地管理" in page and "转办记录" in page
    login(client, clerk_b)
    response = client.post(
        reverse("casework:petitions_transfer", args=[case.pk]),
        {"district": cast.region_b.pk, "handler": cast.city.pk, "reason": "请市协会直接办理"},
    )
    assert response.status_code == 302
    assert case.transfers.count() == 2


# ---------------------------------------------------------------- settings and categories


def test_settings_page_edits_rules_and_categories(cast: Any, client: Any) -> None:
    url = reverse("casework:petitions_settings")
    login(client, cast.district_a)
    assert client.get(url).status_code == 403
    login(client, cast.city)
    page = client.get(url).content.decode()
    assert "只影响此后登记的信访件" in page
    client.post(url, {"form": "rule", "key": "notice", "days": "20", "working_days": ""})
    assert DeadlineRule.objects.get(key="notice").days == 20
    assert not DeadlineRule.objects.get(key="notice").working_days
    client.post(url, {"form": "category", "name": "法律援助", "order": "80"})
    new = PetitionCategory.objects.get(name="法律援助")
    client.post(url, {"form": "toggle", "category": str(new.pk)})
    new.refresh_from_db()
    assert not new.active
    with pytest.raises(DomainError, match="停用"):
        _case(cast, category=new)


def test_category_on_register_list_filter_and_export(cast: Any, client: Any) -> None:
    wages = PetitionCategory.objects.get(name="工资待遇")
    login(client, cast.district_a)
    client.post(
        reverse("casework:petitions_create"),
        {"channel": "call", "name": "李四", "district": cast.region_a.pk, "matter": "拖欠工资", "category": wages.pk},
    )
    case = PetitionCase.objects.get(name="李四")
    assert case.category == wages
    other = _case(cast, name="王五")
    page = client.get(reverse("casework:petitions_list") + f"?category={wages.pk}").content.decode()
    assert case.number in page and other.number not in page
    response = client.get(reverse("casework:petitions_export") + f"?category={wages.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert "分类" in rows[0] and rows[1][rows[0].index("分类")] == "工资待遇" and len(rows) == 2
    assert client.get(reverse("casework:petitions_list") + "?category=²").status_code == 200


def test_figures_by_category(cast: Any, client: Any) -> None:
    wages = PetitionCategory.objects.get(name="工资待遇")
    _case(cast, category=wages, received_on=D(2021, 3, 1))
    closed = _case(cast, category=wages, received_on=D(2021, 3, 2))
    services.close_case(actor=cast.city, case=closed, answer="已答复", satisfaction="")
    _case(cast, received_on=D(2021, 3, 3))
    rows = selectors.figures(cast.city, year=2021)["by_category"]
    assert rows == [{"name": "工资待遇", "n": 2, "closed": 1}, {"name": None, "n": 1, "closed": 0}]
    login(client, cast.city)
    page = client.get(reverse("casework:petitions_figures"), {"year": "2021"}).content.decode()
    assert "按分类受理" in page and "未分类" in page
