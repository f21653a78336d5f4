"""The claim workspace: one page per claim whose regions are swapped by htmx.

Every region (cited sources, statements, evidence, related claims) is a named
partial of claims/staff/workspace.html. The same views answer a full page to a
plain request (JavaScript off) and the region alone to an htmx request.
"""

import hashlib
import secrets
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import permissions, selectors, services, workflow
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import (
    NEW,
    AssignForm,
    ClaimForm,
    ClaimLinkForm,
    ClaimSourceAddForm,
    ClaimSourceEditForm,
    EvidenceForm,
    NewClaimForm,
    OutreachForm,
    ReviewerForm,
    SourceURLForm,
    StatementForm,
)
from claims.models import (
    Claim,
    ClaimLink,
    ClaimSource,
    Evidence,
    FetchStatus,
    Outreach,
    SiteSettings,
    Statement,
    Verdict,
)
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region, wants_region

WORKSPACE_TEMPLATE = "claims/staff/workspace.html"
CLAIM_SAVED = "claim-saved"  # the htmx event the workspace's "possibly related" region reloads on
ALREADY_SAVED = _lazy("This form was sent twice; it was saved once, and here it is.")


# --- Regions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    name: str  # URL segment, anchor and context key
    partial: str
    model: type
    label: str
    movable: bool = False
    owner_field: str = "claim"  # the item's foreign key to its claim

    def items(self, claim, *, removed=False):
        if removed:
            return self.model.all_objects.filter(**{self.owner_field: claim}, removed_at__isnull=False)
        return self.model.objects.filter(**{self.owner_field: claim})

    def form(self, data, claim, item):
        raise NotImplementedError

    def save(self, form, *, claim, by):
        """Create or update through the services; returns the saved item.

        Callers run this in one transaction: a new actor or source made on the way
        is not kept when the item itself is refused.
        """
        item = form.instance
        if item.pk:
            return services.claim_item_update(item=form.save(commit=False), by=by)
        return services.claim_item_create(item=form.save(commit=False), by=by)


class SourcesRegion(Region):
    def form(self, data, claim, item):
        if item is not None:
            return ClaimSourceEditForm(data, instance=item)
        return ClaimSourceAddForm(data, instance=ClaimSource(claim=claim))

    def save(self, form, *, claim, by):
        if form.instance.pk:
            cited = super().save(form, claim=claim, by=by)
            changes = form.source_form.changes()
            if changes:
                services.source_update(source=cited.source, by=by, **changes)
            return cited
        source = form.cleaned_data["source"]
        if source == NEW:
            source = services.source_create(by=by, **form.new_source_fields())
        elif updates := form.updates_on_file():
            source = services.source_update(source=source, by=by, **updates)
        return services.claim_source_add(
            claim=claim, source=source, by=by, role=form.cleaned_data["role"], note=form.cleaned_data["note"]
        )


class StatementsRegion(Region):
    def form(self, data, claim, item):
        return StatementForm(data, instance=item or Statement(claim=claim), claim=claim)

    def save(self, form, *, claim, by):
        if form.cleaned_data["actor"] == NEW:
            form.instance.actor = services.actor_create(by=by, **form.new_actor_fields())
        return super().save(form, claim=claim, by=by)


class EvidenceRegion(Region):
    def form(self, data, claim, item):
        return EvidenceForm(data, instance=item or Evidence(claim=claim), claim=claim)


class OutreachRegion(Region):
    def form(self, data, claim, item):
        return OutreachForm(data, instance=item or Outreach(claim=claim), claim=claim)


class LinksRegion(Region):
    def form(self, data, claim, item):
        return ClaimLinkForm(data, instance=item or ClaimLink(from_claim=claim), claim=claim)


REGIONS = {
    region.name: region
    for region in (
        SourcesRegion("sources", "claim-sources", ClaimSource, _("cited source"), movable=True),
        StatementsRegion("statements", "claim-statements", Statement, _("statement")),
        EvidenceRegion("evidence", "claim-evidence", Evidence, _("evidence")),
        LinksRegion("links", "claim-links", ClaimLink, _("related claim"), owner_field="from_claim"),
        OutreachRegion("outreach", "claim-outreach", Outreach, _("outreach")),
    )
}


