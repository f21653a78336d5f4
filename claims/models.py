"""The domain model (docs/architecture.md, "The domain model").

Everything on the public record keeps its history (django-simple-history) and
is removed by a soft delete that can be undone; see services.record_remove.
"""

import copy
import time
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims import starter_texts
from claims.dates import DatePrecision, display_partial_date
from claims.fetched_files import fetched_storage

# Texts staff write at length are Markdown, rendered and sanitised by claims.rich_text.
MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, *emphasis*, **bold**, lists (- or 1.), > quotes, "
    "## headings and [links](https://…)."
)


class User(AbstractUser):
    """The newsroom's staff. Roles are Django groups; see claims.permissions."""

    # Raised by "sign out everywhere else" (claims.accounts): it is folded into the hash that
    # every session is signed with, so the sessions signed before it end.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        db_table = "claims_user"

    def get_session_auth_hash(self):
        return self._with_session_generation(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self):
        for auth_hash in super().get_session_auth_fallback_hash():
            yield self._with_session_generation(auth_hash)

    def _with_session_generation(self, auth_hash: str) -> str:
        if not self.session_generation:
            return auth_hash  # sessions from before the first "sign out everywhere" stay valid
        return salted_hmac(
            "claims.User.session_generation", f"{auth_hash}:{self.session_generation}", algorithm="sha256"
        ).hexdigest()


# --- Shared building blocks ---------------------------------------------------


class LiveManager(models.Manager):
    """Rows that have not been removed. `all_objects` sees the removed ones too."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Removable(models.Model):
    """Soft delete: a removed row keeps its data and history and can be restored."""

    removed_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - ruff mistakes the manager for a field

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Timestamped(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Dated(models.Model):
    """A date known to the day, month or year, or not at all, with a note.

    A month- or year-precise date is stored as its first day; `date_display`
    shows only what is known. "July, year not stated" is an unknown date with a note.
    """

    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=DatePrecision, default=DatePrecision.UNKNOWN)
    date_note = models.CharField(max_length=200, blank=True, help_text=_("e.g. “July, year not stated”"))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(date_precision=DatePrecision.UNKNOWN, date__isnull=True))
                | (~Q(date_precision=DatePrecision.UNKNOWN) & Q(date__isnull=False)),
                name="%(app_label)s_%(class)s_date_matches_precision",
                violation_error_message=_("Give a date unless its precision is “unknown”, and none if it is."),
            ),
        ]

    @property
    def date_display(self) -> str:
        return display_partial_date(self.date, self.date_precision, self.date_note)


# --- Site ---------------------------------------------------------------------


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


SITE_SETTINGS_VERSION_KEY = "site-settings:version"


class _ThisRequest:
    """The version read during the request being served: a page asks for the settings more than once (the view,
    the layout), and one look at the shared cache per request is enough. Outside a request (a worker, a
    command) every `load()` looks."""

    serving = False
    version: int | None = None

    @classmethod
    def started(cls, **kwargs) -> None:
        cls.serving, cls.version = True, None

    @classmethod
    def finished(cls, **kwargs) -> None:
        cls.serving, cls.version = False, None


request_started.connect(_ThisRequest.started, dispatch_uid="site-settings-request-started")
request_finished.connect(_ThisRequest.finished, dispatch_uid="site-settings-request-finished")


def _site_settings_version() -> int:
    """The version of the settings row every process agrees on, kept in the shared cache."""
    if _ThisRequest.version is not None:
        return _ThisRequest.version
    version = cache.get(SITE_SETTINGS_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        if not cache.add(SITE_SETTINGS_VERSION_KEY, version, timeout=None):  # another process made one meanwhile
            version = cache.get(SITE_SETTINGS_VERSION_KEY, version)
    if _ThisRequest.serving:
        _ThisRequest.version = version
    return version


def _site_settings_changed() -> None:
    """Every process reads the row again: this one at once, the others at their next `load()`."""
    SiteSettings._loaded = None
    _ThisRequest.version = None
    transaction.on_commit(_bump_site_settings_version)


def _bump_site_settings_version() -> None:
    _ThisRequest.version = None
    cache.set(SITE_SETTINGS_VERSION_KEY, max(time.time_ns(), _site_settings_version() + 1), timeout=None)
    _ThisRequest.version = None


class SiteSettingsQuerySet(models.QuerySet):
    def update(self, **kwargs):
        updated = super().update(**kwargs)
        _site_settings_changed()
        return updated


class SiteSettings(models.Model):
    """The one row of newsroom-wide settings (its primary key is always 1).

    Every page reads it, so each process keeps the row it read (`load`) while the version in the
    shared cache stays the same; saving or updating the row gives it a new version on commit.
    """

    organisation_name = models.CharField(max_length=200, default="Claim Tracker")
    organisation_url = models.URLField(blank=True)
    logo = models.ImageField(
        upload_to="site/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text=_("PNG, JPEG or WebP (no SVG: it can carry script)."),
    )
    contact_email = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, choices=time_zone_choices, default="UTC")
    methodology = models.TextField(blank=True, default=starter_texts.METHODOLOGY, help_text=MARKDOWN_HELP)
    corrections_policy = models.TextField(blank=True, default=starter_texts.CORRECTIONS_POLICY, help_text=MARKDOWN_HELP)
    about = models.TextField(blank=True, default=starter_texts.ABOUT, help_text=MARKDOWN_HELP)
    funding = models.TextField(blank=True, default=starter_texts.FUNDING, help_text=MARKDOWN_HELP)
    contact_retention_days = models.PositiveIntegerField(
        default=90, help_text=_("Contact details of tips and error reports are deleted after this many days.")
    )
    active_rating_scale = models.ForeignKey(
        "RatingScale", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    objects = SiteSettingsQuerySet.as_manager()

    # (version, row) as this process last read it, and the version a copy was read under; see load().
    _loaded: "tuple[int, SiteSettings] | None" = None
    _version: int | None = None

    class Meta:
        verbose_name = verbose_name_plural = _("site settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_settings_single_row")]

    def __str__(self):
        return self.organisation_name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _site_settings_changed()

    @property
    def version(self) -> int:
        """The version of the row as it was read (cached pages that show it are keyed by it)."""
        return self._version or _site_settings_version()

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row: read from the database once per process and version (one cache read
        otherwise). Each caller gets its own copy, so a form that changes it changes nobody else's."""
        version = _site_settings_version()
        loaded = cls._loaded
        if loaded is None or loaded[0] != version:
            settings_row, _created = cls.objects.get_or_create(pk=1)
            loaded = cls._loaded = (version, settings_row)
        settings_row = copy.copy(loaded[1])
        settings_row._version = version
        return settings_row


