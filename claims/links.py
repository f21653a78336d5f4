"""Addresses on this site as the world sees it (settings.SITE_URL), whatever host a request came in on:
for pages that name themselves (canonical links, feed, sitemap, ClaimReview) and for links in emails,
which are written outside any request."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """The address of `path` (from `reverse()`) on this site."""
    return settings.SITE_URL + path


def claim_url(slug: str) -> str:
    """The canonical address of a public claim page."""
    return absolute_url(reverse("claim", args=[slug]))
