"""消息中心: everyone reads their own in-app messages (staff pages, phone pages, API) and no one
else's; opening one marks it read and follows its link; 全部标为已读 marks the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core import notify, selectors
from core.models import Notification


def _send(
    user: Any, body: str = "您的帮扶需求已受理", *, subject: str = "", link: str = "", minutes_ago: int = 0
) -> Any:
    note = notify.send(channel="inapp", recipient=user, subject=subject, body=body, link=link)
    if minutes_ago:
        Notification.objects.filter(pk=note.pk).update(created=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return note


def _status(note: Notification) -> str:
    return Notification.objects.get(pk=note.pk).status


# --- selectors and services -------------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_holds_only_own_inapp_messages_newest_first(cast: Any) -> None:
    old = _send(cast.worker_a, "旧消息", minutes_ago=30)
    new = _send(cast.worker_a, "新消息")
    _send(cast.worker_b, "别人的消息")
    notify.send(channel="sms", recipient=cast.worker_a, address="13805740001", body="短信不进消息中心")
    assert list(selectors.inbox_for_user(cast.worker_a)) == [new, old]
    assert selectors.unread_count(cast.worker_a) == 2
    assert selectors.unread_count(cast.worker_b) == 1
    assert selectors.unread_count(cast.city) == 0


@pytest.mark.django_db
def test_mark_read_counts_once_and_ignores_others_messages(cast: Any) -> None:
    mine = _send(cast.worker_a)
    theirs = _send(cast.worker_b)
    assert notify.mark_read(user=cast.worker_a, notification=mine) is True
    assert notify.mark_read(user=cast.worker_a, notification=mine) is False
    assert notify.mark_read(user=cast.worker_a, notification=theirs) is False
    assert (_status(mine), _status(theirs)) == ("read", "sent")
    assert selectors.unread_count(cast.worker_a) == 0


@pytest.mark.django_db
def test_mark_all_read_touches_only_own_unread_inapp(cast: Any) -> None:
    a1, a2 = _send(cast.worker_a), _send(cast.worker_a)
    notify.mark_read(user=cast.worker_a, notification=a1)
    b = _send(cast.worker_b)
    sms = notify.send(channel="sms", recipient=cast.worker_a, address="13805740001", body="短信")
    assert notify.mark_all_read(user=cast.worker_a) == 1
    assert (_status(a1), _status(a2), _status(b), _status(sms)) == ("read", "read", "sent", "pending")
    assert notify.mark_all_read(user=cast.worker_a) == 0


@pytest.mark.django_db
def test_get_message_of_someone_else_is_404(cast: Any) -> None:

    theirs = _send(cast.worker_b)
    with pytest.raises(Http404):
        selectors.get_message(cast.worker_a, theirs.pk)
    assert selectors.get_message(cast.worker_b, theirs.pk) == theirs


# --- staff pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bell_shows_unread_count_on_every_staff_page(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="inbox-bell"' in page and 'class="bell-count"' not in page
    _send(cast.district_a, "甲")
    _send(cast.district_a, "乙")
    _send(cast.district_b, "别人的")
    for url in (reverse("core:home"), reverse("people:list")):
        html = client.get(url).content.decode()
        assert '<span class="bell-count" aria-hidden="true">2</span>' in html
        assert "消息中心（2 条未读）" in html


@pytest.mark.django_db
def test_inbox_page_lists_own_messages_with_filter(cast: Any, client_for: Any) -> None:
    read = _send(cast.district_a, "已经看过的", minutes_ago=5)
    notify.mark_read(user=cast.district_a, notification=read)
    _send(cast.district_a, "帮扶需求 A-001 邀请48小时无人答复", subject="帮扶提醒")
    _send(cast.district_b, "海曙的消息")
    client = client_for("district_a")
    response = client.get(reverse("core:messages"))
    html = response.content.decode()
    assert response.status_code == 200
    assert [r.body for r in response.context["page"]] == ["帮扶需求 A-001 邀请48小时无人答复", "已经看过的"]
    assert "帮扶提醒" in html and "海曙的消息" not in html
    assert "共 2 条" in html
    unread = client.get(reverse("core:messages"), {"filter": "unread"})
    assert [r.body for r in unread.context["page"]] == ["帮扶需求 A-001 邀请48小时无人答复"]


@pytest.mark.django_db
def test_inbox_page_empty_state(client_for: Any) -> None:
    html = client_for("city").get(reverse("core:messages")).content.decode()
    assert "暂无消息" in html
    html = client_for("city").get(reverse("core:messages"), {"filter": "unread"}).content.decode()
    assert "没有未读消息" in html


@pytest.mark.django_db
def test_inbox_page_paginates(cast: Any, client_for: Any) -> None:
    for i in range(12):
        _send(cast.city, f"第{i}条", minutes_ago=i)
    client = client_for("city")
    first = client.get(reverse("core:messages"), {"size": 10})
    assert [r.body for r in first.context["page"]] == [f"第{i}条" for i in range(10)]
    second = client.get(reverse("core:messages"), {"size": 10, "page": 2})
    assert [r.body for r in second.context["page"]] == ["第10条", "第11条"]
    assert "共 12 条" in second.content.decode()


@pytest.mark.django_db
def test_opening_marks_read_and_follows_the_link(cast: Any, client_for: Any) -> None:
    note = _send(cast.district_a, link="/assistance/requests/1/")
    client = client_for("district_a")
    response = client.post(reverse("core:message_open", kwargs={"pk": note.pk}))
    assert (response.status_code, response["Location"]) == (302, "/assistance/requests/1/")
    assert _status(note) == "read"


@pytest.mark.django_db
def test_opening_without_a_link_shows_the_message(cast: Any, client_for: Any) -> None:
    note = _send(cast.district_a, "全文内容在这里", subject="通知")
    client = client_for("district_a")
    response = client.post(reverse("core:message_open", kwargs={"pk": note.pk}))
    assert response["Location"] == reverse("core:message", kwargs={"pk": note.pk})
    html = client.get(response["Location"]).content.decode()
    assert "全文内容在这里" in html and "已读" in html


@pytest.mark.django_db
def test_an_outside_link_is_not_followed(cast: Any, client_for: Any) -> None:
    note = _send(cast.district_a, link="https://evil.example/phish")
    response = client_for("district_a").post(reverse("core:message_open", kwargs={"pk": note.pk}))
    assert response["Location"] == reverse("core:message", kwargs={"pk": note.pk})


@pytest.mark.django_db
def test_reading_the_message_page_changes_nothing(cast: Any, client_for: Any) -> None:
    note = _send(cast.district_a)
    assert client_for("district_a").get(reverse("core:message", kwargs={"pk": note.pk})).status_code == 200
    assert _status(note) == "sent"
    assert client_for("district_a").get(reverse("core:message_open", kwargs={"pk": note.pk})).status_code == 405


@pytest.mark.django_db
def test_someone_elses_message_is_404_on_pages(cast: Any, client_for: Any) -> None:
    theirs = _send(cast.district_b, "海曙的消息")
    client = client_for("district_a")
    assert client.get(reverse("core:message", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("core:message_open", kwargs={"pk": theirs.pk})).status_code == 404
    assert _status(theirs) == "sent"


@pytest.mark.django_db
def test_mark_all_read_page(cast: Any, client_for: Any) -> None:
    _send(cast.district_a)
    _send(cast.district_a)
    theirs = _send(cast.district_b)
    client = client_for("district_a")
    html = client.get(reverse("core:messages")).content.decode()
    assert 'data-confirm="是否确认将全部消息标为已读？"' in html
    response = client.post(reverse("core:messages_read_all"), follow=True)
    assert response.redirect_chain == [(reverse("core:messages"), 302)]
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert selectors.unread_count(cast.district_a) == 0
    assert _status(theirs) == "sent"


@pytest.mark.django_db
def test_inbox_page_query_count_does_not_grow_with_rows(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    _send(cast.city)
    client.get(reverse("core:messages"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:messages"))
    _send(cast.city)
    _send(cast.city)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("core:messages"))
    assert len(response.context["page"]) == 3
    assert len(three) == len(one)


# --- phone pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_portal_home_links_my_messages_with_unread_badge(cast: Any, client_for: Any) -> None:
    client = client_for("worker_a")
    html = client.get(reverse("portal:home")).content.decode()
    assert 'href="/p/messages/"' in html and "portal-badge" not in html
    _send(cast.worker_a)
    _send(cast.worker_a)
    html = client.get(reverse("portal:home")).content.decode()
    assert '<span class="portal-badge">2<span class="sr-only"> 条未读</span></span>' in html


@pytest.mark.django_db
def test_portal_messages_mark_unread_clearly_and_open(cast: Any, client_for: Any) -> None:
    read = _send(cast.worker_a, "上周的消息", minutes_ago=60)
    notify.mark_read(user=cast.worker_a, notification=read)
    new = _send(cast.worker_a, "有新的帮扶邀请，请查看", subject="帮扶邀请", link="/assistance/my/invitations/")
    _send(cast.worker_b, "单秀英的消息")
    client = client_for("worker_a")
    response = client.get(reverse("portal:messages"))
    html = response.content.decode()
    assert [r.body for r in response.context["page"]] == ["有新的帮扶邀请，请查看", "上周的消息"]
    assert html.count('<span class="tag tag-danger">未读</span>') == 1
    assert "单秀英的消息" not in html
    opened = client.post(reverse("portal:message_open", kwargs={"pk": new.pk}))
    assert opened["Location"] == "/assistance/my/invitations/"
    assert _status(new) == "read"
    unread = client.get(reverse("portal:messages"), {"filter": "unread"})
    assert list(unread.context["page"]) == []
    assert "没有未读消息" in unread.content.decode()


@pytest.mark.django_db
def test_portal_message_page_and_read_all(cast: Any, client_for: Any) -> None:
    note = _send(cast.worker_a, "全文：请于周五前答复")
    _send(cast.worker_a)
    client = client_for("worker_a")
    opened = client.post(reverse("portal:message_open", kwargs={"pk": note.pk}))
    assert opened["Location"] == reverse("portal:message", kwargs={"pk": note.pk})
    assert "全文：请于周五前答复" in client.get(opened["Location"]).content.decode()
    response = client.post(reverse("portal:messages_read_all"), follow=True)
    assert response.redirect_chain == [(reverse("portal:messages"), 302)]
    assert selectors.unread_count(cast.worker_a) == 0


@pytest.mark.django_db
def test_someone_elses_message_is_404_on_phone_pages(cast: Any, client_for: Any) -> None:
    theirs = _send(cast.worker_b)
    client = client_for("worker_a")
    assert client.get(reverse("portal:message", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("portal:message_open", kwargs={"pk": theirs.pk})).status_code == 404
    assert _status(theirs) == "sent"


# --- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_own_messages_paginated_with_unread_filter(cast: Any, client_for: Any) -> None:
    for i in range(3):
        _send(cast.worker_a, f"第{i}条", minutes_ago=i, link="/p/" if i == 0 else "")
    notify.mark_read(user=cast.worker_a, notification=Notification.objects.get(body="第2条"))
    _send(cast.worker_b, "别人的")
    client = client_for("worker_a")
    body = client.get(reverse("api:messages"), {"page_size": 2}).json()
    assert {k: body[k] for k in ("count", "unread", "page", "page_size")} == {
        "count": 3,
        "unread": 2,
        "page": 1,
        "page_size": 2,
    }
    assert [(m["body"], m["read"], m["link"]) for m in body["items"]] == [("第0条", False, "/p/"), ("第1条", False, "")]
    page_2 = client.get(reverse("api:messages"), {"page_size": 2, "page": 2}).json()
    assert [(m["body"], m["read"]) for m in page_2["items"]] == [("第2条", True)]
    unread = client.get(reverse("api:messages"), {"unread": "true"}).json()
    assert (unread["count"], [m["body"] for m in unread["items"]]) == (2, ["第0条", "第1条"])


@pytest.mark.django_db
def test_api_marks_one_and_all_read(cast: Any, client_for: Any) -> None:
    one, _two, _three = _send(cast.worker_a), _send(cast.worker_a), _send(cast.worker_a)
    client = client_for("worker_a")
    marked = client.post(reverse("api:message_read", kwargs={"message_id": one.pk}))
    assert (marked.status_code, marked.json()["id"], marked.json()["read"]) == (200, one.pk, True)
    everything = client.post(reverse("api:messages_read_all"))
    assert everything.json() == {"marked": 2, "unread": 0}


@pytest.mark.django_db
def test_api_someone_elses_message_is_404(cast: Any, client_for: Any) -> None:
    theirs = _send(cast.worker_b)
    client = client_for("worker_a")
    assert client.get(reverse("api:message", kwargs={"message_id": theirs.pk})).status_code == 404
    assert client.post(reverse("api:message_read", kwargs={"message_id": theirs.pk})).status_code == 404
    assert _status(theirs) == "sent"
    assert client_for("worker_b").get(reverse("api:message", kwargs={"message_id": theirs.pk})).status_code == 200


@pytest.mark.django_db
def test_api_messages_need_sign_in(client: Any) -> None:
    assert client.get(reverse("api:messages")).status_code == 401
    assert client.post(reverse("api:messages_read_all")).status_code == 401


@pytest.mark.django_db
def test_inbox_in_english(cast: Any, client_for: Any, settings: Any) -> None:
    _send(cast.district_a)
    _send(cast.worker_a)
    staff = client_for("district_a")
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    worker = client_for("worker_a")
    worker.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The locale middleware leaves English active in this thread: put back what was there after.
    with translation.override(settings.LANGUAGE_CODE):
        html = staff.get(reverse("core:messages")).content.decode()
        assert "Message centre (1 unread)" in html and "Mark all as read" in html and "Unread" in html
        done = staff.post(reverse("core:messages_read_all"), follow=True).content.decode()
        assert "1 message marked as read" in done
        assert "You have 1 unread message" in worker.get(reverse("portal:messages")).content.decode()
        assert "My messages" in worker.get(reverse("portal:home")).content.decode()
