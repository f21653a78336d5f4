"""Writes that carry rules. Each is one transaction and records who did it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext, gettext_lazy

from claims import contributions, jobs, permissions, starter_texts
from claims.canonical import validated_canonical_url
from claims.importing import pipeline
from claims.matching.generation import bump_generation_on_commit
from claims.models import (
    Actor,
    Claim,
    ClaimLink,
    ClaimSlug,
    ClaimSource,
    Contribution,
    EmailPreferences,
    ErrorReport,
    Evidence,
    Feed,
    FetchStatus,
    FormSubmission,
    ImportRun,
    Outreach,
    Removable,
    SiteSettings,
    Source,
    Tip,
    TipGroup,
    Verdict,
)
from claims.notifications import notify, single_line
from claims.permissions import Action, require
from claims.publishing.cache import bump_public_generation
from claims.records import locked_copy, save_on_record
from claims.text_normal import has_non_latin_letters, slug_text

SOURCE_FIELDS = frozenset(
    {
        "title", "publisher", "author", "language", "text", "licence", "attribution", "archive_url",
        "confidential", "public_description", "date", "date_precision", "date_calendar", "date_note", "origin",
        "fetch_status",
    }
)  # fmt: skip


@transaction.atomic
def record_remove(*, record: Removable, by) -> Removable:
    """Soft-delete a record; removing a removed one does nothing."""
    require(by, Action.REMOVE_RECORD, record)
    locked = locked_copy(record)
    if locked.removed_at is None:
        locked.removed_at = timezone.now()
        save_on_record(locked, by=by, reason="Removed", update_fields=["removed_at", "updated_at"])
        _public_visibility_changed(locked)
    return locked


@transaction.atomic
def record_restore(*, record: Removable, by) -> Removable:
    """Undo a removal. Refused when a live record now holds the same unique value."""
    require(by, Action.RESTORE_RECORD, record)
    locked = locked_copy(record)
    if locked.removed_at is not None:
        locked.removed_at = None
        save_on_record(locked, by=by, reason="Restored", update_fields=["removed_at", "updated_at"])
        _public_visibility_changed(locked)
    return locked


def _public_visibility_changed(record: Removable) -> None:
    """A removed claim leaves the public side at once (a restored one comes back): cached pages go stale."""
    if isinstance(record, Claim):
        transaction.on_commit(bump_public_generation)
        bump_generation_on_commit()  # the matchers drop (or take back) the claim


def _checked_source_fields(fields: dict) -> dict:
    unknown = set(fields) - SOURCE_FIELDS
    if unknown:
        raise TypeError(f"Unknown source fields: {', '.join(sorted(unknown))}")
    return fields


@transaction.atomic
def source_create(*, by, url: str = "", **fields) -> Source:
    """Add a source. Its URL is stored canonical; re-adding a removed one restores it (its title kept
    if none is given). A new source with an address and no title is titled by its address until the
    page's own title, publisher, author, date and text are fetched in the background."""
    require(by, Action.EDIT_CLAIM)
    fields = _checked_source_fields(fields)
    url = validated_canonical_url(url, field="url")
    untitled = not (fields.get("title") or "").strip()
    if url:
        existing = (
            Source.all_objects.select_for_update()
            .filter(url=url)
            .order_by(F("removed_at").asc(nulls_first=True), "-pk")
            .first()
        )
        if existing is not None and existing.removed_at is None:
            raise ValidationError(
                {
                    "url": gettext("A source with this address is already on file: “%(title)s”.")
                    % {"title": existing.title}
                }
            )
        if existing is not None:
            for name, value in fields.items():
                if not (name == "title" and untitled):
                    setattr(existing, name, value)
            existing.removed_at = None
            return save_on_record(existing, by=by, reason="Restored by adding its address again")
    fetch = bool(url) and untitled
    if fetch:
        fields = {**fields, "title": url, "fetch_status": FetchStatus.PENDING}
    source = save_on_record(Source(url=url, created_by=by, **fields), by=by, reason="Created")
    if fetch:
        transaction.on_commit(lambda: jobs.enqueue_fetch(source.pk))
    return source