class Heartbeat(models.Model):
    """When a background process last proved it was alive (shown by /healthz)."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


# --- People and documents ----------------------------------------------------


class Actor(Removable, Timestamped):
    """A person or organisation that says things."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        GOVERNMENT = "government", _("Government")
        MEDIA = "media", _("Media")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.PERSON)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FetchStatus(models.TextChoices):
    NONE = "none", _("Not fetched")
    PENDING = "pending", _("Fetching…")
    DONE = "done", _("Fetched")
    FAILED = "failed", _("Fetch failed")


class Source(Removable, Timestamped, Dated):
    """A document or broadcast. `url` is optional and stored in canonical form."""

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Entered by staff")
        FEED = "feed", _("Imported from a feed")
        API = "api", _("Imported through the API")

    url = models.URLField(max_length=2000, blank=True, help_text=_("Leave empty for a speech, broadcast or message."))
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text=_("BCP 47 code, e.g. en, fa"))
    text = models.TextField(_("extracted text"), blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    licence = models.CharField(max_length=200, blank=True, help_text=_("e.g. CC BY 4.0"))
    attribution = models.CharField(max_length=300, blank=True, help_text=_("Credit line required by the licence"))
    archive_url = models.URLField(max_length=2000, blank=True)
    # A fetched file: its own storage, a random name, no URL (claims/fetched_files.py).
    snapshot = models.FileField(storage=fetched_storage, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.MANUAL)
    feed = models.ForeignKey("Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    fetch_status = models.CharField(max_length=10, choices=FetchStatus, default=FetchStatus.NONE, db_index=True)
    fetch_error = models.TextField(blank=True)
    confidential = models.BooleanField(
        default=False, help_text=_("Withheld for safety: shown publicly only by its public description.")
    )
    public_description = models.CharField(
        max_length=300, blank=True, help_text=_("What the public sees of a confidential source.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(
                fields=["url"],
                condition=Q(removed_at__isnull=True) & ~Q(url=""),
                name="source_url_unique_among_live",
                violation_error_message=_("A source with this address is already on file."),
            ),
            models.CheckConstraint(
                condition=Q(confidential=False) | ~Q(public_description=""),
                name="source_confidential_has_public_description",
                violation_error_message=_("A confidential source needs a public description."),
            ),
        ]

    def __str__(self):
        return self.title


# --- Claims ---------------------------------------------------------------------


class Claim(Removable, Timestamped, Dated):
    """The checkable statement. Its `date` is the date of its first appearance."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        RESEARCHING = "researching", _("Researching")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        DISMISSED = "dismissed", _("Dismissed")
        MERGED = "merged", _("Merged")

    text = models.TextField(help_text=_("The claim, stated so it can be checked."))
    slug = models.SlugField(max_length=120, unique=True)
    claimant = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    first_appearance = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="first_appearance_of"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    language = models.CharField(max_length=35, default="en")
    state = models.CharField(max_length=12, choices=State, default=State.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewing_claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_sample = models.BooleanField(default=False, help_text=_("Demo content: labelled and not indexed."))
    sources = models.ManyToManyField(Source, through="ClaimSource", related_name="cited_by")
    # Set when the claim is merged into another one, its survivor (claims/merging.py).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="merged_claims"
    )

    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            *Dated.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(state="merged") & Q(merged_into__isnull=False) & ~Q(merged_into=models.F("pk")))
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="claim_merged_names_another_claim",
                violation_error_message=_("A merged claim names the claim it was merged into, and only it does."),
            ),
        ]
        indexes = [models.Index(fields=["state", "-updated_at"])]

    def __str__(self):
        return self.text[:80]


class ClaimSource(Removable, Timestamped):
    """A source cited by a claim, in order, with the role it plays."""

    class Role(models.TextChoices):
        APPEARANCE = "appearance", _("Appearance of the claim")
        EVIDENCE = "evidence", _("Evidence")
        BACKGROUND = "background", _("Background")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claim_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claim_sources")
    role = models.CharField(max_length=12, choices=Role, default=Role.APPEARANCE)
    order = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                condition=Q(removed_at__isnull=True),
                name="claim_source_unique_among_live",
                violation_error_message=_("This source is already cited by the claim."),
            )
        ]

    def __str__(self):
        return f"{self.source} ({self.get_role_display().lower()})"


class ClaimLink(Removable, Timestamped):
    """A link from one claim to a related one."""

    class Kind(models.TextChoices):
        COUNTER_CLAIM = "counter_claim", _("Counter-claim")
        SAME_CLAIM = "same_claim", _("Same claim")
        PART_OF = "part_of", _("Part of")

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=16, choices=Kind)
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"],
                condition=Q(removed_at__isnull=True),
                name="claim_link_unique_among_live",
                violation_error_message=_("These claims are already linked this way."),
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=models.F("to_claim")),
                name="claim_link_not_to_itself",
                violation_error_message=_("A claim cannot be linked to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of claim #{self.to_claim_id}"


class Statement(Removable, Timestamped, Dated):
    """One actor saying something about a claim, in a source."""

    class Stance(models.TextChoices):
        ASSERTS = "asserts", _("Asserts")
        DENIES = "denies", _("Denies")
        DISPUTES = "disputes", _("Disputes")
        RETRACTS = "retracts", _("Retracts")
        CLARIFIES = "clarifies", _("Clarifies")
        CONTEXT = "context", _("Context")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="statements")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="statements")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="statements")
    quote = models.TextField(help_text=_("As published; paraphrase only when marked second-hand."))
    quote_language = models.CharField(max_length=35, default="en")
    stance = models.CharField(max_length=10, choices=Stance, db_index=True)
    second_hand = models.BooleanField(_("reported second-hand"), default=False)
    translated = models.BooleanField(default=False)
    original_language = models.CharField(max_length=35, blank=True, help_text=_("BCP 47 code, e.g. fa"))
    original_quote = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            *Dated.Meta.constraints,
            models.CheckConstraint(
                condition=Q(translated=False) | ~Q(original_language=""),
                name="statement_translation_has_original_language",
                violation_error_message=_("Give the original language of a translated quote."),
            ),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_stance_display().lower()}: {self.quote[:60]}"


class Evidence(Removable, Timestamped):
    """What the fact-checker relies on. `internal_note` never goes public."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports the claim")
        REFUTES = "refutes", _("Refutes the claim")
        CONTEXT = "context", _("Context")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    summary = models.TextField(_("public summary"))
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    url = models.URLField(max_length=2000, blank=True)
    stance = models.CharField(max_length=10, choices=Stance)
    internal_note = models.TextField(blank=True, help_text=_("Staff only; never shown to the public."))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.summary[:80]


# --- Verdicts and the review workflow ----------------------------------------------


class RatingScale(models.Model):
    """An ordered set of ratings. A "conclusion only" scale has none: the headline is the conclusion."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    conclusion_only = models.BooleanField(
        default=False, help_text=_("Publish a written conclusion (the headline) instead of a rating.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Rating(models.Model):
    """One step of a scale. Locked once a published verdict uses it (see claims.permissions)."""

    class Colour(models.TextChoices):
        # A fixed palette: each is a CSS class in static/css/site.css, never an inline style.
        GREEN = "green", _("Green")
        LIME = "lime", _("Lime")
        YELLOW = "yellow", _("Yellow")
        ORANGE = "orange", _("Orange")
        RED = "red", _("Red")
        PURPLE = "purple", _("Purple")
        GREY = "grey", _("Grey")

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=60)
    description = models.TextField(help_text=_("The definition shown to the public beside the rating."))
    colour = models.CharField(max_length=10, choices=Colour, default=Colour.GREY)
    order = models.PositiveIntegerField(default=0)
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Optional number for ClaimReview (higher is truer); leave empty if none.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique_in_scale"),
        ]

    def __str__(self):
        return self.label

    @property
    def css_class(self) -> str:
        return f"rating-{self.colour}"


class Verdict(Timestamped):
    """A verdict on a claim, from draft to published. A published verdict never changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    class Kind(models.TextChoices):
        FIRST = "first", _("First verdict")
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")
        RETRACTION = "retraction", _("Retraction")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.FIRST)
    state = models.CharField(max_length=12, choices=State, default=State.DRAFT, db_index=True)
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="verdicts")
    headline = models.CharField(max_length=300, blank=True, help_text=_("The conclusion in one sentence."))
    explanation = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    public_note = models.TextField(
        blank=True, help_text=_("For a correction, update or retraction: what changed and why (public).")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_verdicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_verdicts"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_record = models.JSONField(
        null=True, blank=True, editable=False, help_text=_("The claim's public content, frozen when published.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One verdict in the works per claim; one published at a time.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state__in=["draft", "in_review"]),
                name="verdict_one_open_per_claim",
                violation_error_message=_("This claim already has a verdict in the works."),
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(state="published"), name="verdict_one_published_per_claim"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "in_review"]) | Q(published_at__isnull=False),
                name="verdict_published_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on claim #{self.claim_id} ({self.get_state_display().lower()})"


