"""Merging a claim into another (claims/merging.py): pick the claim, read what will move, merge.

One page, three steps at one URL, each a plain form that works without JavaScript: the picker
(GET), the confirmation listing what moves and which verdicts and addresses are affected (a POST
without `confirm`, swapped in by htmx), and the merge itself (a POST with `confirm`, then the
survivor's workspace).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from claims import merging
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import MergeForm
from claims.models import Claim
from claims.permissions import Action
from claims.views.workspace import FORM_INVALID

TEMPLATE = "claims/staff/claim_merge.html"


@staff_view(Action.EDIT_CLAIM)
@require_http_methods(["GET", "POST"])
def claim_merge(request, pk):
    claim = get_object_or_404(Claim.objects.select_related("claimant", "merged_into"), pk=pk)
    form = MergeForm(request.POST if request.method == "POST" else None, claim=claim)
    plan, status = None, 200
    if request.method == "POST":
        status = FORM_INVALID
        if form.is_valid():
            try:
                # Read first: a refusal (someone merged or published meanwhile) is said beside the picker.
                plan = merging.merge_plan(claim=claim, into=form.cleaned_data["into"], by=request.user)
                if request.POST.get("confirm"):
                    survivor = merging.claim_merge(claim=claim, into=plan.into, by=request.user)
                    messages.success(request, _("Claim #%(retired)s was merged into this one.") % {"retired": claim.pk})
                    return redirect("staff:claim", pk=survivor.pk)
                status = 200
            except ValidationError as exc:
                plan = None
                add_service_errors(form, exc)
                form.picker_options = [form.cleaned_data["into"]]  # still picked, beside the reason
    template = TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#merge"
    return render(request, template, {"claim": claim, "form": form, "plan": plan}, status=status)
