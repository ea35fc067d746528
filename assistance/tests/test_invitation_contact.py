"""Invitations as the people on phones meet them: only people in the inviter's scope, a warning
(and a record) for someone without a mobile, links to this site, and the requester's contact
shown to the craftsman once they accept."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from assistance import services
from assistance.models import Invitation, InvitationStatus, RequestEvent
from assistance.tests import factories as f
from core.models import AuditEntry
from people.models import Person

pytestmark = pytest.mark.django_db


def _invite(client: Client, request_pk: int, *people: int, **extra: str) -> Any:
    return client.post(
        reverse("assistance:request_invite", args=[request_pk]), {"person": [str(p) for p in people], **extra}
    )


def test_district_staff_cannot_invite_a_person_of_another_district(cast: Any, client_for: Any, sms: list) -> None:
    r = f.accepted_request(cast)  # in 鄞州 (district_a)
    response = _invite(client_for("district_a"), r.pk, cast.person_b.pk)  # person_b lives in 海曙
    assert response.status_code == 404
    assert Invitation.objects.filter(request=r).count() == 0
    assert sms == []
    # Their own district's person: invited.
    assert _invite(client_for("district_a"), r.pk, cast.person_a.pk).status_code == 302
    assert list(Invitation.objects.filter(request=r).values_list("person_id", flat=True)) == [cast.person_a.pk]


def test_city_staff_invite_across_districts(cast: Any, client_for: Any) -> None:
    r = f.accepted_request(cast)
    assert _invite(client_for("city"), r.pk, cast.person_b.pk).status_code == 302
    assert list(Invitation.objects.filter(request=r).values_list("person_id", flat=True)) == [cast.person_b.pk]


def test_match_page_offers_only_people_in_scope(cast: Any, client_for: Any) -> None:
    r = f.accepted_request(cast)
    page = client_for("district_a").get(reverse("assistance:request_match", args=[r.pk]))
    offered = {c.person.pk for c in page.context["candidates"]}
    assert cast.person_b.pk not in offered


def test_inviting_someone_without_a_mobile_is_warned_then_recorded(
    cast: Any, client_for: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    Person.objects.filter(pk=cast.person_a.pk).update(mobile="")
    r = f.accepted_request(cast)
    client = client_for("district_a")
    match_page = client.get(reverse("assistance:request_match", args=[r.pk]) + "?q=万亚勇").content.decode()
    assert "无手机号，收不到短信" in match_page and 'name="unreachable_ok"' in match_page

    refused = _invite(client, r.pk, cast.person_a.pk)
    assert Invitation.objects.filter(request=r).count() == 0
    shown = [str(m) for m in refused.wsgi_request._messages]
    assert shown == [
        "万亚勇没有登记手机号，收不到短信邀请。请先在人员库补录手机号，或勾选“仍然邀请，我会电话通知”后再发出邀请。"
    ]

    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, r.pk, cast.person_a.pk, unreachable_ok="1")
    assert Invitation.objects.filter(request=r).count() == 1
    assert sms == []
    event = RequestEvent.objects.get(request=r, kind="unreachable")
    assert (event.text, event.public) == ("万亚勇没有登记手机号，未发短信，需电话通知", False)
    entry = AuditEntry.objects.get(action="assistance.request.invited", object_id=str(r.pk))
    assert entry.changes["no_mobile"] == [cast.person_a.pk]


def test_text_message_link_is_built_from_the_request(
    cast: Any, client_for: Any, sms: list, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LAOMO_SITE_URL = ""
    r = f.accepted_request(cast)
    client = client_for("city")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assistance:request_invite", args=[r.pk]), {"person": [str(cast.person_a.pk)]}, SERVER_PORT="8123"
        )
    link = sms[-1][1].split(" ")[-1]
    assert link.startswith("http://testserver:8123/assistance/i/")


def test_text_message_link_uses_the_configured_site_url(cast: Any, sms: list, settings: Any) -> None:
    settings.LAOMO_SITE_URL = "https://laomo.example.cn/"
    inv = f.invited(cast)
    assert services.invitation_link(inv).startswith("https://laomo.example.cn/assistance/i/")


def test_craftsman_sees_the_contact_after_accepting(cast: Any) -> None:
    inv = f.invited(cast)
    link = urlsplit(services.invitation_link(inv)).path
    client = Client()
    before = client.get(link).content.decode()
    assert "13805749999" not in before and "张经理" not in before
    page = client.post(link, {"answer": "accept"}, follow=True)
    html = page.content.decode()
    inv.refresh_from_db()
    assert inv.status == InvitationStatus.ACCEPTED
    assert 'href="tel:13805749999"' in html
    assert "张经理" in html and "测试路1号" in html

    mine = Client()
    mine.force_login(cast.worker_a)
    listed = mine.get(reverse("assistance:my_invitations")).content.decode()
    assert 'href="tel:13805749999"' in listed and "测试路1号" in listed