class Outreach(Removable, Timestamped):
    """The right of reply: whom the team contacted, when and how, and what came back. Public."""

    class Method(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Message or social media")
        IN_PERSON = "in_person", _("In person")
        LETTER = "letter", _("Letter")
        NOT_POSSIBLE = "not_possible", _("Contact not possible")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="outreach")
    contacted = models.CharField(
        _("whom"), max_length=300, blank=True, help_text=_("e.g. “Iran's Ministry of Foreign Affairs, press office”")
    )
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="outreach")
    method = models.CharField(max_length=14, choices=Method)
    contacted_on = models.DateField(null=True, blank=True)
    request = models.TextField(_("what was asked"), blank=True)
    response = models.TextField(blank=True, help_text=_("Their answer, or leave empty if none came."))
    responded_on = models.DateField(null=True, blank=True)
    not_possible_reason = models.TextField(
        blank=True, help_text=_("Why contact was not possible (required for that method).")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["contacted_on", "pk"]
        verbose_name_plural = "outreach"
        constraints = [
            models.CheckConstraint(
                condition=(Q(method="not_possible") & ~Q(not_possible_reason=""))
                | (~Q(method="not_possible") & ~Q(contacted="") & Q(contacted_on__isnull=False)),
                name="outreach_says_whom_and_when_or_why_not",
                violation_error_message=_(
                    "Say whom you contacted and when, or choose “contact not possible” and say why."
                ),
            )
        ]

    def __str__(self):
        if self.method == Outreach.Method.NOT_POSSIBLE:
            return f"Contact not possible: {self.not_possible_reason[:60]}"
        return f"{self.contacted} ({self.get_method_display().lower()})"


class WorkflowEvent(models.Model):
    """Who moved a claim or verdict along, when, and why. Internal: review comments live here."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    comment = models.TextField(blank=True)
    # When the people who must act on it were told (claims/alerts.py): a second delivery tells nobody twice.
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} on claim #{self.claim_id}"


class ContributionQuerySet(models.QuerySet):
    def open_round(self) -> "ContributionQuerySet":
        """Those no publication has closed yet: what the two-person rule reads."""
        return self.filter(published_in__isnull=True)


class Contribution(models.Model):
    """Someone's write that changed what a claim's public record would show (claims/contributions.py).

    The contributions since a claim's last publication (`published_in` empty) name the people who may
    not publish the verdict in the works, or request changes to it: the two-person rule reads them.
    Publishing the verdict closes the round. Background work (fetches, imports) is nobody's.
    """

    class Change(models.TextChoices):
        ADDED = "added", _("added")
        EDITED = "edited", _("edited")
        REMOVED = "removed", _("removed")
        RESTORED = "restored", _("restored")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="contributions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions")
    at = models.DateTimeField(default=timezone.now)
    item_type = models.CharField(max_length=40, help_text=_("The model written, e.g. statement"))
    item_id = models.PositiveBigIntegerField()
    change = models.CharField(max_length=8, choices=Change)
    fields = models.JSONField(default=list, blank=True, help_text=_("The public fields that changed"))
    published_in = models.ForeignKey(
        "Verdict", null=True, blank=True, on_delete=models.PROTECT, related_name="closed_contributions"
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["claim", "published_in", "id"])]

    def __str__(self):
        return f"{self.item_type} #{self.item_id} {self.change} on claim #{self.claim_id}"


class Notification(models.Model):
    """An email waiting to go out (an outbox, so a request never waits on a mail server or broker)."""

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"To {self.to}: {self.subject}"


class TriageDigest(models.Model):
    """One digest of the tips and error reports that came in between `since` and `until` (claims/alerts.py).

    `since` is unique: two sweeps running at once cannot both write the digest of the same period.
    """

    since = models.DateTimeField(unique=True)
    until = models.DateTimeField()
    tips = models.PositiveIntegerField(default=0)
    error_reports = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-until"]

    def __str__(self):
        return f"{self.tips} tip(s), {self.error_reports} report(s) until {self.until:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    """What the bell in the staff navigation lists: something its recipient must act on (claims/alerts.py)."""

    class Kind(models.TextChoices):
        REVIEW_REQUESTED = "review_requested", _("Ready for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        DISMISSED = "dismissed", _("Dismissed")
        TRIAGE_DIGEST = "triage_digest", _("From the public")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.CharField(max_length=300)
    path = models.CharField(max_length=500, help_text=_("The staff page it is about"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    event = models.ForeignKey(WorkflowEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    digest = models.ForeignKey(TriageDigest, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="alert_once_per_event"),
            models.UniqueConstraint(fields=["recipient", "digest"], name="alert_once_per_digest"),
        ]

    def __str__(self):
        return f"To {self.recipient_id}: {self.text}"


class EmailPreferences(models.Model):
    """Which alerts a staff member also wants by email (My account). No row: every one of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="email_preferences"
    )
    assignments = models.BooleanField(
        _("claims and reviews assigned to me, and changes asked of my work"), default=True
    )
    review_requests = models.BooleanField(_("verdicts sent to any reviewer, or to me, for review"), default=True)
    outcomes = models.BooleanField(_("my claims published or dismissed"), default=True)
    triage_digest = models.BooleanField(_("a digest of new tips and error reports"), default=True)

    class Meta:
        verbose_name_plural = _("email preferences")

    def __str__(self):
        return f"Email preferences of {self.user_id}"

    @classmethod
    def of(cls, user) -> "EmailPreferences":
        """The user's preferences, unsaved defaults when they never changed them."""
        found = cls.objects.filter(user=user).first()
        return found if found is not None else cls(user=user)


