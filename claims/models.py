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
from claims.dates import DateCalendar, DatePrecision, display_partial_date
from claims.export_files import export_storage
from claims.fetched_files import fetched_storage

# Texts staff write at length are Markdown, rendered and sanitised by claims.rich_text.
MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, *emphasis*, **bold**, lists (- or 1.), > quotes, "
    "## headings and [links](https://…)."
)


def language_choices():
    """settings.LANGUAGES, read when asked: adding a language needs no migration."""
    return list(settings.LANGUAGES)


class User(AbstractUser):
    """The newsroom's staff. Roles are Django groups; see claims.permissions."""

    # Raised by "sign out everywhere else" (claims.accounts): it is folded into the hash that
    # every session is signed with, so the sessions signed before it end.
    session_generation = models.PositiveIntegerField(_("session generation"), default=0, editable=False)
    # The staff screens' language, chosen on My account; blank: the one the browser asks for
    # (claims/languages.py). Public pages are always in the site's language.
    language = models.CharField(_("interface language"), max_length=8, choices=language_choices, blank=True, default="")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
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

    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False, db_index=True)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - ruff mistakes the manager for a field

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Dated(models.Model):
    """A date known to the day, month or year, or not at all, with a note.

    A month- or year-precise date is stored as its first (Gregorian) day in the calendar it was typed in
    (`date_calendar`: Mehr 1401 is 2022-09-23, a month, Solar Hijri); `date_display` shows only what is
    known. "July, year not stated" is an unknown date with a note. See claims/dates.py.
    """

    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    date_calendar = models.CharField(_("calendar"), max_length=12, choices=DateCalendar, default=DateCalendar.GREGORIAN)
    date_note = models.CharField(
        _("date note"), max_length=200, blank=True, help_text=_("e.g. “July, year not stated”")
    )

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
        """In the active language, in the Gregorian calendar (templates use `{% partial_date %}`, which
        follows the site's calendar)."""
        return display_partial_date(self.date, self.date_precision, self.date_note, self.date_calendar)


# --- Site ---------------------------------------------------------------------


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


# Where claims/languages.py keeps the site's public language, read on every request.
SITE_LANGUAGE_CACHE_KEY = "site:language"


def primary_language(code: str) -> str:
    """A BCP 47 code's primary subtag, lower-cased: "fa-IR" -> "fa"."""
    return code.split("-")[0].strip().lower()


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
    def seen(cls, version: int | None) -> None:
        """The version was read along with something else (the site's language, in the same round trip)."""
        if cls.serving and version is not None:
            cls.version = version

    @classmethod
    def finished(cls, **kwargs) -> None:
        cls.serving, cls.version = False, None


request_started.connect(_ThisRequest.started, dispatch_uid="site-settings-request-started")
request_finished.connect(_ThisRequest.finished, dispatch_uid="site-settings-request-finished")


