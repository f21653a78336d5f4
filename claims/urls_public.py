"""Public URLs (no login). Two sections, kept apart so they can grow independently."""

from django.urls import path

import claims.converters  # noqa: F401 - registers the <id:…> and <uslug:…> converters
from claims.views import public, reader_forms, search

urlpatterns = [
    # --- Pages, claim pages, ClaimReview, feeds, sitemap -----------------------------
    path("", public.home, name="home"),
    path("claims/<uslug:slug>/", public.claim, name="claim"),
    path("claims/<uslug:slug>/card-<id:version>.png", public.claim_share_card, name="claim-share-card"),
    path("topics/<uslug:slug>/", public.topic, name="topic"),
    path("claimants/<id:pk>/", public.claimant, name="claimant"),
    path("team/<id:pk>/", public.byline, name="byline"),
    path("corrections/", public.corrections, name="corrections"),
    path("ratings/", public.ratings, name="ratings"),
    path("methodology/", public.methodology, name="methodology"),
    path("corrections-policy/", public.corrections_policy, name="corrections-policy"),
    path("about/", public.about, name="about"),
    path("feed/", public.feed, name="feed"),
    path("claimreview.json", public.claim_review_export, name="claimreview-export"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("robots.txt", public.robots_txt, name="robots-txt"),
    # --- Search, tips and error reports --------------------------------------------------
    path("search/", search.search, name="search"),
    path("tips/new/", reader_forms.tip, name="tip"),
    path("tips/thanks/", reader_forms.tip_thanks, name="tip-thanks"),
    path("claims/<uslug:slug>/report-error/", reader_forms.report_error, name="report-error"),
    path("claims/<uslug:slug>/report-error/thanks/", reader_forms.report_error_thanks, name="report-error-thanks"),
]
