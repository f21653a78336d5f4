"""Reads that pages share. Each owns its joins, so query counts are decided here."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from time import time_ns

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from claims import permissions
from claims.canonical import validated_canonical_url
from claims.models import (
    OPEN_CLAIM_STATES,
    OPEN_VERDICT_STATES,
    Actor,
    ArticleMatch,
    Claim,
    ClaimLink,
    ClaimReviewSource,
    ClaimSource,
    Contribution,
    ErrorReport,
    Evidence,
    Export,
    ExternalFactCheck,
    ExternalMatch,
    Feed,
    ImportRun,
    Outreach,
    Rating,
    Source,
    StaffChange,
    Statement,
    Tip,
    TipGroup,
    TipMatch,
    Topic,
    User,
    Verdict,
    WebhookDelivery,
    WebhookSubscription,
    WorkflowEvent,
)
from claims.publishing import changes
from claims.publishing.build import build_public_record
from claims.publishing.changes import Changes
from claims.publishing.record import read_record

SUGGESTION_LIMIT = 8


def claims_for_dashboard(*, query: str = "", state: str = "", topic=None, assignee=None, unassigned=False) -> QuerySet:
    claims = Claim.objects.select_related("claimant", "assignee").prefetch_related("topics").order_by("-updated_at")
    if query:
        claims = claims.filter(Q(text__icontains=query) | Q(claimant__name__icontains=query) | Q(slug__icontains=query))
    if state:
        claims = claims.filter(state=state)
    if topic is not None:
        claims = claims.filter(topics=topic)
    if unassigned:
        claims = claims.filter(assignee__isnull=True)
    elif assignee is not None:
        claims = claims.filter(assignee=assignee)
    return claims


def _citations(source) -> QuerySet:
    """The live claims' citations of a source (`source`: the source, or an OuterRef to it)."""
    return ClaimSource.objects.filter(source=source, claim__removed_at__isnull=True)


def source_at(url: str) -> Source | None:
    """The source on file at this address, however it is written (claims.canonical)."""
    canonical = validated_canonical_url(url, field="url")
    return Source.objects.filter(url=canonical).first() if canonical else None


def claims_citing(source: Source) -> int:
    """A source is shared: a change to it shows on each of these claims."""
    return _citations(source).count()


def claim_for_workspace(pk: int) -> Claim:
    """A live claim with everything the workspace shows, in a fixed number of queries (Claim.DoesNotExist if none)."""
    citing_claims = _citations(OuterRef("source")).order_by().values("source").annotate(claims=Count("pk"))
    # A source's extracted text (a whole fetched page) is shown on the source's own page, never here.
    cited = (
        ClaimSource.objects.select_related("source")
        .defer("source__text")
        .annotate(citing_claims=Coalesce(Subquery(citing_claims.values("claims")), 0))
    )
    statements = Statement.objects.select_related("actor", "source").defer("source__text")
    evidence = Evidence.objects.select_related("source", "added_by").defer("source__text")
    return (
        # Not the claim it was merged into (read if there is one) nor the people (the pickers have their ids):
        # each join is more columns to compile and more plans for PostgreSQL to weigh.
        Claim.objects.select_related("claimant", "first_appearance")
        .defer("first_appearance__text")
        .prefetch_related(
            "topics",
            Prefetch("claim_sources", cited.order_by("order", "pk")),
            Prefetch("statements", statements.order_by("date", "pk")),
            Prefetch("evidence", evidence.order_by("order", "pk")),
            Prefetch("links_out", ClaimLink.objects.select_related("to_claim").order_by("kind", "pk")),
            Prefetch("links_in", ClaimLink.objects.select_related("from_claim").order_by("kind", "pk")),
            Prefetch("outreach", Outreach.objects.order_by("contacted_on", "pk")),
            Prefetch(
                "verdicts",
                # Not the published record: a long claim's is large JSON to decode, and no region shows it.
                Verdict.objects.select_related("rating", "author", "reviewer")
                .defer("published_record")
                .order_by("-created_at", "-pk"),
            ),
        )
        .get(pk=pk)
    )


