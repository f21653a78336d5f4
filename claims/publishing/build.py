"""The published record: what the public sees of a claim, frozen when a verdict is published.

Only public fields go in: no evidence notes, no review comments, no confidential
source identities, no drafts. The public page, feeds and ClaimReview read this
record, so edits made after publication go public only with the next published
correction or update. Its schema, and the versions on file, are in
claims.publishing.record.

The one exception is the addendum, `repeats`: the claim repeated since it was
checked, each frozen here (`frozen_repeat`) when a reviewer approves it
(claims.repeats). A correction carries the record's repeats over as they were
approved.
"""

from django.db.models import Q
from django.utils import timezone

from claims.models import (
    Actor,
    Claim,
    ClaimLink,
    ClaimSource,
    Evidence,
    Intervention,
    Outreach,
    Repeat,
    ReviewState,
    SiteSettings,
    Source,
    Statement,
    Verdict,
)
from claims.publishing import pages
from claims.publishing import record as schema
from claims.rich_text import render_markdown

# The fields of each model that build_public_record shows (a removed item leaves the record, so
# `removed_at` counts where the record reads the live rows). Writing any of them is a contribution to
# every claim whose record shows the row (claims/contributions.py); an internal note, an assignment or
# a workflow state is not. A test checks that no other field reaches the record.
PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {
    Claim: (
        "text", "slug", "language", "is_sample", "claimant", "first_appearance", "topics",
        "date", "date_precision", "date_calendar", "date_note",
    ),
    ClaimSource: ("source", "role", "order", "removed_at"),
    Statement: (
        "actor", "source", "stance", "quote", "quote_language", "second_hand", "translated",
        "original_language", "original_quote", "date", "date_precision", "date_calendar", "date_note", "removed_at",
    ),
    Evidence: ("summary", "stance", "url", "source", "order", "removed_at"),
    Outreach: (
        "contacted", "method", "contacted_on", "request", "response", "responded_on", "not_possible_reason",
        "removed_at",
    ),
    Verdict: ("kind", "rating", "headline", "explanation", "public_note"),
    # Shared by the claims that cite them (or quote them, or name them as claimant).
    Source: (
        "url", "title", "publisher", "author", "archive_url", "language", "licence", "attribution",
        "confidential", "public_description", "date", "date_precision", "date_calendar", "date_note",
    ),
    Actor: ("name", "title", "kind"),
    # A link shows on both claims' records (the note is the team's own).
    ClaimLink: ("from_claim", "to_claim", "kind", "removed_at"),
}  # fmt: skip


def _date(record) -> dict:
    return {
        "date": record.date.isoformat() if record.date else None,
        "precision": record.date_precision,
        "calendar": record.date_calendar,
        "note": record.date_note,
    }


def _person(user) -> schema.Person | None:
    if user is None:
        return None
    return schema.Person(id=user.pk, name=user.get_full_name() or user.get_username(), username=user.get_username())


def _source(source: Source, number: int, role: str | None = None) -> schema.Source:
    """`role` is the citation's (appearance, evidence, background); None for a source only a statement cites."""
    if source.confidential:
        # Described, never identified.
        return schema.ConfidentialSource(
            number=number, role=role, confidential=True, description=source.public_description
        )
    return schema.IdentifiedSource(
        number=number,
        role=role,
        confidential=False,
        title=source.title,
        publisher=source.publisher,
        author=source.author,
        url=source.url,
        archive_url=source.archive_url,
        language=source.language,
        licence=source.licence,
        attribution=source.attribution,
        **_date(source),
    )


def frozen_intervention(intervention: Intervention) -> schema.Intervention:
    return schema.Intervention(
        id=intervention.pk,
        asked=intervention.asked,
        asked_on=intervention.asked_on.isoformat(),
        method=intervention.method,
        request=intervention.request,
        outcome=intervention.outcome,
        approved_at=intervention.approved_at.isoformat(),
    )


def frozen_repeat(repeat: Repeat) -> schema.Repeat:
    """An approved repeat as the public record keeps it, with its approved interventions."""
    source, actor = repeat.source, repeat.actor
    approved = [i for i in repeat.interventions.all() if i.state == ReviewState.APPROVED]
    return schema.Repeat(
        id=repeat.pk,
        actor=schema.Actor(name=actor.name, title=actor.title, kind=actor.kind),
        sentence=repeat.sentence,
        confidential=source.confidential,
        title=source.public_description if source.confidential else source.title,
        publisher="" if source.confidential else source.publisher,
        url="" if source.confidential else source.url,
        language=source.language,
        approved_at=repeat.approved_at.isoformat(),
        interventions=tuple(frozen_intervention(i) for i in approved),
        **_date(repeat),
    )


def _repeats_on_record(claim: Claim, verdict: Verdict) -> tuple[schema.Repeat, ...]:
    """The addendum of the claim's last published record, carried over as it was approved."""
    last = (
        Verdict.objects.filter(claim=claim, published_at__isnull=False)
        .exclude(pk=verdict.pk)
        .order_by("-published_at", "-pk")
        .values_list(schema.FIELD, flat=True)
        .first()
    )
    return schema.read_record(last).repeats if last else ()


