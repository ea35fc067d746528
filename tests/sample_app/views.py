from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from core.permissions import require_perm
from tests.sample_app.models import Visit


@require_perm("sample.view")
def visit_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(v.note for v in Visit.objects.visible_to(request.user)))