# For every row the workspace shows, its id and where its current version is: PostgreSQL writes a new version
# of a row for every insert and update, however it is made (a service, the admin, a bulk update, a worker),
# with the transaction that wrote it (xmin) at a new place (ctid); the pair is never that of an earlier
# version. Rows that are gone drop out of the lists, so removals count too. Table names come from the models.
# A workspace region that starts showing another table adds it here, with its case in
# tests/claims/test_workspace_kept.py.
WORKSPACE_FINGERPRINT_SQL = """
SELECT md5(concat_ws('|',
  -- the claim, the claim it was merged into, its claimant, where it first appeared
  (SELECT concat_ws(':', x.xmin, x.ctid, m.xmin, m.ctid, a.xmin, a.ctid, f.xmin, f.ctid)
     FROM {claim} x LEFT JOIN {claim} m ON m.id = x.merged_into_id LEFT JOIN {actor} a ON a.id = x.claimant_id
     LEFT JOIN {source} f ON f.id = x.first_appearance_id WHERE x.id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, o.xmin, o.ctid), ',' ORDER BY x.id)
     FROM {claim_topics} x JOIN {topic} o ON o.id = x.topic_id WHERE x.claim_id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, s.xmin, s.ctid), ',' ORDER BY x.id)
     FROM {cited} x JOIN {source} s ON s.id = x.source_id WHERE x.claim_id = claim_pk),
  -- "cited by n claims": the live citations of the same sources, counted
  (SELECT string_agg(concat_ws(':', x.source_id, x.n), ',' ORDER BY x.source_id) FROM
     (SELECT c.source_id, count(*) FILTER (WHERE c.removed_at IS NULL AND o.removed_at IS NULL) AS n
      FROM {cited} c JOIN {claim} o ON o.id = c.claim_id
      WHERE c.source_id IN (SELECT source_id FROM {cited} WHERE claim_id = claim_pk) GROUP BY c.source_id) x),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, a.xmin, a.ctid, s.xmin, s.ctid), ',' ORDER BY x.id)
     FROM {statement} x JOIN {actor} a ON a.id = x.actor_id LEFT JOIN {source} s ON s.id = x.source_id
     WHERE x.claim_id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, s.xmin, s.ctid, u.xmin, u.ctid), ',' ORDER BY x.id)
     FROM {evidence} x LEFT JOIN {source} s ON s.id = x.source_id LEFT JOIN {user} u ON u.id = x.added_by_id
     WHERE x.claim_id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, o.xmin, o.ctid), ',' ORDER BY x.id)
     FROM {link} x JOIN {claim} o ON o.id = x.to_claim_id WHERE x.from_claim_id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, o.xmin, o.ctid), ',' ORDER BY x.id)
     FROM {link} x JOIN {claim} o ON o.id = x.from_claim_id WHERE x.to_claim_id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid), ',' ORDER BY x.id)
     FROM {outreach} x WHERE x.claim_id = claim_pk),
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, r.xmin, r.ctid, a.xmin, a.ctid, u.xmin, u.ctid), ','
                     ORDER BY x.id)
     FROM {verdict} x LEFT JOIN {rating} r ON r.id = x.rating_id LEFT JOIN {user} a ON a.id = x.author_id
     LEFT JOIN {user} u ON u.id = x.reviewer_id WHERE x.claim_id = claim_pk),
  -- the reviewers' requests for changes, and who made them
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid, u.xmin, u.ctid), ',' ORDER BY x.id)
     FROM {event} x LEFT JOIN {user} u ON u.id = x.by_id WHERE x.claim_id = claim_pk AND x.action = 'request_changes'),
  -- who changed what since the last publication (the two-person rule's buttons, "your part")
  (SELECT string_agg(concat_ws(':', x.id, x.xmin, x.ctid), ',' ORDER BY x.id)
     FROM {contribution} x WHERE x.claim_id = claim_pk AND x.published_in_id IS NULL)
)) WHERE EXISTS (SELECT 1 FROM {claim} WHERE id = claim_pk)
"""


def _workspace_fingerprint_sql() -> str:
    models: dict[str, type[Model]] = {
        "claim": Claim,
        "actor": Actor,
        "source": Source,
        "topic": Topic,
        "claim_topics": Claim.topics.through,
        "cited": ClaimSource,
        "statement": Statement,
        "evidence": Evidence,
        "link": ClaimLink,
        "outreach": Outreach,
        "verdict": Verdict,
        "rating": Rating,
        "user": User,
        "event": WorkflowEvent,
        "contribution": Contribution,
    }
    return WORKSPACE_FINGERPRINT_SQL.format(**{name: model._meta.db_table for name, model in models.items()})


WORKSPACE_FINGERPRINT_FUNCTION = "claims_workspace_fingerprint"


def install_workspace_fingerprint(using: str = "default", **kwargs) -> None:
    """The fingerprint's query as a PL/pgSQL function, (re)made after every `migrate` (post_migrate): PostgreSQL
    plans a function's query once per connection, and planning these fourteen subqueries costs several
    times more than running them (0.35 ms a call instead of 1.8 on the load benchmark's data)."""
    database = connections[using]
    if database.vendor != "postgresql":
        return
    query = _workspace_fingerprint_sql()
    with database.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {WORKSPACE_FINGERPRINT_FUNCTION}(claim_pk bigint) RETURNS text"
            f" LANGUAGE plpgsql STABLE AS $fingerprint$ BEGIN RETURN ({query}); END $fingerprint$"
        )