# --- The public side: old slugs, tips and error reports -------------------------------


class ClaimSlug(models.Model):
    """A slug a published claim was once reachable at: it redirects to the current one."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.slug


class FromThePublic(models.Model):
    """Sent by a reader: triaged by staff, its contact staff-only and deleted after a while.

    Not on record (no history), so a deleted contact is gone for good.
    """

    contact = models.CharField(_("contact (optional)"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    contact_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:80]


class Tip(FromThePublic):
    """A claim worth checking, sent by the public. The contact is staff-only and deleted after a while."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Became a claim")
        DISMISSED = "dismissed", _("Dismissed")

    text = models.TextField(_("what was claimed"))
    url = models.URLField(_("where you saw it"), max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.NEW, db_index=True)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="tips")
    group = models.ForeignKey("TipGroup", on_delete=models.PROTECT, related_name="tips")
    # Set when a fact-checker took the tip out of its group or moved it: the matcher never moves it again.
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True, help_text=_("When the worker matched and grouped it"))
    wants_answer = models.BooleanField(_("tell me when this is checked"), default=False)
    told_at = models.DateTimeField(null=True, blank=True, help_text=_("When the sender's email was queued"))


class TipGroup(models.Model):
    """Tips that ask about the same thing, triaged as one item. Its tips share its state: deciding the
    group decides them all (claims/tips.py)."""

    State = Tip.State

    state = models.CharField(max_length=10, choices=State, default=State.NEW, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"Tip group #{self.pk} ({self.state})"


class TipMatch(models.Model):
    """A claim on file that a tip is close to, on the tip's sentence that matched (the worker's matcher)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="claim_matches")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="tip_matches")
    similarity = models.FloatField(help_text=_("0 to 1; the thresholds read it"))
    strong = models.BooleanField(default=False)
    sentence = models.TextField(help_text=_("The tip's sentence that matched"))

    class Meta:
        ordering = ["-similarity", "pk"]
        verbose_name_plural = _("tip matches")
        constraints = [models.UniqueConstraint(fields=["tip", "claim"], name="tip_match_one_per_pair")]

    def __str__(self):
        return f"Tip #{self.tip_id} ~ claim #{self.claim_id} ({self.similarity:.2f})"


class ErrorReport(FromThePublic):
    """A reader's report of an error on a claim page. The contact is staff-only and deleted after a while."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CORRECTED = "corrected", _("Led to a correction")
        DISMISSED = "dismissed", _("Dismissed")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="error_reports")
    text = models.TextField(_("what is wrong"))
    state = models.CharField(max_length=10, choices=State, default=State.NEW, db_index=True)
    answer = models.TextField(blank=True)


