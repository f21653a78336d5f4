"""The review workflow's screens: the status region's transitions, the verdict editor, the review screen.

Every transition is a POST that says which state the user saw (`seen_state`);
publishing also says which version of the claim's public content the reviewer
read (`seen_version`). If the claim or verdict has moved on since, the user gets
a clear message and nothing changes; if the user may not do it, 403. The transitions themselves,
and the rules behind them, are in claims.workflow.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from claims import permissions, selectors, services, workflow
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import CommentForm, DismissForm, FollowUpForm, ReviewerForm, VerdictForm
from claims.models import Claim, Verdict
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest
from claims.views.workspace import STATUS, VERDICT, render_workspace

CONFLICT = 409


@dataclass(frozen=True)
class Offered:
    """How the status region offers one row of the workflow's table (claims.workflow.TRANSITIONS): the call
    that makes it, the form it asks for, the question it confirms."""

    row: workflow.Transition
    run: Callable
    form: type | None = None
    confirm: str | Promise = ""  # a question to confirm before doing it

    @property
    def action(self) -> Action:
        return self.row.action

    @property
    def on_verdict(self) -> bool:
        """Asked about the verdict in the works (True) or the claim (False)."""
        return self.row.model is Verdict


# By the name in the URL.
OFFERED = {
    "start-research": Offered(
        workflow.TRANSITIONS["start_research"],
        lambda claim, verdict, by, data: workflow.claim_start_research(claim=claim, by=by),
    ),
    "draft": Offered(
        workflow.TRANSITIONS["draft"],
        lambda claim, verdict, by, data: workflow.verdict_draft(claim=claim, by=by, kind=data.get("kind", "")),
    ),
    "submit": Offered(
        workflow.TRANSITIONS["submit"],
        lambda claim, verdict, by, data: workflow.verdict_submit(verdict=verdict, by=by),
    ),
    "request-changes": Offered(
        workflow.TRANSITIONS["request_changes"],
        lambda claim, verdict, by, data: workflow.verdict_request_changes(
            verdict=verdict, by=by, comment=data["comment"]
        ),
        form=CommentForm,
    ),
    "publish": Offered(
        workflow.TRANSITIONS["publish"],
        lambda claim, verdict, by, data: workflow.verdict_publish(
            verdict=verdict, by=by, seen_version=data["seen_version"]
        ),
        confirm=gettext_lazy(
            "Publish this verdict? It goes public at once and cannot be changed afterwards, "
            "only corrected by a new verdict."
        ),
    ),
    "dismiss": Offered(
        workflow.TRANSITIONS["dismiss"],
        lambda claim, verdict, by, data: workflow.claim_dismiss(claim=claim, by=by, reason=data["reason"]),
        form=DismissForm,
    ),
}


def _form_for(name: str, offered: Offered, claim: Claim, data=None):
    if name == "draft":
        published = selectors.published_verdict(claim)
        return FollowUpForm(data) if published is not None else None
    return offered.form(data) if offered.form else None


@staff_view(Action.VIEW_STAFF_PAGES)
@require_http_methods(["GET", "POST"])
def transition(request: HtmxHttpRequest, pk, name):
    """GET: the status region with the transition's form or confirmation. POST: do it."""
    if name not in OFFERED:
        raise Http404
    step = OFFERED[name]
    claim = selectors.claim_for_workspace(get_object_or_404(Claim.objects.only("pk"), pk=pk).pk)
    verdict = workflow.open_verdict(claim) if step.on_verdict else None
    target = verdict if step.on_verdict else claim
    if target is None:  # a transition of the verdict in the works, and none is
        seen_verdict = (
            claim.verdicts.filter(pk=request.POST.get("verdict", "")).first()
            if request.POST.get("verdict", "").isdigit()
            else None
        )
        if seen_verdict is not None:  # it was in the works when the page was loaded
            return _conflict(
                request, claim, workflow.moved_on_message(seen_verdict, request.POST.get("seen_state", ""))
            )
        raise PermissionDenied

    if request.method == "POST":
        seen_state = request.POST.get("seen_state", "")
        if seen_state != target.state or (step.on_verdict and request.POST.get("verdict", "") != str(target.pk)):
            return _conflict(request, claim, workflow.moved_on_message(target, seen_state))
    if not permissions.may(request.user, step.action, target):
        raise PermissionDenied
    form = _form_for(name, step, claim, request.POST if request.method == "POST" else None)
    pending = {"name": name, "form": form, "confirm": step.confirm, "seen_state": target.state}
    if step.action == Action.PUBLISH_VERDICT:
        # The content version the reviewer read: from the review screen's link, carried by the confirmation.
        seen_version = _seen_version(request.GET if request.method == "GET" else request.POST)
        if seen_version is None and request.method == "GET":
            seen_version = workflow.content_version(verdict)
        if seen_version is None:
            return _conflict(
                request, claim, gettext("The page did not say which version of the claim you reviewed: reload it.")
            )
        pending["seen_version"] = seen_version
    if request.method == "GET":
        return render_workspace(request, claim.pk, region=STATUS, pending=pending)
    if form is not None and not form.is_valid():
        return render_workspace(request, claim.pk, region=STATUS, pending=pending, status=FORM_INVALID)
    try:
        data = form.cleaned_data if form is not None else {}
        step.run(claim, verdict, request.user, {**data, "seen_version": pending.get("seen_version")})
    except workflow.TransitionConflict as conflict:
        # Publish again only after reading the new content: the answer's button keeps the version seen.
        seen = {"content_version": pending["seen_version"]} if "seen_version" in pending else {}
        return _conflict(request, claim, str(conflict), **seen)
    except ValidationError as error:
        return render_workspace(
            request, claim.pk, region=STATUS, pending=pending, problems=error.messages, status=FORM_INVALID
        )
    if not request.htmx:
        return redirect(reverse("staff:claim", args=[claim.pk]) + "#status")
    return render_workspace(request, claim.pk, region=STATUS, refresh=True)