# The claim's own regions, changed by their own views rather than the item views.
SUMMARY = Region("summary", "claim-summary", Claim, _("claim"))
STATUS = Region("status", "claim-status", Claim, _("status"))
VERDICT = Region("verdict", "claim-verdict", Verdict, _("verdict"))
SINGLE_REGIONS = {region.name: region for region in (SUMMARY, STATUS, VERDICT)}


def _region(name: str) -> Region:
    try:
        return REGIONS[name]
    except KeyError:
        raise Http404 from None


def _live_claim(pk: int) -> Claim:
    return get_object_or_404(Claim.objects.only("pk"), pk=pk)


def _workspace_url(claim_pk: int, anchor: str = "", **params) -> str:
    url = reverse("staff:claim", args=[claim_pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}#{anchor}" if anchor else url


# --- Rendering ---------------------------------------------------------------------


def _undo_for(claim: Claim, region: Region, item_pk: int) -> dict | None:
    """What the undo bar needs, if the item really is a removed one of this claim."""
    item = region.items(claim, removed=True).filter(pk=item_pk).first()
    if item is None:
        return None
    return {
        "pk": item.pk,
        "region": region.name,
        "label": f"{region.label}: {item}",
        "url": reverse("staff:region-restore", args=[claim.pk, region.name, item.pk]),
    }


def render_workspace(
    request,
    claim_pk,
    *,
    region=None,
    form=None,
    item=None,
    undo=None,
    status=200,
    template=WORKSPACE_TEMPLATE,
    **extra,
):
    """The workspace page, or (for htmx) one region of it, from one read of the claim (404 if not on file)."""
    try:
        claim = selectors.claim_for_workspace(claim_pk)
    except Claim.DoesNotExist:
        raise Http404 from None
    user = request.user
    open_verdict = workflow.open_verdict(claim)
    people = selectors.people_to_pick()
    context = {
        "claim": claim,
        "regions": REGIONS,
        "statement_groups": selectors.group_statements(claim.statements.all()),
        "evidence_groups": selectors.group_evidence(claim.evidence.all()),
        "cited": list(claim.claim_sources.all()),
        "assign_form": AssignForm(initial={"assignee": claim.assignee_id}, people=people),
        "reviewer_form": ReviewerForm(initial={"reviewer": claim.reviewer_id}, people=people),
        "open_verdict": open_verdict,
        "published_verdict": selectors.published_verdict(claim),
        "last_comment": selectors.last_review_comment(claim) if open_verdict else None,
        "can": _allowed_actions(user, claim, open_verdict),
        "open_region": region.name if region and form is not None else None,
        "form": form,
        "editing": item,
        "undo": undo,
        "source_url_form": SourceURLForm(),
        "read_only": claim.state == Claim.State.MERGED,  # its content lives on in the claim it was merged into
        **extra,
    }
    if context["can"]["publish_verdict"] and "content_version" not in context:
        # What the reviewer is reading, carried by the Publish button (claims.workflow.verdict_publish).
        context["content_version"] = workflow.content_version(open_verdict)
    elif open_verdict is not None and open_verdict.state == Verdict.State.IN_REVIEW and permissions.is_reviewer(user):
        # A reviewer without Publish: the two-person rule is why, and they are told what they wrote.
        context["own_part"] = workflow.own_part(open_verdict, user)
    if region is not None and wants_region(request):
        template = f"{template}#{region.partial}"
    return render(request, template, context, status=status)


# --- The page as last rendered, while nothing on it has changed --------------------------------------

KEPT_SECONDS = 300
_release: str | None = None


def _this_release() -> str:
    """The templates and the code, hashed once per process: a page kept by an earlier release is not served."""
    global _release
    if _release is None:
        digest = hashlib.sha256()
        base = settings.BASE_DIR
        for path in sorted([*(base / "templates").rglob("*.html"), *(base / "claims").rglob("*.py")]):
            digest.update(path.read_bytes())
        _release = digest.hexdigest()[:16]
    return _release


def _kept_page_key(request, pk: int, fingerprint: str) -> str:
    """Everything the page depends on but the staff list: its rows (the fingerprint), the viewer (their
    buttons, "Assign to me", their part in the verdict), their language, the site settings, the release."""
    user = request.user
    viewer = (user.pk, user.get_username(), user.is_superuser, sorted(permissions.group_names(user)))
    depends_on = (
        fingerprint,
        viewer,
        get_language(),
        SiteSettings.load().version,
        _this_release(),
    )
    return f"staff:workspace:{pk}:{hashlib.sha256(repr(depends_on).encode()).hexdigest()}"


def kept_workspace(request, pk: int) -> HttpResponse:
    """The whole workspace page, rendered again only when something on it has changed (docs/architecture.md
    "The workspace's kept pages"). It is kept per viewer with a stand-in for their CSRF token, which is
    put in each time it is served."""
    fingerprint = selectors.workspace_fingerprint(pk)
    if fingerprint is None:  # no claim (404), or no row versions to tell a change by
        return render_workspace(request, pk)
    key = _kept_page_key(request, pk, fingerprint)
    # The page and the staff list's version (the pickers) in one round trip; a page kept under another
    # version of the staff list is rendered again.
    found = cache.get_many([key, selectors.STAFF_LIST_VERSION_KEY])
    staff_list = found.get(selectors.STAFF_LIST_VERSION_KEY) or selectors.staff_list_version()
    kept = found.get(key)
    if kept is None or kept[0] != staff_list:
        stand_in = secrets.token_hex(16)
        response = render_workspace(request, pk, csrf_token=stand_in)
        kept = (staff_list, stand_in, zlib.compress(response.content, 1))
        cache.set(key, kept, KEPT_SECONDS)
    _staff_list, stand_in, compressed = kept
    html = zlib.decompress(compressed).replace(stand_in.encode(), get_token(request).encode())
    return HttpResponse(html)


def _allowed_actions(user, claim, verdict) -> dict[str, bool]:
    """Which transition buttons to show. The views ask claims.permissions again when the button is used."""
    on_claim = (Action.START_RESEARCH, Action.DRAFT_VERDICT, Action.DISMISS_CLAIM, Action.MERGE_CLAIMS)
    on_verdict = (Action.EDIT_VERDICT, Action.SUBMIT_VERDICT, Action.PUBLISH_VERDICT, Action.REQUEST_CHANGES)
    allowed = {action.value: permissions.may(user, action, claim) for action in on_claim}
    allowed.update(
        {action.value: verdict is not None and permissions.may(user, action, verdict) for action in on_verdict}
    )
    allowed["assign"] = permissions.may(user, Action.ASSIGN)
    return allowed


def _after_change(request: HtmxHttpRequest, claim_pk, region, *, undo=None, notice="", saved=None):
    """htmx: the updated region (with a notice, if any; the item just `saved` is marked for the focus to move
    to, docs/architecture.md "htmx"). Plain form post: redirect back to it (post/redirect/get), the notice
    as a message."""
    if request.htmx:
        notice = {"region": region.name, "text": notice} if notice else None
        saved_item = {"region": region.name, "pk": saved.pk} if saved is not None else None
        return render_workspace(request, claim_pk, region=region, undo=undo, notice=notice, saved_item=saved_item)
    if notice:
        messages.info(request, notice)
    if undo:
        return redirect(_workspace_url(claim_pk, region.name, removed=f"{region.name}-{undo['pk']}"))
    return redirect(_workspace_url(claim_pk, region.name))


# --- Views ---------------------------------------------------------------------------


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def workspace(request: HtmxHttpRequest, pk):
    undo = None
    region_name, _sep, item_pk = request.GET.get("removed", "").partition("-")
    if region_name in REGIONS and item_pk.isdigit():
        undo = _undo_for(_live_claim(pk), REGIONS[region_name], int(item_pk))
    # The plain address only (one kept page per viewer and claim), and never over a message to show (len()
    # leaves it to be shown).
    if not request.GET and not len(messages.get_messages(request)):
        return kept_workspace(request, pk)
    return render_workspace(request, pk, undo=undo)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def region_view(request: HtmxHttpRequest, pk, region):
    """One region as it stands (what "Cancel" shows)."""
    shown = SINGLE_REGIONS.get(region) or _region(region)
    return render_workspace(request, pk, region=shown)


@staff_view(Action.EDIT_CLAIM)
@require_http_methods(["GET", "POST"])
def region_form(request: HtmxHttpRequest, pk, region, item_pk=None):
    """Add an item to a region (item_pk None) or edit one, inline."""
    claim = _live_claim(pk)
    region = _region(region)
    item = get_object_or_404(region.items(claim), pk=item_pk) if item_pk is not None else None
    form = region.form(request.POST if request.method == "POST" else None, claim, item)
    if request.method == "POST" and form.is_valid():
        token = form.sent_token() if item is None else ""
        try:
            with transaction.atomic(), services.submitted_once(token=token, by=request.user) as sending:
                sending.saved = region.save(form, claim=claim, by=request.user)
        except services.AlreadySaved:
            return _after_change(request, claim.pk, region, notice=ALREADY_SAVED)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_change(request, claim.pk, region, saved=sending.saved)
    status = FORM_INVALID if request.method == "POST" else 200
    return render_workspace(request, claim.pk, region=region, form=form, item=item, status=status)


@staff_view(Action.REMOVE_RECORD)
@require_POST
def region_remove(request: HtmxHttpRequest, pk, region, item_pk):
    claim = _live_claim(pk)
    region = _region(region)
    item = get_object_or_404(region.items(claim), pk=item_pk)
    services.claim_item_remove(item=item, by=request.user)
    return _after_change(request, claim.pk, region, undo=_undo_for(claim, region, item.pk))


@staff_view(Action.RESTORE_RECORD)
@require_POST
def region_restore(request: HtmxHttpRequest, pk, region, item_pk):
    claim = _live_claim(pk)
    region = _region(region)
    item = get_object_or_404(region.items(claim, removed=True), pk=item_pk)
    try:
        services.claim_item_restore(item=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _after_change(request, claim.pk, region)
    return _after_change(request, claim.pk, region, saved=item)


@staff_view(Action.EDIT_CLAIM)
@require_POST
def region_move(request: HtmxHttpRequest, pk, region, item_pk):
    claim = _live_claim(pk)
    region = _region(region)
    if not region.movable:
        raise Http404
    item = get_object_or_404(region.items(claim), pk=item_pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.claim_source_move(claim_source=item, by=request.user, direction=direction)
    return _after_change(request, claim.pk, region, saved=item)


@staff_view(Action.EDIT_CLAIM)
@require_http_methods(["GET", "POST"])
def claim_edit(request: HtmxHttpRequest, pk):
    claim = _live_claim(pk)
    claim = Claim.objects.select_related("claimant").get(pk=claim.pk)
    form = ClaimForm(request.POST if request.method == "POST" else None, instance=claim)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _save_claim(form, by=request.user, claim=claim)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            response = _after_change(request, claim.pk, SUMMARY)
            response["HX-Trigger"] = CLAIM_SAVED  # "possibly related" reloads for the new wording
            return response
    status = FORM_INVALID if request.method == "POST" else 200
    return render_workspace(request, claim.pk, region=SUMMARY, form=form, status=status)


def _save_claim(form, *, by, claim=None) -> Claim:
    claimant = form.cleaned_data["claimant"]
    if claimant == NEW:
        claimant = services.actor_create(by=by, **form.new_actor_fields())
    fields = {
        "text": form.cleaned_data["text"],
        "language": form.cleaned_data["language"],
        "claimant": claimant,
        "date": form.instance.date,
        "date_precision": form.instance.date_precision,
        "date_calendar": form.instance.date_calendar,
        "date_note": form.cleaned_data["date_note"],
    }
    if claim is None:
        return services.claim_create(by=by, topics=form.cleaned_data["topics"], **fields)
    return services.claim_update(claim=claim, by=by, topics=form.cleaned_data["topics"], **fields)


# The claim being typed is matched once it is this long: shorter, anything looks like anything.
LOOKALIKE_MIN_CHARS = 12
LOOKALIKE_MAX_CHARS = 5000


def _looking_for_lookalikes(form: ClaimForm) -> ClaimForm:
    """The claim's text asks, as it is typed, for the claims on file it looks like (htmx)."""
    form.fields["text"].widget.attrs.update(
        {
            "hx-get": reverse("staff:claim-new-similar"),
            "hx-trigger": "keyup changed delay:500ms",
            "hx-target": "#similar-claims",
            "hx-sync": "this:replace",
        }
    )
    return form


def _claims_like(text: str) -> list:
    text = text.strip()[:LOOKALIKE_MAX_CHARS]
    return selectors.claims_like(text) if len(text) >= LOOKALIKE_MIN_CHARS else []


def _checked_elsewhere(text: str) -> list:
    """Other organisations' fact-checks of what is being typed (the look-alike warning shows them too)."""
    text = text.strip()[:LOOKALIKE_MAX_CHARS]
    return selectors.fact_checks_like(text) if len(text) >= LOOKALIKE_MIN_CHARS else []


@staff_view(Action.CREATE_CLAIM)
@require_http_methods(["GET", "POST"])
def claim_new(request: HtmxHttpRequest):
    """Log a claim. One that looks like a claim on file is not saved at once: the form comes back with
    them listed and a "save as a new claim anyway" button, which saves it without asking again."""
    data = request.POST if request.method == "POST" else None
    form = _looking_for_lookalikes(NewClaimForm(data, instance=Claim(), logged_by=request.user))
    similar, checked = [], []
    if request.method == "POST" and form.is_valid():
        if not request.POST.get("anyway"):
            similar = _claims_like(form.cleaned_data["text"])
            checked = _checked_elsewhere(form.cleaned_data["text"])
        if not similar and not checked:
            try:
                with (
                    transaction.atomic(),
                    services.submitted_once(token=form.sent_token(), by=request.user) as sending,
                ):
                    claim = sending.saved = _save_claim(form, by=request.user)
                    if form.cleaned_data.get("assign_to_me"):
                        services.claim_assign(claim=claim, assignee=request.user, by=request.user)
            except services.AlreadySaved as sent:
                if sent.saved is not None:
                    messages.info(request, _("This claim was already logged: the form was sent twice. Here it is."))
                    return redirect("staff:claim", pk=sent.saved.pk)
                form.add_error(None, _("This form was already sent, and the claim it logged has been removed since."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Claim logged. Now add where it was made, who said what, and the evidence.")
                )
                return redirect("staff:claim", pk=claim.pk)
    status = FORM_INVALID if request.method == "POST" else 200
    context = {"form": form, "similar": similar, "checked": checked, "confirm_new": bool(similar or checked)}
    return render(request, "claims/staff/claim_new.html", context, status=status)


@staff_view(Action.CREATE_CLAIM)
@require_safe
def claim_new_similar(request: HtmxHttpRequest):
    """The claims on file that the text being typed looks like: the list (htmx), or the new-claim page
    with the text filled in and the list beside it."""
    text = request.GET.get("text", "")
    similar, checked = _claims_like(text), _checked_elsewhere(text)
    if wants_region(request):
        return render(request, "claims/staff/claim_new.html#similar-claims", {"similar": similar, "checked": checked})
    form = _looking_for_lookalikes(NewClaimForm(initial={"text": text}, instance=Claim(), logged_by=request.user))
    return render(request, "claims/staff/claim_new.html", {"form": form, "similar": similar, "checked": checked})


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def claim_related(request: HtmxHttpRequest, pk):
    """The claims and recent imported articles the matcher finds alike this claim (read only). The
    workspace loads it after the page, and again when the claim is saved (the `claim-saved` event)."""
    claim = get_object_or_404(Claim.objects.only("pk", "text"), pk=pk)
    related = {
        "claims": selectors.claims_like(claim.text, exclude_pk=claim.pk),
        "articles": selectors.articles_like_claim(claim),
    }
    if wants_region(request):
        return render(request, f"{WORKSPACE_TEMPLATE}#claim-related-items", {"claim": claim, "related": related})
    return render_workspace(request, claim.pk, related=related)


@staff_view(Action.EDIT_CLAIM)
@require_POST
def claim_assign(request: HtmxHttpRequest, pk):
    claim = _live_claim(pk)
    value = request.POST.get("assignee", "")
    if value == "me":
        assignee = request.user
    elif value.isdigit():
        assignee = get_object_or_404(permissions.fact_checker_users(), pk=int(value))
    else:
        assignee = None
    try:
        services.claim_assign(claim=claim, assignee=assignee, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _after_change(request, claim.pk, SUMMARY)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def claim_history(request: HtmxHttpRequest, pk):
    claim = get_object_or_404(Claim.objects.select_related("claimant"), pk=pk)
    context = {"claim": claim, "entries": selectors.claim_history(claim)}
    return render(request, page_or_region(request, "claims/staff/claim_history.html", "history-list"), context)


SUGGESTERS = {
    "actors": lambda query, request: selectors.actor_suggestions(query),
    "sources": lambda query, request: selectors.source_suggestions(query),
    "claims": lambda query, request: selectors.claim_suggestions(
        query, exclude_pk=int(request.GET["exclude"]) if request.GET.get("exclude", "").isdigit() else None
    ),
}
PICKER_FIELDS = {"actors": {"actor", "claimant"}, "sources": {"source"}, "claims": {"to_claim", "into"}}


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def suggest(request: HtmxHttpRequest, kind):
    """Suggestions for a picker, as radio buttons (see claims.forms.PickerMixin)."""
    if kind not in SUGGESTERS:
        raise Http404
    field = request.GET.get("field", "")
    if field not in PICKER_FIELDS[kind]:
        raise Http404
    query = request.GET.get(f"{field}_query", "")
    context = {
        "field_name": field,
        "query": query,
        "options": SUGGESTERS[kind](query, request),
        "allow_new": kind != "claims",
        "kind": kind,
    }
    return render(request, "components/picker.html#picker-options", context)


# --- A source by its URL, fetched in the background ----------------------------------------------


@staff_view(Action.EDIT_CLAIM)
@require_POST
def claim_source_by_url(request: HtmxHttpRequest, pk):
    """Cite a page by its address at once; the worker fills in its details (see claim_source_fetch_status)."""
    claim = _live_claim(pk)
    sources = REGIONS["sources"]
    form = SourceURLForm(request.POST)
    if form.is_valid():
        try:
            on_file = selectors.source_at(form.cleaned_data["url"])
            with transaction.atomic(), services.submitted_once(token=form.sent_token(), by=request.user) as sending:
                sending.saved = services.claim_source_add_by_url(
                    claim=claim, url=form.cleaned_data["url"], by=request.user
                )
        except services.AlreadySaved:
            return _after_change(request, claim.pk, sources, notice=ALREADY_SAVED)
        except ValidationError as exc:
            form.add_error("url", exc.messages)
        else:
            notice = ""
            if on_file is not None:
                notice = _("This address was already on file as “%(title)s”, and is cited as it is: Edit corrects it.")
                notice %= {"title": on_file.title}
            return _after_change(request, claim.pk, sources, notice=notice, saved=sending.saved)
    return render_workspace(request, claim.pk, region=sources, source_url_form=form, status=FORM_INVALID)


@staff_view(Action.EDIT_CLAIM)
@require_POST
def claim_source_fetch_retry(request: HtmxHttpRequest, pk, item_pk):
    """Fetch a cited source's page again after a failed fetch; the region then polls like a new one."""
    claim = _live_claim(pk)
    cited = get_object_or_404(ClaimSource.objects.select_related("source"), claim=claim, pk=item_pk)
    try:
        services.source_fetch_retry(source=cited.source, by=request.user)
    except ValidationError as exc:
        return _after_change(request, claim.pk, REGIONS["sources"], notice=" ".join(exc.messages))
    return _after_change(request, claim.pk, REGIONS["sources"])


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def claim_source_fetch_status(request: HtmxHttpRequest, pk, item_pk):
    """What the "fetching…" badge polls: itself while the fetch is pending, then the whole sources region."""
    claim = _live_claim(pk)
    cited = get_object_or_404(ClaimSource.objects.select_related("source"), claim=claim, pk=item_pk)
    if not request.htmx:
        return redirect(_workspace_url(claim.pk, "sources"))
    if cited.source.fetch_status == FetchStatus.PENDING:
        return render(request, f"{WORKSPACE_TEMPLATE}#source-fetch-status", {"claim": claim, "cited": cited})
    response = render_workspace(request, claim.pk, region=REGIONS["sources"])
    response["HX-Retarget"], response["HX-Reswap"] = "#sources", "outerHTML"
    return response
