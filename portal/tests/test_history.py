"""我的服务: a model worker's own history (honours, payments, census answers, requests served,
messages), each app's part through its own portal_sections hook."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from assistance.tests import factories as assistance_factories
from census import services as census
from census.models import CensusRecord, ProposedChange
from core import notify, selectors
from payments.models import Payout, PayoutResult
from payments.tests import helpers as payment_helpers

pytestmark = pytest.mark.django_db


def _sections(client: Any) -> dict[str, list[tuple[str, list[str], str]]]:
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200
    return {s.title: [(i.title, i.lines, i.tag) for i in s.items] for s in page.context["sections"]}


def test_home_shows_the_model_workers_own_history(cast: Any, client_for: Any) -> None:
    round_ = payment_helpers.approved(cast)  # gives person_a 宁波市劳动模范 (2019) and a line
    line = Payout.objects.get(round=round_, person=cast.person_a)
    Payout.objects.filter(pk=line.pk).update(result=PayoutResult.PAID)
    campaign = census.open_campaign(actor=cast.city, year=2026)
    record = CensusRecord.objects.get(campaign=campaign, person=cast.person_a)
    census.propose_changes(actor=cast.worker_a, record=record, data={"mobile": "13805740009"}, source="self")
    change = ProposedChange.objects.get(proposal__record=record)
    assistance_factories.with_visit(cast)
    notify.send(channel="inapp", recipient=cast.worker_a, subject="帮扶邀请", body="请查看新的帮扶邀请")

    sections = _sections(client_for("worker_a"))
    amount = f"{line.amount:,.2f}"
    assert list(sections) == [
        "我的荣誉",
        f"我的慰问金（已领取 ¥{amount}）",
        "我的普查",
        "我参加的技术帮扶",
        "我的消息",
    ]
    assert sections["我的荣誉"] == [("2019年 宁波市劳动模范", ["宁波市人民政府"], "")]
    assert sections[f"我的慰问金（已领取 ¥{amount}）"] == [
        ("2026年春节慰问金", [f"金额：¥{amount}", line.reason], "已发放")
    ]
    assert line.amount == Decimal("1000.00")
    [(title, lines, tag)] = sections["我的普查"]
    assert (title, tag) == (campaign.title, "有变更待审核")
    assert lines[-1] == f"{change.label}：13805740001 → 13805740009（待审核）"
    [(title, lines, tag)] = sections["我参加的技术帮扶"]
    assert (title, lines[1], tag) == ("绕线机断线频繁", "上门1次，共3小时", "服务中")
    newest = selectors.inbox_for_user(cast.worker_a)[:5]
    assert [t for t, _, _ in sections["我的消息"]] == [n.subject or "消息" for n in newest]
    assert sections["我的消息"][0][1][0] == "请查看新的帮扶邀请"


def test_home_shows_nobody_elses_history(cast: Any, client_for: Any) -> None:
    payment_helpers.approved(cast)
    assistance_factories.with_visit(cast)  # served by person_a
    sections = _sections(client_for("worker_b"))
    assert sections["我的荣誉"] == [("2015年 浙江省劳动模范", ["浙江省人民政府"], "")]
    assert [t for t, _, _ in next(v for k, v in sections.items() if k.startswith("我的慰问金"))] == ["2026年春节慰问金"]
    assert sections["我参加的技术帮扶"] == []
    assert sections["我的消息"] == []


def test_home_of_someone_with_no_registry_record_lists_only_messages(cast: Any, client_for: Any) -> None:
    assert list(_sections(client_for("requester"))) == ["我的消息"]
