from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job
from payments import services
from payments.models import BankLayout, BenefitKind, PayoutChange, PayoutRound, RuleSet
from payments.tests import helpers
from people.models import HonourTitle
from people.services import add_honour, create_person


def test_round_page_lists_who_how_much_why_for_the_city(cast: Any, client_for: Any) -> None:
    round_ = helpers.draft(cast)
    page = client_for("city").get(f"/payments/rounds/{round_.pk}/").content.decode()
    assert "万亚勇" in page and "单秀英" in page
    assert "宁波市劳动模范（2019）→ 市级 1,000.00；规则 v1" in page
    assert "¥2,500.00" in page
    assert "批准（冻结名单）" in page  # city did not create it (city2 did)


def test_district_staff_see_and_total_only_their_district(cast: Any, client_for: Any) -> None:
    round_ = helpers.draft(cast)
    page = client_for("district_a").get(f"/payments/rounds/{round_.pk}/").content.decode()
    assert "万亚勇" in page and "单秀英" not in page
    assert "¥1,000.00" in page and "¥2,500.00" not in page
    assert "批准（冻结名单）" not in page


def test_district_exclusion_through_the_page_shows_in_the_citys_change_log(cast: Any, client_for: Any) -> None:
    round_ = helpers.draft(cast)
    line = helpers.line_of(round_, cast.person_a)
    response = client_for("district_a").post(
        f"/payments/payouts/{line.pk}/exclude/", {"reason": "refused", "note": "本人谢绝，已签字"}
    )
    assert response.status_code == 302
    assert PayoutChange.objects.get().detail == "本人谢绝：本人谢绝，已签字"
    city_log = client_for("city").get(f"/payments/rounds/{round_.pk}/changes/").content.decode()
    assert "本人谢绝：本人谢绝，已签字" in city_log
    other_log = client_for("district_b").get(f"/payments/rounds/{round_.pk}/changes/").content.decode()
    assert "本人谢绝，已签字" not in other_log


def test_round_page_query_count_does_not_grow_with_rows(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    helpers.spring_rules(cast)

    def count(title: str) -> int:
        round_ = helpers.draft(cast, title=title)
        client.get(f"/payments/rounds/{round_.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/payments/rounds/{round_.pk}/").status_code == 200
        return len(ctx)

    one = count("一")
    for i in range(3):
        p = create_person(actor=None, region=cast.region_a, name=f"新人{i}", gender="M")
        add_honour(actor=None, person=p, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2014)
    assert count("三") == one


def test_new_round_through_the_page_runs_as_a_job(
    cast: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rule_set = helpers.spring_rules(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("city").post(
            "/payments/rounds/new/", {"rule_set": rule_set.pk, "title": "", "reference_date": "2026-01-15"}
        )
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.status, job.message) == ("done", "已生成批次“2026年春节慰问金”")
    round_ = PayoutRound.objects.get()
    assert job.result["next_url"] == f"/payments/rounds/{round_.pk}/"
    assert round_.payouts.count() == 2


def test_rules_are_created_and_edited_in_pages_with_history(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    helpers.honour_cast(cast)
    form = {
        "kind": 0,
        "year": 2027,
        "name": "",
        "amount_national": "3000",
        "amount_provincial": "1500",
        "amount_city": "1000",
        "amount_district": "0",
        "statuses": ["working", "retired"],
        "title_kinds": ["model_worker", "union_award"],
        "hardship_topup": "0",
        "age_threshold": "",
        "age_topup": "0",
        "excluded_id_numbers": "",
        "note": "",
    }
    form["kind"] = BenefitKind.objects.get(code="spring_festival").pk
    assert client.post("/payments/rules/new/", form).status_code == 302
    rule_set = RuleSet.objects.get(year=2027)
    edit = {**form, "amount_city": "1100", "excluded_id_numbers": "33020319701123002X", "note": "单秀英另行发放"}
    assert client.post(f"/payments/rules/{rule_set.pk}/edit/", edit).status_code == 302
    version = rule_set.current
    assert (version.number, version.amount_city, version.excluded_person_ids) == (  # type: ignore[union-attr]
        2,
        Decimal("1100.00"),
        [cast.person_b.pk],
    )
    detail = client.get(f"/payments/rules/{rule_set.pk}/").content.decode()
    assert "单秀英另行发放" in detail and "初始版本" in detail
    preview = client.get(f"/payments/rules/{rule_set.pk}/preview/").content.decode()
    assert "¥1,100.00" in preview


def test_bank_layout_is_configured_in_a_page(cast: Any, client_for: Any) -> None:
    data = {
        "name": "农商行",
        "bank_name": "宁波农商银行",
        "sheet_title": "明细",
        "use_account": "on",
        "order_account": "1",
        "header_account": "账号",
        "use_amount": "on",
        "order_amount": "2",
        "header_amount": "金额(元)",
        "use_name": "on",
        "order_name": "3",
        "header_name": "户名",
    }
    assert client_for("city").post("/payments/layouts/new/", data).status_code == 302
    assert BankLayout.objects.get(name="农商行").columns == [
        {"field": "account", "header": "账号"},
        {"field": "amount", "header": "金额(元)"},
        {"field": "name", "header": "户名"},
    ]


def test_dashboard_shows_the_round_figures_and_chart_data(cast: Any, client_for: Any) -> None:

    round_ = helpers.approved(cast)
    services.mark_result(actor=cast.city, payout=helpers.line_of(round_, cast.person_a), result="paid")
    response = client_for("city").get("/payments/overview/")
    page = response.content.decode()
    assert "¥1,000.00" in page
    assert "echarts-5.6.0.min.js" in page
    chart = json.loads(page.split('id="payments-chart" type="application/json">')[1].split("</script>")[0])
    assert chart["districts"] == ["海曙区", "鄞州区"]
    assert chart["series"] == [{"name": "省部级", "people": [1, 0]}, {"name": "市级", "people": [0, 1]}]


def test_round_list_query_count_does_not_grow_with_rounds(cast: Any, client_for: Any) -> None:
    client = client_for("district_a")
    helpers.draft(cast, title="一")
    client.get("/payments/rounds/")
    with CaptureQueriesContext(connection) as one:
        page = client.get("/payments/rounds/").content.decode()
    assert "1,000.00" in page  # district A's share only
    helpers.draft(cast, title="二")
    helpers.draft(cast, title="三")
    with CaptureQueriesContext(connection) as three:
        assert client.get("/payments/rounds/").status_code == 200
    assert len(three) == len(one)
