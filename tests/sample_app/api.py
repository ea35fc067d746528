from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from core.permissions import require_api_perm
from tests.sample_app.models import Visit

router = Router(tags=["sample"])


@router.get("/visits", response=list[str], url_name="sample_visits")
def visits(request: HttpRequest) -> list[str]:
    user = require_api_perm(request, "sample.view")
    return [v.note for v in Visit.objects.visible_to(user)]
