"""Pages of the incidents part: a person's call-outs on the phone (answer in one tap)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pages import message_error
from core.permissions import require_perm, signed_in
from volunteering.incidents import services
from volunteering.models import CallOutAnswer


def _mine(request: HttpRequest):  # type: ignore[no-untyped-def]
    return CallOutAnswer.objects.filter(person__user=signed_in(request)).select_related(
        "callout__incident", "callout__need", "callout__specialty", "callout__district"
    )


@require_perm("portal.self")
def my_callouts(request: HttpRequest) -> HttpResponse:
    rows = _mine(request).order_by("-callout__created", "-id")[:50]
    return render(request, "volunteering/incidents/my_callouts.html", {"rows": rows})


@require_POST
@require_perm("portal.self")
def my_callout_answer(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(_mine(request), pk=pk)
    answer = request.POST.get("answer", "")
    reason = (request.POST.get("reason") or "")[:200]
    try:
        _row, recorded = services.answer_callout(actor=signed_in(request), row=row, answer=answer, reason=reason)
    except DomainError as exc:
        message_error(request, exc)
    else:
        if recorded:
            messages.success(request, _("已收到您的答复，谢谢！"))
        else:
            messages.info(request, _("您已答复过（%(answer)s），无需重复") % {"answer": _row.get_answer_display()})
    return redirect("volunteering:my_callouts")
