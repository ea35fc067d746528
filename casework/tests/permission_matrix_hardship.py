"""casework.hardship: its routes x the cast."""

from __future__ import annotations

from typing import Any

from casework.tests import hardship_factories as hf
from core.tests.matrix import Route, allow

STAFF = ("city", "district_a", "district_b")


def scoped(status: int, anonymous: int = 302) -> dict[str, int]:
    """A district_a object: city and district_a get ``status``, district_b 404, the rest 403."""
    return allow("city", "district_a", status=status, anonymous=anonymous) | {"district_b": 404}


def pk(builder: Any) -> Any:
    return lambda cast: {"pk": builder(cast).pk}


def file_id(builder: Any) -> Any:
    return lambda cast: {"file_id": builder(cast).pk}


def _with_authorisation(cast: Any) -> Any:
    return hf.move_to(cast, hf.new_file(cast), "finance")


def _target_a(cast: Any) -> Any:
    return hf.plan(cast).targets.get(person=cast.person_a)


ROUTES = [
    Route("casework:hardship_list", expect=allow(*STAFF)),
    Route("casework:hardship_create", expect=allow(*STAFF)),
    Route("casework:hardship_detail", setup=pk(hf.new_file), expect=scoped(200)),
    Route("casework:hardship_sensitive", setup=pk(hf.new_file), expect=scoped(200)),
    Route("casework:hardship_authorisation", setup=pk(_with_authorisation), expect=scoped(200)),
    Route("casework:hardship_act", method="post", setup=pk(hf.new_file), expect=scoped(302)),
    Route("casework:hardship_help_list", expect=allow(*STAFF)),
    Route("casework:hardship_rechecks", expect=allow(*STAFF)),
    Route("casework:hardship_figures", expect=allow(*STAFF)),
    Route("casework:hardship_settings", expect=allow("city")),
    Route("casework:visit_list", expect=allow(*STAFF)),
    Route("casework:visit_create", expect=allow(*STAFF)),
    Route("casework:visit_detail", setup=pk(hf.visit), expect=scoped(200)),
    Route("casework:visit_photo_add", setup=pk(hf.visit), expect=scoped(200)),
    Route("casework:visit_photo", setup=pk(hf.photo_of), expect=scoped(200)),
    Route("casework:visit_plan_list", expect=allow(*STAFF)),
    Route("casework:visit_plan_create", expect=allow(*STAFF)),
    # a whole-city plan: every staff member sees it (each only their district's people)
    Route("casework:visit_plan_detail", setup=pk(hf.plan), expect=allow(*STAFF)),
    # no person posted: 404 after the permission check
    Route("casework:visit_plan_target_add", method="post", setup=pk(hf.plan), expect=allow(*STAFF, status=404)),
    # person_a's target (district_a)
    Route("casework:visit_plan_target_remove", method="post", setup=pk(_target_a), expect=scoped(302)),
    # API
    Route("api:casework_hardship_files", expect=allow(*STAFF, anonymous=401)),
    Route("api:casework_hardship_file", setup=file_id(hf.new_file), expect=scoped(200, anonymous=401)),
    Route(
        "api:casework_hardship_file_create",
        method="post",
        data={"person_id": 2**61, "category": "深度困难"},
        content_type="application/json",
        # nobody of that number: 404 after the permission check
        expect=allow(*STAFF, status=404, anonymous=401),
    ),
    Route(
        "api:casework_hardship_help_create",
        method="post",
        setup=file_id(hf.filed_file),
        data={"kind": "cash", "amount": "10.00", "given_on": "2026-01-05"},
        content_type="application/json",
        # without an Idempotency-Key: refused (422) after the scope check (404)
        expect=scoped(422, anonymous=401),
    ),
]