@transaction.atomic
def source_update(*, source: Source, by, **fields) -> Source:
    """Change a source; a new URL is canonicalised and must not be on file already."""
    require(by, Action.EDIT_CLAIM)
    locked = locked_copy(source)
    if "url" in fields:
        locked.url = validated_canonical_url(fields.pop("url"), field="url")
    for name, value in _checked_source_fields(fields).items():
        setattr(locked, name, value)
    return save_on_record(locked, by=by, reason="Edited")


@transaction.atomic
def source_fetch_retry(*, source: Source, by) -> Source:
    """Fetch a source's page again after a failed fetch, through the same background job. What staff
    typed meanwhile stays: a fetch fills in only the details a source does not have."""
    require(by, Action.EDIT_CLAIM)
    locked = locked_copy(source)
    if not locked.url:
        raise ValidationError(gettext("This source has no address to fetch."))
    if locked.fetch_status == FetchStatus.PENDING:
        return locked  # already on its way
    if locked.fetch_status != FetchStatus.FAILED:
        raise ValidationError(gettext("This source's page was fetched already."))
    locked.fetch_status, locked.fetch_error = FetchStatus.PENDING, ""
    save_on_record(locked, by=by, reason="Fetch retried", update_fields=["fetch_status", "fetch_error", "updated_at"])
    transaction.on_commit(lambda: jobs.enqueue_fetch(locked.pk))
    return locked


# --- Actors ---------------------------------------------------------------------


@transaction.atomic
def actor_create(
    *, by, name: str, kind: str = Actor.Kind.PERSON, title: str = "", country: str = "", url: str = ""
) -> Actor:
    require(by, Action.EDIT_CLAIM)
    actor = Actor(name=name.strip(), kind=kind, title=title.strip(), country=country.strip(), url=url)
    return save_on_record(actor, by=by, reason="Created")


ACTOR_FIELDS = frozenset({"name", "kind", "title", "country", "url"})


@transaction.atomic
def actor_update(*, actor: Actor, by, **fields) -> Actor:
    require(by, Action.EDIT_CLAIM)
    unknown = set(fields) - ACTOR_FIELDS
    if unknown:
        raise TypeError(f"Unknown actor fields: {', '.join(sorted(unknown))}")
    locked = locked_copy(actor)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    return save_on_record(locked, by=by, reason="Edited")


# --- Site settings ---------------------------------------------------------------


@transaction.atomic
def site_settings_update(*, site_settings: SiteSettings, by) -> SiteSettings:
    """Save the settings row as the form has set it. Its name, texts and time zone are on every public page.

    A new public language brings the starter texts in that language, in place of those not yet edited."""
    require(by, Action.MANAGE_SITE)
    before = SiteSettings.objects.select_for_update().filter(pk=site_settings.pk).first()
    if before is not None and before.language != site_settings.language:
        starter_texts.follow_language(site_settings, site_settings.language)
    save_on_record(site_settings, by=by, reason="Edited")
    transaction.on_commit(bump_public_generation)
    return site_settings


# --- Claims -----------------------------------------------------------------------

SLUG_MAX_LENGTH = Claim._meta.get_field("slug").max_length


def _claim_slug_base(text: str) -> str:
    """A readable slug from the claim's text: ASCII when its letters are Latin (accents dropped, as always),
    else Unicode in the claim's own script ("ایران-به-روسیه-پهپاد-نفروخته-است"), never just "claim"."""
    base = slugify(slug_text(text), allow_unicode=True) if has_non_latin_letters(text) else slugify(text)
    return base[: SLUG_MAX_LENGTH - 8].strip("-") or "claim"


def unique_claim_slug(text: str) -> str:
    """A readable slug from the claim's text, made unique with a number when taken."""
    base = _claim_slug_base(text)
    slug, number = base, 1
    # An old address of a published claim stays its own: it redirects there.
    while Claim.all_objects.filter(slug=slug).exists() or ClaimSlug.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


CLAIM_FIELDS = frozenset(
    {
        "text", "claimant", "first_appearance", "language", "date", "date_precision", "date_calendar", "date_note",
        "is_sample",
    }
)  # fmt: skip


SLUG_ATTEMPTS = 5