# --- Background import: feeds and their runs ----------------------------------------------


class Feed(Timestamped):
    """An RSS or Atom feed polled by the worker."""

    url = models.URLField(max_length=2000, unique=True)
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=35, blank=True)
    active = models.BooleanField(default=True)
    poll_interval = models.PositiveIntegerField(default=30, help_text=_("Minutes between polls."))
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One poll of a feed (or one fetch of an article): what it saw and how it ended."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        NOT_MODIFIED = "not_modified", _("Not modified")
        PARTIAL = "partial", _("Partly failed")
        FAILED = "failed", _("Failed")

    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    items_duplicate = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.feed or 'import'} at {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_open(self) -> bool:
        """Waiting for a worker or being worked on."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class FeedEntry(models.Model):
    """A feed item already seen (by its GUID), so a re-import creates nothing twice."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=1000)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries")
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feed_entry_unique_guid")]

    def __str__(self):
        return self.guid


# --- Search (PostgreSQL only) --------------------------------------------------------------


class ClaimSearchDocument(models.Model):
    """A public claim's published record as a weighted tsvector, for ranked full-text search.

    Unmanaged: the table exists only on PostgreSQL, where migration 0006 creates
    it with its GIN index, so nothing but claims.search touches this model, and
    only there. It is written from the published record alone when a verdict is
    published (claims.search.search_document_update).
    """

    claim = models.OneToOneField(Claim, primary_key=True, on_delete=models.DO_NOTHING, related_name="search_document")
    config = models.CharField(max_length=32, help_text=_("PostgreSQL text-search configuration, e.g. english"))
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = "claims_claimsearchdocument"

    def __str__(self):
        return f"Search document of claim #{self.claim_id} ({self.config})"


