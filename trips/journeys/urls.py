"""trips.journeys: pages (included by ``trips/urls.py``, in the ``trips`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from trips.journeys import rules_views, travel_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("routes/", views.route_list, name="journeys_routes"),
    path("batches/", views.batch_list, name="journeys_batches"),
    path("batches/<int:pk>/", views.batch_detail, name="journeys_batch"),
    path("batches/<int:pk>/nominate/", views.batch_nominate, name="journeys_nominate"),
    path("nominations/<int:pk>/answer/", views.nomination_answer, name="journeys_answer"),
    path("my/", views.my_trips, name="journeys_my_trips"),
    path("my/<int:pk>/answer/", views.my_trip_answer, name="journeys_my_answer"),
]
urlpatterns += [
    path("routes/new/", views.route_form, name="journeys_route_new"),
    path("routes/<int:pk>/edit/", views.route_form, name="journeys_route_edit"),
    path("batches/new/", views.batch_form, name="journeys_batch_new"),
    path("batches/<int:pk>/edit/", views.batch_form, name="journeys_batch_edit"),
    path("batches/<int:pk>/quotas/", views.batch_quotas, name="journeys_quotas"),
]
urlpatterns += [
    path("batches/<int:pk>/checklist/", views.batch_checklist, name="journeys_checklist"),
    path("nominations/<int:pk>/checklist/", views.checklist_save, name="journeys_checklist_save"),
    path("nominations/<int:pk>/override/", views.checklist_override, name="journeys_override"),
]
urlpatterns += [path("batches/<int:pk>/roster.xlsx", travel_views.batch_roster_xlsx, name="journeys_roster")]

# travel lists (triplists): companions, diets, rooms and seats, printable lists, boarding
urlpatterns += [
    path("my/<int:pk>/companions/", travel_views.my_companions, name="journeys_my_companions"),
    path("my/companions/<int:pk>/remove/", travel_views.my_companion_remove, name="journeys_my_companion_remove"),
    path("nominations/<int:pk>/companions/", travel_views.nomination_companions, name="journeys_companions"),
    path("companions/<int:pk>/remove/", travel_views.companion_remove, name="journeys_companion_remove"),
    path("batches/<int:pk>/travel/", travel_views.batch_travel, name="journeys_travel"),
    path("nominations/<int:pk>/details/", travel_views.details_save, name="journeys_details_save"),
    path("batches/<int:pk>/places/propose/", travel_views.places_propose, name="journeys_places_propose"),
    path("batches/<int:pk>/places/swap/", travel_views.places_swap, name="journeys_places_swap"),
    path("batches/<int:pk>/lists/<str:kind>.<str:fmt>", travel_views.batch_list_file, name="journeys_list"),
    path("batches/<int:pk>/boarding/", travel_views.batch_boarding, name="journeys_boarding"),
    path("nominations/<int:pk>/boarding/", travel_views.boarding_mark, name="journeys_boarding_mark"),
]
urlpatterns += [
    path("rules/", rules_views.rules_list, name="journeys_rules"),
    path("rules/new/", rules_views.rules_form, name="journeys_rules_new"),
    path("rules/<int:pk>/edit/", rules_views.rules_form, name="journeys_rules_edit"),
    path("people/<int:pk>/travel-file/", rules_views.traveller_file, name="journeys_traveller_file"),
    path("batches/<int:pk>/costs/", rules_views.batch_costs, name="journeys_costs"),
    path("costs/<int:pk>/delete/", rules_views.cost_delete, name="journeys_cost_delete"),
    path("batches/<int:pk>/incidents/", rules_views.batch_incidents, name="journeys_incidents"),
    path("my/<int:pk>/feedback/", rules_views.my_feedback, name="journeys_my_feedback"),
    path("figures/", rules_views.figures_page, name="journeys_figures"),
    path("figures.xlsx", rules_views.figures_xlsx, name="journeys_figures_xlsx"),
]
