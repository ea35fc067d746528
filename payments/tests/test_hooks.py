from __future__ import annotations

from typing import Any

from payments.hooks import person_panels
from payments.models import Payout, PayoutChange
from payments.services import _copy_text, mark_result
from payments.tests import helpers
from people.models import HonourTitle
from people.services import add_honour, create_person, merge_people


def test_merging_people_moves_lines_and_excludes_a_double_listing_in_a_draft(cast: Any) -> None:
    twin = create_person(actor=None, region=cast.region_a, name="万亚勇", gender="M")
    add_honour(actor=None, person=twin, title=HonourTitle.objects.get(name="宁波市劳动模范"), year=2009)
    round_ = helpers.draft(cast)
    assert Payout.objects.filter(round=round_, person__name="万亚勇").count() == 2
    merge_people(actor=cast.city, keep=cast.person_a, duplicate=twin)
    twin_line = Payout.objects.get(round=round_, person=twin)
    assert (twin_line.excluded, twin_line.excluded_reason) == (True, "duplicate")
    assert PayoutChange.objects.get(payout=twin_line).detail == "人员合并：与“万亚勇”重复，自动剔除"
    assert Payout.objects.filter(round=round_, person=cast.person_a, excluded=False).count() == 1


def test_merging_moves_a_duplicates_lines_to_the_kept_record(cast: Any) -> None:
    round_ = helpers.draft(cast)
    keep = create_person(actor=None, region=cast.region_b, name="单秀英", gender="F")
    merge_people(actor=cast.city, keep=keep, duplicate=cast.person_b)
    assert Payout.objects.get(round=round_, person=keep).amount == helpers.line_of(round_, keep).amount


def test_copy_text_escapes_what_copy_would_misread() -> None:
    assert _copy_text("a\tb\\c\nd") == "a\\tb\\\\c\\nd"
    assert (_copy_text(None), _copy_text(True), _copy_text(False)) == ("\\N", "t", "f")


def test_person_page_panel_lists_the_persons_lines_for_those_who_may_see_them(cast: Any) -> None:

    round_ = helpers.approved(cast)
    mark_result(actor=cast.city, payout=helpers.line_of(round_, cast.person_a), result="paid")
    (panel,) = person_panels(user=cast.district_a, person=cast.person_a)
    assert panel.rows == [
        ["2026年春节慰问金", "市级", "宁波市劳动模范（2019）→ 市级 1,000.00；规则 v1", "1,000.00", "是", "已发放"]
    ]
    assert person_panels(user=cast.district_b, person=cast.person_a)[0].rows == []
    assert person_panels(user=cast.worker_a, person=cast.person_a) == []