class ClaimSearchText(models.Model):
    """A public claim's published record as plain, folded text in four weights, for the word search.

    On every database, written with the search document when a verdict is published
    (claims.search.search_document_update); where PostgreSQL's full-text search is not (SQLite,
    `make run`) search matches the query's words in it, ranked by the weight that holds each.
    The weights are those of the search document: A the claim, B the headline and names,
    C the explanation, D the statements, evidence, right of reply and sources.
    """

    claim = models.OneToOneField(Claim, primary_key=True, on_delete=models.CASCADE, related_name="search_text")
    weight_a = models.TextField(blank=True)
    weight_b = models.TextField(blank=True)
    weight_c = models.TextField(blank=True)
    weight_d = models.TextField(blank=True)

    def __str__(self):
        return f"Search text of claim #{self.claim_id}"


# --- Staff accounts: invitations and the log of changes to people --------------------------


class Invitation(models.Model):
    """A person invited to the newsroom who sets their own password through a single-use link.

    The invited user exists, inactive and without a usable password, until they
    accept (claims.people). Sending it again replaces `sent_at`, which ends the
    links sent before.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Invitation of {self.user}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None


class StaffChange(models.Model):
    """Who invited, changed the role of, deactivated or reactivated whom, and when (the People page shows them)."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        JOINED = "joined", _("Joined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="staff_changes"
    )
    person_name = models.CharField(max_length=254, help_text=_("Who it was about, as they were named then"))
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person_name}"