site_settings_version_seen = _ThisRequest.seen


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

    organisation_name = models.CharField(_("organisation name"), max_length=200, default="Claim Tracker")
    organisation_url = models.URLField(_("organisation url"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="site/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text=_("PNG, JPEG or WebP (no SVG: it can carry script)."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=time_zone_choices, default="UTC")
    # The public pages, the feed, the emails to readers and ClaimReview's inLanguage are in this language
    # (claims/languages.py). One at a time: a site publishing in two languages at once is later work.
    language = models.CharField(
        _("public language"),
        max_length=8,
        choices=language_choices,
        default=settings.LANGUAGE_CODE,
        help_text=_("The public pages, the feed and the emails to readers are in this language."),
    )
    date_calendar = models.CharField(
        _("calendar for Persian readers"),
        max_length=12,
        choices=DateCalendar,
        default=DateCalendar.GREGORIAN,
        help_text=_("Pages in Persian show dates in this calendar; every other language shows Gregorian dates."),
    )
    methodology = models.TextField(
        _("methodology"), blank=True, default=starter_texts.METHODOLOGY, help_text=MARKDOWN_HELP
    )
    corrections_policy = models.TextField(
        _("corrections policy"), blank=True, default=starter_texts.CORRECTIONS_POLICY, help_text=MARKDOWN_HELP
    )
    about = models.TextField(_("about"), blank=True, default=starter_texts.ABOUT, help_text=MARKDOWN_HELP)
    funding = models.TextField(_("funding"), blank=True, default=starter_texts.FUNDING, help_text=MARKDOWN_HELP)
    contact_retention_days = models.PositiveIntegerField(
        _("contact retention days"),
        default=90,
        help_text=_("Contact details of tips and error reports are deleted after this many days."),
    )
    active_rating_scale = models.ForeignKey(
        "RatingScale",
        verbose_name=_("active rating scale"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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
        # The public language is kept in the shared cache (claims/languages.py): forget it now, and again
        # once committed, so a request that read the old row meanwhile does not keep it.
        cache.delete(SITE_LANGUAGE_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(SITE_LANGUAGE_CACHE_KEY))

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

    name = models.CharField(_("name"), max_length=50, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class PendingJob(models.Model):
    """Background work the broker did not take when it was sent (it was down or restarting): the outbox.

    claims.jobs writes it instead of losing the job, and sends it again (then deletes the row) each time
    beat's relay runs, every PENDING_JOBS_SECONDS. Tasks are idempotent, so a job sent twice does no harm.
    """

    task = models.CharField(_("task"), max_length=200, help_text=_("The Celery task's name"))
    args = models.JSONField(_("arguments"), default=list, help_text=_("Its arguments (ids only)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    error = models.TextField(_("error"), blank=True, help_text=_("Why the broker did not take it"))

    class Meta:
        verbose_name = _("pending job")
        verbose_name_plural = _("pending jobs")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} waiting since {self.created_at:%Y-%m-%d %H:%M:%S}"


# --- People and documents ----------------------------------------------------


class Actor(Removable, Timestamped):
    """A person or organisation that says things."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        GOVERNMENT = "government", _("Government")
        MEDIA = "media", _("Media")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.PERSON)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    url = models.URLField(_("url"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
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

    url = models.URLField(
        _("url"), max_length=2000, blank=True, help_text=_("Leave empty for a speech, broadcast or message.")
    )
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=35, blank=True, help_text=_("BCP 47 code, e.g. en, fa"))
    text = models.TextField(_("extracted text"), blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, db_index=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True, help_text=_("e.g. CC BY 4.0"))
    attribution = models.CharField(
        _("attribution"), max_length=300, blank=True, help_text=_("Credit line required by the licence")
    )
    archive_url = models.URLField(_("archive url"), max_length=2000, blank=True)
    # A fetched file: its own storage, a random name, no URL (claims/fetched_files.py).
    snapshot = models.FileField(_("snapshot"), storage=fetched_storage, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin, default=Origin.MANUAL)
    feed = models.ForeignKey(
        "Feed", verbose_name=_("feed"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    fetch_status = models.CharField(
        _("fetch status"), max_length=10, choices=FetchStatus, default=FetchStatus.NONE, db_index=True
    )
    fetch_error = models.TextField(_("fetch error"), blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Withheld for safety: shown publicly only by its public description."),
    )
    public_description = models.CharField(
        _("public description"),
        max_length=300,
        blank=True,
        help_text=_("What the public sees of a confidential source."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
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

    text = models.TextField(_("text"), help_text=_("The claim, stated so it can be checked."))
    # Unicode: a claim in Persian or Arabic gets an address in its own script (services.unique_claim_slug).
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    claimant = models.ForeignKey(
        Actor, verbose_name=_("claimant"), null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    first_appearance = models.ForeignKey(
        Source,
        verbose_name=_("first appearance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_appearance_of",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="claims")
    language = models.CharField(_("language"), max_length=35, default="en")
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewing_claims",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_sample = models.BooleanField(
        _("is sample"), default=False, help_text=_("Demo content: labelled and not indexed.")
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), through="ClaimSource", related_name="cited_by")
    # Set when the claim is merged into another one, its survivor (claims/merging.py).
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_claims",
    )

    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="claim_sources")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="claim_sources")
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.APPEARANCE)
    order = models.PositiveIntegerField(_("order"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim source")
        verbose_name_plural = _("claim sources")
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

    from_claim = models.ForeignKey(
        Claim, verbose_name=_("from claim"), on_delete=models.CASCADE, related_name="links_out"
    )
    to_claim = models.ForeignKey(Claim, verbose_name=_("to claim"), on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim link")
        verbose_name_plural = _("claim links")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="statements")
    actor = models.ForeignKey(Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="statements")
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    quote = models.TextField(_("quote"), help_text=_("As published; paraphrase only when marked second-hand."))
    quote_language = models.CharField(_("quote language"), max_length=35, default="en")
    stance = models.CharField(_("stance"), max_length=10, choices=Stance, db_index=True)
    second_hand = models.BooleanField(_("reported second-hand"), default=False)
    translated = models.BooleanField(_("translated"), default=False)
    original_language = models.CharField(
        _("original language"), max_length=35, blank=True, help_text=_("BCP 47 code, e.g. fa")
    )
    original_quote = models.TextField(_("original quote"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="evidence")
    summary = models.TextField(_("public summary"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    url = models.URLField(_("url"), max_length=2000, blank=True)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance)
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Staff only; never shown to the public.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        ordering = ["order", "pk"]
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.summary[:80]


# --- Verdicts and the review workflow ----------------------------------------------


class RatingScale(models.Model):
    """An ordered set of ratings. A "conclusion only" scale has none: the headline is the conclusion."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    conclusion_only = models.BooleanField(
        _("conclusion only"),
        default=False,
        help_text=_("Publish a written conclusion (the headline) instead of a rating."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def text_in(self, language: str) -> tuple[str, str]:
        """(name, description) in `language` where a translation gives them, else as written."""
        wanted = primary_language(language)
        for translation in self.translations.all():  # prefetched by the public pages
            if translation.language == wanted:
                return translation.name, translation.description
        return self.name, self.description


class RatingScaleTranslation(models.Model):
    """A rating scale's name and description in another language than the one it is written in."""

    scale = models.ForeignKey(
        RatingScale, verbose_name=_("rating scale"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=35, choices=language_choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating scale translation")
        verbose_name_plural = _("rating scale translations")
        ordering = ["scale", "language"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "language"], name="rating_scale_translation_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"


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

    scale = models.ForeignKey(RatingScale, verbose_name=_("scale"), on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(_("label"), max_length=60)
    description = models.TextField(
        _("description"), help_text=_("The definition shown to the public beside the rating.")
    )
    colour = models.CharField(_("colour"), max_length=10, choices=Colour, default=Colour.GREY)
    order = models.PositiveIntegerField(_("order"), default=0)
    value = models.PositiveSmallIntegerField(
        _("value"),
        null=True,
        blank=True,
        help_text=_("Optional number for ClaimReview (higher is truer); leave empty if none."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["scale", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique_in_scale"),
        ]

    def __str__(self):
        return self.label

    @property
    def css_class(self) -> str:
        return f"rating-{self.colour}"

    def text_in(self, language: str) -> tuple[str, str]:
        """(label, description) in `language` where a translation gives them, else as written."""
        wanted = primary_language(language)
        for translation in self.translations.all():  # prefetched by the public pages
            if translation.language == wanted:
                return translation.label, translation.description
        return self.label, self.description


class RatingTranslation(models.Model):
    """A rating's label and definition in another language than the one it is written in.

    Publishing freezes the text in the site's public language into the record, so a translation changed
    later reaches the ratings page at once and a verdict's page with its next publication."""

    rating = models.ForeignKey(Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=35, choices=language_choices)
    label = models.CharField(_("label"), max_length=60)
    description = models.TextField(
        _("description"), help_text=_("The definition shown to the public beside the rating.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating translation")
        verbose_name_plural = _("rating translations")
        ordering = ["rating", "language"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "language"], name="rating_translation_unique"),
        ]

    def __str__(self):
        return f"{self.label} ({self.language})"


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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="verdicts")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.FIRST)
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.DRAFT, db_index=True)
    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), null=True, blank=True, on_delete=models.PROTECT, related_name="verdicts"
    )
    headline = models.CharField(
        _("headline"), max_length=300, blank=True, help_text=_("The conclusion in one sentence.")
    )
    explanation = models.TextField(_("explanation"), blank=True, help_text=MARKDOWN_HELP)
    public_note = models.TextField(
        _("public note"),
        blank=True,
        help_text=_("For a correction, update or retraction: what changed and why (public)."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="authored_verdicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_verdicts",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_record = models.JSONField(
        _("published record"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The claim's public content, frozen when published."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="outreach")
    contacted = models.CharField(
        _("whom"), max_length=300, blank=True, help_text=_("e.g. “Iran's Ministry of Foreign Affairs, press office”")
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="outreach"
    )
    method = models.CharField(_("method"), max_length=14, choices=Method)
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    request = models.TextField(_("what was asked"), blank=True)
    response = models.TextField(_("response"), blank=True, help_text=_("Their answer, or leave empty if none came."))
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    not_possible_reason = models.TextField(
        _("not possible reason"), blank=True, help_text=_("Why contact was not possible (required for that method).")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outreach")
        ordering = ["contacted_on", "pk"]
        verbose_name_plural = _("outreach")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="events")
    verdict = models.ForeignKey(
        Verdict, verbose_name=_("verdict"), null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=12, blank=True)
    to_state = models.CharField(_("to state"), max_length=12, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    # When the people who must act on it were told (claims/alerts.py): a second delivery tells nobody twice.
    alerted_at = models.DateTimeField(_("alerted at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="contributions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.CASCADE, related_name="contributions"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    item_type = models.CharField(_("item type"), max_length=40, help_text=_("The model written, e.g. statement"))
    item_id = models.PositiveBigIntegerField(_("item id"))
    change = models.CharField(_("change"), max_length=8, choices=Change)
    fields = models.JSONField(_("fields"), default=list, blank=True, help_text=_("The public fields that changed"))
    published_in = models.ForeignKey(
        "Verdict",
        verbose_name=_("published in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_contributions",
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["pk"]
        indexes = [models.Index(fields=["claim", "published_in", "id"])]

    def __str__(self):
        return f"{self.item_type} #{self.item_id} {self.change} on claim #{self.claim_id}"


class Notification(models.Model):
    """An email waiting to go out (an outbox, so a request never waits on a mail server or broker)."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return f"To {self.to}: {self.subject}"


class TriageDigest(models.Model):
    """One digest of the tips and error reports that came in between `since` and `until` (claims/alerts.py).

    `since` is unique: two sweeps running at once cannot both write the digest of the same period.
    """

    since = models.DateTimeField(_("since"), unique=True)
    until = models.DateTimeField(_("until"))
    tips = models.PositiveIntegerField(_("tips"), default=0)
    error_reports = models.PositiveIntegerField(_("error reports"), default=0)

    class Meta:
        verbose_name = _("triage digest")
        verbose_name_plural = _("triage digests")
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

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    text = models.CharField(_("text"), max_length=300)
    path = models.CharField(_("path"), max_length=500, help_text=_("The staff page it is about"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    event = models.ForeignKey(
        WorkflowEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    digest = models.ForeignKey(
        TriageDigest, verbose_name=_("digest"), null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="email_preferences",
    )
    assignments = models.BooleanField(
        _("claims and reviews assigned to me, and changes asked of my work"), default=True
    )
    review_requests = models.BooleanField(_("verdicts sent to any reviewer, or to me, for review"), default=True)
    outcomes = models.BooleanField(_("my claims published or dismissed"), default=True)
    triage_digest = models.BooleanField(_("a digest of new tips and error reports"), default=True)

    class Meta:
        verbose_name = _("email preferences")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("claim slug")
        verbose_name_plural = _("claim slugs")

    def __str__(self):
        return self.slug


class FromThePublic(models.Model):
    """Sent by a reader: triaged by staff, its contact staff-only and deleted after a while.

    Not on record (no history), so a deleted contact is gone for good.
    """

    contact = models.CharField(_("contact (optional)"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    contact_deleted_at = models.DateTimeField(_("contact deleted at"), null=True, blank=True)

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
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.NEW, db_index=True)
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tips"
    )
    group = models.ForeignKey("TipGroup", verbose_name=_("group"), on_delete=models.PROTECT, related_name="tips")
    # Set when a fact-checker took the tip out of its group or moved it: the matcher never moves it again.
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    matched_at = models.DateTimeField(
        _("matched at"), null=True, blank=True, help_text=_("When the worker matched and grouped it")
    )
    wants_answer = models.BooleanField(_("tell me when this is checked"), default=False)
    told_at = models.DateTimeField(
        _("told at"), null=True, blank=True, help_text=_("When the sender's email was queued")
    )
    # The one-time token of the form that sent it: the same form sent twice (a double click) makes one tip.
    submission_token = models.CharField(_("submission token"), max_length=64, blank=True, editable=False)

    class Meta(FromThePublic.Meta):
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        constraints = [
            models.UniqueConstraint(
                fields=["submission_token"], condition=~Q(submission_token=""), name="tip_unique_submission_token"
            )
        ]


class TipGroup(models.Model):
    """Tips that ask about the same thing, triaged as one item. Its tips share its state: deciding the
    group decides them all (claims/tips.py)."""

    State = Tip.State

    state = models.CharField(_("state"), max_length=10, choices=State, default=State.NEW, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tip group")
        verbose_name_plural = _("tip groups")

    def __str__(self):
        return f"Tip group #{self.pk} ({self.state})"


class TipMatch(models.Model):
    """A claim on file that a tip is close to, on the tip's sentence that matched (the worker's matcher)."""

    tip = models.ForeignKey(Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="claim_matches")
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="tip_matches")
    similarity = models.FloatField(_("similarity"), help_text=_("0 to 1; the thresholds read it"))
    strong = models.BooleanField(_("strong"), default=False)
    sentence = models.TextField(_("sentence"), help_text=_("The tip's sentence that matched"))

    class Meta:
        verbose_name = _("tip match")
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

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="error_reports")
    text = models.TextField(_("what is wrong"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.NEW, db_index=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta(FromThePublic.Meta):
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")


# --- Background import: feeds and their runs ----------------------------------------------


class Feed(Timestamped):
    """An RSS or Atom feed polled by the worker."""

    url = models.URLField(_("url"), max_length=2000, unique=True)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=35, blank=True)
    active = models.BooleanField(_("active"), default=True)
    poll_interval = models.PositiveIntegerField(_("poll interval"), default=30, help_text=_("Minutes between polls."))
    etag = models.CharField(_("etag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("last modified"), max_length=100, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0, editable=False)
    next_poll_at = models.DateTimeField(_("next poll at"), default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
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

    feed = models.ForeignKey(
        Feed, verbose_name=_("feed"), null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    items_seen = models.PositiveIntegerField(_("items seen"), default=0)
    items_new = models.PositiveIntegerField(_("items new"), default=0)
    items_duplicate = models.PositiveIntegerField(_("items duplicate"), default=0)
    items_failed = models.PositiveIntegerField(_("items failed"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.feed or 'import'} at {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_open(self) -> bool:
        """Waiting for a worker or being worked on."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class FeedEntry(models.Model):
    """A feed item already seen (by its GUID), so a re-import creates nothing twice."""

    feed = models.ForeignKey(Feed, verbose_name=_("feed"), on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(_("guid"), max_length=1000)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries"
    )
    first_seen_at = models.DateTimeField(_("first seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("feed entry")
        verbose_name_plural = _("feed entrys")
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

    claim = models.OneToOneField(
        Claim, verbose_name=_("claim"), primary_key=True, on_delete=models.DO_NOTHING, related_name="search_document"
    )
    config = models.CharField(
        _("config"), max_length=32, help_text=_("PostgreSQL text-search configuration, e.g. english")
    )
    document = SearchVectorField(_("document"))

    class Meta:
        verbose_name = _("claim search document")
        verbose_name_plural = _("claim search documents")
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

    claim = models.OneToOneField(
        Claim, verbose_name=_("claim"), primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    weight_a = models.TextField(_("weight a"), blank=True)
    weight_b = models.TextField(_("weight b"), blank=True)
    weight_c = models.TextField(_("weight c"), blank=True)
    weight_d = models.TextField(_("weight d"), blank=True)

    class Meta:
        verbose_name = _("claim search text")
        verbose_name_plural = _("claim search texts")

    def __str__(self):
        return f"Search text of claim #{self.claim_id}"


# --- Staff accounts: invitations and the log of changes to people --------------------------


class Invitation(models.Model):
    """A person invited to the newsroom who sets their own password through a single-use link.

    The invited user exists, inactive and without a usable password, until they
    accept (claims.people). Sending it again replaces `sent_at`, which ends the
    links sent before.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitation"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

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

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="staff_changes",
    )
    person_name = models.CharField(
        _("person name"), max_length=254, help_text=_("Who it was about, as they were named then")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("staff change")
        verbose_name_plural = _("staff changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person_name}"


# --- API tokens ----------------------------------------------------------------------------


class ApiToken(models.Model):
    """A person's key to the JSON API (claims/api/), acting with their role (claims.accounts makes and revokes them).

    The token itself is shown once, when it is made; only its SHA-256 is stored (a random 256-bit
    secret needs no slow hash), with its first characters so the person can tell their tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False, help_text=_("The token's first characters"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("api token")
        verbose_name_plural = _("api tokens")
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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64)
    saved_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("saved type"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    saved_id = models.PositiveBigIntegerField(_("saved id"), null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
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

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="matches")
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="article_matches")
    score = models.FloatField(_("score"), help_text=_("The fused score the matcher ranked on"))
    similarity = models.FloatField(_("similarity"), help_text=_("0 to 1; the thresholds read it"))
    strength = models.CharField(_("strength"), max_length=8, choices=Strength)
    sentence = models.TextField(
        _("sentence"), help_text=_("The article's sentence that matched, as the article has it")
    )
    sentence_start = models.PositiveIntegerField(
        _("sentence start"), help_text=_("Where the sentence starts in the source's text")
    )
    sentence_end = models.PositiveIntegerField(_("sentence end"))
    state = models.CharField(_("state"), max_length=10, choices=MatchState, default=MatchState.UNDECIDED, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("article match")
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

    model = models.CharField(_("model"), max_length=64)
    text_hash = models.CharField(_("text hash"), max_length=64)
    vector = models.BinaryField(_("vector"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document vector")
        verbose_name_plural = _("document vectors")
        constraints = [models.UniqueConstraint(fields=["model", "text_hash"], name="document_vector_one_per_text")]

    def __str__(self):
        return f"{self.model} {self.text_hash[:12]}"


class IndexGeneration(models.Model):
    """A number every process that matches compares with its own: the claim services raise it on commit
    when a claim is created, edited, removed, restored or dismissed, so each process re-reads what changed."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("index generation")
        verbose_name_plural = _("index generations")

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

    state = models.CharField(_("state"), max_length=10, choices=ReviewState, default=ReviewState.PENDING, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        abstract = True


class Repeat(ReviewedAddition, Timestamped, Dated):
    """Someone repeating a claim after its verdict was published: who, where (an article), when, in which words."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="repeats")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="repeats")
    actor = models.ForeignKey(Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="repeats")
    sentence = models.TextField(_("sentence"), help_text=_("The words that repeat the claim, as the article has them."))
    match = models.OneToOneField(
        ArticleMatch,
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeat",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repeat")
        verbose_name_plural = _("repeats")
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

    repeat = models.ForeignKey(Repeat, verbose_name=_("repeat"), on_delete=models.PROTECT, related_name="interventions")
    asked = models.CharField(_("whom we asked"), max_length=10, choices=Asked)
    asked_on = models.DateField(_("when"))
    method = models.CharField(_("how"), max_length=10, choices=Method)
    request = models.TextField(_("what we asked"), blank=True)
    outcome = models.TextField(
        _("what came of it"), blank=True, help_text=_("e.g. “Corrected on 3 May”; leave empty while nothing has.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["asked_on", "pk"]

    def __str__(self):
        return f"{self.get_asked_display()} asked ({self.get_method_display().lower()}) about repeat #{self.repeat_id}"


# A claim still being worked on, and a verdict in the works (at most one per claim, a constraint says).
# Here rather than in claims.workflow so that reads (claims.selectors) need not import the workflow.
OPEN_CLAIM_STATES = frozenset({Claim.State.NEW, Claim.State.RESEARCHING, Claim.State.IN_REVIEW})
OPEN_VERDICT_STATES = frozenset({Verdict.State.DRAFT, Verdict.State.IN_REVIEW})


# --- Webhooks out and exports (claims/webhooks.py, claims/exports.py) ----------------------


class WebhookEvent(models.TextChoices):
    """What a partner may subscribe to: a claim's verdict published, corrected (or updated), retracted."""

    PUBLISHED = "claim.published", _("Published")
    CORRECTED = "claim.corrected", _("Corrected or updated")
    RETRACTED = "claim.retracted", _("Retracted")


class WebhookSubscription(models.Model):
    """A partner's address that is sent a signed POST for each event it subscribes to (Standard Webhooks).

    The secret signs every delivery. It is shown once, when the subscription is made; it is kept (not
    hashed, unlike an API token) because every delivery is signed with it.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Whose address it is, e.g. “Partner newsroom”."))
    url = models.URLField(_("address"), max_length=2000)
    events = models.JSONField(_("events"), default=list, help_text=_("The event types sent, e.g. claim.published"))
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True, help_text=_("Paused subscriptions are sent nothing."))
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    paused_reason = models.TextField(
        _("paused reason"),
        blank=True,
        editable=False,
        help_text=_("Why it was paused: by whom, or the receiver's 410 Gone"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.url})"


class WebhookDelivery(models.Model):
    """One event sent to one subscription: tried until the receiver answers 2xx or the retries run out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(
        _("event id"), max_length=64, help_text=_("The webhook-id header: the same on every retry")
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    claim = models.ForeignKey(
        "Claim", verbose_name=_("claim"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(
        _("response body"), blank=True, help_text=_("The start of the receiver's last answer")
    )
    error = models.TextField(_("error"), blank=True)
    log = models.JSONField(_("log"), default=list, blank=True, help_text=_("Each attempt: when, the status, the error"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_delivery_once_per_event"),
        ]

    def __str__(self):
        return f"{self.event} to {self.subscription_id} ({self.status})"


class Export(models.Model):
    """Claims with their statements, evidence, sources and verdicts as a CSV or JSON file, built by the worker.

    Internal fields are in it only when the person who asked may see them (`include_internal`, decided
    when it was asked for); tip contacts never. Only that person downloads it, until it expires.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (a spreadsheet)")
        JSON = "json", _("JSON")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="exports"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format, default=Format.CSV)
    filters = models.JSONField(_("filters"), default=dict, blank=True, help_text=_("state, topic, since, until"))
    include_internal = models.BooleanField(_("include internal"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    file = models.FileField(_("file"), storage=export_storage, blank=True, editable=False)
    claims_count = models.PositiveIntegerField(_("claims count"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} export #{self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.BUILDING)


# --- Other fact-checkers' verdicts: ClaimReview imported (claims/importing/claimreview.py) -----------------


class ClaimReviewSource(Timestamped):
    """Where other organisations' ClaimReview comes from: an address the worker reads again on a schedule
    (a page with ClaimReview markup, or a ClaimReview data feed), or a data-feed file uploaded once."""

    class Status(models.TextChoices):
        NEVER = "never", _("Not read yet")
        SUCCEEDED = "succeeded", _("Read")
        PARTIAL = "partial", _("Read, some items skipped")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("URL"), max_length=2000, blank=True, help_text=_("A page with ClaimReview markup, or a data feed.")
    )
    document = models.BinaryField(
        _("document"), blank=True, editable=False, help_text=_("The uploaded data-feed file, as sent.")
    )
    document_name = models.CharField(_("document name"), max_length=255, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True, help_text=_("Read again by the worker on its schedule."))
    next_read_at = models.DateTimeField(_("next read at"), default=timezone.now, db_index=True)
    reading_since = models.DateTimeField(_("reading since"), null=True, blank=True, editable=False)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True, editable=False)
    last_status = models.CharField(
        _("last status"), max_length=10, choices=Status, default=Status.NEVER, editable=False
    )
    last_result = models.JSONField(_("last result"), default=dict, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    etag = models.CharField(_("etag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("last modified"), max_length=100, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("claim review source")
        verbose_name_plural = _("claim review sources")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="claimreview_source_unique_url"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_file(self) -> bool:
        return not self.url


class ExternalFactCheck(Timestamped):
    """Another organisation's published verdict, read from its ClaimReview: a checkable document for the
    matcher beside the claims (kind "factcheck"), never part of this newsroom's record."""

    review_url = models.URLField(_("review URL"), max_length=2000, unique=True)
    publisher_name = models.CharField(_("publisher name"), max_length=300)
    publisher_site = models.CharField(_("publisher site"), max_length=300, blank=True)
    headline = models.CharField(_("headline"), max_length=500, blank=True)
    claim_text = models.TextField(_("claim text"))
    claimant = models.CharField(_("claimant"), max_length=300, blank=True)
    claim_date = models.DateField(_("claim date"), null=True, blank=True)
    rating_text = models.CharField(_("rating text"), max_length=300)
    rating_value = models.FloatField(_("rating value"), null=True, blank=True)
    rating_best = models.FloatField(_("rating best"), null=True, blank=True)
    rating_worst = models.FloatField(_("rating worst"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=35, blank=True)
    search_text = models.TextField(
        _("search text"), blank=True, editable=False, help_text=_("Folded text the API's search reads.")
    )
    source = models.ForeignKey(
        ClaimReviewSource,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fact_checks",
    )
    first_seen_at = models.DateTimeField(_("first seen at"), default=timezone.now, editable=False)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = _("external fact checks")
        ordering = ["-review_date", "-pk"]
        verbose_name = _("external fact-check")

    def __str__(self):
        return f"{self.publisher_name}: {self.rating_text} — {self.claim_text[:60]}"


class ExternalMatch(models.Model):
    """The matcher found that an imported article or a tip speaks to another organisation's fact-check
    (one row per pair, kept current by matching again)."""

    fact_check = models.ForeignKey(
        ExternalFactCheck, verbose_name=_("fact check"), on_delete=models.CASCADE, related_name="matches"
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_matches",
    )
    tip = models.ForeignKey(
        Tip, verbose_name=_("tip"), null=True, blank=True, on_delete=models.CASCADE, related_name="external_matches"
    )
    similarity = models.FloatField(_("similarity"), help_text=_("0 to 1; the thresholds read it"))
    strong = models.BooleanField(_("strong"), default=False)
    sentence = models.TextField(_("sentence"), help_text=_("The sentence that matched, as the article or tip has it"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("external match")
        ordering = ["-similarity", "pk"]
        verbose_name_plural = _("external matches")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fact_check"], condition=Q(source__isnull=False), name="external_match_per_article"
            ),
            models.UniqueConstraint(
                fields=["tip", "fact_check"], condition=Q(tip__isnull=False), name="external_match_per_tip"
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False, tip__isnull=True) | Q(source__isnull=True, tip__isnull=False),
                name="external_match_article_or_tip",
            ),
        ]

    def __str__(self):
        what = f"source #{self.source_id}" if self.source_id else f"tip #{self.tip_id}"
        return f"{what} ~ external fact-check #{self.fact_check_id} ({self.similarity:.2f})"