@transaction.atomic
def claim_create(*, by, text: str, topics=(), **fields) -> Claim:
    require(by, Action.CREATE_CLAIM)
    unknown = set(fields) - CLAIM_FIELDS
    if unknown:
        raise TypeError(f"Unknown claim fields: {', '.join(sorted(unknown))}")
    claim = Claim(text=text.strip(), created_by=by, **fields)
    # Two claims with the same words logged at the same moment both find the same slug free;
    # the one saved second takes the next number instead of failing.
    for attempt in range(SLUG_ATTEMPTS):
        claim.slug = unique_claim_slug(text)
        try:
            save_on_record(claim, by=by, reason="Created")
            break
        except ValidationError:
            taken = Claim.all_objects.filter(slug=claim.slug).exists()
            if not taken or attempt == SLUG_ATTEMPTS - 1:
                raise
    claim.topics.set(topics)
    bump_generation_on_commit()  # the matchers index the new claim
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, by, topics=None, **fields) -> Claim:
    """Edit the claim's own fields. Its slug may change only until a verdict on it is first published:
    from then on the claim's address is out in the world."""
    require(by, Action.EDIT_CLAIM, claim)
    unknown = set(fields) - CLAIM_FIELDS - {"slug"}
    if unknown:
        raise TypeError(f"Unknown claim fields: {', '.join(sorted(unknown))}")
    locked = locked_copy(claim)
    if fields.get("slug", locked.slug) != locked.slug and claim_ever_published(locked):
        raise ValidationError({"slug": gettext("The address of a published claim cannot change.")})
    for name, value in fields.items():
        setattr(locked, name, value)
    save_on_record(locked, by=by, reason="Edited")
    bump_generation_on_commit()  # the matchers re-read the claim's text
    if topics is not None:
        topics_before = set(locked.topics.values_list("pk", flat=True))
        locked.topics.set(topics)
        if set(locked.topics.values_list("pk", flat=True)) != topics_before:
            contributions.note(locked, by=by, change=Contribution.Change.EDITED, fields=["topics"])
    return locked


def claim_ever_published(claim: Claim) -> bool:
    return claim.pk is not None and claim.verdicts.filter(published_at__isnull=False).exists()


@dataclass(frozen=True)
class Assignment:
    """One of the claim's two assignments: its fact-checker, or the reviewer of its verdict."""

    field: str
    eligible: Callable
    role: str | Promise
    assigned: str  # history reason, "{who}" filled in
    unassigned: str
    subject: str | Promise  # the email's, in the recipient's language (claims.notifications.notify)
    body: str | Promise  # "{by}" and "{claim}" filled in
    url_name: str  # the staff page the email links to


ASSIGNEE = Assignment(
    field="assignee",
    eligible=permissions.is_fact_checker,
    role=gettext_lazy("a fact-checker"),
    assigned="Assigned to {who}",
    unassigned="Unassigned",
    subject=gettext_lazy("Claim assigned to you"),
    body=gettext_lazy("{by} assigned you the claim “{claim}”."),
    url_name="staff:claim",
)
REVIEWER = Assignment(
    field="reviewer",
    eligible=permissions.is_reviewer,
    role=gettext_lazy("a reviewer"),
    assigned="Review assigned to {who}",
    unassigned="Review unassigned",
    subject=gettext_lazy("Review assigned to you"),
    body=gettext_lazy("{by} asked you to review the verdict on “{claim}”."),
    url_name="staff:claim-review",
)


def _assign(assignment: Assignment, *, claim: Claim, person, by) -> Claim:
    if person is not None and not assignment.eligible(person):
        raise ValidationError(
            {
                assignment.field: gettext("%(person)s is not %(role)s.")
                % {"person": person.get_username(), "role": assignment.role}
            }
        )
    locked = locked_copy(claim)
    if getattr(locked, f"{assignment.field}_id") == (person.pk if person else None):
        return locked
    setattr(locked, assignment.field, person)
    reason = assignment.assigned.format(who=person.get_username()) if person else assignment.unassigned
    save_on_record(locked, by=by, reason=reason, update_fields=[assignment.field, "updated_at"])
    if person is not None and person != by and EmailPreferences.of(person).assignments:
        notify(
            user=person,
            subject=format_lazy("{subject}: {claim}", subject=assignment.subject, claim=single_line(locked.text, 80)),
            body=format_lazy(assignment.body, by=by.get_username(), claim=locked.text),
            path=reverse(assignment.url_name, args=[locked.pk]),
        )
    return locked


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, by) -> Claim:
    """Give the claim to a fact-checker (or take it back: assignee None). On record, and mailed."""
    require(by, Action.ASSIGN, claim)
    return _assign(ASSIGNEE, claim=claim, person=assignee, by=by)


