"""The Django admin, for admins only (claims.permissions decides who that is).

Every save here goes through the same services the staff screens use, which
check the admin's permission and keep the history and contributions. Records
on the public record are never hard-deleted: they are removed and restored.
Workflow fields (a claim's state and assignments, a verdict and what it
published) are read-only; claims move through admin actions that call the
workflow's own services, or on the claim's workspace.
"""

from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims import services, workflow
from claims.canonical import validated_canonical_url
from claims.forms import GregorianDateField, PartialDateMixin, https_formfield
from claims.models import (
    Actor,
    Alert,
    ApiToken,
    ArticleMatch,
    Claim,
    ClaimLink,
    ClaimReviewSource,
    ClaimSearchText,
    ClaimSlug,
    ClaimSource,
    Contribution,
    DocumentVector,
    EmailPreferences,
    ErrorReport,
    Evidence,
    Export,
    ExternalFactCheck,
    ExternalMatch,
    Feed,
    FeedEntry,
    FormSubmission,
    Heartbeat,
    ImportRun,
    IndexGeneration,
    Intervention,
    Invitation,
    Notification,
    Outreach,
    PendingJob,
    Rating,
    RatingScale,
    RatingScaleTranslation,
    RatingTranslation,
    Repeat,
    SiteSettings,
    Source,
    StaffChange,
    Statement,
    Tip,
    TipGroup,
    TipMatch,
    Topic,
    TriageDigest,
    User,
    Verdict,
    WebhookDelivery,
    WebhookSubscription,
    WorkflowEvent,
)
from claims.permissions import Action, may, scale_has_locked_ratings


class ClaimTrackerAdminSite(admin.AdminSite):
    site_header = _("Claim tracker administration")
    site_title = _("Claim tracker admin")
    index_title = _("Administration")

    def has_permission(self, request):
        return may(request.user, Action.USE_ADMIN)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            # Signed in without the right: a plain 403, not a second login form.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        """One login page for the whole app."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or request.path.replace("login/", ""))
        if self.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied


admin_site = ClaimTrackerAdminSite(name="admin")


class RulesAdminMixin:
    """Model permissions come from claims.permissions, not from per-user permission rows."""

    # An address typed without a scheme means https (Django 6's default, chosen now).
    # A date is Gregorian, typed in any digits (claims.forms.GregorianDateField).
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.DateField: {"form_class": GregorianDateField},
    }

    def has_module_permission(self, request):
        return may(request.user, Action.USE_ADMIN)

    def has_view_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)

    def has_add_permission(self, request):
        return may(request.user, Action.USE_ADMIN)

    def has_change_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)

    def has_delete_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)


class ReadOnlyAdminMixin:
    """Shown in the admin, changed only by the app itself."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RemovedFilter(admin.SimpleListFilter):
    title = _("removed")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("no", _("Live")), ("yes", _("Removed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(removed_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=False)
        return queryset


@admin.action(description=_("Remove selected (can be restored)"))
def remove_selected(modeladmin, request, queryset):
    for record in queryset:
        services.record_remove(record=record, by=request.user)
    modeladmin.message_user(request, _("Removed %(count)d.") % {"count": len(queryset)}, messages.SUCCESS)


@admin.action(description=_("Restore selected"))
def restore_selected(modeladmin, request, queryset):
    restored = 0
    for record in queryset:
        try:
            services.record_restore(record=record, by=request.user)
            restored += 1
        except ValidationError as exc:
            modeladmin.message_user(request, f"{record}: {' '.join(exc.messages)}", messages.ERROR)
    modeladmin.message_user(request, _("Restored %(count)d.") % {"count": restored}, messages.SUCCESS)


class PublicRecordAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    """A model on the public record: history shown, removal is soft, never deleted."""

    actions = [remove_selected, restore_selected]
    readonly_fields = ("removed_at",)

    def get_queryset(self, request):
        return self.model.all_objects.get_queryset()

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), RemovedFilter)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """What hangs off a claim (statements, evidence, citations, links, outreach), saved as the
        workspace saves it: on record, the admin a contributor."""
        if change:
            services.claim_item_update(item=obj, by=request.user)
        else:
            services.claim_item_create(item=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        """Inline rows on the public record (a claim's citations) are saved like the row itself."""
        for obj in formset.save(commit=False):
            if isinstance(obj, ClaimSource) and obj.pk:
                services.claim_item_update(item=obj, by=request.user)
            elif isinstance(obj, ClaimSource):
                services.claim_item_create(item=obj, by=request.user)
            else:
                obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Actor, site=admin_site)