def _related_claims(claim: Claim) -> tuple[schema.RelatedClaim, ...]:
    """The public claims linked to `claim`, either way, as their own published records show them now."""
    seen_from_here: dict[int, list[str]] = {}  # other claim's id -> relations, in the links' order
    for link in ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).order_by("pk"):
        if link.from_claim_id == claim.pk:
            other, relation = link.to_claim_id, link.kind
        else:
            other = link.from_claim_id
            relation = "includes" if link.kind == ClaimLink.Kind.PART_OF else link.kind
        relations = seen_from_here.setdefault(other, [])
        if relation not in relations:
            relations.append(relation)
    if not seen_from_here:
        return ()
    shown = {}
    rows = pages.published_verdicts().filter(claim_id__in=seen_from_here)
    for other, version, stored_claim, stored_verdict in rows.values_list(
        "claim_id", schema.VERSION, schema.CLAIM, schema.VERDICT
    ):
        shown[other] = (
            schema.read_claim(stored_claim, version=version),
            schema.read_verdict(stored_verdict, version=version),
        )
    return tuple(
        schema.RelatedClaim(
            relation=relation,
            slug=shown[other][0].slug,
            text=shown[other][0].text,
            language=shown[other][0].language,
            rating=shown[other][1].rating.label if shown[other][1].rating else "",
        )
        for other, relations in seen_from_here.items()
        if other in shown
        for relation in relations
    )


def build_public_record(*, claim: Claim, verdict: Verdict) -> dict:
    """The record to store on `verdict` as it is published, as JSON in the current version."""
    cited = list(ClaimSource.objects.filter(claim=claim).select_related("source").order_by("order", "pk"))
    numbers = {citation.source_id: number for number, citation in enumerate(cited, start=1)}
    sources = [_source(citation.source, numbers[citation.source_id], citation.role) for citation in cited]
    extra_sources = {}

    def source_number(source: Source | None) -> int | None:
        """Statements and evidence may rest on a source the claim does not cite: number it too."""
        if source is None:
            return None
        if source.pk not in numbers:
            numbers[source.pk] = len(numbers) + 1
            extra_sources[source.pk] = _source(source, numbers[source.pk])
        return numbers[source.pk]

    statements = [
        schema.Statement(
            actor=schema.Actor(name=s.actor.name, title=s.actor.title, kind=s.actor.kind),
            stance=s.stance,
            quote=s.quote,
            quote_language=s.quote_language,
            second_hand=s.second_hand,
            translated=s.translated,
            original_language=s.original_language,
            original_quote=s.original_quote,
            source=source_number(s.source),
            **_date(s),
        )
        for s in Statement.objects.filter(claim=claim).select_related("actor", "source").order_by("date", "pk")
    ]
    evidence = [
        schema.Evidence(summary=e.summary, stance=e.stance, url=e.url, source=source_number(e.source))
        for e in Evidence.objects.filter(claim=claim).select_related("source").order_by("order", "pk")
    ]
    outreach = [
        schema.Outreach(
            contacted=o.contacted,
            method=o.method,
            contacted_on=o.contacted_on.isoformat() if o.contacted_on else None,
            request=o.request,
            response=o.response,
            responded_on=o.responded_on.isoformat() if o.responded_on else None,
            not_possible_reason=o.not_possible_reason,
        )
        for o in Outreach.objects.filter(claim=claim).order_by("contacted_on", "pk")
    ]
    rating = verdict.rating
    scale = rating.scale if rating else None
    scale_values = [r.value for r in scale.ratings.all() if r.value is not None] if scale else []
    # The rating and its scale as the public reads them: in the site's public language where translated.
    language = SiteSettings.load().language
    rating_label, rating_description = rating.text_in(language) if rating else ("", "")
    scale_name = scale.text_in(language)[0] if scale else ""
    first_appearance = claim.first_appearance
    topics = list(claim.topics.order_by("name"))
    claimant = claim.claimant
    record = schema.PublishedRecord(
        frozen_at=timezone.now().isoformat(),
        claim=schema.RecordClaim(
            text=claim.text,
            slug=claim.slug,
            language=claim.language,
            is_sample=claim.is_sample,
            claimant=schema.Claimant(id=claimant.pk, name=claimant.name, title=claimant.title, kind=claimant.kind)
            if claimant
            else None,
            first_appearance=source_number(first_appearance),
            topics=tuple(schema.Topic(name=t.name, slug=t.slug) for t in topics),
            topic_names={t.slug: t.name for t in topics},
            **_date(claim),
        ),
        verdict=schema.RecordVerdict(
            kind=verdict.kind,
            headline=verdict.headline,
            explanation=render_markdown(verdict.explanation),  # the record keeps the HTML it was published with
            public_note=verdict.public_note,
            rating=schema.Rating(
                label=rating_label,
                description=rating_description,
                colour=rating.colour,
                value=rating.value,
                best=max(scale_values) if scale_values and rating.value is not None else None,
                worst=min(scale_values) if scale_values and rating.value is not None else None,
                scale=scale_name,
                scale_slug=scale.slug,
            )
            if rating
            else None,
            author=_person(verdict.author),
            reviewer=_person(verdict.reviewer),
            published_at=verdict.published_at.isoformat() if verdict.published_at else None,
        ),
        statements=tuple(statements),
        evidence=tuple(evidence),
        sources=(*sources, *extra_sources.values()),
        outreach=tuple(outreach),
        repeats=_repeats_on_record(claim, verdict),
        related=_related_claims(claim),
    )
    return schema.write_record(record)
