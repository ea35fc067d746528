"""The registry API's routes and how each member of the cast must be answered (see core/tests/matrix.py).

Bodies that name catalogue rows by id use id 0 (no such row): the caller with the permission gets the
service's refusal (422), everybody else is stopped before that (403), anonymous callers at the door (401).
"""

from __future__ import annotations

from typing import Any

from core.tests.matrix import Route, allow
from people.models import HonourTitle, Trade
from people.services import add_honour, set_skill

STAFF = ("city", "district_a", "district_b")
JSON = "application/json"


def _staff(status: int = 200) -> dict[str, int]:
    return allow(*STAFF, status=status, anonymous=401)


def _person_a(status: int = 200) -> dict[str, int]:
    """person_a lives in 鄞州: district_b staff do not see them."""
    return {**allow("city", "district_a", status=status, anonymous=401), "district_b": 404}


def _a(cast: Any) -> dict[str, int]:
    return {"person_id": cast.person_a.pk}


def _honour_of_a(cast: Any) -> dict[str, int]:

    honour = add_honour(
        actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2019
    )
    return {"person_id": cast.person_a.pk, "honour_id": honour.pk}


def _skill_of_a(cast: Any) -> dict[str, int]:

    skill = set_skill(actor=None, person=cast.person_a, trade=Trade.objects.get(code="01"), grade="2")
    return {"person_id": cast.person_a.pk, "skill_id": skill.pk}


ROUTES = [
    Route("api:people", expect=_staff()),
    Route("api:people", method="post", data={"name": "测试", "region": 0}, content_type=JSON, expect=_staff(422)),
    Route("api:person", kwargs=_a, expect=_person_a()),
    Route("api:person", method="patch", kwargs=_a, data={"notes": "矩阵"}, content_type=JSON, expect=_person_a()),
    Route("api:person_honours", kwargs=_a, expect=_person_a()),
    Route(
        "api:person_honours",
        method="post",
        kwargs=_a,
        data={"title": 0, "year": 2020},
        content_type=JSON,
        expect=_person_a(422),
    ),
    Route(
        "api:honour_revoke",
        method="post",
        setup=_honour_of_a,
        data={"reason": "矩阵测试"},
        content_type=JSON,
        expect=_person_a(),
    ),
    Route("api:person_skills", kwargs=_a, expect=_person_a()),
    Route("api:person_skills", method="post", kwargs=_a, data={"trade": 0}, content_type=JSON, expect=_person_a(422)),
    Route("api:person_skill", method="delete", setup=_skill_of_a, content_type=JSON, expect=_person_a(204)),
    Route("api:honour_titles", expect=_staff()),
    Route("api:trades", expect=_staff()),
]
