"""Pages anyone may read. Every page is built from published records (claims.publishing.pages), and the pages
that are the same for every anonymous visitor are cached for them (claims.publishing.cache)."""

import hashlib

from django.contrib import messages
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.core.cache import cache, caches
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from claims import health
from claims.links import absolute_url, claim_url
from claims.models import SiteSettings
from claims.publishing import claimreview, pages, share_card
from claims.publishing.cache import PAGE_SECONDS, public_page, recent_public_generation
from claims.publishing.sitemaps import SITEMAPS

# Not for crawlers: the newsroom, and pages without end or of no use to them (search results, the forms).
ROBOTS_DISALLOW = ("/staff/", "/admin/", "/accounts/", "/search/", "/tips/")


local_cache = caches["local"]


@require_safe
@public_page(query=("page",))
def home(request):
    """The latest published verdicts."""
    page = pages.summary_page(pages.latest_verdicts(), request.GET.get("page"))
    return render(request, "public/home.html", {"page": page})


@require_safe
@public_page
def claim(request, slug):
    """A public claim's page, from its latest published record. An old address redirects for good."""
    site = SiteSettings.load()
    key = claim_parts_key(request, slug, site)
    # Someone not signed in, with no message waiting, sees what every such visitor sees (a visitor with an
    # old session cookie, say, whom the shared copy does not serve): this process keeps the page for them.
    anyone = not request.user.is_authenticated and not len(messages.get_messages(request))
    if anyone and (page_for_anyone := local_cache.get(f"{key}:anyone")) is not None:
        return HttpResponse(page_for_anyone)
    parts = local_cache.get(key)  # this process's copy: the key names one content for good
    if parts is None:
        parts = cache.get(key)
        if parts is None:
            page = pages.claim_page(slug)
            if page is None:
                current = pages.current_slug(slug)
                if current is None:
                    raise Http404
                return redirect("claim", slug=current, permanent=True)
            parts = claim_parts(request, page, slug, site)
            cache.set(key, parts, PAGE_SECONDS)
        local_cache.set(key, parts, PAGE_SECONDS)
    response = render(request, "public/claim.html", {"parts": parts})
    if anyone and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # and no token in it
        local_cache.set(f"{key}:anyone", response.content, PAGE_SECONDS)
    return response


def claim_parts_key(request, slug: str, site: SiteSettings) -> str:
    """The claim page's parts are the same for everyone (staff, visitors with a session) until what the public
    sees changes: keyed by the public generation (as recent as the shared pages'), language and site settings,
    they are read in one round trip without the claim's queries, and rendered again once after each
    publication."""
    generation = getattr(request, "public_generation", None) or recent_public_generation()
    address = hashlib.sha256(slug.encode()).hexdigest()
    return f"public:claim-parts:{generation}:{get_language()}:{site.version}:{address}"


def claim_parts(request, page: pages.ClaimPage, slug: str, site: SiteSettings) -> dict[str, str]:
    """The claim page's title, head and body."""
    # A retracted verdict no longer stands: its page keeps a notice and no ClaimReview.
    markup = "" if page.is_retracted else claimreview.json_ld_script(claimreview.for_page(page, site))
    context = {
        "page": page,
        "record": page.record,
        "canonical_url": claim_url(slug),
        "claim_review_markup": markup,
        "share_card_url": absolute_url(reverse("claim-share-card", args=[slug, page.verdict.pk])),
        "share_card_size": share_card.SIZE,
    }
    parts: dict[str, str] = {
        part: render_to_string(f"public/claim.html#{part}", context, request) for part in ("title", "meta")
    }
    with timezone.override(site.time_zone):  # as the layout shows the page, in the newsroom's time zone
        parts["page"] = render_to_string("public/claim.html#page", context, request)
    return parts


SHARE_CARD_SECONDS = 86400  # a correction has a card at a new address; a renamed newsroom waits a day at most