class ActorAdmin(PublicRecordAdmin):
    list_display = ("name", "kind", "title", "country", "removed_at")
    list_filter = ("kind",)
    search_fields = ("name", "title", "country")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.ACTOR_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.actor_update(actor=obj, by=request.user, **fields)
        else:
            saved = services.actor_create(by=request.user, **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()


SOURCE_ADMIN_FIELDS = (
    "url", "title", "publisher", "author", "date_note", "language", "text", "licence", "attribution",
    "archive_url", "confidential", "public_description",
)  # fmt: skip


class SourceAdminForm(PartialDateMixin, forms.ModelForm):
    """Every field staff may set on a source. A new one's title may be left for the fetch to fill in."""

    class Meta:
        model = Source
        fields = SOURCE_ADMIN_FIELDS
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to have the page's own title fetched from its address.")

    def clean_url(self):
        url = validated_canonical_url(self.cleaned_data["url"])
        # The model's constraint counts live sources only, which the form cannot check (removed_at is not in it).
        on_file = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first() if url else None
        if on_file is not None:
            raise ValidationError(_("A source with this address is already on file: “%(title)s”.") % {"title": on_file})
        return url

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title", "").strip() and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("title", _("Give a title, or an address to fetch it from."))
        return cleaned

    def source_fields(self) -> dict:
        """What the service is given: the typed fields, with the date and precision read from the date text."""
        fields = {name: self.cleaned_data[name] for name in SOURCE_ADMIN_FIELDS if name != "url"}
        instance = self.instance
        return {
            **fields,
            "date": instance.date,
            "date_precision": instance.date_precision,
            "date_calendar": instance.date_calendar,
        }


@admin.register(Source, site=admin_site)
class SourceAdmin(PublicRecordAdmin):
    form = SourceAdminForm
    list_display = ("title", "publisher", "url", "date", "date_precision", "confidential", "origin", "removed_at")
    list_filter = ("origin", "confidential", "date_precision", "language")
    search_fields = ("title", "publisher", "author", "url")
    # Written by the import (claims.importing) or by the services, not typed here. The snapshot is written by
    # the fetcher only and read through the staff view, never at a URL.
    readonly_fields = (
        "removed_at", "origin", "fetch_status", "fetch_error", "fetched_at", "content_hash", "snapshot_link",
        "created_by",
    )  # fmt: skip
    fields = (*SOURCE_ADMIN_FIELDS[:4], "date_text", *SOURCE_ADMIN_FIELDS[4:], *readonly_fields)

    @admin.display(description=_("snapshot"))
    def snapshot_link(self, obj):
        if not obj.snapshot:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("staff:source-snapshot", args=[obj.pk]), _("Open"))

    def save_model(self, request, obj, form, change):
        """Through the services the staff screens use: a new address is canonical, fetched when untitled,
        and restores a removed source that had it."""
        fields = form.source_fields()
        if change:
            saved = services.source_update(source=obj, by=request.user, url=form.cleaned_data["url"], **fields)
        else:
            saved = services.source_create(by=request.user, url=form.cleaned_data["url"], **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()


class ClaimSourceInline(admin.TabularInline):
    model = ClaimSource
    extra = 0
    autocomplete_fields = ("source",)
    fields = ("source", "role", "order", "note")

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimSlugInline(admin.TabularInline):
    """Old addresses of the claim (say, from a previous site): each redirects to its page for good."""

    model = ClaimSlug
    extra = 0
    fields = ("slug", "created_at")
    readonly_fields = ("created_at",)
    verbose_name = _("old address")
    verbose_name_plural = _("old addresses (redirect to this claim's page)")


class ClaimActionForm(helpers.ActionForm):
    """The admin's actions on claims, with whom to assign and why a claim is dismissed."""

    person = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        label=_("Person"),
        empty_label=_("nobody"),
    )
    reason = forms.CharField(required=False, label=_("Reason for dismissing"), max_length=500)