# --- API tokens ----------------------------------------------------------------------------


class ApiToken(models.Model):
    """A person's key to the JSON API (claims/api/), acting with their role (claims.accounts makes and revokes them).

    The token itself is shown once, when it is made; only its SHA-256 is stored (a random 256-bit
    secret needs no slow hash), with its first characters so the person can tell their tokens apart.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text=_("The token's first characters"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"API token {self.prefix}… of {self.user}"


# --- Forms sent twice ---------------------------------------------------------------------


class FormSubmission(models.Model):
    """A create form that was sent, by the one-time token it carried (claims.services.submitted_once).

    The same form sent again (a double click, Back and resend) finds what the
    first send saved instead of saving it twice. Rows older than a day are
    pruned when the same user sends another form.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    saved_type = models.ForeignKey("contenttypes.ContentType", null=True, on_delete=models.CASCADE, related_name="+")
    saved_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_submission_unique_token")]

    def __str__(self):
        return f"Form {self.token} sent by user #{self.user_id}"


# --- Matching imported articles against the claims on file (claims/inbox.py, docs/matching.md) ---------


class MatchState(models.TextChoices):
    UNDECIDED = "undecided", _("Undecided")
    STATEMENT = "statement", _("Added as a statement")
    EVIDENCE = "evidence", _("Added as evidence")
    CITED = "cited", _("Cited as a source")
    REPEAT = "repeat", _("Recorded as a repeat")
    DISMISSED = "dismissed", _("Dismissed")


