"""Incoming: every imported article, newest first, with the claims it matches; the article with its
matching sentences highlighted; and the decisions on each match (claims/inbox.py holds the rules).

Decisions post to their own URL. An htmx request gets the match's card back (swapped in place); any
other request is redirected to the article (post/redirect/get). The statement and evidence forms are
pages of their own, prefilled from the sentence and the article; so is recording a repeat of a published
claim (claims/views/repeats.py).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import inbox, repeats, services
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import NEW, ActorPickerMixin, PartialDateField, Picker, partial_date_fields
from claims.models import Actor, ArticleMatch, Evidence, Feed, Source, Statement
from claims.permissions import Action, may
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region, query_without_page

PER_PAGE = 25
MATCHED = (("", gettext_lazy("Any")), ("yes", gettext_lazy("Matched")), ("no", gettext_lazy("Unmatched")))
DECIDED = (("", gettext_lazy("Any")), ("undecided", gettext_lazy("Undecided")), ("decided", gettext_lazy("Decided")))


class IncomingFilter(forms.Form):
    feed = forms.ModelChoiceField(
        label=gettext_lazy("Feed"), queryset=Feed.objects.order_by("name"), required=False, empty_label=_("All feeds")
    )
    matched = forms.ChoiceField(label=gettext_lazy("Matched"), choices=MATCHED, required=False)
    decided = forms.ChoiceField(label=gettext_lazy("Decisions"), choices=DECIDED, required=False)
    claim = forms.IntegerField(label=gettext_lazy("Claim number"), required=False, min_value=1)


class StatementFromMatchForm(ActorPickerMixin, forms.Form):
    """Who said it is picked like on the workspace (search, or a new actor); the actors on file named in
    the sentence are offered first, one click each, and none is picked for the person."""

    picker = Picker(field="actor", kind="actors", label=gettext_lazy("Who said it"))
    stance = forms.ChoiceField(
        label=gettext_lazy("Stance"),
        choices=[("", gettext_lazy("— choose what they say about the claim —")), *Statement.Stance.choices],
    )
    quote = forms.CharField(label=gettext_lazy("Quote"), widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))
    second_hand = forms.BooleanField(label=gettext_lazy("Reported second-hand"), required=False)
    date_text = PartialDateField()
    date_note = forms.CharField(label=gettext_lazy("Date note"), required=False, max_length=200)

    def __init__(self, *args, named: list[Actor], **kwargs):
        super().__init__(*args, **kwargs)
        self.picker_suggested = named
        self.picker_suggested_label = _("Named in the sentence")
        self.order_fields(["actor_query", "new_actor_title", "new_actor_kind", "stance", "quote"])

    def clean(self):
        cleaned = super().clean()
        cleaned["actor"] = self.clean_picked(required=True)
        return cleaned

    def statement_fields(self) -> dict:
        """What inbox.match_add_statement takes, but the actor."""
        fields = ("stance", "quote", "second_hand", "date_note")
        return {name: self.cleaned_data[name] for name in fields} | partial_date_fields(self.cleaned_data["date_text"])


class EvidenceFromMatchForm(forms.Form):
    stance = forms.ChoiceField(
        label=gettext_lazy("Stance"),
        choices=[("", gettext_lazy("— choose what the evidence does —")), *Evidence.Stance.choices],
    )
    summary = forms.CharField(label=gettext_lazy("Public summary"), widget=forms.Textarea(attrs={"rows": 4}))
    internal_note = forms.CharField(
        label=gettext_lazy("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _match_or_404(pk: int) -> ArticleMatch:
    try:
        return inbox.match_for_decision(pk)
    except ArticleMatch.DoesNotExist:
        raise Http404 from None


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def incoming(request: HtmxHttpRequest):
    form = IncomingFilter(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    articles = inbox.incoming_articles(
        feed_id=chosen["feed"].pk if chosen.get("feed") else None,
        matched=chosen.get("matched", ""),
        decided=chosen.get("decided", ""),
        claim_id=chosen.get("claim"),
    )
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter": form,
        "query_without_page": query_without_page(request),
        "may_decide": may(request.user, Action.EDIT_CLAIM),
    }
    return render(request, page_or_region(request, "claims/staff/incoming.html", "incoming-list"), context)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def incoming_count(request: HtmxHttpRequest):
    """The number of undecided matches, for the staff navigation's badge."""
    return render(request, "claims/staff/incoming.html#incoming-count", {"undecided": inbox.undecided_count()})


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def incoming_article(request: HtmxHttpRequest, pk):
    try:
        source = inbox.article_for_inbox(pk)
    except Source.DoesNotExist:
        raise Http404 from None
    matches = source.live_matches
    context = {
        "source": source,
        "passages": inbox.passages(source.text, matches),
        "matches": matches,
        "sentences": inbox.article_sentences(source) if not matches else [],
        "may_decide": may(request.user, Action.EDIT_CLAIM),
        "repeatable": repeats.repeatable_claim_ids([match.claim_id for match in matches]),
        "may_create_claim": may(request.user, Action.CREATE_CLAIM),
    }
    return render(request, "claims/staff/incoming_article.html", context)


