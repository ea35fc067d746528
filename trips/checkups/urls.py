"""trips.checkups: pages (included by ``trips/urls.py``, in the ``trips`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from trips.checkups import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("checkups/", views.campaigns, name="checkups_campaigns"),
    path("checkups/new/", views.campaign_create, name="checkups_campaign_create"),
    path("checkups/hospitals/", views.hospitals, name="checkups_hospitals"),
    path("checkups/hospitals/<int:pk>/edit/", views.hospital_edit, name="checkups_hospital_edit"),
    path("checkups/hospitals/<int:pk>/delete/", views.hospital_delete, name="checkups_hospital_delete"),
    path("checkups/packages/", views.packages, name="checkups_packages"),
    path("checkups/packages/<int:pk>/edit/", views.package_edit, name="checkups_package_edit"),
    path("checkups/packages/<int:pk>/delete/", views.package_delete, name="checkups_package_delete"),
    path("checkups/slots/<int:pk>/edit/", views.slot_edit, name="checkups_slot_edit"),
    path("checkups/slots/<int:pk>/delete/", views.slot_delete, name="checkups_slot_delete"),
    path("checkups/rules/", views.rules, name="checkups_rules"),
    path("checkups/me/", views.mine, name="checkups_mine"),
    path("checkups/me/cancel/", views.mine_cancel, name="checkups_mine_cancel"),
    path("checkups/<int:pk>/", views.campaign, name="checkups_campaign"),
    path("checkups/<int:pk>/edit/", views.campaign_edit, name="checkups_campaign_edit"),
    path("checkups/<int:pk>/delete/", views.campaign_delete, name="checkups_campaign_delete"),
    path("checkups/<int:pk>/slots/add/", views.slot_add, name="checkups_slot_add"),
    path("checkups/<int:pk>/due/", views.due, name="checkups_due"),
    path("checkups/<int:pk>/due/export/", views.due_export, name="checkups_due_export"),
    path("checkups/<int:pk>/book/<int:person_pk>/", views.book_for, name="checkups_book_for"),
    path("checkups/<int:pk>/bookings/", views.bookings, name="checkups_bookings"),
    path("checkups/<int:pk>/bookings/export/", views.bookings_export, name="checkups_bookings_export"),
    path("checkups/<int:pk>/coverage/", views.coverage, name="checkups_coverage"),
    path("checkups/<int:pk>/coverage/export/", views.coverage_export, name="checkups_coverage_export"),
    path("checkups/bookings/<int:pk>/", views.booking, name="checkups_booking"),
    path("checkups/bookings/<int:pk>/attendance/", views.attendance, name="checkups_attendance"),
    path("checkups/bookings/<int:pk>/result/", views.result, name="checkups_result"),
    path("checkups/bookings/<int:pk>/cancel/", views.cancel, name="checkups_cancel"),
    path("checkups/bookings/<int:pk>/followup/", views.followup, name="checkups_followup"),
    path("checkups/bookings/<int:pk>/report/upload/", views.report_upload, name="checkups_report_upload"),
    path("checkups/bookings/<int:pk>/report/", views.report, name="checkups_report"),
]
