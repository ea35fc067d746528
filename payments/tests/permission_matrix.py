"""Routes of payments and how each member of the cast must be answered."""

from __future__ import annotations

from typing import Any

from core.tests.matrix import Route, allow
from payments import services
from payments.models import BankLayout, BenefitKind, CorrectionKind
from payments.tests import helpers

VIEWERS = ("city", "district_a", "district_b")
API_VIEW = allow(*VIEWERS, anonymous=401)


def _rules(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.spring_rules(cast).pk}


def _draft(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.draft(cast).pk}


def _approved(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.approved(cast).pk}


def _draft_line_a(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.line_of(helpers.draft(cast), cast.person_a).pk}


def _approved_line_a(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.line_of(helpers.approved(cast), cast.person_a).pk}


def _sign_sheet_a(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.approved(cast).pk, "district": cast.region_a.pk}


def _draft_district_a(cast: Any) -> dict[str, Any]:
    return {"pk": helpers.draft(cast).pk, "district": cast.region_a.pk}


def _reported_district_a(cast: Any) -> dict[str, Any]:
    round_ = helpers.draft(cast)
    services.report_district(actor=cast.city, round_=round_, district=cast.region_a)
    return {"pk": round_.pk, "district": cast.region_a.pk}


def _pending_correction(cast: Any) -> dict[str, Any]:
    round_ = helpers.approved(cast)
    correction = services.request_correction(
        actor=helpers.second_city_user(),
        round_=round_,
        kind=CorrectionKind.EXCLUDE,
        payout=helpers.line_of(round_, cast.person_a),
        reason="本人已在单位领取",
    )
    return {"pk": correction.pk}


def _approved_round_id(cast: Any) -> dict[str, Any]:
    return {"round_id": helpers.approved(cast).pk}


def _approved_payout_id(cast: Any) -> dict[str, Any]:
    return {"payout_id": helpers.line_of(helpers.approved(cast), cast.person_a).pk}


CITY_ONLY = allow("city")
# District staff may manage, but acts on a whole round are the association's.
CITY_SCOPE = {**allow("city"), "district_a": 403, "district_b": 403}
LINE_A_POST = {**allow("city", "district_a", status=302), "district_b": 404}

ROUTES = [
    Route("payments:dashboard", expect=allow(*VIEWERS)),
    Route("payments:rules", expect=allow(*VIEWERS)),
    Route("payments:kind_create", expect=CITY_ONLY),
    Route("payments:kind_edit", expect=CITY_ONLY, setup=lambda c: {"pk": BenefitKind.objects.first().pk}),  # type: ignore[union-attr]
    Route("payments:ruleset_create", expect=CITY_ONLY),
    Route("payments:ruleset_detail", expect=allow(*VIEWERS), setup=_rules),
    Route("payments:ruleset_edit", expect=CITY_ONLY, setup=_rules),
    Route("payments:rule_preview", expect=CITY_ONLY, setup=_rules),
    Route("payments:layouts", expect=CITY_ONLY),
    Route("payments:layout_create", expect=CITY_ONLY),
    Route("payments:layout_edit", expect=CITY_ONLY, setup=lambda c: {"pk": BankLayout.objects.first().pk}),  # type: ignore[union-attr]
    Route("payments:round_list", expect=allow(*VIEWERS)),
    Route("payments:round_create", expect=CITY_SCOPE),
    Route("payments:round_detail", expect=allow(*VIEWERS), setup=_draft),
    Route("payments:round_approve", method="post", expect=allow("city", status=302), setup=_draft),
    # 区县确认上报: the district's own staff (and the city); another district's is 404.
    Route("payments:round_report", method="post", expect=LINE_A_POST, setup=_draft_district_a),
    Route("payments:round_unreport", method="post", expect=LINE_A_POST, setup=_reported_district_a),
    Route("payments:round_close", method="post", expect=allow("city", status=302), setup=_approved),
    Route(
        "payments:round_follow_up",
        method="post",
        expect={**allow("city", status=302), "district_a": 403, "district_b": 403},
        setup=_approved,
    ),
    Route("payments:round_changes", expect=allow(*VIEWERS), setup=_approved),
    Route("payments:correction_create", expect=allow(*VIEWERS), setup=_approved),
    # A download that writes (counted, logged): POST.
    Route("payments:round_bank_file", method="post", expect=CITY_ONLY, setup=_approved),
    Route("payments:round_sign_sheet", expect={**allow("city", "district_a"), "district_b": 404}, setup=_sign_sheet_a),
    Route("payments:round_sign_sheets", method="post", expect=allow(*VIEWERS, status=302), setup=_approved),
    Route("payments:round_summary", expect=allow(*VIEWERS), setup=_approved),
    Route("payments:round_summary_xlsx", expect=allow(*VIEWERS), setup=_approved),
    Route("payments:round_import", expect=allow(*VIEWERS), setup=_approved),
    Route(
        "payments:payout_exclude",
        method="post",
        data={"reason": "unreachable"},
        expect=LINE_A_POST,
        setup=_draft_line_a,
    ),
    Route("payments:payout_restore", method="post", expect=LINE_A_POST, setup=_draft_line_a),
    Route("payments:payout_note", method="post", data={"note": "上门送达"}, expect=LINE_A_POST, setup=_draft_line_a),
    Route(
        "payments:payout_result",
        method="post",
        data={"result": "paid"},
        expect=LINE_A_POST,
        setup=_approved_line_a,
    ),
    Route(
        "payments:correction_decide",
        method="post",
        data={"decision": "approve"},
        expect=allow("city", status=302),
        setup=_pending_correction,
    ),
    Route("api:payments_rounds", expect=API_VIEW),
    Route("api:payments_round", expect=API_VIEW, setup=_approved_round_id),
    Route("api:payments_payouts", expect=API_VIEW, setup=_approved_round_id),
    Route(
        "api:payments_mark_result",
        method="post",
        data={"result": "paid"},
        content_type="application/json",
        # Without an Idempotency-Key the request is refused (422) after the scope check (404).
        expect={**allow("city", "district_a", status=422, anonymous=401), "district_b": 404},
        setup=_approved_payout_id,
    ),
]