def workspace_fingerprint(pk: int) -> str | None:
    """What the claim's workspace shows, as one short string that changes whenever any of it does (one
    query; docs/architecture.md "The workspace's kept pages"). None if the claim is not on file, or on a
    database without row versions (SQLite: the workspace is rendered each time)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {WORKSPACE_FINGERPRINT_FUNCTION}(%s)", [pk])
        return cursor.fetchone()[0]


STATEMENT_GROUPS = (
    ("assertions", "Assertions", {Statement.Stance.ASSERTS}),
    ("denials", "Denials", {Statement.Stance.DENIES}),
    (
        "other",
        "Other stances",
        {Statement.Stance.DISPUTES, Statement.Stance.RETRACTS, Statement.Stance.CLARIFIES, Statement.Stance.CONTEXT},
    ),
)


def group_statements(statements) -> list[tuple[str, str, list[Statement]]]:
    return [(key, label, [s for s in statements if s.stance in stances]) for key, label, stances in STATEMENT_GROUPS]


def group_evidence(evidence) -> list[tuple[str, str, list[Evidence]]]:
    return [(stance.value, stance.label, [e for e in evidence if e.stance == stance]) for stance in Evidence.Stance]


def actor_suggestions(query: str) -> list[Actor]:
    query = query.strip()
    if not query:
        return []
    return list(
        Actor.objects.filter(Q(name__icontains=query) | Q(title__icontains=query)).order_by("name")[:SUGGESTION_LIMIT]
    )


def source_suggestions(query: str) -> list[Source]:
    query = query.strip()
    if not query:
        return []
    return list(
        Source.objects.filter(
            Q(title__icontains=query) | Q(publisher__icontains=query) | Q(url__icontains=query)
        ).order_by("-created_at")[:SUGGESTION_LIMIT]
    )


def claim_suggestions(query: str, *, exclude_pk: int | None = None) -> list[Claim]:
    query = query.strip()
    if not query:
        return []
    claims = Claim.objects.filter(Q(text__icontains=query) | Q(slug__icontains=query)).exclude(
        state=Claim.State.MERGED  # retired: its survivor is the one to pick
    )
    if exclude_pk is not None:
        claims = claims.exclude(pk=exclude_pk)
    return list(claims.select_related("claimant").order_by("-updated_at")[:SUGGESTION_LIMIT])


# --- What the matcher finds alike (reads only; the matcher loads in the process on first use) ----------

LOOKALIKES_SHOWN = 5
# Sentences of articles asked of the matcher for each article shown: an article often matches on several.
ARTICLE_SENTENCES_PER_ARTICLE = 10


@dataclass(frozen=True)
class Lookalike:
    """A claim or an imported article the matcher finds alike, with the sentence that matched."""

    record: Claim | Source
    sentence: str  # the text's sentence that matched (claims), or the article's sentence (articles)
    similarity: float
    strength: str
    match: ArticleMatch | None = None  # for an article: Incoming's suggestion of this pair, if any


def _strength(similarity: float) -> str:
    """Strong or suggested, against the app's thresholds (settings), as Incoming's suggestions are."""
    strong = similarity >= settings.MATCH_STRONG_THRESHOLD
    return ArticleMatch.Strength.STRONG if strong else ArticleMatch.Strength.SUGGEST


def claims_like(text: str, *, exclude_pk: int | None = None, limit: int = LOOKALIKES_SHOWN) -> list[Lookalike]:
    """The claims on file most alike `text`, at or above the "suggest" threshold, best first. `sentence` is
    the part of `text` that matched when the text was long enough to be matched sentence by sentence."""
    from claims.matching.store import claim_index
    from claims.matching.text import clean

    whole = clean(text)
    found = [
        match
        for match in claim_index().match(text, top=limit + 1, kinds=["claim"])
        if match.similarity >= settings.MATCH_SUGGEST_THRESHOLD and int(match.doc_id) != exclude_pk
    ][:limit]
    claims = Claim.objects.select_related("claimant").in_bulk([int(match.doc_id) for match in found])
    return [
        Lookalike(
            claims[int(m.doc_id)], "" if m.sentence == whole else m.sentence, m.similarity, _strength(m.similarity)
        )
        for m in found
        if int(m.doc_id) in claims
    ]


def articles_like_claim(claim: Claim, *, limit: int = LOOKALIKES_SHOWN) -> list[Lookalike]:
    """The recent imported articles with a sentence alike the claim at or above the "suggest" threshold,
    best first, each with that sentence as the article has it and Incoming's suggestion of the pair."""
    from claims.matching.store import ARTICLE, article_index, parse_article_sentence_id

    best: dict[int, tuple[int, int, float, str]] = {}
    for match in article_index().match(claim.text, top=limit * ARTICLE_SENTENCES_PER_ARTICLE, kinds=[ARTICLE]):
        source_id, start, end = parse_article_sentence_id(match.doc_id)
        if match.similarity >= settings.MATCH_SUGGEST_THRESHOLD and source_id not in best:
            best[source_id] = (start, end, match.similarity, _strength(match.similarity))
    shown = list(best)[:limit]
    sources = Source.objects.select_related("feed").in_bulk(shown)
    suggestions = {m.source_id: m for m in ArticleMatch.objects.filter(claim=claim, source_id__in=shown)}
    found = []
    for source_id in shown:
        source = sources.get(source_id)
        start, end, similarity, strength = best[source_id]
        if source is None or end > len(source.text):  # removed or changed since it was indexed
            continue
        found.append(Lookalike(source, source.text[start:end], similarity, strength, suggestions.get(source_id)))
    return found


