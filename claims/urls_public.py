"""Public URLs (no login). Two sections, kept apart so they can grow independently."""

from django.urls import path

from claims.views import public

urlpatterns = [
    # --- Pages, claim pages, ClaimReview, feeds, sitemap -----------------------------
    path("", public.home, name="home"),
    # --- Search, tips and error reports --------------------------------------------------
]
