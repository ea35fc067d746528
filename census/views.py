from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.jobs import job_url, start_job
from core.pages import form_error, message_error, page_of
from core.params import parse_id
from core.permissions import has_perm, require_perm, signed_in
from core.scope import scope_for
from core.sheetreader import MAX_FILE_BYTES
from core.spreadsheets import xlsx_response

from . import exports, selectors, services, sheets
from .forms import CampaignForm, ColumnMappingForm, ProposalForm, RecordFilterForm, SelfProposalForm, UploadForm
from .models import Campaign, ChangeProposal, ImportBatch, RecordState, Source
from .tasks import run_import

# Files above this size are validated and committed in the background.
BACKGROUND_BYTES = 300 * 1024


# ---------------------------------------------------------------- campaigns


@require_perm("census.view")
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaigns_for_user(request.user))
    rows = [(c, selectors.campaign_figures(request.user, c)["total"]) for c in campaigns]
    return render(request, "census/campaign_list.html", {"rows": rows})


@require_perm("census.open")
def campaign_open(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.open_campaign(
                actor=signed_in(request),
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                districts=form.cleaned_data["districts"],
                deadline=form.cleaned_data["deadline"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("普查已开始：%(title)s") % {"title": campaign.title})
            return redirect("census:campaign", pk=campaign.pk)
    return render(request, "census/campaign_form.html", {"form": form})


@require_perm("census.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk)
    district = _district_param(request)
    figures = selectors.campaign_figures(request.user, campaign, district=district)
    rows, counts = figures["rows"], figures["total"]
    district_name = ""
    if district:
        district_name = next(
            (r.district.name for r in selectors.records_for(request.user, campaign, district=district)[:1]), ""
        )
        if not district_name:
            raise Http404
    chart = {
        "names": [str(r["name"]) for r in rows],
        "series": [{"name": str(s.label), "key": s.value, "data": [r[s.value] for r in rows]} for s in RecordState],
    }
    return render(
        request,
        "census/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "counts": counts,
            "percent": counts["percent"],
            "district": district,
            "district_name": district_name,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "summary_text": (
                campaign.summary.get("text")
                if campaign.summary and not district and scope_for(request.user).everything
                else selectors.summary_text(selectors.summary_of(counts))
            ),
            "states": RecordState,
        },
    )


@require_POST
@require_perm("census.open")
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk)
    try:
        campaign = services.close_campaign(actor=signed_in(request), campaign=campaign)
    except DomainError as exc:
        message_error(request, exc)
    else:
        messages.success(request, _("普查已结束：%(text)s") % {"text": campaign.summary["text"]})
    return redirect("census:campaign", pk=campaign.pk)


@require_perm("census.view")
def record_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk)
    form = RecordFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.records_for(
        request.user,
        campaign,
        state=filters.get("state") or "",
        district=filters.get("district"),
        street=filters.get("street"),
        q=(filters.get("q") or "").strip(),
    )
    page = page_of(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "census/record_list.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": has_perm(request.user, "census.manage") and campaign.is_open,
            "new_link": request.session.pop("census_new_link", None),
        },
    )


def _district_param(request: HttpRequest) -> int | None:
    return parse_id(request.GET.get("district"))


@require_perm("census.view", "people.export")
def missing_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk)
    content, filename = exports.missing_list(request.user, campaign, district=_district_param(request))
    return xlsx_response(content, filename)


@require_perm("census.view")
def progress_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, pk)
    content, filename = exports.progress(request.user, campaign, district=_district_param(request))
    return xlsx_response(content, filename)


