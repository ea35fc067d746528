"""Routes of the registry pages and how each member of the cast must be answered.

district_a works in 鄞州 (person_a 万亚勇), district_b in 海曙: district_b asking for person_a gets 404,
as if the record did not exist. Self-service roles, the auditor and the administrators get 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.tests.matrix import Route, allow
from people.models import HonourTitle, Trade
from people.services import add_honour, create_collective, set_skill

VIEWERS = ("city", "district_a", "district_b")
CATALOGUE_EDITORS = ("city", "sysadmin")


def _in_a(status: int) -> dict[str, int]:
    """person_a's pages: city and district_a get ``status``, district_b 404, others 403."""
    return {**allow("city", "district_a", status=status), "district_b": 404}


def _person_a(c: Any) -> dict[str, Any]:
    return {"pk": c.person_a.pk}


def _honour_on_a(c: Any) -> dict[str, Any]:

    honour = add_honour(actor=None, person=c.person_a, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2015)
    return {"pk": c.person_a.pk, "honour_pk": honour.pk}


def _first_title(cast: Any) -> dict[str, Any]:

    return {"pk": HonourTitle.objects.order_by("id").first().pk}  # type: ignore[union-attr]


def _first_trade(cast: Any) -> dict[str, Any]:

    return {"pk": Trade.objects.order_by("id").first().pk}  # type: ignore[union-attr]


def _skill_on_a(c: Any) -> dict[str, Any]:

    skill = set_skill(actor=None, person=c.person_a, trade=Trade.objects.get(name="焊工"), grade="2")
    return {"pk": c.person_a.pk, "skill_pk": skill.pk}


def _collective_in_a(c: Any) -> dict[str, Any]:

    collective = create_collective(
        actor=None,
        name="宁波舟山港北仑第三集装箱码头操作部",
        region=c.region_a,
        title=HonourTitle.objects.get(name="宁波市模范集体"),
        year=dt.date.today().year - 1,
    )
    return {"pk": collective.pk}


ROUTES = [
    Route("people:list", expect=allow(*VIEWERS)),
    Route("people:export", expect=allow(*VIEWERS)),
    Route("people:create", expect=allow(*VIEWERS)),
    Route("people:detail", kwargs=_person_a, expect=_in_a(200)),
    Route("people:edit", kwargs=_person_a, expect=_in_a(200)),
    Route("people:deceased", kwargs=_person_a, expect=_in_a(200)),
    Route("people:merge", kwargs=_person_a, expect=_in_a(200)),
    Route("people:reveal_id", method="post", kwargs=_person_a, expect=_in_a(200)),
    # person_a has no photo: those who may see the person get 404 from the photo view too.
    Route("people:photo", kwargs=_person_a, expect={**_in_a(404)}),
    Route("people:photo_upload", method="post", kwargs=_person_a, expect=_in_a(302)),
    Route("people:photo_remove", method="post", kwargs=_person_a, expect=_in_a(302)),
    # Only the association's staff may read bank numbers.
    Route("people:reveal_bank", method="post", kwargs=_person_a, expect=allow("city")),
    # Writes answer with a redirect back to the person page (with the outcome as a message).
    Route("people:honour_add", method="post", kwargs=_person_a, expect=_in_a(302)),
    Route("people:honour_revoke", method="post", setup=_honour_on_a, expect=_in_a(302)),
    Route("people:honour_remove", method="post", setup=_honour_on_a, expect=_in_a(302)),
    Route("people:skill_add", method="post", kwargs=_person_a, expect=_in_a(302)),
    Route("people:skill_remove", method="post", setup=_skill_on_a, expect=_in_a(302)),
    Route("people:collectives", expect=allow(*VIEWERS)),
    Route("people:collective_create", expect=allow(*VIEWERS)),
    Route("people:collective_edit", setup=_collective_in_a, expect=_in_a(200)),
    Route("people:collective_delete", method="post", setup=_collective_in_a, expect=_in_a(302)),
    # 系统管理 → the registry's catalogues.
    Route("people:honour_titles", expect=allow(*CATALOGUE_EDITORS)),
    Route("people:honour_title_create", expect=allow(*CATALOGUE_EDITORS)),
    Route("people:honour_title_edit", setup=_first_title, expect=allow(*CATALOGUE_EDITORS)),
    Route("people:trades", expect=allow(*CATALOGUE_EDITORS)),
    Route("people:trade_create", expect=allow(*CATALOGUE_EDITORS)),
    Route("people:trade_edit", setup=_first_trade, expect=allow(*CATALOGUE_EDITORS)),
]