@transaction.atomic
def claim_assign_reviewer(*, claim: Claim, reviewer, by) -> Claim:
    """Ask a reviewer to review the claim's verdict (or clear it: reviewer None). On record, and mailed."""
    require(by, Action.ASSIGN, claim)
    return _assign(REVIEWER, claim=claim, person=reviewer, by=by)


def _touch_claim(claim: Claim) -> None:
    """A change to anything on the claim counts as a change to the claim (dashboard's "last change")."""
    Claim.all_objects.filter(pk=claim.pk).update(updated_at=timezone.now())


# --- What hangs off a claim: cited sources, statements, evidence, links ----------


@transaction.atomic
def claim_source_add(
    *, claim: Claim, source: Source, by, role: str = ClaimSource.Role.APPEARANCE, note: str = ""
) -> ClaimSource:
    """Cite a source; citing a removed citation again restores it. New citations go last."""
    require(by, Action.EDIT_CLAIM, claim)
    removed = ClaimSource.all_objects.filter(claim=claim, source=source, removed_at__isnull=False).first()
    if ClaimSource.objects.filter(claim=claim, source=source).exists():
        raise ValidationError({"source": gettext("This source is already cited by the claim.")})
    next_order = (ClaimSource.objects.filter(claim=claim).aggregate(top=Max("order"))["top"] or 0) + 1
    cited = removed or ClaimSource(claim=claim, source=source)
    cited.removed_at, cited.role, cited.note, cited.order = None, role, note, next_order
    save_on_record(cited, by=by, reason="Restored by citing again" if removed else "Created")
    _touch_claim(claim)
    return cited


@transaction.atomic
def claim_source_move(*, claim_source: ClaimSource, by, direction: int) -> None:
    """Swap the citation with its neighbour above (direction -1) or below (+1)."""
    require(by, Action.EDIT_CLAIM, claim_source)
    siblings = list(
        ClaimSource.objects.select_for_update().filter(claim_id=claim_source.claim_id).order_by("order", "pk")
    )
    index = next(i for i, item in enumerate(siblings) if item.pk == claim_source.pk)
    target = index + direction
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.order != position:
            item.order = position
            save_on_record(item, by=by, reason="Reordered", update_fields=["order", "updated_at"])
    _touch_claim(claim_source.claim)


@transaction.atomic
def claim_item_create(*, item, by):
    """Save a new statement, evidence item or claim link hanging off a claim."""
    require(by, Action.EDIT_CLAIM, item)
    if isinstance(item, Outreach):
        item.added_by = by
    if isinstance(item, Evidence):
        item.added_by = by
        item.order = (Evidence.objects.filter(claim_id=item.claim_id).aggregate(top=Max("order"))["top"] or 0) + 1
    save_on_record(item, by=by, reason="Created")
    _touch_claim(_owning_claim(item))
    return item


@transaction.atomic
def claim_item_update(*, item, by):
    """Save edits to a citation, statement, evidence item or claim link (the form has set them)."""
    require(by, Action.EDIT_CLAIM, item)
    save_on_record(item, by=by, reason="Edited")
    _touch_claim(_owning_claim(item))
    return item


def _owning_claim(item) -> Claim:
    return item.from_claim if isinstance(item, ClaimLink) else item.claim


@transaction.atomic
def claim_item_remove(*, item, by):
    require(by, Action.REMOVE_RECORD, item)
    removed = record_remove(record=item, by=by)
    _touch_claim(_owning_claim(item))
    return removed


@transaction.atomic
def claim_item_restore(*, item, by):
    require(by, Action.RESTORE_RECORD, item)
    restored = record_restore(record=item, by=by)
    _touch_claim(_owning_claim(item))
    return restored


# --- Sources fetched in the background, and feeds ------------------------------------------


@transaction.atomic
def claim_source_add_by_url(*, claim: Claim, url: str, by) -> ClaimSource:
    """Cite the page at `url`: a source on file is cited as it is; a new one is created at once and
    its title, publisher, author, date, text and snapshot are fetched in the background."""
    require(by, Action.EDIT_CLAIM, claim)
    url = validated_canonical_url(url, field="url")
    if not url:
        raise ValidationError({"url": gettext("Paste the address of the page.")})
    source = Source.objects.filter(url=url).first()
    if source is None:
        source = source_create(by=by, url=url, origin=Source.Origin.MANUAL)
    return claim_source_add(claim=claim, source=source, by=by)