def _claim_action(modeladmin, request, queryset, act, done: str) -> None:
    """Run `act(claim, person, reason)` through the workflow's services, one claim at a time; a claim
    they refuse is named with the reason and left as it was."""
    form = ClaimActionForm(request.POST)
    form.fields["action"].choices = modeladmin.get_action_choices(request)
    form.is_valid()
    person, reason = form.cleaned_data.get("person"), form.cleaned_data.get("reason", "")
    changed = 0
    for claim in queryset:
        try:
            act(claim, person, reason)
        except ValidationError as error:
            modeladmin.message_user(request, f"“{claim}”: {' '.join(error.messages)}", messages.ERROR)
        except PermissionDenied:
            modeladmin.message_user(request, f"“{claim}”: {_('the workflow does not allow this now.')}", messages.ERROR)
        except workflow.TransitionConflict as conflict:
            modeladmin.message_user(request, f"“{claim}”: {conflict}", messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)


@admin.action(description=_("Assign selected to the person chosen (a fact-checker; nobody: unassign)"))
def assign_selected(modeladmin, request, queryset):
    _claim_action(
        modeladmin,
        request,
        queryset,
        lambda claim, person, reason: services.claim_assign(claim=claim, assignee=person, by=request.user),
        _("Assigned %(count)d."),
    )


@admin.action(description=_("Ask the person chosen to review selected (a reviewer; nobody: clear)"))
def assign_reviewer_selected(modeladmin, request, queryset):
    _claim_action(
        modeladmin,
        request,
        queryset,
        lambda claim, person, reason: services.claim_assign_reviewer(claim=claim, reviewer=person, by=request.user),
        _("Review assigned for %(count)d."),
    )


@admin.action(description=_("Dismiss selected, with the reason given"))
def dismiss_selected(modeladmin, request, queryset):
    _claim_action(
        modeladmin,
        request,
        queryset,
        lambda claim, person, reason: workflow.claim_dismiss(claim=claim, by=request.user, reason=reason),
        _("Dismissed %(count)d."),
    )


# Changed only by the workflow's services: the admin actions above, or the claim's workspace.
CLAIM_WORKFLOW_FIELDS = ("workspace_link", "state", "assignee", "reviewer", "created_by", "is_sample")


