"""sitemap.xml: the public claims (not the sample ones, which are `noindex`) and the newsroom's pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.publishing import pages


class SiteUrlSitemap(Sitemap):
    """Addresses on settings.SITE_URL, whatever host the sitemap was asked for on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ClaimSitemap(SiteUrlSitemap):
    def items(self):
        return pages.sitemap_entries()

    def location(self, item):
        return reverse("claim", args=[item["slug"]])

    def lastmod(self, item):
        return item["lastmod"]


class PageSitemap(SiteUrlSitemap):
    def items(self):
        return ["home", "corrections", "ratings", "methodology", "corrections-policy", "about"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"claims": ClaimSitemap, "pages": PageSitemap}