@transaction.atomic
def feed_create(*, by, url: str, name: str, language: str = "", poll_interval: int = 30, active: bool = True) -> Feed:
    """Add a feed; an active one is polled at once (enqueued on commit), the scheduler takes it from there."""
    require(by, Action.MANAGE_FEEDS)
    url = validated_canonical_url(url, field="url")
    if Feed.objects.filter(url=url).exists():
        raise ValidationError({"url": gettext("This feed is already on file.")})
    feed = Feed(
        url=url,
        name=name.strip(),
        language=language.strip(),
        poll_interval=poll_interval,
        active=active,
        created_by=by,
        next_poll_at=timezone.now(),
    )
    save_on_record(feed, by=by, reason="Created")
    if feed.active:
        pipeline.open_run(feed)
    return feed


@transaction.atomic
def feed_set_active(*, feed: Feed, by, active: bool) -> Feed:
    """Enable or disable polling. An enabled feed is due at once, its failure count forgotten."""
    require(by, Action.MANAGE_FEEDS, feed)
    locked = locked_copy(feed)
    if locked.active != active:
        locked.active = active
        if active:
            locked.next_poll_at, locked.consecutive_failures = timezone.now(), 0
        save_on_record(locked, by=by, reason="Enabled" if active else "Disabled")
    return locked


@transaction.atomic
def feed_update(*, feed: Feed, by) -> Feed:
    """Save a feed's settings as the admin's form has set them (its address canonical)."""
    require(by, Action.MANAGE_FEEDS, feed)
    feed.url = validated_canonical_url(feed.url, field="url")
    return save_on_record(feed, by=by, reason="Edited")


@transaction.atomic
def feed_poll_now(*, feed: Feed, by) -> ImportRun:
    """Poll the feed as soon as a worker is free (the run already waiting or running, if any)."""
    require(by, Action.MANAGE_FEEDS, feed)
    return pipeline.open_run(feed)


# --- What the public sends in: tips and error reports ---------------------------------
# Their contact details stay off the record (no history) and are blanked after the
# retention period (claims.maintenance.delete_expired_contacts).


@transaction.atomic
def tip_create(*, text: str, url: str = "", contact: str = "", wants_answer: bool = False, token: str = "") -> Tip:
    """A tip, an item of its own until the worker matches it and groups it with the open tips that ask
    the same thing (claims.tips).

    `token` is the one-time token of the form that sent it: the same form sent again, even at the same
    moment (a double click), gets the first send's tip back instead of a second one.
    """
    if token and (first := Tip.objects.filter(submission_token=token).first()) is not None:
        return first
    tip = Tip(
        text=text.strip(), url=url.strip(), contact=contact.strip(), wants_answer=wants_answer, submission_token=token
    )
    try:
        with transaction.atomic():  # a second send at the same moment waits here on the token's unique index
            tip.group = TipGroup.objects.create()
            tip.full_clean(validate_constraints=False)
            tip.save()
    except IntegrityError:
        if not token:
            raise
        return Tip.objects.get(submission_token=token)
    transaction.on_commit(lambda: jobs.enqueue_tip_matching(tip.pk))
    return tip


@transaction.atomic
def error_report_create(*, claim: Claim, text: str, contact: str = "") -> ErrorReport:
    report = ErrorReport(claim=claim, text=text.strip(), contact=contact.strip())
    report.full_clean()
    report.save()
    return report


def _locked_report(report: ErrorReport, states) -> ErrorReport:
    """The report, locked; refused with a clear message if someone else handled it meanwhile."""
    locked = ErrorReport.objects.select_for_update(of=("self",)).select_related("handled_by").get(pk=report.pk)
    if locked.state not in states:
        state = locked.get_state_display().lower()
        if locked.handled_by:
            message = gettext(
                "This error report was already handled by %(who)s: it is now “%(state)s”. Nothing was changed."
            ) % {"who": locked.handled_by.get_username(), "state": state}
        else:
            message = gettext("This error report was already handled: it is now “%(state)s”. Nothing was changed.") % {
                "state": state
            }
        raise ValidationError(message)
    return locked


