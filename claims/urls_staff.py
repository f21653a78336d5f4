from django.urls import path

import claims.converters  # noqa: F401 - registers the <id:…> converter
from claims.views import feeds, review, staff, triage, workspace

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("claims/new/", workspace.claim_new, name="claim-new"),
    path("claims/<id:pk>/", workspace.workspace, name="claim"),
    path("claims/<id:pk>/edit/", workspace.claim_edit, name="claim-edit"),
    path("claims/<id:pk>/assign/", workspace.claim_assign, name="claim-assign"),
    path("claims/<id:pk>/history/", workspace.claim_history, name="claim-history"),
    path("claims/<id:pk>/review/", review.review, name="claim-review"),
    path("claims/<id:pk>/reviewer/", review.assign_reviewer, name="claim-assign-reviewer"),
    path("claims/<id:pk>/verdict/edit/", review.verdict_edit, name="verdict-edit"),
    path("claims/<id:pk>/workflow/<slug:name>/", review.transition, name="transition"),
    path("claims/<id:pk>/sources/by-url/", workspace.claim_source_by_url, name="claim-source-url"),
    path(
        "claims/<id:pk>/sources/<id:item_pk>/fetch-status/",
        workspace.claim_source_fetch_status,
        name="claim-source-fetch-status",
    ),
    path("claims/<id:pk>/<slug:region>/", workspace.region_view, name="region"),
    path("claims/<id:pk>/<slug:region>/add/", workspace.region_form, name="region-add"),
    path("claims/<id:pk>/<slug:region>/<id:item_pk>/edit/", workspace.region_form, name="region-edit"),
    path("claims/<id:pk>/<slug:region>/<id:item_pk>/remove/", workspace.region_remove, name="region-remove"),
    path("claims/<id:pk>/<slug:region>/<id:item_pk>/restore/", workspace.region_restore, name="region-restore"),
    path("claims/<id:pk>/<slug:region>/<id:item_pk>/move/", workspace.region_move, name="region-move"),
    path("suggest/<slug:kind>/", workspace.suggest, name="suggest"),
    path("tips/", triage.tips, name="tips"),
    path("tips/<id:pk>/accept/", triage.tip_accept, name="tip-accept"),
    path("tips/<id:pk>/dismiss/", triage.tip_dismiss, name="tip-dismiss"),
    path("error-reports/", triage.error_reports, name="error-reports"),
    path("error-reports/<id:pk>/answer/", triage.error_report_answer, name="error-report-answer"),
    path("error-reports/<id:pk>/corrected/", triage.error_report_corrected, name="error-report-corrected"),
    path("error-reports/<id:pk>/dismiss/", triage.error_report_dismiss, name="error-report-dismiss"),
    path("feeds/", feeds.feeds, name="feeds"),
    path("feeds/add/", feeds.feed_add, name="feed-add"),
    path("feeds/<id:pk>/", feeds.feed_detail, name="feed"),
    path("feeds/<id:pk>/active/", feeds.feed_active, name="feed-active"),
    path("feeds/<id:pk>/poll/", feeds.feed_poll, name="feed-poll"),
    path("feeds/runs/<id:pk>/", feeds.import_run, name="import-run"),
]
