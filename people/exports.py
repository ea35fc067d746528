"""The registry as a spreadsheet: the current filtered list, scoped and masked, formula-safe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.masking import mask_mobile
from core.spreadsheets import write_xlsx
from people.models import Person
from people.selectors import PersonFilters, people_for_user, people_list_page

#: Above this many rows the export runs as a background job with a progress page.
DIRECT_EXPORT_LIMIT = 5000
CHUNK = 500


def headers() -> list[str]:
    return [
        _("姓名"),
        _("性别"),
        _("出生日期"),
        _("身份证号"),
        _("区县(市)"),
        _("所属区域"),
        _("工作单位"),
        _("职务/岗位"),
        _("最高待遇级别"),
        _("荣誉称号"),
        _("状态"),
        _("手机号"),
        _("困难劳模"),
    ]


ID_COLUMN = 3
MOBILE_COLUMN = 11


def _row(person: Person) -> list[Any]:
    honours = "、".join(f"{h.title.name}({h.year})" for h in person.honours.all())
    return [
        person.name,
        person.get_gender_display(),
        person.birth_date,
        person.id_number_masked,
        person.district.name,
        person.region.name,
        person.employer,
        person.post,
        person.get_top_level_display() if person.top_level else "",
        honours,
        person.get_status_display(),
        mask_mobile(person.mobile),
        person.hardship,
    ]


def export_filename(today: dt.date | None = None) -> str:
    return f"劳模工匠名单_{(today or timezone.localdate()):%Y%m%d}.xlsx"


def build_export(
    user: Any,
    filters: PersonFilters,
    *,
    described_filters: dict[str, Any],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[bytes, int]:
    """Write the people ``user`` sees under ``filters`` and log the export. Returns (xlsx, rows).
    Rows are read in chunks of fixed size so memory and query count stay flat."""
    qs = people_for_user(user, filters)
    total = qs.count()
    page_qs = people_list_page(qs)
    written = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal written
        # Keyset-free chunking by offset is fine here: the order is total (ends with id).
        for start in range(0, total, CHUNK):
            for person in page_qs[start : start + CHUNK]:
                written += 1
                yield _row(person)
            if progress is not None:
                progress(written, total)

    content = write_xlsx(
        headers(),
        rows(),
        sheet_title=_("劳模工匠"),
        widths=[10, 6, 12, 22, 12, 16, 30, 16, 12, 40, 8, 14, 8],
        text_columns=[ID_COLUMN, MOBILE_COLUMN],
    )
    log_action(user, "people.person.exported", changes={"count": written, "filters": described_filters})
    return content, written