def _handled(record, *, by, state: str, fields=()) -> None:
    record.state, record.handled_by, record.handled_at = state, by, timezone.now()
    record.save(update_fields=["state", "handled_by", "handled_at", *fields])


def _locked_open_group(group: TipGroup) -> TipGroup:
    """The group, locked; refused with a clear message if someone decided it meanwhile."""
    locked = TipGroup.objects.select_for_update().get(pk=group.pk)
    if locked.state != TipGroup.State.NEW:
        tip = locked.tips.select_related("handled_by").first()
        state = locked.get_state_display().lower()
        if tip and tip.handled_by:
            message = gettext(
                "These tips were already handled by %(who)s: they are now “%(state)s”. Nothing was changed."
            ) % {"who": tip.handled_by.get_username(), "state": state}
        else:
            message = gettext("These tips were already handled: they are now “%(state)s”. Nothing was changed.") % {
                "state": state
            }
        raise ValidationError(message)
    return locked


def _decide_group(group: TipGroup, *, by, state: str, claim: Claim | None = None) -> None:
    group.state = state
    group.save(update_fields=["state"])
    for tip in group.tips.select_for_update():
        tip.claim = claim
        _handled(tip, by=by, state=state, fields=["claim"])


@transaction.atomic
def tip_group_accept(*, group: TipGroup, by, claim: Claim | None = None) -> Claim:
    """The group's tips lead to a claim: `claim`, one on file they ask about, or else a new claim in the
    words of the first tip, citing where the tips saw it. Senders who asked to be told are told when the
    claim's verdict is published — at once if it is published already."""
    require(by, Action.TRIAGE_TIPS, group)
    group = _locked_open_group(group)
    tips = list(group.tips.order_by("created_at", "pk"))
    if not tips:
        raise ValidationError(gettext("These tips were moved to other items meanwhile. Nothing was changed."))
    if claim is None:
        claim = claim_create(by=by, text=tips[0].text)
        for url in dict.fromkeys(tip.url for tip in tips if tip.url):
            source = Source.objects.filter(url=validated_canonical_url(url, field="url")).first()
            if source is None:
                source = source_create(by=by, url=url, title=url)
            if not ClaimSource.objects.filter(claim=claim, source=source).exists():
                claim_source_add(claim=claim, source=source, by=by, note=gettext("Where a reader's tip saw it"))
    else:
        claim = Claim.objects.filter(pk=claim.pk).exclude(state=Claim.State.DISMISSED).first()
        if claim is None:
            raise ValidationError(gettext("That claim was removed or dismissed meanwhile. Nothing was changed."))
    _decide_group(group, by=by, state=TipGroup.State.ACCEPTED, claim=claim)
    if any(tip.wants_answer for tip in tips) and claim.verdicts.filter(state=Verdict.State.PUBLISHED).exists():
        transaction.on_commit(lambda: jobs.enqueue_telling_tip_senders(claim.pk))
    return claim


@transaction.atomic
def tip_group_dismiss(*, group: TipGroup, by) -> TipGroup:
    """Not worth checking: every tip in the group is dismissed."""
    require(by, Action.TRIAGE_TIPS, group)
    group = _locked_open_group(group)
    _decide_group(group, by=by, state=TipGroup.State.DISMISSED)
    return group


