from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("overview/", views.dashboard, name="dashboard"),
    path("rules/", views.rules, name="rules"),
    path("rules/kinds/new/", views.kind_form, name="kind_create"),
    path("rules/kinds/<int:pk>/edit/", views.kind_form, name="kind_edit"),
    path("rules/new/", views.ruleset_create, name="ruleset_create"),
    path("rules/<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("rules/<int:pk>/edit/", views.ruleset_edit, name="ruleset_edit"),
    path("rules/<int:pk>/preview/", views.rule_preview, name="rule_preview"),
    path("layouts/", views.layouts, name="layouts"),
    path("layouts/new/", views.layout_form, name="layout_create"),
    path("layouts/<int:pk>/edit/", views.layout_form, name="layout_edit"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/approve/", views.round_approve, name="round_approve"),
    path("rounds/<int:pk>/report/<int:district>/", views.round_report, name="round_report"),
    path("rounds/<int:pk>/unreport/<int:district>/", views.round_unreport, name="round_unreport"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/follow-up/", views.round_follow_up, name="round_follow_up"),
    path("rounds/<int:pk>/changes/", views.round_changes, name="round_changes"),
    path("rounds/<int:pk>/corrections/new/", views.correction_create, name="correction_create"),
    path("rounds/<int:pk>/bank-file/", views.round_bank_file, name="round_bank_file"),
    path("rounds/<int:pk>/sign-sheet/<int:district>/", views.round_sign_sheet, name="round_sign_sheet"),
    path("rounds/<int:pk>/sign-sheets/", views.round_sign_sheets, name="round_sign_sheets"),
    path("rounds/<int:pk>/summary/", views.round_summary, name="round_summary"),
    path("rounds/<int:pk>/summary.xlsx", views.round_summary_xlsx, name="round_summary_xlsx"),
    path("rounds/<int:pk>/import/", views.round_import, name="round_import"),
    path("payouts/<int:pk>/exclude/", views.payout_exclude, name="payout_exclude"),
    path("payouts/<int:pk>/restore/", views.payout_restore, name="payout_restore"),
    path("payouts/<int:pk>/note/", views.payout_note, name="payout_note"),
    path("payouts/<int:pk>/result/", views.payout_result, name="payout_result"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
]
