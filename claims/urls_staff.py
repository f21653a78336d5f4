from django.urls import path

from claims.views import feeds, review, sources, staff, triage, workspace

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("claims/new/", workspace.claim_new, name="claim-new"),
    path("claims/<int:pk>/", workspace.workspace, name="claim"),
    path("claims/<int:pk>/edit/", workspace.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/assign/", workspace.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/history/", workspace.claim_history, name="claim-history"),
    path("claims/<int:pk>/review/", review.review, name="claim-review"),
    path("claims/<int:pk>/reviewer/", review.assign_reviewer, name="claim-assign-reviewer"),
    path("claims/<int:pk>/verdict/edit/", review.verdict_edit, name="verdict-edit"),
    path("claims/<int:pk>/workflow/<slug:name>/", review.transition, name="transition"),
    path("claims/<int:pk>/sources/by-url/", workspace.claim_source_by_url, name="claim-source-url"),
    path(
        "claims/<int:pk>/sources/<int:item_pk>/fetch-status/",
        workspace.claim_source_fetch_status,
        name="claim-source-fetch-status",
    ),
    path("claims/<int:pk>/<slug:region>/", workspace.region_view, name="region"),
    path("claims/<int:pk>/<slug:region>/add/", workspace.region_form, name="region-add"),
    path("claims/<int:pk>/<slug:region>/<int:item_pk>/edit/", workspace.region_form, name="region-edit"),
    path("claims/<int:pk>/<slug:region>/<int:item_pk>/remove/", workspace.region_remove, name="region-remove"),
    path("claims/<int:pk>/<slug:region>/<int:item_pk>/restore/", workspace.region_restore, name="region-restore"),
    path("claims/<int:pk>/<slug:region>/<int:item_pk>/move/", workspace.region_move, name="region-move"),
    path("sources/<int:pk>/", sources.source, name="source"),
    path("sources/<int:pk>/snapshot/", sources.source_snapshot, name="source-snapshot"),
    path("suggest/<slug:kind>/", workspace.suggest, name="suggest"),
    path("tips/", triage.tips, name="tips"),
    path("tips/<int:pk>/accept/", triage.tip_accept, name="tip-accept"),
    path("tips/<int:pk>/dismiss/", triage.tip_dismiss, name="tip-dismiss"),
    path("error-reports/", triage.error_reports, name="error-reports"),
    path("error-reports/<int:pk>/answer/", triage.error_report_answer, name="error-report-answer"),
    path("error-reports/<int:pk>/corrected/", triage.error_report_corrected, name="error-report-corrected"),
    path("error-reports/<int:pk>/dismiss/", triage.error_report_dismiss, name="error-report-dismiss"),
    path("feeds/", feeds.feeds, name="feeds"),
    path("feeds/add/", feeds.feed_add, name="feed-add"),
    path("feeds/<int:pk>/", feeds.feed_detail, name="feed"),
    path("feeds/<int:pk>/active/", feeds.feed_active, name="feed-active"),
    path("feeds/<int:pk>/poll/", feeds.feed_poll, name="feed-poll"),
    path("feeds/runs/<int:pk>/", feeds.import_run, name="import-run"),
]
