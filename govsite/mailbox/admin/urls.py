"""The staff's mailbox under /admin/mailbox/. Not namespaced: ``cases`` links its notices to
``reverse("mailbox_letter", args=[pk])``."""

from django.urls import path

from . import handoff, letters, summary

urlpatterns = [
    path("", letters.LetterIndexView.as_view(), name="mailbox_letters"),
    path(
        "results/",
        letters.LetterIndexView.as_view(results_only=True),
        name="mailbox_letters_results",
    ),
    path("<int:pk>/", letters.LetterView.as_view(), name="mailbox_letter"),
    path(
        "<int:pk>/step/<slug:step>/", letters.LetterStepView.as_view(), name="mailbox_letter_step"
    ),
    path("<int:pk>/attachment/", letters.AttachmentView.as_view(), name="mailbox_attachment"),
    path("<int:pk>/print/", letters.LetterPrintView.as_view(), name="mailbox_letter_print"),
    path("<int:pk>/handoff.json", handoff.HandoffDownloadView.as_view(), name="mailbox_handoff"),
    path(
        "<int:pk>/handoff/print/", handoff.HandoffPrintView.as_view(), name="mailbox_handoff_print"
    ),
    path("handoff/import/", handoff.HandoffImportView.as_view(), name="mailbox_handoff_import"),
    path("handoff/schema.json", handoff.HandoffSchemaView.as_view(), name="mailbox_handoff_schema"),
    path("report/", summary.SummaryView.as_view(), name="mailbox_report"),
    path("report/print/", summary.SummaryPrintView.as_view(), name="mailbox_report_print"),
    path(
        "report/export/<slug:export_type>/",
        summary.SummaryExportView.as_view(),
        name="mailbox_report_export",
    ),
]
