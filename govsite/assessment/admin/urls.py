"""The 双百考核 pages under /admin/assessment/ (R-ASSESS-2)."""

from django.urls import path

from . import leaders, scores

urlpatterns = [
    path("scores/", scores.ScoresView.as_view(), name="assessment_scores"),
    path(
        "scores/close/<str:month>/",
        scores.CloseMonthView.as_view(),
        name="assessment_close_month",
    ),
    path(
        "scores/export/<slug:export_type>/",
        scores.ScoresExportView.as_view(),
        name="assessment_scores_export",
    ),
    path("leaders/", leaders.LeadersView.as_view(), name="assessment_leaders"),
]