# --- History ---------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "Created", "Changed", "Removed", "Restored", … in the reader's language
    record_label: str
    record_type: str
    reason: str  # as recorded (in English)
    changes: list[FieldChange] = field(default_factory=list)
    code: str = "workflow"  # "created", "changed", "deleted", "removed", "restored" or "workflow": for styles

    @property
    def note(self) -> str:
        """The recorded reason, unless it only repeats what kind of change it was."""
        return "" if self.reason in ROUTINE_REASONS else self.reason


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_KINDS = {
    "created": gettext_lazy("Created"),
    "changed": gettext_lazy("Changed"),
    "deleted": gettext_lazy("Deleted"),
    "removed": gettext_lazy("Removed"),
    "restored": gettext_lazy("Restored"),
}
# Reasons recorded that say no more than the kind of change (the records keep them in English).
ROUTINE_REASONS = {"Created", "Changed", "Deleted", "Removed", "Restored", "Edited"}
HIDDEN_HISTORY_FIELDS = {"updated_at", "created_at"}


def _display(record, field_name: str) -> str:
    model_field = record._meta.get_field(field_name)
    if model_field.choices:
        return str(getattr(record, f"get_{field_name}_display")())
    value = getattr(record, model_field.attname)
    if model_field.is_relation:
        related = getattr(record, field_name, None) if value is not None else None
        return str(related) if related is not None else "—"
    if value in (None, ""):
        return "—"
    return str(value)


def _field_change(row, previous, change) -> FieldChange:
    model_field = row.instance_type._meta.get_field(change.field)
    if model_field.many_to_many:
        # m2m changes come as lists of through rows: show the related records' names.
        related = model_field.related_model
        key = model_field.m2m_reverse_field_name()

        def names(through_rows):
            ids = [through_row[key] for through_row in through_rows]
            return ", ".join(str(obj) for obj in related._base_manager.filter(pk__in=ids)) or "—"

        return FieldChange(field=model_field.verbose_name, old=names(change.old), new=names(change.new))
    return FieldChange(
        field=model_field.verbose_name, old=_display(previous, change.field), new=_display(row, change.field)
    )


def _entries_for(history_rows, record_type: str) -> list[HistoryEntry]:
    """Turn one model's history rows (for several records) into entries with field diffs."""
    previous_by_record = {}
    entries = []
    for row in history_rows:  # oldest first
        record_id = getattr(row, row.instance_type._meta.pk.attname)
        previous = previous_by_record.get(record_id)
        changes = []
        if previous is not None:
            delta = row.diff_against(previous, excluded_fields=HIDDEN_HISTORY_FIELDS)
            changes = [_field_change(row, previous, change) for change in delta.changes]
        reason = row.history_change_reason or ""
        code = reason.lower() if reason in ("Removed", "Restored") else HISTORY_ACTIONS.get(row.history_type, "changed")
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=row.history_user.get_username() if row.history_user else gettext("system"),
                kind=str(HISTORY_KINDS[code]),
                code=code,
                # The model's own __str__ on the historical row: it has the same fields
                # (and the joins selected), so no query per row.
                record_label=row.instance_type.__str__(row)[:100],
                record_type=str(record_type),
                reason=reason,
                changes=changes,
            )
        )
        previous_by_record[record_id] = row
    return entries