@admin.register(Claim, site=admin_site)
class ClaimAdmin(PublicRecordAdmin):
    list_display = ("text", "state", "claimant", "assignee", "reviewer", "updated_at", "is_sample", "removed_at")
    list_filter = ("state", "topics", "assignee", "reviewer", "language", "is_sample")
    search_fields = ("text", "slug", "claimant__name")
    autocomplete_fields = ("claimant", "first_appearance")
    filter_horizontal = ("topics",)
    inlines = [ClaimSourceInline, ClaimSlugInline]
    action_form = ClaimActionForm
    actions = [*PublicRecordAdmin.actions, assign_selected, assign_reviewer_selected, dismiss_selected]

    def get_readonly_fields(self, request, obj=None):
        """Workflow fields always; the slug once published (the claim's address is out in the world) and
        on a new claim (made from its text)."""
        fields = (*super().get_readonly_fields(request, obj), *CLAIM_WORKFLOW_FIELDS)
        return (*fields, "slug") if obj is None or services.claim_ever_published(obj) else fields

    @admin.display(description=_("workflow"))
    def workspace_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("staff:claim", args=[obj.pk]),
            _("Research, verdicts and review happen on the claim's workspace"),
        )

    def save_model(self, request, obj, form, change):
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in services.CLAIM_FIELDS or (change and name == "slug")
        }
        topics = form.cleaned_data.get("topics", ())
        if change:
            saved = services.claim_update(claim=obj, by=request.user, topics=topics, **fields)
        else:
            saved = services.claim_create(by=request.user, topics=topics, **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The topics were saved by the service; the inline rows are saved here."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ClaimSlug, site=admin_site)
class ClaimSlugAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Old addresses of claims; each redirects to its claim's page (claims.views.public.claim)."""

    list_display = ("slug", "claim", "created_at")
    list_filter = ("created_at",)
    search_fields = ("slug", "claim__text", "claim__slug")
    autocomplete_fields = ("claim",)
    readonly_fields = ("created_at",)


@admin.register(ClaimSource, site=admin_site)
class ClaimSourceAdmin(PublicRecordAdmin):
    list_display = ("claim", "source", "role", "order", "removed_at")
    list_filter = ("role",)
    search_fields = ("claim__text", "source__title", "note")
    autocomplete_fields = ("claim", "source")


@admin.register(ClaimLink, site=admin_site)
class ClaimLinkAdmin(PublicRecordAdmin):
    list_display = ("from_claim", "kind", "to_claim", "removed_at")
    list_filter = ("kind",)
    search_fields = ("from_claim__text", "to_claim__text", "note")
    autocomplete_fields = ("from_claim", "to_claim")


@admin.register(Statement, site=admin_site)
class StatementAdmin(PublicRecordAdmin):
    list_display = ("actor", "stance", "claim", "date", "date_precision", "second_hand", "translated", "removed_at")
    list_filter = ("stance", "second_hand", "translated", "date_precision")
    search_fields = ("quote", "original_quote", "actor__name", "claim__text")
    autocomplete_fields = ("claim", "actor", "source")


@admin.register(Evidence, site=admin_site)
class EvidenceAdmin(PublicRecordAdmin):
    list_display = ("summary", "stance", "claim", "added_by", "removed_at")
    list_filter = ("stance",)
    search_fields = ("summary", "internal_note", "claim__text")
    autocomplete_fields = ("claim", "source")


@admin.register(Topic, site=admin_site)
class TopicAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SiteSettings, site=admin_site)
class SiteSettingsAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ("organisation_name", "organisation_url", "language", "time_zone")
    # A few rating scales, not the ~600 time zones (a filter that made the list a 13,579 px page).
    list_filter = ("active_rating_scale",)
    search_fields = ("organisation_name",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.site_settings_update(site_settings=obj, by=request.user)


@admin.register(Heartbeat, site=admin_site)
class HeartbeatAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ("name", "seen_at")
    search_fields = ("name",)
    list_filter = ("name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feed, site=admin_site)
class FeedAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    """Feeds are added with a preview on the staff pages; here admins can change any setting."""

    list_display = ("name", "url", "active", "poll_interval", "consecutive_failures", "last_polled_at", "next_poll_at")
    list_filter = ("active", "language")
    search_fields = ("name", "url", "last_error")
    readonly_fields = ("etag", "last_modified", "consecutive_failures", "last_polled_at", "last_error", "created_by")

    def save_model(self, request, obj, form, change):
        if change:
            services.feed_update(feed=obj, by=request.user)
            return
        fields = ("name", "language", "poll_interval", "active")
        saved = services.feed_create(by=request.user, url=obj.url, **{name: getattr(obj, name) for name in fields})
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(ImportRun, site=admin_site)
class ImportRunAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The log of polls, written by the worker."""

    list_display = ("created_at", "feed", "status", "items_seen", "items_new", "items_duplicate", "items_failed")
    list_filter = ("status", "feed")
    list_select_related = ("feed",)
    search_fields = ("feed__name", "error")


@admin.register(FeedEntry, site=admin_site)
class FeedEntryAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Feed items already seen, by GUID: what keeps a re-import from creating anything twice."""

    list_display = ("guid", "feed", "source", "first_seen_at")
    list_filter = ("feed",)
    list_select_related = ("feed", "source")
    search_fields = ("guid", "source__title", "source__url")


class UserPageForm(forms.ModelForm):
    """Name and address only: passwords, roles and status change on the People page (claims.people)."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and User.objects.exclude(pk=self.instance.pk).filter(email__iexact=email).exists():
            raise ValidationError(_("Someone else has this address."))
        return email


@admin.register(PendingJob, site=admin_site)
class PendingJobAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Background work the broker did not take (it was down): sent again by beat's relay (claims.jobs)."""

    list_display = ("created_at", "task", "args", "error")
    list_filter = ("task",)
    search_fields = ("task", "error")

    def has_delete_permission(self, request, obj=None):  # a job the site no longer needs may be dropped
        return RulesAdminMixin.has_delete_permission(self, request, obj)


@admin.register(FormSubmission, site=admin_site)
class FormSubmissionAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Create forms sent, by their one-time token (what saves a form sent twice once); kept a day."""

    list_display = ("created_at", "user", "saved_type", "saved_id")
    list_filter = ("saved_type", "created_at")
    list_select_related = ("user", "saved_type")
    search_fields = ("token", "user__username")


@admin.register(User, site=admin_site)
class ClaimTrackerUserAdmin(RulesAdminMixin, UserAdmin):
    """Shown and renamed here; invited, given roles, deactivated on the People page, which keeps the rules.

    No password is ever set here (each person sets their own through their
    invitation), no group or superuser flag is edited, nobody is added or deleted.
    """

    form = UserPageForm
    list_display = ("username", "email", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_superuser")
    fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        (_("Role and access"), {"fields": ("people_page", "groups", "is_active", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("people_page", "groups", "is_active", "is_superuser", "last_login", "date_joined")

    @admin.display(description=_("Managed on"))
    def people_page(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("staff:people"), _("the People page (roles, deactivation, invitations)")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied  # each person sets their own password


@admin.register(Invitation, site=admin_site)
class InvitationAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Sent, sent again and revoked on the People page; here only to look one up."""

    list_display = ("user", "invited_by", "sent_at", "accepted_at")
    list_filter = ("sent_at", "accepted_at")
    list_select_related = ("user", "invited_by")
    search_fields = ("user__username", "user__email")


@admin.register(StaffChange, site=admin_site)
class StaffChangeAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The log of invitations, role changes and deactivations, written by claims.people."""

    list_display = ("at", "kind", "person_name", "detail", "by")
    list_filter = ("kind", "at")
    list_select_related = ("by",)
    search_fields = ("person_name", "detail", "by__username")


@admin.register(Group, site=admin_site)
class RoleGroupAdmin(RulesAdminMixin, GroupAdmin):
    pass


@admin.register(Outreach, site=admin_site)
class OutreachAdmin(PublicRecordAdmin):
    list_display = ("claim", "contacted", "method", "contacted_on", "responded_on", "removed_at")
    list_filter = ("method",)
    search_fields = ("contacted", "request", "response", "claim__text")
    autocomplete_fields = ("claim", "actor")


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ("label", "description", "colour", "value", "order")

    def has_change_permission(self, request, obj=None):
        # Inline rows can't be locked one by one: while any is in use, edit ratings on their own pages.
        return may(request.user, Action.USE_ADMIN) and not (obj and scale_has_locked_ratings(obj))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class RatingScaleTranslationInline(admin.TabularInline):
    """The scale's name and description in the languages the newsroom publishes in."""

    model = RatingScaleTranslation
    extra = 0
    fields = ("language", "name", "description")


@admin.register(RatingScale, site=admin_site)
class RatingScaleAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "conclusion_only")
    list_filter = ("conclusion_only",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RatingScaleTranslationInline, RatingInline]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and scale_has_locked_ratings(obj))