@require_POST
@require_perm("census.manage")
def record_action(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.confirm_record(actor=signed_in(request), record=record)
        elif action == "unreachable":
            services.mark_unreachable(actor=signed_in(request), record=record, reason=request.POST.get("reason", ""))
        elif action == "deceased":
            try:
                date = dt.date.fromisoformat(request.POST.get("date", ""))
            except ValueError as exc:
                raise DomainError(_("请填写去世日期")) from exc
            services.record_death(
                actor=signed_in(request), record=record, date=date, note=request.POST.get("reason", "")
            )
        elif action == "link":
            token = services.create_personal_link(actor=signed_in(request), record=record)
            request.session["census_new_link"] = {
                "name": record.person.name,
                "url": request.build_absolute_uri(reverse("census:personal", kwargs={"token": token})),
            }
        else:
            raise DomainError(_("未知操作"))
    except DomainError as exc:
        message_error(request, exc)
    else:
        messages.success(request, _("操作成功"))
    target = request.POST.get("next", "")
    if target.startswith("/census/"):
        return redirect(target)
    return redirect("census:records", pk=record.campaign_id)


@require_perm("census.manage")
def record_propose(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record(request.user, pk)
    person = record.person
    initial = {f: getattr(person, f) for f in services.PROPOSABLE}
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "note"}
        try:
            proposal = services.propose_changes(
                actor=signed_in(request), record=record, data=data, source=Source.STAFF, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已提交，等待审核") if proposal else _("信息无变化，已记为确认无误"))
            return redirect("census:records", pk=record.campaign_id)
    return render(request, "census/record_propose.html", {"record": record, "form": form})


# ---------------------------------------------------------------- review


@require_perm("census.review")
def review_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.proposals_for(request.user))
    return render(request, "census/review_list.html", {"page": page})


@require_perm("census.review")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    changes = list(proposal.changes.all())
    error = ""
    if request.method == "POST":
        decisions = {}
        for change in changes:
            value = request.POST.get(f"change_{change.pk}")
            if value in {"accept", "reject"}:
                decisions[change.pk] = value == "accept"
        try:
            services.review_proposal(actor=signed_in(request), proposal=proposal, decisions=decisions)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("审核完成"))
            return redirect("census:reviews")
    return render(
        request,
        "census/review_detail.html",
        {
            "proposal": proposal,
            "changes": changes,
            "error": error,
            "pending": proposal.status == ChangeProposal.Status.PENDING,
        },
    )


# ---------------------------------------------------------------- personal link (no login)


@never_cache
def personal(request: HttpRequest, token: str) -> HttpResponse:
    link = services.link_for_token(token)
    if link is None:
        raise Http404
    record, person = link.record, link.record.person
    mode = request.GET.get("mode", "")
    form = SelfProposalForm(
        request.POST if request.method == "POST" and request.POST.get("action") == "propose" else None,
        initial={f: getattr(person, f) for f in services.PROPOSABLE},
    )
    done = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                services.answer_by_link(link=link, data=None)
                done = "confirmed"
            elif request.POST.get("action") == "withdraw":
                services.withdraw_answer(link=link)
                done = "withdrawn"
            elif form.is_valid():
                data = {k: v for k, v in form.cleaned_data.items() if k != "note"}
                proposal = services.answer_by_link(link=link, data=data, note=form.cleaned_data["note"])
                done = "proposed" if proposal else "confirmed"
            else:
                mode = "edit"
        except DomainError as exc:
            message_error(request, exc)
        if done:
            return redirect(f"{reverse('census:personal', kwargs={'token': token})}?done={done}")
    record.refresh_from_db()
    link.refresh_from_db()
    undo_until = services.withdrawable_until(link)
    return render(
        request,
        "census/personal.html",
        {
            "undo_until": undo_until,
            "undo_minutes": services.UNDO_MINUTES,
            "undo_answer": link.undo.get("answer", "") if undo_until else "",
            "record": record,
            "person": person,
            "form": form,
            "mode": mode,
            "done": request.GET.get("done", ""),
            "token": token,
            "waiting": record.state == RecordState.CHANGED,
            "submitted": selectors.pending_proposal(record),
        },
    )


# ---------------------------------------------------------------- import


