"""volunteering.operations: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from volunteering.operations import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ops/", views.incidents, name="operations_incidents"),
    path("ops/<int:pk>/board/", views.board, name="operations_board"),
    path("ops/<int:pk>/board/live/", views.board_live, name="operations_board_live"),
    path("ops/<int:pk>/dispatch/", views.dispatch, name="operations_dispatch"),
    path("ops/<int:pk>/lend/", views.lend, name="operations_lend"),
    path("ops/loans/<int:pk>/return/", views.give_back, name="operations_return"),
    path("ops/<int:pk>/close/", views.close, name="operations_close"),
    path("ops/<int:pk>/figures/", views.figures, name="operations_figures"),
    path("ops/equipment/", views.equipment, name="operations_equipment"),
    path("ops/equipment/new/", views.equipment_edit, name="operations_equipment_new"),
    path("ops/equipment/<int:pk>/loans/", views.equipment_loans, name="operations_equipment_loans"),
    path("ops/equipment/<int:pk>/edit/", views.equipment_edit, name="operations_equipment_edit"),
    path("p/tasks/", views.my_tasks, name="operations_my_tasks"),
    path("p/tasks/<int:pk>/check-in/", views.my_task_check_in, name="operations_check_in"),
    path("p/tasks/<int:pk>/check-out/", views.my_task_check_out, name="operations_check_out"),
]
