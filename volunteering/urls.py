"""Pages: each part's (teams, incidents, operations), in the ``volunteering`` namespace."""

from django.urls import URLPattern, URLResolver

from volunteering.parts import PARTS

app_name = "volunteering"

urlpatterns: list[URLPattern | URLResolver] = PARTS.urlpatterns()
