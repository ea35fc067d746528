from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.models import User
from people.models import Person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The phone home page for model workers, team leaders and requesters."""
    person = Person.objects.visible_to(request.user).filter(user=cast(User, request.user)).first()
    return render(request, "portal/home.html", {"person": person})
