"""Saying exactly what happened: the import form counts toward the open campaign, an import says
what was updated and what waits for review, and a person's note and submission stay in sight."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from census import services
from census.models import ChangeProposal, ImportBatch, RecordState
from tests.cast import WORKER_A_ID, WORKER_B_ID

from .helpers import HEADER, make_id, xlsx

NEW = make_id("330212", "19650312", "005")


def _upload(client: Any, rows: list[list[Any]], **data: Any) -> ImportBatch:
    upload = io.BytesIO(xlsx(rows))
    upload.name = "鄞州.xlsx"
    client.post(reverse("census:imports"), {"file": upload, **data})
    return ImportBatch.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_import_form_counts_toward_the_open_campaign_by_default(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    assert client.get(reverse("census:imports")).context["form"]["campaign"].value() is None
    campaign = services.open_campaign(actor=cast.city, year=2026)
    form = client.get(reverse("census:imports")).context["form"]
    assert form["campaign"].value() == campaign.pk
    assert f'<option value="{campaign.pk}" selected>' in str(form["campaign"])


def test_campaign_import_says_what_waits_for_review(cast: Any, client_for: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    client = client_for("city")
    rows = [
        HEADER,
        ["万亚勇", WORKER_A_ID, "鄞州", "13805740001"],
        ["单秀英", WORKER_B_ID, "海曙", "13900000000"],
        ["新人", NEW, "鄞州"],
    ]
    batch = _upload(client, rows, campaign=campaign.pk)
    assert batch.campaign == campaign
    preview = client.get(reverse("census:import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "有更改（提交审核）" in preview and "将提交审核的更改" in preview
    response = client.post(reverse("census:import_commit", kwargs={"pk": batch.pk}))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "导入完成：新增 1 人，1 人的更改待审核，1 人信息无变化"
    ]
    page = client.get(reverse("census:import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert '<p id="import-committed">导入完成：新增 1 人，1 人的更改待审核，1 人信息无变化</p>' in page
    cast.person_b.refresh_from_db()
    assert cast.person_b.mobile == "13905740002"  # not updated: waiting for review

    # The same file again: the change is already waiting, and the page says so.
    again = _upload(client, rows, campaign=campaign.pk)
    response = client.post(reverse("census:import_commit", kwargs={"pk": again.pk}))
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "导入完成：1 人已有更改在等待审核，本次未重复提交，2 人信息无变化"
    )

    # Straight into the registry: "updated" is what happened.
    registry = _upload(client, [HEADER, ["万亚勇", WORKER_A_ID, "鄞州", "13805749999"]], campaign="")
    response = client.post(reverse("census:import_commit", kwargs={"pk": registry.pk}))
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "导入完成：1 人已更新"


def _propose(client: Any, url: str, cast: Any, **fields: str) -> Any:
    data = {
        "action": "propose",
        "mobile": cast.person_a.mobile,
        "landline": "",
        "address": "",
        "employer": cast.person_a.employer,
        "post": "",
        "political_status": "",
        "education": "",
        "status": "working",
        "note": "",
    } | fields
    return client.post(url, data, follow=True)


def test_personal_note_reaches_the_reviewer_and_the_page_shows_what_was_sent(
    cast: Any, client: Any, client_for: Any
) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    url = reverse("census:personal", kwargs={"token": services.create_personal_link(actor=cast.city, record=record)})
    page = _propose(client, url, cast, mobile="13911112222", note="新号码，旧号已停用").content.decode()
    assert "已提交，谢谢！" in page
    assert "等待工作人员审核，审核通过后才会更新您的登记信息。" in page
    assert "13805740001 → <strong>13911112222</strong>" in page
    assert "<dt>您的说明</dt><dd>新号码，旧号已停用</dd>" in page
    proposal = ChangeProposal.objects.get(record=record)
    assert (proposal.note, [(c.label, c.after) for c in proposal.changes.all()]) == (
        "新号码，旧号已停用",
        [("手机号", "13911112222")],
    )
    review = client_for("district_a").get(reverse("census:review", kwargs={"pk": proposal.pk})).content.decode()
    assert '<blockquote id="proposal-note"><strong>本人说明：</strong>新号码，旧号已停用</blockquote>' in review
    reviews = client_for("district_a").get(reverse("census:reviews")).content.decode()
    assert "手机号；说明：新号码，旧号已停用" in reviews


def test_a_note_alone_is_not_dropped(cast: Any, client: Any) -> None:
    campaign = services.open_campaign(actor=cast.city, year=2026)
    record = campaign.records.get(person=cast.person_a)
    url = reverse("census:personal", kwargs={"token": services.create_personal_link(actor=cast.city, record=record)})
    page = _propose(client, url, cast, note="2019年的浙江工匠称号没有登记").content.decode()
    assert "<dt>您的说明</dt><dd>2019年的浙江工匠称号没有登记</dd>" in page
    proposal = ChangeProposal.objects.get(record=record)
    assert (proposal.note, proposal.changes.count()) == ("2019年的浙江工匠称号没有登记", 0)
    record.refresh_from_db()
    assert record.state == RecordState.CHANGED
    services.review_proposal(actor=cast.city, proposal=proposal, decisions={})
    record.refresh_from_db()
    assert (record.state, record.corrected) == (RecordState.REVIEWED, False)


def test_command_line_campaign_import_says_what_waits_for_review(cast: Any, tmp_path: Any, capsys: Any) -> None:

    services.open_campaign(actor=cast.city, year=2026)
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([HEADER, ["单秀英", WORKER_B_ID, "海曙", "13900000000"]]))
    call_command("import_people", str(path), "--campaign", "2026")
    out = capsys.readouterr().out
    assert "新增 0 人，有更改（提交审核） 1 人，无变化 0 人" in out
    assert "导入完成：1 人的更改待审核" in out
