"""Pages: each part's (hardship, petitions), in the ``casework`` namespace."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "casework"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("casework.hardship.urls")),
    path("", include("casework.petitions.urls")),
]