def claim_history(claim: Claim) -> list[HistoryEntry]:
    """Every recorded change to the claim and what hangs off it, newest first, with the history of the
    claims merged into it (claims/merging.py): what moved here keeps where it came from."""
    ids = [claim.pk, *Claim.all_objects.filter(merged_into=claim).values_list("pk", flat=True)]
    sources = {
        gettext("Claim"): Claim.history.filter(id__in=ids),
        gettext("Cited source"): ClaimSource.history.filter(claim_id__in=ids).select_related("source"),
        gettext("Statement"): Statement.history.filter(claim_id__in=ids).select_related("actor"),
        gettext("Evidence"): Evidence.history.filter(claim_id__in=ids),
        gettext("Related claim"): ClaimLink.history.filter(Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids)),
        gettext("Source"): Source.history.filter(
            id__in=ClaimSource.all_objects.filter(claim__in=ids).values("source_id")
        ),
        gettext("Verdict"): Verdict.history.filter(claim_id__in=ids).select_related("rating"),
        gettext("Outreach"): Outreach.history.filter(claim_id__in=ids),
    }
    entries = []
    for record_type, rows in sources.items():
        entries += _entries_for(rows.select_related("history_user").order_by("history_date", "history_id"), record_type)
    entries += [
        HistoryEntry(
            when=event.at,
            who=event.by.get_username() if event.by else gettext("system"),
            kind=str(WORKFLOW_ACTIONS.get(event.action, event.action)),
            record_type=gettext("Workflow")
            if event.claim_id == claim.pk
            else gettext("Workflow of claim #%(number)s") % {"number": event.claim_id},
            record_label=f"{event.from_state or '—'} → {event.to_state}".replace("_", " "),
            reason=event.comment,
        )
        for event in WorkflowEvent.objects.filter(claim__in=ids).select_related("by")
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


WORKFLOW_ACTIONS = {
    "start_research": gettext_lazy("Research started"),
    "draft": gettext_lazy("Verdict drafted"),
    "submit": gettext_lazy("Submitted for review"),
    "request_changes": gettext_lazy("Changes requested"),
    "publish": gettext_lazy("Published"),
    "dismiss": gettext_lazy("Dismissed"),
    "merge": gettext_lazy("Merged into another claim"),
    "merged_in": gettext_lazy("A duplicate claim merged in"),
}


# --- The review workflow -------------------------------------------------------------------


def published_verdict(claim: Claim) -> Verdict | None:
    return next((v for v in claim.verdicts.all() if v.state == Verdict.State.PUBLISHED), None)


def changes_against_published(claim_pk: int) -> Changes | None:
    """A correction, update or retraction in the works: what publishing it would change of the published
    record (claims.publishing.changes). None for a first verdict, or with nothing in the works."""
    claim = Claim.objects.select_related("claimant", "first_appearance").get(pk=claim_pk)
    verdicts = list(
        claim.verdicts.filter(state__in=[*OPEN_VERDICT_STATES, Verdict.State.PUBLISHED]).select_related(
            "rating__scale", "author", "reviewer"
        )
    )
    in_the_works = next((v for v in verdicts if v.state in OPEN_VERDICT_STATES), None)
    published = next((v for v in verdicts if v.state == Verdict.State.PUBLISHED), None)
    if in_the_works is None or published is None or published.published_record is None:
        return None
    proposed = build_public_record(claim=claim, verdict=in_the_works)
    return changes.between(read_record(published.published_record), read_record(proposed))


def last_review_comment(claim: Claim) -> WorkflowEvent | None:
    """The latest request for changes, while its verdict is still a draft."""
    return (
        WorkflowEvent.objects.filter(claim=claim, action="request_changes", verdict__state=Verdict.State.DRAFT)
        .select_related("by")
        .first()
    )


def recent_events(claim: Claim, limit: int = 10) -> list[WorkflowEvent]:
    return list(WorkflowEvent.objects.filter(claim=claim).select_related("by", "verdict")[:limit])


MY_WORK_LIMIT = 10


def my_work(user) -> dict[str, list[Claim]]:
    """The dashboard's "My work": what the user is expected to do next. A reviewer's verdicts in review are
    split: those awaiting their review (assigned to them or to nobody), and those they contributed to, which
    another reviewer must publish (whoever is assigned)."""
    claims = Claim.objects.select_related("claimant", "assignee", "reviewer")
    assigned = claims.filter(assignee=user, state__in=OPEN_CLAIM_STATES).order_by("-updated_at")
    # The two-person rule's contributors (claims.workflow.verdict_contributor_ids): the verdict's author, and
    # whoever changed the claim's public content since it was last published.
    contributed = Q(
        Exists(Verdict.objects.filter(claim=OuterRef("pk"), state=Verdict.State.IN_REVIEW, author=user))
    ) | Q(Exists(Contribution.objects.open_round().filter(claim=OuterRef("pk"), by=user)))
    in_review = claims.filter(verdicts__state=Verdict.State.IN_REVIEW).order_by("verdicts__submitted_at").distinct()
    awaiting_review = in_review.filter(Q(reviewer=user) | Q(reviewer__isnull=True)).exclude(contributed)
    changes_requested = (
        claims.filter(
            events__action="request_changes",
            verdicts__state=Verdict.State.DRAFT,
            events__verdict__state=Verdict.State.DRAFT,
        )
        .filter(Q(assignee=user) | Q(verdicts__author=user))
        .order_by("-updated_at")
        .distinct()
    )
    # The verdict each claim shows now: a corrected claim is listed once, at its latest publication.
    recently_published = (
        Verdict.objects.filter(state=Verdict.State.PUBLISHED)
        .select_related("claim", "rating", "author", "reviewer")
        .order_by("-published_at")
    )
    reviews = permissions.is_reviewer(user)
    return {
        "assigned": list(assigned[:MY_WORK_LIMIT]),
        "awaiting_review": list(awaiting_review[:MY_WORK_LIMIT]) if reviews else [],
        "contributed_to_review": list(in_review.filter(contributed)[:MY_WORK_LIMIT]) if reviews else [],
        "changes_requested": list(changes_requested[:MY_WORK_LIMIT]),
        "recently_published": list(recently_published[:MY_WORK_LIMIT]),
    }


# --- A picture of the work (the dashboard's charts) -----------------------------------------

PICTURE_WEEKS = 12


@dataclass(frozen=True)
class WeekOfWork:
    starts: date  # a Monday, in the site's time zone
    published: int  # claims published for the first time that week
    median_days: float | None  # from logged to first published, over those claims


@dataclass(frozen=True)
class PersonsWork:
    name: str  # the username; "" for claims nobody is assigned
    assigned: dict[str, int]  # open claims assigned to them, by state
    reviewing: int  # claims in review with them as the reviewer


@dataclass(frozen=True)
class WorkInNumbers:
    by_state: list[tuple[str, str, int]]  # (state, its label, claims), every state in the workflow's order
    weeks: list[WeekOfWork]  # the last PICTURE_WEEKS weeks, this one last
    median_days: float | None  # from logged to first published, over those weeks
    people: list[PersonsWork]  # the most open work first


def _days(duration: timedelta) -> float:
    return duration.total_seconds() / 86400


def work_in_numbers(*, weeks: int = PICTURE_WEEKS) -> WorkInNumbers:
    """The dashboard's charts, in four queries whatever the number of claims: counts by state, by person
    and by reviewer are aggregated by the database; the median (which SQLite cannot aggregate) is taken
    here from the first publications of the weeks shown, one row each."""
    counts = dict(Claim.objects.order_by().values_list("state").annotate(total=Count("pk")))
    by_state = [(state.value, str(state.label), counts.get(state.value, 0)) for state in Claim.State]

    today = timezone.localdate()
    this_week = today - timedelta(days=today.weekday())
    mondays = [this_week - timedelta(weeks=ago) for ago in range(weeks - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(mondays[0], time.min))
    first_publications = (
        Verdict.objects.filter(published_at__gte=since, supersedes__isnull=True, claim__removed_at__isnull=True)
        .annotate(taken=ExpressionWrapper(F("published_at") - F("claim__created_at"), output_field=DurationField()))
        .values_list("published_at", "taken")
    )
    durations: dict[date, list[float]] = {monday: [] for monday in mondays}
    for published_at, taken in first_publications:
        day = timezone.localtime(published_at).date()
        durations[day - timedelta(days=day.weekday())].append(_days(taken))
    in_weeks = [
        WeekOfWork(starts=monday, published=len(days), median_days=median(days) if days else None)
        for monday, days in durations.items()
    ]
    every_duration = [days for week in durations.values() for days in week]

    assigned: dict[str, dict[str, int]] = {}
    open_claims = Claim.objects.filter(state__in=OPEN_CLAIM_STATES).order_by()
    for username, state, total in open_claims.values_list("assignee__username", "state").annotate(total=Count("pk")):
        assigned.setdefault(username or "", {})[state] = total
    reviewing = dict(
        open_claims.filter(state=Claim.State.IN_REVIEW, reviewer__isnull=False)
        .values_list("reviewer__username")
        .annotate(total=Count("pk"))
    )
    people = [
        PersonsWork(name=name, assigned=assigned.get(name, {}), reviewing=reviewing.get(name, 0))
        for name in {*assigned, *reviewing}
    ]
    people.sort(key=lambda person: (-sum(person.assigned.values()) - person.reviewing, person.name == "", person.name))
    return WorkInNumbers(
        by_state=by_state,
        weeks=in_weeks,
        median_days=median(every_duration) if every_duration else None,
        people=people,
    )


# --- Feeds ----------------------------------------------------------------------------------


def feeds_for_list() -> QuerySet:
    """Every feed with its latest run's status and the number of sources it brought in."""
    latest_run = ImportRun.objects.filter(feed=OuterRef("pk")).order_by("-created_at", "-pk")
    sources = Source.objects.filter(feed=OuterRef("pk")).order_by().values("feed").annotate(total=Count("pk"))
    return Feed.objects.annotate(
        latest_run_status=Subquery(latest_run.values("status")[:1]),
        latest_run_pk=Subquery(latest_run.values("pk")[:1]),
        source_count=Coalesce(Subquery(sources.values("total")), 0),
    ).order_by("name")


FEED_RUNS_SHOWN = 30


def feed_runs(feed) -> list:
    """The feed's latest runs, newest first."""
    return list(feed.runs.order_by("-created_at", "-pk")[:FEED_RUNS_SHOWN])


def run_merged_sources(run) -> list[tuple[Source, Source]]:
    """The sources the run added that turned out, once fetched, to be an article already on file under
    another address: each (the one removed, the one kept), in the order they were added.

    The fetch keeps the first copy and removes the later one (claims.importing.pipeline), so a second feed
    of the same articles counts them as new while its list of sources stays empty.
    """
    if run.feed_id is None or run.started_at is None or run.finished_at is None:
        return []
    removed = list(
        Source.all_objects.filter(
            feed_id=run.feed_id,
            created_at__range=(run.started_at, run.finished_at),
            removed_at__isnull=False,
        )
        .exclude(content_hash="")
        .order_by("created_at", "pk")
    )
    kept: dict[str, Source] = {}
    for source in Source.objects.filter(content_hash__in={source.content_hash for source in removed}).order_by(
        "-created_at", "-pk"
    ):
        kept[source.content_hash] = source  # the earliest copy wins: it is the one the fetch kept
    return [(source, kept[source.content_hash]) for source in removed if source.content_hash in kept]


# --- Triage: tips and error reports from the public ---------------------------------------------


def tip_groups_for_triage(state: str = "") -> QuerySet:
    """Tip groups (in `state` if given), the most requested first, then the latest asked: each with its
    number of `requests` and its tips (`members`, first received first), each tip with the claim it led
    to, who handled or placed it, its closest claims on file and the other organisations' fact-checks it
    matched (`checked_elsewhere`, best first)."""
    matches = TipMatch.objects.filter(claim__removed_at__isnull=True).select_related("claim")
    elsewhere = ExternalMatch.objects.select_related("fact_check")
    members = (
        Tip.objects.select_related("claim", "handled_by", "placed_by")
        .prefetch_related(
            Prefetch("claim_matches", queryset=matches, to_attr="closest_claims"),
            Prefetch("external_matches", queryset=elsewhere, to_attr="checked_elsewhere"),
        )
        .order_by("created_at", "pk")
    )
    groups = (
        TipGroup.objects.annotate(requests=Count("tips"), latest=Max("tips__created_at"))
        .filter(requests__gt=0)
        .order_by("-requests", "-latest", "-pk")
        .prefetch_related(Prefetch("tips", queryset=members, to_attr="members"))
    )
    return groups.filter(state=state) if state else groups


def error_reports_for_triage(state: str = "") -> QuerySet:
    """Error reports, newest first (in `state` if given), with their claim and who handled them."""
    reports = ErrorReport.objects.select_related("claim", "handled_by").order_by("-created_at", "-pk")
    return reports.filter(state=state) if state else reports


def count_by_state(model) -> dict[str, int]:
    """How many tips (or error reports) are in each state, in one query."""
    return dict(model.objects.order_by().values_list("state").annotate(count=Count("pk")))


# --- People (staff accounts) ------------------------------------------------------------------

STAFF_CHANGES_SHOWN = 20


def people_for_list() -> QuerySet:
    """Everyone with an account, with their groups and invitation (claims.people reads both)."""
    return User.objects.select_related("invitation").prefetch_related("groups").order_by("username")


def recent_staff_changes(limit: int = STAFF_CHANGES_SHOWN) -> list:
    return list(StaffChange.objects.select_related("by", "person")[:limit])


def claims_held_by(user) -> QuerySet:
    """Live claims still being worked on that `user` is assigned to or reviewing."""
    open_work = Q(state__in=OPEN_CLAIM_STATES) | Q(verdicts__state__in=OPEN_VERDICT_STATES)
    return Claim.objects.filter(Q(assignee=user) | Q(reviewer=user)).filter(open_work).distinct().order_by("pk")


def successors_for(user) -> QuerySet:
    """Who may take over everything `user` holds: a fact-checker for their claims, a reviewer for their reviews."""
    held = claims_held_by(user)
    people = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if held.filter(assignee=user).exists():
        people = people.filter(pk__in=permissions.fact_checker_users())
    if held.filter(reviewer=user).exists():
        people = people.filter(pk__in=permissions.reviewer_users())
    return people.order_by("username")


# The people pickers (assignee, reviewer) list the whole staff on every workspace. The list changes rarely,
# so each process keeps it, read once per version of the staff list; the version, in the shared cache,
# moves on commit of any change to who is on staff (claims.apps connects `staff_list_changed`).
STAFF_LIST_VERSION_KEY = "staff-list:version"


@dataclass(frozen=True)
class PeopleToPick:
    """(pk, username) of everyone each picker offers, in username order."""

    fact_checkers: tuple[tuple[int, str], ...]
    reviewers: tuple[tuple[int, str], ...]


_kept_people: dict[int, PeopleToPick] = {}  # this process's copy, under the version it was read at


def staff_list_version() -> int:
    version = cache.get(STAFF_LIST_VERSION_KEY)
    if version is None:
        version = time_ns()
        if not cache.add(STAFF_LIST_VERSION_KEY, version, timeout=None):  # another process made one meanwhile
            version = cache.get(STAFF_LIST_VERSION_KEY, version)
    return version


def staff_list_changed() -> None:
    """This process reads the staff list again at once, the others once the change is committed."""
    _kept_people.clear()
    transaction.on_commit(_bump_staff_list_version)


def _bump_staff_list_version() -> None:
    cache.set(STAFF_LIST_VERSION_KEY, max(time_ns(), staff_list_version() + 1), timeout=None)


def people_to_pick() -> PeopleToPick:
    """The pickers' choices: two small queries when the staff list has changed, none otherwise."""
    version = staff_list_version()
    people = _kept_people.get(version)
    if people is None:
        people = PeopleToPick(
            fact_checkers=tuple(permissions.fact_checker_users().values_list("pk", "username")),
            reviewers=tuple(permissions.reviewer_users().values_list("pk", "username")),
        )
        _kept_people.clear()
        _kept_people[version] = people
    return people


# --- Webhooks and exports --------------------------------------------------------------------------

WEBHOOK_DELIVERIES_SHOWN = 50
EXPORTS_SHOWN = 20


def webhook_subscriptions() -> QuerySet:
    """Every subscription with its deliveries counted by status, for the admins' page."""
    return WebhookSubscription.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.DELIVERED)),
        waiting=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
    ).order_by("name", "pk")