def _place(tip: Tip, *, into: TipGroup | None, by) -> TipGroup:
    """Move an open tip out of its group into `into` (or a group of its own), as `by` decided: the matcher
    never moves it again. Both groups are locked in primary-key order; a group left empty is deleted."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    ids = sorted({tip.group_id} | ({into.pk} if into else set()))
    groups = {group.pk: group for group in TipGroup.objects.select_for_update().filter(pk__in=ids)}
    if tip.state != Tip.State.NEW or groups[tip.group_id].state != TipGroup.State.NEW:
        raise ValidationError(gettext("This tip was already handled. Nothing was changed."))
    if into is not None and into.pk not in groups:
        raise ValidationError(gettext("Those tips are no longer a group of their own. Nothing was changed."))
    if into is not None and groups[into.pk].state != TipGroup.State.NEW:
        raise ValidationError(gettext("Those tips were already handled: choose tips that are still new."))
    old = groups[tip.group_id]
    tip.group = groups[into.pk] if into is not None else TipGroup.objects.create()
    tip.placed_by, tip.placed_at = by, timezone.now()
    tip.save(update_fields=["group", "placed_by", "placed_at"])
    if not old.tips.exists():
        old.delete()
    return tip.group


@transaction.atomic
def tip_ungroup(*, tip: Tip, by) -> TipGroup:
    """Not the same question as the rest of its group: the tip becomes an item of its own."""
    require(by, Action.TRIAGE_TIPS, tip)
    if not Tip.objects.filter(group_id=tip.group_id).exclude(pk=tip.pk).exists():
        raise ValidationError(gettext("This tip is not grouped with others. Nothing was changed."))
    return _place(tip, into=None, by=by)


@transaction.atomic
def tip_move(*, tip: Tip, into: TipGroup, by) -> TipGroup:
    """The tip asks the same thing as the tips of `into`: it joins them."""
    require(by, Action.TRIAGE_TIPS, tip)
    if into.pk == tip.group_id:
        raise ValidationError({"into": gettext("The tip is in that group already.")})
    return _place(tip, into=into, by=by)


@transaction.atomic
def error_report_answer(*, report: ErrorReport, by, answer: str) -> ErrorReport:
    """Record the answer given to the reader."""
    require(by, Action.TRIAGE_ERROR_REPORTS, report)
    if not answer.strip():
        raise ValidationError({"answer": gettext("Write the answer.")})
    report = _locked_report(report, {ErrorReport.State.NEW})
    report.answer = answer.strip()
    _handled(report, by=by, state=ErrorReport.State.ANSWERED, fields=["answer"])
    return report


@transaction.atomic
def error_report_mark_corrected(*, report: ErrorReport, by, answer: str = "") -> ErrorReport:
    """The report led to a correction (drafted in the claim's workspace); an answer given already stays."""
    require(by, Action.TRIAGE_ERROR_REPORTS, report)
    states = {ErrorReport.State.NEW, ErrorReport.State.ANSWERED}
    report = _locked_report(report, states)
    report.answer = answer.strip() or report.answer
    _handled(report, by=by, state=ErrorReport.State.CORRECTED, fields=["answer"])
    return report


@transaction.atomic
def error_report_dismiss(*, report: ErrorReport, by) -> ErrorReport:
    require(by, Action.TRIAGE_ERROR_REPORTS, report)
    report = _locked_report(report, {ErrorReport.State.NEW})
    _handled(report, by=by, state=ErrorReport.State.DISMISSED)
    return report


# --- Forms sent twice ------------------------------------------------------------------


class AlreadySaved(Exception):
    """The form was sent before, and that send was saved: `saved` is what it saved (None if gone since)."""

    def __init__(self, saved):
        super().__init__("This form was already sent and saved.")
        self.saved = saved


@dataclass
class Sending:
    saved: models.Model | None = None  # the body sets what it saved


SUBMISSIONS_KEPT = timedelta(days=1)


@contextmanager
def submitted_once(*, token: str, by) -> Iterator[Sending]:
    """Save at most once per form: `with submitted_once(token=…, by=…) as sending: sending.saved = …`.

    Used inside the transaction that saves. The token is taken first, so a second
    send of the same form waits for the first (on the unique index in PostgreSQL,
    on the write lock in SQLite) and then raises AlreadySaved with what the first
    saved. A first send that fails gives its token back with its rollback, so the
    corrected form can be sent again. No token (a client that did not render the
    form) saves unguarded.
    """
    if not token:
        yield Sending()
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submitted_once() belongs inside the transaction that saves")
    FormSubmission.objects.filter(user=by, created_at__lt=timezone.now() - SUBMISSIONS_KEPT).delete()
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(user=by, token=token)
    except IntegrityError:
        first = FormSubmission.objects.select_related("saved_type").get(user=by, token=token)
        raise AlreadySaved(_saved_by(first)) from None
    sending = Sending()
    yield sending
    if sending.saved is not None:
        submission.saved_type = ContentType.objects.get_for_model(sending.saved)
        submission.saved_id = sending.saved.pk
        submission.save(update_fields=["saved_type", "saved_id"])


def _saved_by(submission: FormSubmission):
    model = submission.saved_type.model_class() if submission.saved_type is not None else None
    if model is None:
        return None
    return model._default_manager.filter(pk=submission.saved_id).first()