class RatingTranslationInline(admin.TabularInline):
    """The rating's label and definition in other languages. Editable even on a locked rating: a newsroom
    that takes up a language translates the scale it has published with; a record keeps the text it was
    published with (claims.publishing.build)."""

    model = RatingTranslation
    extra = 0
    fields = ("language", "label", "description")

    def has_view_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)

    def has_add_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)

    def has_change_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)

    def has_delete_permission(self, request, obj=None):
        return may(request.user, Action.USE_ADMIN)


@admin.register(Rating, site=admin_site)
class RatingAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    """A rating used by a published verdict is locked: shown, never edited or deleted (its translations
    stay editable)."""

    list_display = ("label", "scale", "colour", "value", "order")
    list_filter = ("scale", "colour")
    search_fields = ("label", "description", "translations__label")
    inlines = [RatingTranslationInline]

    def has_change_permission(self, request, obj=None):
        return may(request.user, Action.EDIT_RATING, obj) if obj else super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting is refused by the database too (PROTECT) once any verdict uses it.
        return self.has_change_permission(request, obj) and not (obj and obj.verdicts.exists())


@admin.register(RatingScaleTranslation, site=admin_site)
class RatingScaleTranslationAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "scale", "language")
    list_filter = ("language", "scale")
    search_fields = ("name", "description")


@admin.register(RatingTranslation, site=admin_site)
class RatingTranslationAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    """Editable even when its rating is locked (see RatingTranslationInline)."""

    list_display = ("label", "rating", "language")
    list_filter = ("language", "rating__scale")
    search_fields = ("label", "description", "rating__label")


