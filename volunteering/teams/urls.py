"""volunteering.teams: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from volunteering.teams import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/add/", views.member_add, name="team_member_add"),
    path("members/<int:pk>/end/", views.member_end, name="team_member_end"),
    path("teams/<int:pk>/activities/new/", views.activity_record, name="team_activity_record"),
    path("activities/<int:pk>/confirm/", views.activity_confirm, name="activity_confirm"),
    path("figures/", views.figures, name="team_figures"),
    path("people/search/", views.person_search, name="team_person_search"),
    path("people/pick/", views.person_pick, name="team_person_pick"),
    path("p/activities/report/", views.my_report, name="my_report"),
]
