"""Pages: each part's (hardship, petitions), in the ``casework`` namespace."""

from django.urls import URLPattern, URLResolver

from casework.parts import PARTS

app_name = "casework"

urlpatterns: list[URLPattern | URLResolver] = PARTS.urlpatterns()