@admin.register(Verdict, site=admin_site)
class VerdictAdmin(ReadOnlyAdminMixin, RulesAdminMixin, SimpleHistoryAdmin):
    """Read-only: verdicts move through the workflow on the staff screens, never here."""

    list_display = ("claim", "kind", "state", "rating", "author", "reviewer", "published_at")
    list_filter = ("state", "kind", "rating")
    search_fields = ("headline", "claim__text")


@admin.register(WorkflowEvent, site=admin_site)
class WorkflowEventAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    list_display = ("at", "claim", "action", "from_state", "to_state", "by")
    list_filter = ("action",)
    search_fields = ("comment", "claim__text")


@admin.register(Contribution, site=admin_site)
class ContributionAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Who changed a claim's public content; written by the saves themselves, never here."""

    list_display = ("at", "claim", "by", "item_type", "item_id", "change", "fields", "published_in")
    list_filter = ("change", "item_type", ("published_in", admin.EmptyFieldListFilter))
    search_fields = ("claim__text", "by__username")


@admin.register(Notification, site=admin_site)
class NotificationAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "sent_at", "attempts")
    list_filter = ("sent_at",)
    search_fields = ("to", "subject")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Alert, site=admin_site)
class AlertAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Written by claims.alerts; each person marks their own as read under the bell."""

    list_display = ("created_at", "recipient", "kind", "text", "read_at")
    list_filter = ("kind", "read_at", "created_at")
    search_fields = ("recipient__username", "text")


@admin.register(TriageDigest, site=admin_site)
class TriageDigestAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    list_display = ("until", "since", "tips", "error_reports")
    list_filter = ("until",)
    search_fields = ("since",)


@admin.register(EmailPreferences, site=admin_site)
class EmailPreferencesAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Each person sets their own on My account."""

    list_display = ("user", "assignments", "review_requests", "outcomes", "triage_digest")
    list_filter = ("assignments", "review_requests", "outcomes", "triage_digest")
    search_fields = ("user__username",)


@admin.register(Tip, site=admin_site)
class TipAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Triaged in the newsroom (staff:tips), where the contact is shown; here only to look one up."""

    list_display = ("created_at", "__str__", "state", "group", "handled_by")
    list_filter = ("state", "created_at", "wants_answer")
    search_fields = ("text", "url")
    exclude = ("contact",)


@admin.register(TipGroup, site=admin_site)
class TipGroupAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Tips that ask the same thing; grouped by the worker and decided in the newsroom (staff:tips)."""

    list_display = ("pk", "state", "created_at")
    list_filter = ("state", "created_at")
    search_fields = ("tips__text",)


@admin.register(TipMatch, site=admin_site)
class TipMatchAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The claims on file closest to each tip, found by the worker (claims/tips.py)."""

    list_display = ("tip", "claim", "similarity", "strong")
    list_filter = ("strong",)
    list_select_related = ("tip", "claim")
    search_fields = ("tip__text", "claim__text", "sentence")


@admin.register(ErrorReport, site=admin_site)
class ErrorReportAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Triaged in the newsroom (staff:error-reports), where the contact is shown; here only to look one up."""

    list_display = ("created_at", "claim", "__str__", "state", "handled_by")
    list_filter = ("state", "created_at")
    search_fields = ("text", "claim__text")
    exclude = ("contact",)


@admin.register(ArticleMatch, site=admin_site)
class ArticleMatchAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The matcher's suggestions and staff's decisions on them; decided in Incoming (claims/inbox.py)."""

    list_display = ("source", "claim", "similarity", "strength", "state", "decided_by", "decided_at")
    list_filter = ("state", "strength", "created_at")
    list_select_related = ("source", "claim", "decided_by")
    search_fields = ("source__title", "claim__text", "sentence")


@admin.register(Repeat, site=admin_site)
class RepeatAdmin(ReadOnlyAdminMixin, RulesAdminMixin, SimpleHistoryAdmin):
    """A checked claim said again; recorded from Incoming and approved on the staff repeats pages
    (claims/repeats.py), which alone change what the public record shows."""

    list_display = ("claim", "actor", "source", "date", "state", "recorded_by", "approved_by")
    list_filter = ("state", "created_at")
    list_select_related = ("claim", "actor", "source", "recorded_by", "approved_by")
    search_fields = ("sentence", "claim__text", "actor__name", "source__title")


@admin.register(Intervention, site=admin_site)
class InterventionAdmin(ReadOnlyAdminMixin, RulesAdminMixin, SimpleHistoryAdmin):
    """What the newsroom did about a repeat; recorded and approved on the staff repeats pages."""

    list_display = ("repeat", "asked", "asked_on", "method", "state", "recorded_by")
    list_filter = ("state", "asked", "method")
    list_select_related = ("repeat", "recorded_by")
    search_fields = ("request", "outcome", "repeat__sentence")


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Each person makes and revokes their own tokens on My account; only a hash of the secret is stored."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("created_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("key_hash",)


@admin.register(ClaimSearchText, site=admin_site)
class ClaimSearchTextAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The published words of each public claim, written at publication for search (claims/search.py)."""

    list_display = ("claim",)
    list_filter = ("claim__state",)
    list_select_related = ("claim",)
    search_fields = ("weight_a", "weight_b", "weight_c", "weight_d")