@require_perm("people.import")
def import_list(request: HttpRequest) -> HttpResponse:
    # Counting toward a campaign needs census.manage; then the open campaign is the default.
    counts_toward = has_perm(request.user, "census.manage")
    campaigns = selectors.campaigns_for_user(request.user) if counts_toward else Campaign.objects.none()
    current = selectors.open_campaign_for(request.user) if counts_toward else None
    initial = {"campaign": current.pk} if current else {}
    form = UploadForm(request.POST or None, request.FILES or None, campaigns=campaigns, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        campaign = form.cleaned_data["campaign"]
        if campaign is not None and not has_perm(request.user, "census.manage"):
            raise Http404
        try:
            data = upload.read(services_max_bytes() + 1)
            batch = services.store_upload(actor=signed_in(request), data=data, filename=upload.name, campaign=campaign)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _run(request, batch, "validate")
    page = page_of(request, selectors.batches_for(request.user))
    return render(request, "census/import_list.html", {"form": form, "page": page})


def services_max_bytes() -> int:

    return MAX_FILE_BYTES


def _run(request: HttpRequest, batch: ImportBatch, action: str) -> HttpResponse:
    """Small files inline; large ones as a background job the clerk can leave and come back to."""
    if len(batch.content) > BACKGROUND_BYTES:
        title = _("校验 %(name)s") if action == "validate" else _("导入 %(name)s")
        job = start_job(
            actor=signed_in(request),
            kind=f"census.import.{action}",
            title=title % {"name": batch.filename},
            task=run_import,
            params={"batch": batch.pk, "action": action},
        )
        ImportBatch.objects.filter(pk=batch.pk).update(job=job)
        return redirect(job_url(job))
    try:
        if action == "commit":
            counts = services.commit_batch(actor=signed_in(request), batch=batch)
            messages.success(request, services.describe_import(counts, in_campaign=batch.campaign_id is not None))
        else:
            services.validate_batch(actor=signed_in(request), batch=batch)
    except DomainError as exc:
        message_error(request, exc)
    return redirect("census:import_detail", pk=batch.pk)


@require_perm("people.import")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch(request.user, pk)
    report = batch.report or {}
    diffs = report.get("diffs", [])
    committed = report.get("committed")
    return render(
        request,
        "census/import_detail.html",
        {
            "batch": batch,
            "report": report,
            "errors": report.get("errors", []),
            "diffs": diffs,
            "counts": report.get("counts", {}),
            "has_file": bool(batch.content),
            "committed_text": (
                services.describe_import(committed, in_campaign=batch.campaign_id is not None) if committed else ""
            ),
            "keep_hours": int(services.UPLOAD_KEEP.total_seconds() // 3600),
            "can_abandon": batch.status in {ImportBatch.Status.READY, ImportBatch.Status.REFUSED}
            and bool(batch.content),
            "column_form": (
                ColumnMappingForm(unmapped=report["unmapped"], present=report.get("fields", []))
                if report.get("unmapped") and batch.status == ImportBatch.Status.REFUSED
                else None
            ),
        },
    )


@require_POST
@require_perm("people.import")
def import_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch(request.user, pk)
    try:
        services.abandon_batch(actor=signed_in(request), batch=batch)
    except DomainError as exc:
        message_error(request, exc)
        return redirect("census:import_detail", pk=batch.pk)
    messages.success(request, _("已放弃导入，上传的文件已删除"))
    return redirect("census:imports")


@require_POST
@require_perm("people.import")
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch(request.user, pk)
    if batch.status != ImportBatch.Status.READY:
        messages.error(request, _("该文件当前不能导入（%(status)s）") % {"status": batch.get_status_display()})
        return redirect("census:import_detail", pk=batch.pk)
    return _run(request, batch, "commit")


@require_POST
@require_perm("people.import")
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk's choice for each column the importer did not know; then the file is checked again."""
    batch = selectors.get_batch(request.user, pk)
    report = batch.report or {}
    form = ColumnMappingForm(request.POST, unmapped=report.get("unmapped", []), present=report.get("fields", []))
    if not form.is_valid():
        messages.error(request, _("请为每一列选择对应的字段或“忽略此列”"))
        return redirect("census:import_detail", pk=batch.pk)
    try:
        services.map_columns(actor=signed_in(request), batch=batch, choices=form.choices())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("census:import_detail", pk=batch.pk)
    return _run(request, batch, "validate")


@require_perm("people.import", "people.reveal_id")
def import_error_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk's own file marked up: it holds full ID numbers, so it needs the permission to
    see them, is logged, and exists only while the upload is kept."""
    batch = selectors.get_batch(request.user, pk)
    if not (batch.report or {}).get("errors") or not batch.content:
        raise Http404
    content, filename = exports.error_copy(request.user, batch)
    return xlsx_response(content, filename)


@require_perm("census.view")
def template_download(request: HttpRequest) -> HttpResponse:
    return xlsx_response(sheets.template_xlsx(), "劳模工匠信息导入模板.xlsx")
