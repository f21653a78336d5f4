"""schema.org ClaimReview, built from published records: one block per claim page, and the partners' export.

Only properties of the schema.org vocabulary are used: ClaimReview (url,
claimReviewed, reviewRating, author, datePublished, dateModified, headline,
itemReviewed, inLanguage: the site's public language), Rating (alternateName, ratingValue, bestRating, worstRating),
Claim (author, datePublished, appearance, firstAppearance), CreativeWork
(name, url, datePublished, publisher, description), Person (name, jobTitle)
and Organization (name, url).

Every approved repeat of the claim since it was checked is one more `appearance`.

A retracted verdict no longer stands, so it is marked up as nothing: search
engines ask fact-checkers to remove the ClaimReview of a retracted check, and
its page keeps only a notice of the retraction.
"""

import json
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from claims.dates import iso_partial_date
from claims.links import claim_url
from claims.models import Actor, SiteSettings
from claims.publishing import record as schema

CONTEXT = "https://schema.org"

# What the JSON may not contain inside a <script> element: "</script>" or "<!--" would end or confuse it.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def organisation(site: SiteSettings) -> dict:
    return {"@type": "Organization", "name": site.organisation_name, "url": site.organisation_url or settings.SITE_URL}


def claim_review(
    *,
    claim: schema.RecordClaim,
    verdict: schema.RecordVerdict,
    sources: tuple[schema.Source, ...],
    repeats: tuple[schema.Repeat, ...],
    first_published_at: datetime,
    published_at: datetime,
    site: SiteSettings,
    with_context: bool = True,
) -> dict:
    """The ClaimReview of a published record (its "claim", "verdict", "sources" and "repeats" parts)."""
    review = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": claim_url(claim.slug),
        "claimReviewed": claim.text,
        "reviewRating": _rating(verdict),
        "author": organisation(site),
        "datePublished": first_published_at.isoformat(),
        "headline": verdict.headline,
        "inLanguage": site.language,  # the review is written in the site's public language (claims/languages.py)
        "itemReviewed": _claim(claim, sources, repeats),
    }
    if published_at != first_published_at:
        review["dateModified"] = published_at.isoformat()
    if not with_context:
        del review["@context"]
    return review


def for_page(page, site: SiteSettings) -> dict:
    """The ClaimReview of a claim page (claims.publishing.pages.ClaimPage)."""
    return claim_review(
        claim=page.record.claim,
        verdict=page.record.verdict,
        sources=page.record.sources,
        repeats=page.record.repeats,
        first_published_at=page.first_published_at,
        published_at=page.verdict.published_at,
        site=site,
    )


def export_document(reviews: list[dict]) -> dict:
    """Many ClaimReviews as one JSON-LD document."""
    return {"@context": CONTEXT, "@graph": reviews}


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element. It is data, never run, so the CSP allows it.

    Safe to mark so: json.dumps escapes quotes and backslashes, and <, > and & are written as \\u escapes,
    so nothing in the data can close the element or open a comment.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


def _rating(verdict: schema.RecordVerdict) -> dict:
    rating = verdict.rating
    if rating is None:  # a "conclusion only" scale: the headline is the conclusion
        return {"@type": "Rating", "alternateName": verdict.headline}
    marked_up = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None and rating.best is not None and rating.worst is not None:
        marked_up.update(ratingValue=rating.value, bestRating=rating.best, worstRating=rating.worst)
    return marked_up


def _claim(claim: schema.RecordClaim, sources: tuple[schema.Source, ...], repeats: tuple[schema.Repeat, ...]) -> dict:
    item = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = _claimant(claim.claimant)
    if date := iso_partial_date(claim.date, claim.precision, claim.calendar):
        item["datePublished"] = date
    by_number = {source.number: source for source in sources}
    first = by_number.get(claim.first_appearance)
    appearances = [source for source in sources if source.role == "appearance"]
    if first is not None and first not in appearances:
        appearances.insert(0, first)
    marked_up = [_creative_work(source) for source in appearances]
    # Each repeat since the check is another appearance of the claim (once per address).
    addresses = {work.get("url") for work in marked_up} - {None}
    for repeat in repeats:
        if not repeat.url or repeat.url not in addresses:
            marked_up.append(_repeat_work(repeat))
            addresses.add(repeat.url)
    if marked_up:
        item["appearance"] = marked_up
    if first is not None:
        item["firstAppearance"] = _creative_work(first)
    return item


def _claimant(claimant: schema.Claimant) -> dict:
    if claimant.kind == Actor.Kind.PERSON:
        person = {"@type": "Person", "name": claimant.name}
        if claimant.title:
            person["jobTitle"] = claimant.title
        return person
    return {"@type": "Organization", "name": claimant.name}


def _creative_work(source: schema.Source) -> dict:
    if isinstance(source, schema.ConfidentialSource):
        # Described, never identified.
        return {"@type": "CreativeWork", "description": source.description}
    work = {"@type": "CreativeWork", "name": source.name}
    if source.url:
        work["url"] = source.url
    if date := iso_partial_date(source.date, source.precision, source.calendar):
        work["datePublished"] = date
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _repeat_work(repeat: schema.Repeat) -> dict:
    if repeat.confidential:  # described, never identified
        return {"@type": "CreativeWork", "description": repeat.title}
    work = {"@type": "CreativeWork", "name": repeat.name}
    if repeat.url:
        work["url"] = repeat.url
    if date := iso_partial_date(repeat.date, repeat.precision, repeat.calendar):
        work["datePublished"] = date
    if repeat.publisher:
        work["publisher"] = {"@type": "Organization", "name": repeat.publisher}
    return work