@admin.register(DocumentVector, site=admin_site)
class DocumentVectorAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Stored embeddings, one per text version and model (claims/matching/store.py)."""

    list_display = ("text_hash", "model", "created_at")
    list_filter = ("model", "created_at")
    search_fields = ("text_hash",)
    exclude = ("vector",)


@admin.register(IndexGeneration, site=admin_site)
class IndexGenerationAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The number the claim services raise so every process that matches re-reads the claims."""

    list_display = ("name", "value")
    search_fields = ("name",)


# --- Webhooks out and exports: managed on their staff pages (claims/webhooks.py, claims/exports.py) ---


@admin.register(WebhookSubscription, site=admin_site)
class WebhookSubscriptionAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Partners' addresses; made, paused and deleted on the staff Webhooks page. The secret is never shown again."""

    list_display = ("name", "url", "active", "paused_at", "created_by", "created_at")
    list_filter = ("active", "created_at")
    search_fields = ("name", "url")
    exclude = ("secret",)
    readonly_fields = ("paused_at", "paused_reason")


@admin.register(WebhookDelivery, site=admin_site)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Each event sent to each subscription, with the receiver's last answer and every attempt."""

    list_display = ("event_id", "event", "subscription", "status", "attempts", "response_status", "created_at")
    list_filter = ("status", "event", "created_at")
    list_select_related = ("subscription",)
    search_fields = ("event_id", "subscription__name", "error")


@admin.register(Export, site=admin_site)
class ExportAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Exports asked for on the staff Export page; each is downloaded there, by whoever asked for it."""

    list_display = ("pk", "format", "requested_by", "include_internal", "status", "claims_count", "created_at")
    list_filter = ("status", "format", "include_internal", "created_at")
    list_select_related = ("requested_by",)
    search_fields = ("requested_by__username",)
    exclude = ("file",)  # a private file with no URL: only its requester downloads it, from the staff page


# --- Other organisations' ClaimReview: sources are managed on the staff screen (claims/claimreviews.py) ---


@admin.register(ClaimReviewSource, site=admin_site)
class ClaimReviewSourceAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Where other fact-checkers' ClaimReview is read from; added and read on staff:claimreviews."""

    list_display = ("name", "url", "document_name", "active", "last_status", "last_read_at", "next_read_at")
    list_filter = ("active", "last_status")
    search_fields = ("name", "url", "document_name", "last_error")
    exclude = ("document",)


@admin.register(ExternalFactCheck, site=admin_site)
class ExternalFactCheckAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """Other organisations' verdicts as their ClaimReview says them, kept current by reading the source again."""

    list_display = ("claim_text", "publisher_name", "rating_text", "review_date", "language", "last_seen_at")
    list_filter = ("publisher_name", "language")
    list_select_related = ("source",)
    search_fields = ("claim_text", "claimant", "publisher_name", "review_url")


@admin.register(ExternalMatch, site=admin_site)
class ExternalMatchAdmin(ReadOnlyAdminMixin, RulesAdminMixin, admin.ModelAdmin):
    """The articles and tips the matcher found alike another organisation's fact-check."""

    list_display = ("fact_check", "source", "tip", "similarity", "strong")
    list_filter = ("strong",)
    list_select_related = ("fact_check", "source", "tip")
    search_fields = ("fact_check__claim_text", "sentence")
