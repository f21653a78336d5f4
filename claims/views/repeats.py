"""Repeats of published claims: recording one from an Incoming match, a claim's repeats with what the newsroom
did about each, and the reviewers' queue. The rules are in claims/repeats.py.

Approve and withdraw post to their own URL: an htmx request gets the repeat's card back (swapped in place),
any other request is redirected to the claim's repeats (post/redirect/get).
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import inbox, repeats
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import DayField, PartialDateField, partial_date_fields
from claims.models import Actor, ArticleMatch, Claim, Intervention, Repeat, ReviewState
from claims.permissions import Action, may
from claims.views.workspace import FORM_INVALID

TEMPLATE = "claims/staff/repeats.html"


class RepeatFromMatchForm(forms.Form):
    actor = forms.TypedChoiceField(label=gettext_lazy("Who repeated it"), coerce=int)
    sentence = forms.CharField(
        label=gettext_lazy("In these words"), widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"})
    )
    date_text = PartialDateField(label=gettext_lazy("When"))
    date_note = forms.CharField(label=gettext_lazy("Date note"), required=False, max_length=200)

    def __init__(self, *args, named: list[Actor], **kwargs):
        super().__init__(*args, **kwargs)
        named_ids = {actor.pk for actor in named}
        groups: list[tuple[str, object]] = [("", _("— choose who repeated it —"))]
        if named:
            groups.append((_("Named in the sentence"), [(a.pk, str(a)) for a in named]))
        others = [(a.pk, str(a)) for a in Actor.objects.order_by("name") if a.pk not in named_ids]
        groups.append((_("Everyone on file"), others))
        actor_field = self.fields["actor"]
        assert isinstance(actor_field, forms.TypedChoiceField)
        actor_field.choices = groups

    def repeat_fields(self) -> dict:
        """What inbox.match_record_repeat takes, but the match."""
        fields = ("actor", "sentence", "date_note")
        return {name: self.cleaned_data[name] for name in fields} | partial_date_fields(self.cleaned_data["date_text"])

    def clean_actor(self):
        actor = Actor.objects.filter(pk=self.cleaned_data["actor"]).first()
        if actor is None:
            raise ValidationError(_("Choose who repeated it."))
        return actor


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["asked", "asked_on", "method", "request", "outcome"]
        field_classes = {"asked_on": DayField}
        widgets = {
            "request": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "outcome": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        }


# --- Recording a repeat from Incoming --------------------------------------------------------------------


@staff_view(Action.RECORD_REPEAT)
@require_http_methods(["GET", "HEAD", "POST"])
def match_repeat(request, pk):
    """The article repeats a published claim: who, in which words, when (prefilled from the sentence)."""
    try:
        match = inbox.match_for_decision(pk)
    except ArticleMatch.DoesNotExist:
        raise Http404 from None
    back = f"{reverse('staff:incoming-article', args=[match.source_id])}#match-{match.pk}"
    if match.is_decided:
        messages.error(request, _("This match was already decided. Nothing was changed."))
        return redirect(back)
    initial = {**inbox.statement_initial(match), "sentence": match.sentence}
    named = inbox.actors_named_in(match.sentence)
    form = RepeatFromMatchForm(request.POST if request.method == "POST" else None, named=named, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                repeat = inbox.match_record_repeat(match=match, by=request.user, **form.repeat_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The repeat is on record. A reviewer approves it before it goes public."))
                return redirect(_repeat_url(repeat))
        status = FORM_INVALID
    context = {
        "match": match,
        "form": form,
        "title": _("Record as a repeat"),
        "help_text": _(
            "The claim has a published verdict: record who repeated it, in which words and when. "
            "It goes public, on the claim's page and in its ClaimReview, once a reviewer approves it; "
            "the verdict is not reopened and the article is not cited on the claim."
        ),
    }
    return render(request, "claims/staff/incoming_decision.html", context, status=status)


# --- The claim's repeats, and the reviewers' queue ------------------------------------------------------------


def _repeat_url(repeat: Repeat) -> str:
    return f"{reverse('staff:claim-repeats', args=[repeat.claim_id])}#repeat-{repeat.pk}"


@dataclass(frozen=True)
class InterventionRow:
    intervention: Intervention
    may_approve: bool
    may_withdraw: bool


@dataclass(frozen=True)
class RepeatCard:
    """A repeat with what its card shows this user: which buttons, and the form for an intervention."""

    repeat: Repeat
    may_approve: bool
    may_withdraw: bool
    may_intervene: bool
    interventions: list[InterventionRow]
    intervention_form: InterventionForm


def _card_for(repeat: Repeat, user, *, form: InterventionForm | None = None) -> RepeatCard:
    rows = []
    for intervention in repeat.interventions.all():
        intervention.repeat = repeat  # the approval rule reads the repeat's state
        rows.append(
            InterventionRow(
                intervention,
                may(user, Action.APPROVE_REPEAT, intervention),
                may(user, Action.WITHDRAW_REPEAT, intervention),
            )
        )
    return RepeatCard(
        repeat=repeat,
        may_approve=may(user, Action.APPROVE_REPEAT, repeat),
        may_withdraw=may(user, Action.WITHDRAW_REPEAT, repeat),
        may_intervene=repeat.state != ReviewState.WITHDRAWN and may(user, Action.RECORD_REPEAT),
        interventions=rows,
        intervention_form=form or InterventionForm(prefix=f"repeat-{repeat.pk}"),
    )


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def claim_repeats(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    context = {
        "claim": claim,
        "cards": [_card_for(repeat, request.user) for repeat in repeats.claim_repeats(claim)],
        "published_verdict": repeats.published_verdict(claim),
    }
    return render(request, TEMPLATE, context)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def queue(request):
    """Repeats, and interventions, waiting for a reviewer."""
    context = {"cards": [_card_for(repeat, request.user) for repeat in repeats.waiting_for_review()], "queue": True}
    return render(request, TEMPLATE, context)


def _card(request, repeat_pk: int, *, problem: str = "", form=None, status: int = 200):
    """htmx: the repeat's card as it is now (with the problem, if any). Otherwise back to the claim's repeats."""
    try:
        repeat = repeats.repeat_for_card(repeat_pk)
    except Repeat.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        context = {
            "card": _card_for(repeat, request.user, form=form),
            "problem": problem,
            "queue": request.htmx.current_url_abs_path == reverse("staff:repeats"),  # the card names its claim there
        }
        return render(request, f"{TEMPLATE}#repeat-card", context, status=status)
    if problem:
        messages.error(request, problem)
    return redirect(_repeat_url(repeat))


def _decide(request, item, decide, repeat_pk: int):
    try:
        decide(item)
    except ValidationError as error:
        return _card(request, repeat_pk, problem=" ".join(error.messages), status=FORM_INVALID)
    return _card(request, repeat_pk)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_POST
def repeat_approve(request, pk):
    repeat = get_object_or_404(Repeat, pk=pk)
    return _decide(request, repeat, lambda item: repeats.repeat_approve(repeat=item, by=request.user), repeat.pk)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_POST
def repeat_withdraw(request, pk):
    repeat = get_object_or_404(Repeat, pk=pk)
    return _decide(request, repeat, lambda item: repeats.repeat_withdraw(repeat=item, by=request.user), repeat.pk)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_POST
def intervention_approve(request, pk):
    intervention = get_object_or_404(Intervention.objects.select_related("repeat"), pk=pk)
    return _decide(
        request,
        intervention,
        lambda item: repeats.intervention_approve(intervention=item, by=request.user),
        intervention.repeat_id,
    )


@staff_view(Action.VIEW_STAFF_PAGES)
@require_POST
def intervention_withdraw(request, pk):
    intervention = get_object_or_404(Intervention.objects.select_related("repeat"), pk=pk)
    return _decide(
        request,
        intervention,
        lambda item: repeats.intervention_withdraw(intervention=item, by=request.user),
        intervention.repeat_id,
    )


@staff_view(Action.RECORD_REPEAT)
@require_POST
def intervention_add(request, pk):
    """What the newsroom did about the repeat; invalid: the form with its errors, what was typed kept (422)."""
    repeat = get_object_or_404(Repeat, pk=pk)
    form = InterventionForm(request.POST, prefix=f"repeat-{repeat.pk}")
    if form.is_valid():
        try:
            repeats.intervention_record(repeat=repeat, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _card(request, repeat.pk)
    if request.htmx:
        return _card(request, repeat.pk, form=form, status=FORM_INVALID)
    shown = [
        _card_for(item, request.user, form=form if item.pk == repeat.pk else None)
        for item in repeats.claim_repeats(repeat.claim)
    ]
    context = {"claim": repeat.claim, "cards": shown, "published_verdict": repeats.published_verdict(repeat.claim)}
    return render(request, TEMPLATE, context, status=FORM_INVALID)
