from __future__ import annotations

import json
from typing import Any

from django.test import Client

from core.models import AuditEntry
from payments.models import PayoutChange, PayoutResult
from payments.tests import helpers


def test_rounds_and_scoped_masked_payouts(cast: Any, client_for: Any) -> None:
    round_ = helpers.approved(cast)
    city = client_for("city")
    rounds = city.get("/api/payments/rounds").json()
    assert [(r["id"], r["title"], r["status"], r["rule_version"]) for r in rounds] == [
        (round_.pk, "2026年春节慰问金", "approved", "2026年春节慰问金发放规则 v1")
    ]
    detail = client_for("district_a").get(f"/api/payments/rounds/{round_.pk}").json()
    assert (detail["totals"]["approved_people"], detail["totals"]["approved_total"]) == (1, "1000.00")
    lines = client_for("district_a").get(f"/api/payments/rounds/{round_.pk}/payouts").json()
    assert [(p["name"], p["amount"], p["bank_account"], p["first_time"]) for p in lines] == [
        ("万亚勇", "1000.00", "6222 **** **** 0123", True)
    ]
    everything = city.get(f"/api/payments/rounds/{round_.pk}/payouts").json()
    assert sorted(p["name"] for p in everything) == ["万亚勇", "单秀英"]
    assert helpers.ACCOUNT_A not in json.dumps(everything)


def _post(client: Client, url: str, body: dict[str, Any], key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def test_replaying_a_result_with_the_same_idempotency_key_changes_nothing(cast: Any, client_for: Any) -> None:
    round_ = helpers.approved(cast)
    line = helpers.line_of(round_, cast.person_a)
    url = f"/api/payments/payouts/{line.pk}/result"
    client = client_for("district_a")
    first = _post(client, url, {"result": "paid"}, "bank-2026-0001")
    assert first.status_code == 200
    assert first.json() == {
        "id": line.pk,
        "reference": line.reference,
        "result": "paid",
        "result_reason": "",
        "replayed": False,
    }
    again = _post(client, url, {"result": "paid"}, "bank-2026-0001")
    assert (again.status_code, again.json()["replayed"]) == (200, True)
    assert PayoutChange.objects.filter(payout=line, action="result").count() == 1
    assert AuditEntry.objects.filter(action="payments.payout.result").count() == 1
    other = _post(client, url, {"result": "failed", "reason": "x"}, "bank-2026-0001")
    assert (other.status_code, other.json()["detail"]) == (422, "该 Idempotency-Key 已用于另一个请求")
    missing = _post(client, url, {"result": "paid"}, None)
    assert (missing.status_code, missing.json()["detail"]) == (422, "缺少 Idempotency-Key 请求头")
    line.refresh_from_db()
    assert line.result == PayoutResult.PAID


def test_marking_outside_ones_district_is_404_and_a_refused_result_is_409(cast: Any, client_for: Any) -> None:
    round_ = helpers.approved(cast)
    line = helpers.line_of(round_, cast.person_a)
    url = f"/api/payments/payouts/{line.pk}/result"
    assert _post(client_for("district_b"), url, {"result": "paid"}, "k1").status_code == 404
    refused = _post(client_for("district_a"), url, {"result": "returned"}, "k2")
    assert (refused.status_code, refused.json()["detail"]) == (409, "发放失败或退回时请填写原因")
    # The refused request left no key behind: the client may retry it with a reason.
    assert _post(client_for("district_a"), url, {"result": "returned", "reason": "账户冻结"}, "k2").status_code == 200
