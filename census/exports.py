"""Census spreadsheets that leave the platform. Each one holds personal data or the association's
figures, so each download is logged (who, which campaign or batch, how many rows); the views
check the permission before calling these."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.audit import log_action
from core.spreadsheets import write_xlsx

from . import selectors, sheets
from .models import Campaign, ImportBatch, RecordState


def missing_list(user: Any, campaign: Campaign, *, district: int | None = None) -> tuple[bytes, str]:
    """The people not yet surveyed (pending or unreachable), with their phone numbers: the list
    the district offices call round. Returns (content, filename)."""
    records = selectors.records_for(user, campaign, state="missing", district=district)
    count = 0

    def counted() -> Any:
        nonlocal count
        for record in records.iterator(chunk_size=2000):
            count += 1
            yield record

    content = sheets.missing_xlsx(counted(), f"{campaign.title} · 未完成名单")
    log_action(
        user,
        "census.missing.exported",
        campaign,
        changes={"rows": count, "district": district},
    )
    return content, f"{campaign.year}年普查未完成名单.xlsx"


def progress(user: Any, campaign: Campaign, *, district: int | None = None) -> tuple[bytes, str]:
    """The figures of the campaign page as a sheet: one row per district (per street within
    ``district``) and the total, from ``selectors.campaign_figures``."""
    figures = selectors.campaign_figures(user, campaign, district=district)
    headers = [
        _("镇街") if district else _("区县(市)"),
        _("应普查"),
        *[str(s.label) for s in RecordState],
        _("已完成"),
        _("完成率(%)"),
    ]

    def line(name: str, row: dict[str, Any]) -> list[Any]:
        return [name, row["total"], *[row[s.value] for s in RecordState], row["surveyed"], row["percent"]]

    rows = [line(str(r["name"]), r) for r in figures["rows"]] + [line(_("合计"), figures["total"])]
    content = write_xlsx(headers, rows, sheet_title=_("完成情况"), title=f"{campaign.title} · 完成情况")
    log_action(user, "census.progress.exported", campaign, changes={"rows": len(rows) - 1, "district": district})
    return content, f"{campaign.year}年普查完成情况.xlsx"


def error_copy(user: Any, batch: ImportBatch) -> tuple[bytes, str]:
    """The clerk's own file (full ID numbers and all) with the refused cells marked."""
    errors = (batch.report or {}).get("errors", [])
    content = sheets.error_copy_xlsx(bytes(batch.content), batch.filename, errors)
    log_action(
        user,
        "census.import_errors.exported",
        batch,
        changes={"filename": batch.filename, "errors": len(errors)},
        object_repr=batch.filename,
    )
    stem = batch.filename.rsplit(".", 1)[0]
    return content, f"{stem}（错误标注）.xlsx"