def webhook_deliveries(subscription: WebhookSubscription, limit: int = WEBHOOK_DELIVERIES_SHOWN) -> list:
    return list(subscription.deliveries.select_related("claim").order_by("-created_at", "-pk")[:limit])


def exports_of(user, limit: int = EXPORTS_SHOWN) -> list:
    """A person's own exports, the latest first: nobody sees or downloads anyone else's."""
    return list(Export.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:limit])


def export_claim_ids(filters: dict) -> list[int]:
    """The live claims an export's filters choose (state, topic slug, logged since / until: ISO dates), in order."""
    claims = Claim.objects.all()
    if filters.get("state"):
        claims = claims.filter(state=filters["state"])
    if filters.get("topic"):
        claims = claims.filter(topics__slug=filters["topic"])
    if filters.get("since"):
        claims = claims.filter(created_at__date__gte=date.fromisoformat(filters["since"]))
    if filters.get("until"):
        claims = claims.filter(created_at__date__lte=date.fromisoformat(filters["until"]))
    return list(claims.order_by("pk").values_list("pk", flat=True).distinct())


def claims_for_export(ids: list[int]) -> list[Claim]:
    """One batch of claims with everything an export writes of them, in a fixed number of queries."""
    return list(
        Claim.objects.filter(pk__in=ids)
        .select_related("claimant", "assignee", "reviewer", "created_by")
        .prefetch_related(
            "topics",
            Prefetch("statements", queryset=Statement.objects.select_related("actor", "source").order_by("date", "pk")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("source").order_by("order", "pk")),
            Prefetch("claim_sources", queryset=ClaimSource.objects.select_related("source").order_by("order", "pk")),
            Prefetch(
                "verdicts",
                queryset=Verdict.objects.select_related("rating", "author", "reviewer").order_by("created_at", "pk"),
            ),
        )
        .order_by("pk")
    )