@require_safe
def claim_share_card(request, slug, version):
    """The claim page's share card (its `og:image`) for the published verdict `version`, drawn once and kept.

    An older version's address answers with the current card's, so a link shared before a correction still
    shows the claim as it stands."""
    page = pages.claim_page(slug)
    if page is None:
        raise Http404
    if version != page.verdict.pk:
        return redirect("claim-share-card", slug=slug, version=page.verdict.pk)
    record, site = page.record, SiteSettings.load()
    rating = record.verdict.rating
    text = share_card.CardText(
        claim=record.claim.text,
        rating=rating.label if rating else "",
        colour=rating.colour if rating else "",
        newsroom=site.organisation_name,
    )
    response = HttpResponse(share_card.card(page.verdict.pk, text), content_type="image/png")
    response["Cache-Control"] = f"public, max-age={SHARE_CARD_SECONDS}"
    return response


@require_safe
@public_page(query=("page",))
def topic(request, slug):
    page = pages.summary_page(pages.topic_verdicts(slug), request.GET.get("page"))
    if not page.object_list:
        raise Http404
    context = {"page": page, "name": page.object_list[0].topic_name(slug)}
    return render(request, "public/topic.html", context)


@require_safe
@public_page(query=("page",))
def claimant(request, pk):
    page = pages.summary_page(pages.claimant_verdicts(pk), request.GET.get("page"), with_repeats=True)
    if not page.object_list:
        raise Http404
    context = {
        "page": page,
        "claimant": page.object_list[0].claim.claimant,
        "repeat_count": pages.claimant_repeat_count(pk),
    }
    return render(request, "public/claimant.html", context)


@require_safe
@public_page(query=("page",))
def byline(request, pk):
    """A staff member's published work, under the name the records give them."""
    page = pages.summary_page(pages.byline_verdicts(pk), request.GET.get("page"))
    if not page.object_list:
        raise Http404
    context = {"page": page, "name": page.object_list[0].person_name(pk)}
    return render(request, "public/byline.html", context)


@require_safe
@public_page(query=("page",))
def corrections(request):
    """The public corrections log: every published correction, update and retraction with its note."""
    page = pages.summary_page(pages.corrections_log(), request.GET.get("page"))
    return render(request, "public/corrections.html", {"page": page})


@require_safe
@public_page
def ratings(request):
    return render(request, "public/ratings.html", {"scales": pages.rating_scales()})


# The newsroom's own texts, from the site settings (shown as plain text, escaped, with their line breaks).


@require_safe
@public_page
def methodology(request):
    return render(request, "public/methodology.html")


@require_safe
@public_page
def corrections_policy(request):
    return render(request, "public/corrections_policy.html")


@require_safe
@public_page
def about(request):
    """About the newsroom, and who funds it."""
    return render(request, "public/about.html")


@require_safe
@public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


@require_safe
@public_page
def claim_review_export(request):
    """Every standing, published ClaimReview as one JSON-LD document, for partners."""
    site = SiteSettings.load()
    reviews = [claimreview.claim_review(**item, site=site, with_context=False) for item in pages.claim_reviews()]
    return JsonResponse(
        claimreview.export_document(reviews),
        content_type="application/ld+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


class VerdictFeed(Feed):
    """An Atom feed of published verdicts: first verdicts, corrections, updates and retractions."""

    feed_type = Atom1Feed

    def title(self):
        return _("%(name)s: fact-checks") % {"name": SiteSettings.load().organisation_name}

    def link(self):
        return absolute_url(reverse("home"))

    def feed_url(self):
        return absolute_url(reverse("feed"))

    def subtitle(self):
        return _("Published verdicts, corrections, updates and retractions.")

    def items(self):
        return pages.feed_versions()

    def item_title(self, item):
        rating = item.rating.label if item.rating else item.kind_label
        if item.kind == "first":
            return f"{rating}: {item.claim.text}"
        return f"{item.kind_label} ({rating}): {item.claim.text}"

    def item_description(self, item):
        parts = [item.verdict.headline]
        if item.verdict.public_note:
            parts.append(item.verdict.public_note)
        return "\n\n".join(parts)

    def item_link(self, item):
        return claim_url(item.slug)

    def item_guid(self, item):
        return f"{claim_url(item.slug)}#published-{item.published_at:%Y%m%dT%H%M%S%fZ}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.verdict.author.name if item.verdict.author else None


feed = require_safe(public_page(VerdictFeed()))


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitors: the state of the database, cache, broker and worker (claims/health.py).

    503 only when the database does not answer, the one thing this node cannot serve pages
    without; a cache, broker or worker that is down is reported ("degraded") with a 200.
    """
    status, body = health.report()
    return JsonResponse(body, status=status)
