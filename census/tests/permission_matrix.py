"""Every census route × the cast. Objects belong to district A (鄞州); district B staff get 404."""

from __future__ import annotations

from typing import Any

from census.models import Source
from census.services import create_personal_link, open_campaign, propose_changes, store_upload, validate_batch
from census.tests.helpers import xlsx
from core.tests.matrix import PUBLIC, Route, allow

STAFF = ("city", "district_a", "district_b")


def _campaign(cast: Any) -> Any:

    return open_campaign(actor=cast.city, year=2026)


def _campaign_kwargs(cast: Any) -> dict[str, Any]:
    return {"pk": _campaign(cast).pk}


def _record_kwargs(cast: Any) -> dict[str, Any]:
    campaign = _campaign(cast)
    return {"pk": campaign.records.get(person=cast.person_a).pk}


def _proposal_kwargs(cast: Any) -> dict[str, Any]:

    campaign = _campaign(cast)
    record = campaign.records.get(person=cast.person_a)
    proposal = propose_changes(
        actor=cast.district_a, record=record, data={"mobile": "13900001111"}, source=Source.STAFF
    )
    assert proposal is not None
    return {"pk": proposal.pk}


def _batch_kwargs(cast: Any) -> dict[str, Any]:

    batch = store_upload(actor=cast.district_a, data=xlsx([["姓名", "身份证号"], ["张三", "123"]]), filename="a.xlsx")
    validate_batch(actor=cast.district_a, batch=batch)
    return {"pk": batch.pk}


def _link_kwargs(cast: Any) -> dict[str, Any]:

    campaign = _campaign(cast)
    return {"token": create_personal_link(actor=cast.city, record=campaign.records.get(person=cast.person_a))}


IN_A = {"city": 200, "district_a": 200, "district_b": 404}
IN_A_REDIRECT = {"city": 302, "district_a": 302, "district_b": 404}

ROUTES = [
    Route("census:campaigns", expect=allow(*STAFF)),
    Route("census:campaign_open", expect=allow("city")),
    Route("census:campaign", expect=allow(*STAFF), setup=_campaign_kwargs),
    Route("census:campaign_close", method="post", expect=allow("city", status=302), setup=_campaign_kwargs),
    Route("census:records", expect=allow(*STAFF), setup=_campaign_kwargs),
    Route("census:missing_export", expect=allow(*STAFF), setup=_campaign_kwargs),
    Route("census:progress_export", expect=allow(*STAFF), setup=_campaign_kwargs),
    Route(
        "census:record_action",
        method="post",
        data={"action": "confirm"},
        expect=allow(*STAFF) | IN_A_REDIRECT,
        setup=_record_kwargs,
    ),
    Route("census:record_propose", expect=allow(*STAFF) | IN_A, setup=_record_kwargs),
    Route("census:reviews", expect=allow(*STAFF)),
    Route("census:review", expect=allow(*STAFF) | IN_A, setup=_proposal_kwargs),
    Route("census:imports", expect=allow(*STAFF)),
    Route("census:import_detail", expect=allow(*STAFF) | IN_A, setup=_batch_kwargs),
    Route("census:import_commit", method="post", expect=allow(*STAFF) | IN_A_REDIRECT, setup=_batch_kwargs),
    Route("census:import_abandon", method="post", expect=allow(*STAFF) | IN_A_REDIRECT, setup=_batch_kwargs),
    Route("census:import_columns", method="post", expect=allow(*STAFF) | IN_A_REDIRECT, setup=_batch_kwargs),
    Route("census:import_error_file", expect=allow(*STAFF) | IN_A, setup=_batch_kwargs),
    Route("census:template", expect=allow(*STAFF)),
    # The personal link: public with a valid token, 404 with a bad one.
    Route("census:personal", expect=PUBLIC, setup=_link_kwargs),
    Route("census:personal", expect=dict.fromkeys(PUBLIC, 404), kwargs={"token": "not-a-token"}),
]