class ArticleMatch(models.Model):
    """The matcher's suggestion that an article (a source) speaks to a claim, on one of its sentences.

    One row per (article, claim): once decided, the pair is never suggested again. Not on the public
    record (no history): what a decision adds to the claim (a statement, evidence, a citation) is.
    """

    class Strength(models.TextChoices):
        STRONG = "strong", _("Strong match")
        SUGGEST = "suggest", _("Suggested")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="matches")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="article_matches")
    score = models.FloatField(help_text=_("The fused score the matcher ranked on"))
    similarity = models.FloatField(help_text=_("0 to 1; the thresholds read it"))
    strength = models.CharField(max_length=8, choices=Strength)
    sentence = models.TextField(help_text=_("The article's sentence that matched, as the article has it"))
    sentence_start = models.PositiveIntegerField(help_text=_("Where the sentence starts in the source's text"))
    sentence_end = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=MatchState, default=MatchState.UNDECIDED, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-similarity", "pk"]
        verbose_name_plural = _("article matches")
        constraints = [
            models.UniqueConstraint(fields=["source", "claim"], name="article_match_one_per_pair"),
            models.CheckConstraint(
                condition=Q(sentence_end__gte=models.F("sentence_start")), name="article_match_sentence_span"
            ),
        ]

    def __str__(self):
        return f"Source #{self.source_id} ~ claim #{self.claim_id} ({self.similarity:.2f}, {self.state})"

    @property
    def is_decided(self) -> bool:
        return self.state != MatchState.UNDECIDED


class DocumentVector(models.Model):
    """An embedding stored once per document version: keyed by the SHA-256 of the cleaned text and the
    model that made it, so a restart (or another process) embeds nothing twice (claims/matching/store.py)."""

    model = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "text_hash"], name="document_vector_one_per_text")]

    def __str__(self):
        return f"{self.model} {self.text_hash[:12]}"


class IndexGeneration(models.Model):
    """A number every process that matches compares with its own: the claim services raise it on commit
    when a claim is created, edited, removed, restored or dismissed, so each process re-reads what changed."""

    name = models.CharField(max_length=50, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.value}"


# --- Repeats after publication ------------------------------------------------------------------------


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewedAddition(models.Model):
    """Something added to a published record after publication: public only once a reviewer other than the
    person who recorded it approves it (claims/repeats.py)."""

    state = models.CharField(max_length=10, choices=ReviewState, default=ReviewState.PENDING, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Repeat(ReviewedAddition, Timestamped, Dated):
    """Someone repeating a claim after its verdict was published: who, where (an article), when, in which words."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="repeats")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="repeats")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="repeats")
    sentence = models.TextField(help_text=_("The words that repeat the claim, as the article has them."))
    match = models.OneToOneField(
        ArticleMatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="repeat", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(
                fields=["claim", "source", "actor"],
                condition=~Q(state="withdrawn"),
                name="repeat_once_per_claim_article_and_actor",
                violation_error_message=_("This repeat is already on record for the claim."),
            ),
        ]

    def __str__(self):
        return f"{self.actor} repeated claim #{self.claim_id} in source #{self.source_id}"


class Intervention(ReviewedAddition, Timestamped):
    """What the newsroom did about a repeat: whom it asked to correct it, when, how, and what came of it."""

    class Asked(models.TextChoices):
        PUBLISHER = "publisher", _("The publisher")
        CLAIMANT = "claimant", _("The person who repeated it")

    class Method(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Message or social media")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")

    repeat = models.ForeignKey(Repeat, on_delete=models.PROTECT, related_name="interventions")
    asked = models.CharField(_("whom we asked"), max_length=10, choices=Asked)
    asked_on = models.DateField(_("when"))
    method = models.CharField(_("how"), max_length=10, choices=Method)
    request = models.TextField(_("what we asked"), blank=True)
    outcome = models.TextField(
        _("what came of it"), blank=True, help_text=_("e.g. “Corrected on 3 May”; leave empty while nothing has.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["asked_on", "pk"]

    def __str__(self):
        return f"{self.get_asked_display()} asked ({self.get_method_display().lower()}) about repeat #{self.repeat_id}"


# A claim still being worked on, and a verdict in the works (at most one per claim, a constraint says).
# Here rather than in claims.workflow so that reads (claims.selectors) need not import the workflow.
OPEN_CLAIM_STATES = frozenset({Claim.State.NEW, Claim.State.RESEARCHING, Claim.State.IN_REVIEW})
OPEN_VERDICT_STATES = frozenset({Verdict.State.DRAFT, Verdict.State.IN_REVIEW})