def _seen_version(params) -> int | None:
    value = params.get("seen_version", "")
    return int(value) if value.isdigit() else None


def _conflict(request: HtmxHttpRequest, claim, message: str, **extra):
    if not request.htmx:
        messages.error(request, message)
        return redirect(reverse("staff:claim", args=[claim.pk]) + "#status")
    return render_workspace(request, claim.pk, region=STATUS, problems=[message], status=CONFLICT, **extra)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_http_methods(["GET", "POST"])
def verdict_edit(request: HtmxHttpRequest, pk):
    claim = get_object_or_404(Claim.objects.only("pk"), pk=pk)
    verdict = Verdict.objects.filter(claim=claim, state=Verdict.State.DRAFT).first()
    if verdict is None:
        raise Http404
    if not permissions.may(request.user, Action.EDIT_VERDICT, verdict):
        raise PermissionDenied
    form = VerdictForm(request.POST if request.method == "POST" else None, instance=verdict)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.verdict_edit(
                verdict=verdict,
                by=request.user,
                rating=form.cleaned_data.get("rating"),
                headline=form.cleaned_data["headline"],
                explanation=form.cleaned_data["explanation"],
                public_note=form.cleaned_data.get("public_note", ""),
            )
        except workflow.TransitionConflict as conflict:
            return _conflict(request, claim, str(conflict))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                return redirect(reverse("staff:claim", args=[claim.pk]) + "#verdict")
            return render_workspace(request, claim.pk, region=VERDICT)
    status = FORM_INVALID if request.method == "POST" else 200
    return render_workspace(request, claim.pk, region=VERDICT, form=form, status=status)


@staff_view(Action.ASSIGN)
@require_http_methods(["POST"])
def assign_reviewer(request: HtmxHttpRequest, pk):
    claim = get_object_or_404(Claim.objects.only("pk", "reviewer"), pk=pk)
    form = ReviewerForm(request.POST)
    if form.is_valid():
        try:
            services.claim_assign_reviewer(claim=claim, reviewer=form.cleaned_data["reviewer"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, gettext("Choose a reviewer from the list."))
    if not request.htmx:
        return redirect(reverse("staff:claim", args=[claim.pk]) + "#status")
    return render_workspace(request, claim.pk, region=STATUS)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def review(request: HtmxHttpRequest, pk):
    """The draft verdict beside the statements, evidence, sources and outreach it rests on; for a correction,
    what it changes against the published version."""
    claim = get_object_or_404(Claim.objects.only("pk"), pk=pk)
    changes = selectors.changes_against_published(claim.pk)
    return render_workspace(request, claim.pk, template="claims/staff/review.html", changes=changes)
