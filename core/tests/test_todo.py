"""The to-do centre (待办): items from every app through ``todo_items``, scoped; one selector for
the /todo/ page, the home page and the top bar; in-app notices to the responsible staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance.models import HelpRequest, Invitation
from assistance.tests.factories import invited, make_request
from census import services as census_services
from census.models import CensusRecord
from core.models import Notification
from core.todo import todo_count, todo_for
from payments import services as payment_services
from payments.tests.helpers import approved, draft, line_of
from tests.cast import build_cast, staff_page

pytestmark = pytest.mark.django_db


def _counts(user: Any) -> dict[str, int]:
    return {str(item.label): item.count for item in todo_for(user)}


def _notified(user: Any, text: str) -> int:
    return Notification.objects.filter(recipient=user, channel="inapp", subject__contains=text).count()


def test_new_help_request_is_a_todo_in_its_district_only(cast: Any) -> None:
    make_request(cast, district=cast.region_a)
    make_request(cast, district=cast.region_a, title="第二个")
    assert _counts(cast.city)["待受理的帮扶需求"] == 2
    assert _counts(cast.district_a)["待受理的帮扶需求"] == 2
    assert "待受理的帮扶需求" not in _counts(cast.district_b)
    assert todo_for(cast.district_b) == []
    assert todo_count(cast.district_a) == 2
    assert todo_for(cast.worker_a) == []  # not staff: no to-do list


def test_new_help_request_notifies_the_districts_staff_and_city_not_other_district(cast: Any) -> None:
    request = make_request(cast, district=cast.region_a)
    assert _notified(cast.district_a, request.number) == 1
    assert _notified(cast.city, request.number) == 1
    assert _notified(cast.district_b, request.number) == 0
    assert _notified(cast.requester, "新的帮扶需求") == 0
    note = Notification.objects.get(recipient=cast.district_a, subject__contains=request.number)
    assert note.link == reverse("assistance:request_detail", kwargs={"pk": request.pk})


def test_drafted_round_awaits_approval_by_another_city_user_and_review_in_districts(cast: Any) -> None:
    round_ = draft(cast)  # drafted by a second city user
    assert _counts(cast.city)["待批准的发放批次"] == 1
    assert _notified(cast.city, round_.title) == 1
    assert _notified(round_.created_by, round_.title) == 0  # nobody is told of their own act
    assert _notified(cast.district_a, round_.title) == 0  # approval is not theirs
    assert "待批准的发放批次" not in _counts(round_.created_by)  # the creator may not approve it
    # person_a lives in district a, person_b in district b (payments helpers): each reviews its own
    assert _counts(cast.district_a)["待审核本区县名单的发放批次"] == 1


def test_census_proposal_is_a_todo_and_notice_for_its_district(cast: Any) -> None:
    campaign = census_services.open_campaign(actor=cast.city, year=2026)
    record = CensusRecord.objects.get(campaign=campaign, person=cast.person_a)
    census_services.propose_changes(actor=cast.city, record=record, data={"post": "高级技师"}, source="staff")
    district_a = {record.district_id == cast.region_a.pk}
    assert district_a == {True}
    assert _counts(cast.district_a)["待审核的普查变更"] == 1
    assert _counts(cast.city)["待审核的普查变更"] == 1
    assert "待审核的普查变更" not in _counts(cast.district_b)
    assert _notified(cast.district_a, "普查变更待审核") == 1
    assert _notified(cast.district_b, "普查变更待审核") == 0
    assert _notified(cast.city, "普查变更待审核") == 0  # the proposer themself


def test_page_home_and_bell_agree(cast: Any, client_for: Any) -> None:
    make_request(cast, district=cast.region_a)
    make_request(cast, district=cast.region_a, title="第二个")
    client = client_for("district_a")
    page = client.get(reverse("core:todo"))
    home = client.get(reverse("core:home"))
    other = client.get(reverse("core:messages"))
    assert page.status_code == home.status_code == other.status_code == 200
    assert page.context["todo_total"] == 2
    assert home.context["todo_total"] == 2
    assert other.context["todo_total"]() == 2  # the top bar's lazy count on any other page
    for response in (page, home, other):
        html = response.content.decode()
        assert 'id="todo-link"' in html
        assert "待办（2 件）" in html
    assert "待受理的帮扶需求" in page.content.decode()
    assert "待受理的帮扶需求" in home.content.decode()
    assert [i.label for i in page.context["todo"]] == [i.label for i in home.context["todo"]]


def test_overdue_is_said_in_words(cast: Any, client_for: Any) -> None:

    request = make_request(cast, district=cast.region_a)
    HelpRequest.objects.filter(pk=request.pk).update(created=timezone.now() - timedelta(days=5))
    item = next(i for i in todo_for(cast.district_a) if i.label == "待受理的帮扶需求")
    assert (item.count, item.overdue) == (1, 1)
    html = client_for("district_a").get(reverse("core:todo")).content.decode()
    assert "逾期 1 件" in html


def test_home_query_count_does_not_grow_with_items(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    make_request(cast, district=cast.region_a)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:home"))
    for n in range(5):
        make_request(cast, district=cast.region_b, title=f"需求{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("core:home"))
    assert response.context["todo_total"] == 6
    assert len(many) == len(few)


@pytest.mark.browser
def test_todo_in_a_browser(browser: Any, live_server: Any, transactional_db: None, screenshots_dir: Any) -> None:

    cast = build_cast()
    late = make_request(cast, district=cast.region_a)
    HelpRequest.objects.filter(pk=late.pk).update(created=timezone.now() - timedelta(days=5))
    make_request(cast, district=cast.region_a, title="第二个")
    with staff_page(browser, live_server, cast.district_a) as page:
        assert page.locator("#todo-link").get_attribute("aria-label") == "待办（2 件）"
        assert "逾期 1 件" in page.locator("#home-todo").inner_text()
        page.screenshot(path=str(screenshots_dir / "todo-home.png"), full_page=True)
        page.locator("#todo-link").click()
        page.wait_for_url("**/todo/")
        assert page.locator("tr.todo-item").count() == 1
        page.screenshot(path=str(screenshots_dir / "todo-page.png"), full_page=True)


def test_failed_lines_unanswered_invitations_and_campaign_deadline(cast: Any) -> None:

    round_ = approved(cast)
    payment_services.mark_result(
        actor=cast.city, payout=line_of(round_, cast.person_a), result="failed", reason="户名不符"
    )
    assert _counts(cast.district_a)["发放失败或退回待补发"] == 1
    assert _counts(cast.city)["发放失败或退回待补发"] == 1
    assert "发放失败或退回待补发" not in _counts(cast.district_b)

    invitation = invited(cast, district=cast.region_a)
    assert "超时未答复的服务邀请" not in _counts(cast.district_a)  # not yet past its reminder time
    Invitation.objects.filter(pk=invitation.pk).update(invited_at=timezone.now() - timedelta(days=3))
    item = next(i for i in todo_for(cast.district_a) if i.label == "超时未答复的服务邀请")
    assert (item.count, item.overdue) == (1, 1)
    assert "超时未答复的服务邀请" not in _counts(cast.district_b)

    yesterday = timezone.localdate() - timedelta(days=1)
    census_services.open_campaign(actor=cast.city, year=2026, deadline=yesterday)
    item = next(i for i in todo_for(cast.district_a) if i.label == "2026年普查尚未联系的人员")
    assert (item.count, item.overdue, item.due) == (1, 1, yesterday)  # person_a, past the deadline
    assert todo_for(cast.district_a)[0].overdue > 0  # overdue items come first
