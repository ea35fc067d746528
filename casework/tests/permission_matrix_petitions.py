"""casework.petitions: its routes x the cast."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import PetitionCase
from casework.petitions.services import add_attachment, link_repeat, register_case
from casework.tests.petitions_calendar import load_test_calendar
from core.tests.matrix import PUBLIC, Route, allow

VIEWERS = ("city", "district_a", "district_b")
HANDLERS = ("city", "district_a", "district_b")


def _case(cast: Any) -> dict[str, int]:
    load_test_calendar()  # the deadlines count working days
    case = register_case(actor=cast.city, channel="call", name="张三", matter="工资拖欠", district=cast.region_a)
    return {"pk": case.pk}


def scoped(*names: str, status: int = 200) -> dict[str, int]:
    """A district_a case: district_b sees nothing (404)."""
    return allow(*names, status=status) | {"district_b": 404}


ROUTES: list[Route] = [
    Route("casework:petitions_list", expect=allow(*VIEWERS)),
    Route("casework:petitions_export", expect=allow(*VIEWERS)),
    Route("casework:petitions_create", expect=allow(*HANDLERS)),
    Route("casework:petitions_figures", expect=allow(*VIEWERS)),
    Route("casework:petitions_detail", setup=_case, expect=scoped("city", "district_a")),
    Route("casework:petitions_accept", method="post", setup=_case, expect=scoped("city", "district_a", status=302)),
    Route(
        "casework:petitions_extend",
        method="post",
        setup=_case,
        data={"days": "99"},
        expect=scoped("city", "district_a", status=302),
    ),
    Route(
        "casework:petitions_close",
        method="post",
        setup=_case,
        data={"answer": ""},
        expect=scoped("city", "district_a", status=302),
    ),
    Route(
        "casework:petitions_extension_decide",
        method="post",
        setup=_case,
        data={"decision": "approve"},
        # no request to decide: refused with a message, back to the case
        expect=allow("city", status=302),  # district staff lack petitions_approve: 403 first
    ),
    Route(
        "casework:petitions_review",
        method="post",
        setup=_case,
        data={"requested_on": "2000-01-01"},
        expect=scoped("city", "district_a", status=302),
    ),
    Route(
        "casework:petitions_transfer",
        method="post",
        setup=_case,
        data={"reason": ""},
        expect=scoped("city", "district_a", status=302),
    ),
    Route("casework:petitions_settings", expect=allow("city")),
    # API
    Route("api:casework_petitions_cases", expect=allow(*VIEWERS, anonymous=401)),
    Route(
        "api:casework_petitions_case",
        setup=lambda cast: {"case_id": _case(cast)["pk"]},
        expect=scoped("city", "district_a") | {"anonymous": 401},
    ),
    Route(
        "api:casework_petitions_case_extend",
        method="post",
        setup=lambda cast: {"case_id": _case(cast)["pk"]},
        data={"days": 5, "reason": "需会商"},
        content_type="application/json",
        # no Idempotency-Key: 422 once allowed
        expect=scoped("city", "district_a", status=422) | {"anonymous": 401},
    ),
    Route(
        "api:casework_petitions_case_create",
        method="post",
        data={"channel": "call", "name": "张三", "matter": "咨询", "district_id": 2**61},
        content_type="application/json",
        # no such district: 404 after the permission check
        expect=allow(*HANDLERS, status=404, anonymous=401),
    ),
]

# ---------------------------------------------------------------- phone page, material, 重复件 (petphone)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _attachment(cast: Any) -> dict[str, int]:
    load_test_calendar()
    case = register_case(actor=cast.city, channel="call", name="张三", matter="工资拖欠", district=cast.region_a)
    item = add_attachment(actor=cast.city, case=case, note="照片", upload=SimpleUploadedFile("a.png", PNG))
    return {"pk": item.pk}


def _two_cases(cast: Any) -> dict[str, Any]:
    load_test_calendar()
    earlier = register_case(actor=cast.city, channel="call", name="张三", matter="工资拖欠", district=cast.region_a)
    case = register_case(actor=cast.city, channel="visit", name="张三", matter="工资拖欠", district=cast.region_a)
    return {"pk": case.pk, "earlier": earlier.pk}


def _linked(cast: Any) -> dict[str, int]:
    ids = _two_cases(cast)
    case = PetitionCase.objects.get(pk=ids["pk"])
    link_repeat(actor=cast.city, case=case, earlier=PetitionCase.objects.get(pk=ids["earlier"]))
    return {"pk": case.pk}


ROUTES += [
    # the petitioner's phone pages: no account; without a verified mobile in the session they go
    # back to the first step (302), and a file is nobody's (404)
    Route("casework:petitions_phone", expect=dict.fromkeys(PUBLIC, 200)),
    Route("casework:petitions_phone_verify", expect=dict.fromkeys(PUBLIC, 302)),
    Route("casework:petitions_phone_cases", expect=dict.fromkeys(PUBLIC, 302)),
    Route("casework:petitions_phone_case", setup=_case, expect=dict.fromkeys(PUBLIC, 302)),
    Route("casework:petitions_phone_file", setup=_attachment, expect=dict.fromkeys(PUBLIC, 404)),
    Route("casework:petitions_phone_signout", method="post", expect=dict.fromkeys(PUBLIC, 302)),
    # staff: material and 重复件 (district_b: 404)
    Route("casework:petitions_attachment", setup=_attachment, expect=scoped("city", "district_a")),
    Route(
        "casework:petitions_attach",
        method="post",
        setup=_case,
        data={"note": "补充说明"},
        expect=scoped("city", "district_a", status=302),
    ),
    Route(
        "casework:petitions_link_repeat",
        method="post",
        setup=lambda cast: {"pk": _two_cases(cast)["pk"]},
        data={"earlier": "x"},  # not an id: a message, back to the case
        expect=scoped("city", "district_a", status=302),
    ),
    Route(
        "casework:petitions_unlink_repeat",
        method="post",
        setup=_linked,
        expect=scoped("city", "district_a", status=302),
    ),
]