# --- Other organisations' fact-checks (claims.models.ExternalFactCheck) -----------------------------------


@dataclass(frozen=True)
class CheckedElsewhere:
    """Another organisation's fact-check the matcher finds alike a text, with the text's sentence that matched."""

    fact_check: ExternalFactCheck
    sentence: str
    similarity: float
    strong: bool


def fact_checks_like(text: str, *, limit: int = LOOKALIKES_SHOWN) -> list[CheckedElsewhere]:
    """Other organisations' fact-checks most alike `text`, at or above the "suggest" threshold, best first."""
    from claims.matching.store import FACT_CHECK, claim_index
    from claims.matching.text import clean

    whole = clean(text)
    found = [
        match
        for match in claim_index().match(text, top=limit, kinds=[FACT_CHECK])
        if match.similarity >= settings.MATCH_SUGGEST_THRESHOLD
    ]
    checks = ExternalFactCheck.objects.in_bulk([int(match.doc_id) for match in found])
    return [
        CheckedElsewhere(
            checks[int(m.doc_id)],
            "" if m.sentence == whole else m.sentence,
            m.similarity,
            m.similarity >= settings.MATCH_STRONG_THRESHOLD,
        )
        for m in found
        if int(m.doc_id) in checks
    ]


def claimreview_sources() -> QuerySet:
    """The ClaimReview sources, with how many fact-checks each brought."""
    return ClaimReviewSource.objects.annotate(fact_check_count=Count("fact_checks")).order_by("name", "pk")


def external_fact_checks() -> QuerySet:
    """Other organisations' fact-checks on file, the latest reviewed first."""
    return ExternalFactCheck.objects.select_related("source").order_by(F("review_date").desc(nulls_last=True), "-pk")