def _after_decision(request: HtmxHttpRequest, match: ArticleMatch, *, problem: str = "", status: int = 200):
    """htmx: the match's card as it is now (with the problem, if any). Otherwise back to the article."""
    if request.htmx:
        context = {
            "match": inbox.match_for_decision(match.pk),
            "problem": problem,
            "may_decide": True,
            "repeatable": repeats.repeatable_claim_ids([match.claim_id]),
        }
        return render(request, "claims/staff/incoming_article.html#match-card", context, status=status)
    if problem:
        messages.error(request, problem)
    return redirect(f"{reverse('staff:incoming-article', args=[match.source_id])}#match-{match.pk}")


def _decide(request: HtmxHttpRequest, pk, decide):
    match = _match_or_404(pk)
    try:
        decide(match)
    except ValidationError as error:
        return _after_decision(request, match, problem=" ".join(error.messages), status=FORM_INVALID)
    return _after_decision(request, match)


@staff_view(Action.EDIT_CLAIM)
@require_POST
def match_dismiss(request: HtmxHttpRequest, pk):
    return _decide(request, pk, lambda match: inbox.match_dismiss(match=match, by=request.user))


@staff_view(Action.EDIT_CLAIM)
@require_POST
def match_cite(request: HtmxHttpRequest, pk):
    return _decide(request, pk, lambda match: inbox.match_cite(match=match, by=request.user))


@staff_view(Action.EDIT_CLAIM)
@require_POST
def matches_dismiss(request: HtmxHttpRequest):
    """Bulk dismiss: the matches ticked on the list; back to the list with its filters."""
    ids = [int(value) for value in request.POST.getlist("match") if value.isdigit()]
    if not ids:
        messages.error(request, _("Tick the matches to dismiss first. Nothing was changed."))
    else:
        count = inbox.matches_dismiss(match_ids=ids, by=request.user)
        messages.success(request, _("%(count)d matches dismissed.") % {"count": count})
    query = request.POST.get("query", "")
    return redirect(f"{reverse('staff:incoming')}{'?' + query if query else ''}")


def _decision_form(request: HtmxHttpRequest, pk, *, title: str, help_text: str, make_form, save):
    """The page of one decision on a match (statement or evidence): its form, prefilled by `make_form`."""
    match = _match_or_404(pk)
    if match.is_decided:
        messages.error(request, _("This match was already decided. Nothing was changed."))
        return redirect(f"{reverse('staff:incoming-article', args=[match.source_id])}#match-{match.pk}")
    form = make_form(match, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(match, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Added to the claim; the article is cited on it."))
                return redirect(f"{reverse('staff:claim', args=[match.claim_id])}#{saved}")
        status = FORM_INVALID
    context = {"match": match, "form": form, "title": title, "help_text": help_text}
    return render(request, "claims/staff/incoming_decision.html", context, status=status)


@staff_view(Action.EDIT_CLAIM)
@require_http_methods(["GET", "HEAD", "POST"])
def match_statement(request: HtmxHttpRequest, pk):
    """Add the sentence as a statement: quote and date prefilled; the person picks actor and stance."""

    def make_form(match, data):
        named = inbox.actors_named_in(match.sentence)
        return StatementFromMatchForm(data, named=named, initial=inbox.statement_initial(match))

    def save(match, form):
        with transaction.atomic():  # a new actor is not kept if the statement is refused
            actor = form.cleaned_data["actor"]
            if actor == NEW:
                actor = services.actor_create(by=request.user, **form.new_actor_fields())
            inbox.match_add_statement(match=match, by=request.user, actor=actor, **form.statement_fields())
        return "statements"

    return _decision_form(
        request,
        pk,
        title=_("Add as a statement"),
        help_text=_(
            "The quote and date come from the article; choose who said it and what they say about the claim. "
            "The article is cited on the claim."
        ),
        make_form=make_form,
        save=save,
    )


@staff_view(Action.EDIT_CLAIM)
@require_http_methods(["GET", "HEAD", "POST"])
def match_evidence(request: HtmxHttpRequest, pk):
    """Add the article as evidence: its sentence prefilled as the summary; the person picks the stance."""

    def make_form(match, data):
        return EvidenceFromMatchForm(data, initial={"summary": match.sentence})

    def save(match, form):
        inbox.match_add_evidence(match=match, by=request.user, **form.cleaned_data)
        return "evidence"

    return _decision_form(
        request,
        pk,
        title=_("Add as evidence"),
        help_text=_(
            "The summary starts from the matching sentence; choose what the evidence does. "
            "The article is cited on the claim as evidence."
        ),
        make_form=make_form,
        save=save,
    )


@staff_view(Action.CREATE_CLAIM)
@require_POST
def article_claim_new(request: HtmxHttpRequest, pk):
    """A sentence of an article becomes a new claim; its workspace opens to make the wording checkable."""
    source = Source.objects.filter(pk=pk, origin__in=inbox.IMPORTED).first()
    if source is None:
        raise Http404
    try:
        start, end = (int(part) for part in request.POST.get("sentence", "").split("-", 1))
        claim = inbox.source_claim_create(source=source, start=start, end=end, by=request.user)
    except (ValueError, ValidationError) as error:
        problem = " ".join(error.messages) if isinstance(error, ValidationError) else _("Choose a sentence.")
        messages.error(request, problem)
        return redirect("staff:incoming-article", pk=pk)
    messages.success(request, _("The sentence is now a claim. Make its wording checkable and say who made it."))
    return redirect("staff:claim", pk=claim.pk)
