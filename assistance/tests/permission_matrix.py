"""Routes of technical help and how each member of the cast must be answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistance.models import Category
from assistance.services import invitation_token, save_call
from assistance.tests import factories as f
from core.models import Region
from core.tests.matrix import API_LOGIN_REQUIRED, PUBLIC, SIGNED_IN, Route, allow

STAFF = ("city", "district_a", "district_b")
WORKERS = ("worker_a", "worker_b")


def scoped(status: int) -> dict[str, int]:
    """A district_a object: city and district_a get ``status``, district_b 404, the rest 403."""
    return allow("city", "district_a", status=status) | {"district_b": 404}


def pk(builder: Any) -> Any:
    return lambda cast: {"pk": builder(cast).pk}


def request_pk(builder: Any) -> Any:
    return lambda cast: {"pk": builder(cast).request_id}


def token(cast: Any) -> dict[str, str]:

    return {"token": invitation_token(f.invited(cast))}


ROUTES = [
    # Phone pages.
    Route("assistance:apply", expect=dict.fromkeys(PUBLIC, 200) | {"requester": 302}),
    Route("assistance:apply_verify", expect=dict.fromkeys(PUBLIC, 302)),
    Route("assistance:apply_form", expect=dict.fromkeys(PUBLIC, 302) | {"requester": 200}),
    Route("assistance:my_requests", expect=allow("requester")),
    Route("assistance:my_request", setup=pk(f.make_request), expect=allow("requester")),
    Route(
        "assistance:my_request_upload", method="post", setup=pk(f.make_request), expect=allow("requester", status=302)
    ),
    Route("assistance:my_request_rate", method="post", setup=pk(f.make_request), expect=allow("requester", status=302)),
    Route(
        "assistance:attachment",
        setup=pk(f.attachment_of),
        expect=dict.fromkeys(SIGNED_IN, 404) | {"city": 200, "district_a": 200, "requester": 200, "anonymous": 302},
    ),
    Route(
        "assistance:attachment_delete",
        method="post",
        setup=pk(f.attachment_of),
        expect=dict.fromkeys(SIGNED_IN, 404) | {"city": 302, "district_a": 302, "requester": 302, "anonymous": 302},
    ),
    Route("assistance:answer_link", setup=token, expect=dict.fromkeys(PUBLIC, 200)),
    Route("assistance:my_invitations", expect=allow(*WORKERS)),
    Route(
        "assistance:my_invitation_answer",
        method="post",
        setup=pk(f.invited),
        data={"answer": "decline"},
        expect=allow("worker_a", status=302) | {"worker_b": 404},
    ),
    Route("assistance:my_services", expect=allow(*WORKERS)),
    # Staff pages.
    Route("assistance:request_list", expect=allow(*STAFF)),
    Route("assistance:request_create", expect=allow(*STAFF)),
    Route("assistance:request_detail", setup=pk(f.make_request), expect=scoped(200)),
    Route("assistance:request_accept", method="post", setup=pk(f.make_request), expect=scoped(302)),
    Route(
        "assistance:request_decline",
        method="post",
        setup=pk(f.make_request),
        data={"reason": "不属于技术问题"},
        expect=scoped(302),
    ),
    Route(
        "assistance:request_merge", method="post", setup=pk(f.make_request), data={"into": "JB0"}, expect=scoped(302)
    ),
    Route("assistance:request_transfer", method="post", setup=pk(f.make_request), expect=scoped(302)),
    Route("assistance:request_upload", method="post", setup=pk(f.make_request), expect=scoped(302)),
    Route("assistance:request_match", setup=pk(f.accepted_request), expect=scoped(200)),
    Route("assistance:request_invite", method="post", setup=pk(f.accepted_request), expect=scoped(302)),
    # An empty visit comes back as the request page with the form's errors (200), not a redirect.
    Route("assistance:visit_create", method="post", setup=pk(f.in_service), expect=scoped(200)),
    Route("assistance:outcome", method="post", setup=pk(f.with_visit), expect=scoped(302)),
    Route("assistance:invitation_withdraw", method="post", setup=pk(f.invited), expect=scoped(302)),
    Route("assistance:person_services", kwargs=lambda cast: {"pk": cast.person_a.pk}, expect=scoped(200)),
    Route("assistance:call_list", expect=allow(*STAFF)),
    Route("assistance:call_create", expect=allow("city")),
    Route("assistance:call_edit", setup=lambda cast: {"pk": _call(cast).pk}, expect=allow("city")),
    Route("assistance:category_list", expect=allow("city")),
    Route("assistance:category_create", expect=allow("city")),
    Route("assistance:category_edit", setup=lambda cast: {"pk": _category().pk}, expect=allow("city")),
    Route("assistance:figures", expect=allow(*STAFF)),
    Route("assistance:figures_export", expect=allow(*STAFF)),
    # API.
    Route("api:assistance_requests", expect=allow(*STAFF, "requester", anonymous=401)),
    Route(
        "api:assistance_request",
        setup=pk(f.make_request),
        expect=allow("city", "district_a", "requester", anonymous=401) | {"district_b": 404},
    ),
    Route("api:assistance_candidates", setup=pk(f.accepted_request), expect=scoped(200) | API_LOGIN_REQUIRED),
]


def _call(cast: Any) -> Any:

    return save_call(
        actor=cast.city,
        call=None,
        title="2026年技术帮扶需求征集",
        starts=dt.date(2026, 3, 1),
        ends=dt.date(2026, 4, 30),
        scope=Region.objects.get(code="330200"),
    )


def _category() -> Any:

    return Category.objects.get(code="welding")
