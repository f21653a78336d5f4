"""Forms for the staff screens and the search page. They validate; services (claims.services) write.
What readers send in (tips, error reports) has its own forms: claims.reader_forms."""

import secrets
from dataclasses import dataclass
from html import escape
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from claims import permissions, selectors
from claims.canonical import validated_canonical_url
from claims.dates import (
    DatePrecision,
    ascii_digits,
    display_partial_date,
    parse_partial_date,
    typed_partial_date,
    validate_gregorian_year,
)
from claims.models import (
    Actor,
    Claim,
    ClaimLink,
    ClaimSource,
    Evidence,
    Export,
    Outreach,
    Rating,
    SiteSettings,
    Source,
    Statement,
    Topic,
    Verdict,
    WebhookEvent,
    time_zone_choices,
)
from claims.search import SearchFacets

NEW = "new"

# --- Dates known to the day, month or year ------------------------------------


class GregorianDateField(forms.DateField):
    """A day in the Gregorian calendar, typed in any script's decimal digits (Persian 2022-11-05 too)."""

    default_validators = [validate_gregorian_year]

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


class DayField(forms.DateField):
    """A day typed in either calendar, in any digits: "2024-03-07" or "1402/12/17" (or "۱۷ اسفند ۱۴۰۲"),
    cleaned to the Gregorian day. A text field, not the browser's date picker, which knows one calendar."""

    widget = forms.TextInput(attrs={"placeholder": "YYYY-MM-DD"})

    def __init__(self, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _("2024-03-07, or in the Solar Hijri calendar 1402/12/17 or ۱۷ اسفند ۱۴۰۲.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not isinstance(value, str):
            return super().to_python(value)
        read = parse_partial_date(value)
        if read.precision != DatePrecision.DAY:
            raise ValidationError(_("Give the day, not only the month or the year."), code="not_a_day")
        return read.date


class PartialDateField(forms.CharField):
    """A date known to the day, month or year, or not at all, typed in one field in either calendar and in
    any digits (claims.dates.parse_partial_date): "2022-07", "1401/07", "مهر ۱۴۰۱". Cleans to the text as
    typed; `partial_date_fields` reads it for the services."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Date"))
        kwargs.setdefault(
            "help_text",
            _(
                "2022-07-18, 2022-07 or 2022; or in the Solar Hijri calendar 1401/07/05, 1401/07, 1401 or مهر ۱۴۰۱. "
                "Leave empty if unknown and explain in the note."
            ),
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY-MM-DD"}))
        super().__init__(required=False, max_length=20, **kwargs)

    def validate(self, value):
        super().validate(value)
        parse_partial_date(value)


def partial_date_fields(text: str) -> dict:
    """What a PartialDateField's text says, as the services take it: date, date_precision, date_calendar."""
    value, precision, calendar = parse_partial_date(text)
    return {"date": value, "date_precision": precision, "date_calendar": calendar}


class PartialDateMixin(forms.Form):
    """Adds a 'Date' text field (PartialDateField) that sets the instance's date, its precision and its
    calendar."""

    instance: Any  # the ModelForm's: a claims.models.Dated

    date_text = PartialDateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            instance = self.instance
            self.initial["date_text"] = typed_partial_date(
                instance.date, instance.date_precision, instance.date_calendar
            )

    def clean_date_text(self):
        instance = self.instance
        instance.date, instance.date_precision, instance.date_calendar = parse_partial_date(
            self.cleaned_data["date_text"]
        )
        return self.cleaned_data["date_text"]

    def date_fields(self) -> dict:
        """The date as read, as the services take it."""
        instance = self.instance
        return {
            "date": instance.date,
            "date_precision": instance.date_precision,
            "date_calendar": instance.date_calendar,
        }


# --- Sent once -----------------------------------------------------------------------


class SentOnceMixin(forms.Form):
    """A create form carries a one-time token: sent twice (a double click, Back and resend) it saves
    once, and the second send is told so (claims.services.submitted_once)."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:  # an edit: saving it twice makes nothing twice
            del self.fields["submission_token"]
        elif not self.is_bound:
            self.initial["submission_token"] = secrets.token_urlsafe(24)

    def sent_token(self) -> str:
        """The token this send carried ('' for a client that did not render the form)."""
        return self.cleaned_data.get("submission_token", "")


# --- Picking an existing record, or creating one in place ---------------------------


@dataclass(frozen=True)
class Picker:
    """How a form picks a related record: search, suggestions, and whether new ones may be made."""

    field: str
    kind: str  # the suggestion endpoint: actors, sources, claims
    label: str
    allow_new: bool = True
    missing_message: str = _("Search for one on file, or type a new one.")


class PickerMixin(forms.Form):
    """A search box whose suggestions are radio buttons (`<field>_pick`): a record on file, or "new".

    Works without JavaScript: on submit, an unambiguous exact match is used; several
    matches are shown back as choices, so the same minister is not entered twice.
    """

    picker: Picker

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.picker.field
        self.fields[f"{name}_query"] = forms.CharField(
            label=self.picker.label,
            required=False,
            max_length=300,
            help_text=_("Type to search what is on file.")
            if not self.picker.allow_new
            else _("Type to search what is on file; pick “new” if it is not there."),
        )
        self.picker_options = []
        self.picker_suggested = []  # offered before any search (e.g. the actors a quote names); a form sets it
        self.picker_picked = ""
        instance = getattr(self, "instance", None)
        current = getattr(instance, name, None) if getattr(instance, f"{name}_id", None) else None
        if current is not None:
            self.initial[f"{name}_query"] = getattr(current, "name", None) or str(current)
            self.picker_options, self.picker_picked = [current], str(current.pk)
        if self.is_bound:
            self.picker_picked = self.data.get(f"{name}_pick", "")

    @property
    def picker_query_name(self) -> str:
        return f"{self.picker.field}_query"

    def suggest(self, query: str) -> list:
        raise NotImplementedError

    def lookup(self, pk: int):
        raise NotImplementedError

    def exact_matches(self, query: str, options: list) -> list:
        return [option for option in options if str(getattr(option, "name", "")).casefold() == query.casefold()]

    def clean_picked(self, *, required: bool):
        """The picked record, NEW, or None; puts an error next to the search box when unclear."""
        error_field = self.picker_query_name
        query = (self.cleaned_data.get(error_field) or "").strip()
        choice = self.picker_picked
        if choice == NEW and self.picker.allow_new:
            if not self.new_record_named(query):
                self.add_error(error_field, _("Type the name of the new record."))
            return NEW
        if choice.isdigit():
            picked = self.lookup(int(choice))
            if picked is not None:
                if picked not in self.picker_suggested:
                    self.picker_options = [picked]  # shown checked if the form comes back with other errors
                return picked
            self.add_error(error_field, _("That record is no longer available; search again."))
            return None
        if not query:
            if required:
                self.add_error(error_field, self.picker.missing_message)
            return None
        options = self.suggest(query)
        exact = self.exact_matches(query, options)
        if len(exact) == 1:
            return exact[0]
        if not options and self.picker.allow_new:
            return NEW
        self.picker_options = options
        if options:
            self.add_error(error_field, _("Pick one of the matches below, or choose “new”."))
        else:
            self.add_error(error_field, _("Nothing on file matches; search again."))
        return None

    def new_record_named(self, query: str) -> bool:
        return bool(query)


class ActorPickerMixin(PickerMixin):
    new_actor_title = forms.CharField(label=_("Title or role (if new)"), required=False, max_length=200)
    new_actor_kind = forms.ChoiceField(label=_("Kind (if new)"), choices=Actor.Kind.choices, required=False)

    def suggest(self, query):
        return selectors.actor_suggestions(query)

    def lookup(self, pk):
        return Actor.objects.filter(pk=pk).first()

    def new_actor_fields(self) -> dict:
        return {
            "name": self.cleaned_data[f"{self.picker.field}_query"].strip(),
            "title": self.cleaned_data.get("new_actor_title", ""),
            "kind": self.cleaned_data.get("new_actor_kind") or Actor.Kind.PERSON,
        }


# --- Claims ------------------------------------------------------------------------


class ClaimForm(SentOnceMixin, PartialDateMixin, ActorPickerMixin, forms.ModelForm):
    picker = Picker(field="claimant", kind="actors", label=_("Claimant"))
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Claim
        fields = ("text", "language", "date_note", "topics")
        labels = {"date_note": _("Note on the date of first appearance")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_text"].label = _("First appeared on")
        order = ["text", "claimant_query", "new_actor_title", "new_actor_kind"]
        self.order_fields([*order, "language", "topics", "date_text", "date_note"])

    def clean(self):
        cleaned = super().clean()
        cleaned["claimant"] = self.clean_picked(required=False)
        return cleaned


class NewClaimForm(ClaimForm):
    """Logging a claim. It is offered to whoever logs it, if they can be assigned claims: ticked for a
    fact-checker, whose own work it usually is; left for a reviewer to tick."""

    assign_to_me = forms.BooleanField(label=_("Assign it to me"), required=False)

    def __init__(self, *args, logged_by, **kwargs):
        super().__init__(*args, **kwargs)
        if not permissions.is_fact_checker(logged_by):
            del self.fields["assign_to_me"]
        elif not self.is_bound:
            self.initial["assign_to_me"] = permissions.role_of(logged_by) == permissions.FACT_CHECKERS


class PlainSelect(forms.Select):
    """A select of flat choices (no groups), written out in Python: the same markup as Django's Select.

    Django draws each option with a template of its own: with a few hundred people, the workspace's two
    people pickers were four tenths of its time, and the search filters' options a fifth of the search
    page's (docs/performance.md). Each option is escaped as `format_html` would, without its per-call cost."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = mark_safe(  # noqa: S308 - every key and label is escaped here
            "\n".join(
                f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
                f"{label if isinstance(label, SafeData) else escape(str(label))}</option>"
                for key, label in self.choices  # a list, or a ModelChoiceField's one query: no template
            )
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)


def _people_picker(field: forms.Field, queryset, empty_label, people: tuple[tuple[int, str], ...]) -> None:
    """A people picker drawn from the staff list each process keeps (selectors.people_to_pick): no query, no
    model per person. What is sent is still checked against the queryset."""
    picker = cast(forms.ModelChoiceField, field)
    picker.queryset = queryset
    picker.empty_label = empty_label
    picker.widget.choices = [("", empty_label), *people]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, required=False, label=_("Assignee"), widget=PlainSelect)

    def __init__(self, *args, people: selectors.PeopleToPick | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        people = people or selectors.people_to_pick()
        _people_picker(self.fields["assignee"], permissions.fact_checker_users(), _("Unassigned"), people.fact_checkers)


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *Claim.State.choices])
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), empty_label=_("Any topic")
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=PlainSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *[(str(pk), username) for pk, username in selectors.people_to_pick().fact_checkers],
        ]


# --- Cited sources -------------------------------------------------------------------


def https_formfield(model_field, **kwargs):
    """Form fields for model fields, where an address typed without a scheme means https."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


# What staff may say about a source beside its address (and its date, typed with its precision).
SOURCE_DETAILS = (
    "title", "publisher", "author", "date_note", "language", "licence", "attribution", "archive_url",
    "confidential", "public_description",
)  # fmt: skip


class SourceFieldsForm(PartialDateMixin, forms.ModelForm):
    """The fields of a source, for creating one in place."""

    class Meta:
        model = Source
        fields = ("url", *SOURCE_DETAILS)
        labels = {"url": _("URL"), "archive_url": _("Archive URL")}
        help_texts = {"date_note": _("e.g. “July, year not stated”")}
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["url", "title", "publisher", "author", "date_text", "date_note"])

    def clean_url(self):
        return validated_canonical_url(self.cleaned_data["url"])

    def validate_unique(self):
        """A URL already on file is not an error here: the form cites that source instead."""

    def typed_details(self) -> dict:
        """The details typed in (a field left empty says nothing), the date with its precision."""
        typed = {name: self.cleaned_data[name] for name in SOURCE_DETAILS if self.cleaned_data.get(name)}
        if self.instance.date is not None:
            typed.update(self.date_fields())
        return typed


class SourceEditForm(SourceFieldsForm):
    """Every detail of a source on file. Its address is what it is stored under, so it stays."""

    class Meta(SourceFieldsForm.Meta):
        fields = SOURCE_DETAILS

    def changes(self) -> dict:
        """The fields changed, with their new values, as services.source_update takes them."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data if name in SOURCE_DETAILS}
        if "date_text" in self.changed_data:
            changes.update(self.date_fields())
        return changes


@dataclass(frozen=True)
class DetailChange:
    """One detail of a source on file that what was typed would change."""

    label: str
    on_file: str
    typed: str


def _shown(value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value) if value else "—"


# How the person answers when the address they typed is on file with other details.
ON_FILE_UPDATE, ON_FILE_KEEP = "update", "keep"


class ClaimSourceAddForm(SentOnceMixin, PickerMixin, forms.ModelForm):
    """Cite a source on file, or describe a new one (no URL needed) in the same form."""

    picker = Picker(
        field="source",
        kind="sources",
        label=_("Find a source on file"),
        allow_new=False,
        missing_message=_("Find a source on file, or describe a new one below."),
    )

    class Meta:
        model = ClaimSource
        fields = ("role", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_form = SourceFieldsForm(self.data or None, prefix="new_source")
        self.on_file: Source | None = None  # the source on file at the address typed, once cleaned
        self.on_file_updates: dict = {}
        self.on_file_cited_by = 0

    def suggest(self, query):
        return selectors.source_suggestions(query)

    def lookup(self, pk):
        return Source.objects.filter(pk=pk).first()

    def exact_matches(self, query, options):
        return [option for option in options if option.title.casefold() == query.casefold() or option.url == query]

    def describes_new_source(self) -> bool:
        return any((self.data.get(f"new_source-{name}") or "").strip() for name in ("url", "title"))

    def clean(self):
        cleaned = super().clean()
        if self.describes_new_source() and not self.picker_picked.isdigit():
            if self.source_form.is_valid():
                url = self.source_form.cleaned_data["url"]
                on_file = Source.objects.filter(url=url).first() if url else None
                cleaned["source"] = on_file or NEW
                if on_file is not None:
                    self._compare_with_on_file(on_file)
            else:
                self.add_error(None, _("Correct the new source's details below."))
            return cleaned
        cleaned["source"] = self.clean_picked(required=True)
        return cleaned

    def _compare_with_on_file(self, on_file: Source) -> None:
        """The address is on file: what was typed is never dropped unseen. When it differs from the
        record, the form comes back showing both, to update the record or cite it as it is."""
        self.on_file, self.on_file_cited_by = on_file, selectors.claims_citing(on_file)
        self.on_file_updates = {
            name: value for name, value in self.source_form.typed_details().items() if value != getattr(on_file, name)
        }
        if self.on_file_updates and self.data.get("on_file") not in (ON_FILE_UPDATE, ON_FILE_KEEP):
            self.add_error(
                None,
                _("This address is on file with other details than you typed: update it, or cite it as it is."),
            )

    def updates_on_file(self) -> dict:
        """What to change on the source on file before citing it: what was typed, if the person chose so."""
        return self.on_file_updates if self.data.get("on_file") == ON_FILE_UPDATE else {}

    def on_file_differences(self) -> list[DetailChange]:
        """The source on file beside what was typed, detail by detail (for the person to choose)."""
        on_file, updates = self.on_file, self.on_file_updates
        if on_file is None:
            return []
        rows = [
            DetailChange(
                str(self.source_form.fields[name].label), _shown(getattr(on_file, name)), _shown(updates[name])
            )
            for name in SOURCE_DETAILS
            if name in updates
        ]
        if "date" in updates or "date_precision" in updates or "date_calendar" in updates:
            typed = self.source_form.instance
            rows.append(
                DetailChange(
                    str(_("Date")),
                    display_partial_date(on_file.date, on_file.date_precision, "", on_file.date_calendar),
                    display_partial_date(typed.date, typed.date_precision, "", typed.date_calendar),
                )
            )
        return rows

    def new_source_fields(self) -> dict:
        data = dict(self.source_form.cleaned_data)
        data.pop("date_text", None)
        return {**data, **self.source_form.date_fields()}


class ClaimSourceEditForm(forms.ModelForm):
    """A citation's role and note, and every detail of the source it cites — shared by every claim citing it."""

    class Meta:
        model = ClaimSource
        fields = ("role", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_form = SourceEditForm(self.data or None, instance=self.instance.source, prefix="source")
        self.cited_by = selectors.claims_citing(self.instance.source)

    def clean(self):
        cleaned = super().clean()
        if not self.source_form.is_valid():
            self.add_error(None, _("Correct the source's details below."))
        return cleaned


# --- Statements and evidence ---------------------------------------------------------------


class ClaimSourceChoiceMixin:
    """The source field offers the sources the claim cites."""

    def limit_sources_to(self, claim):
        self.fields["source"].queryset = Source.objects.filter(
            claim_sources__claim=claim, claim_sources__removed_at__isnull=True
        ).order_by("claim_sources__order")
        self.fields["source"].empty_label = _("— none —")
        self.fields["source"].help_text = _("One of the sources the claim cites; cite a new one first.")


class StatementForm(SentOnceMixin, PartialDateMixin, ActorPickerMixin, ClaimSourceChoiceMixin, forms.ModelForm):
    picker = Picker(field="actor", kind="actors", label=_("Who said it"))

    class Meta:
        model = Statement
        fields = (
            "stance", "quote", "quote_language", "source", "date_note", "second_hand", "translated",
            "original_language", "original_quote",
        )  # fmt: skip
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "original_quote": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }
        help_texts = {"date_note": _("e.g. “July, year not stated”")}

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_sources_to(claim)
        self.order_fields(
            ["actor_query", "new_actor_title", "new_actor_kind", "stance", "quote", "quote_language",
             "source", "date_text", "date_note", "second_hand", "translated", "original_language", "original_quote"]
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        cleaned["actor"] = self.clean_picked(required=True)
        if cleaned.get("translated") and not (cleaned.get("original_language") or "").strip():
            self.add_error("original_language", _("Give the original language of a translated quote."))
        # On the instance before the model validates it (ModelForm does that after clean()). A new actor is
        # created by the view once the form is valid; the service validates again.
        if isinstance(cleaned["actor"], Actor):
            self.instance.actor = cleaned["actor"]
        return cleaned


class EvidenceForm(SentOnceMixin, ClaimSourceChoiceMixin, forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ("stance", "summary", "source", "url", "internal_note")
        formfield_callback = https_formfield
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "internal_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_sources_to(claim)


# --- Related claims ------------------------------------------------------------------------


class ClaimLinkForm(SentOnceMixin, PickerMixin, forms.ModelForm):
    picker = Picker(field="to_claim", kind="claims", label=_("Related claim"), allow_new=False)

    class Meta:
        model = ClaimLink
        fields = ("kind", "note")

    def __init__(self, *args, claim, **kwargs):
        self.claim = claim
        super().__init__(*args, **kwargs)
        self.instance.from_claim = claim
        self.order_fields(["kind", "to_claim_query", "note"])

    def suggest(self, query):
        return selectors.claim_suggestions(query, exclude_pk=self.claim.pk)

    def lookup(self, pk):
        return Claim.objects.exclude(pk=self.claim.pk).filter(pk=pk).first()

    def exact_matches(self, query, options):
        return [option for option in options if option.text.casefold() == query.casefold() or option.slug == query]

    def clean(self):
        cleaned = super().clean()
        cleaned["to_claim"] = self.clean_picked(required=True)
        if isinstance(cleaned["to_claim"], Claim):  # on the instance before the model validates it
            self.instance.to_claim = cleaned["to_claim"]
        return cleaned


class MergeForm(PickerMixin, forms.Form):
    """Which claim to merge this one into: a picker of claims, like the related-claims picker."""

    picker = Picker(field="into", kind="claims", label=_("Merge into"), allow_new=False)
    instance = None  # nothing picked yet: PickerMixin shows a current record only for model forms

    def __init__(self, *args, claim, **kwargs):
        self.claim = claim
        super().__init__(*args, **kwargs)

    def suggest(self, query):
        return selectors.claim_suggestions(query, exclude_pk=self.claim.pk)

    def lookup(self, pk):
        # Any claim on file, even a removed or merged one: claims.merging says why it cannot be picked.
        return Claim.all_objects.filter(pk=pk).first()

    def exact_matches(self, query, options):
        return [option for option in options if option.text.casefold() == query.casefold() or option.slug == query]

    def clean(self):
        cleaned = super().clean()
        cleaned["into"] = self.clean_picked(required=True)
        return cleaned


# --- Verdicts and the right of reply ------------------------------------------------------


class MarkdownTextarea(forms.Textarea):
    """A text in Markdown (claims.rich_text); components/form_fields.html shows its preview beside it, which
    htmx refreshes as one types (claims.views.preview). `top_heading`: the level its top heading takes where
    it is shown (2 on a page of its own, 3 under a section's heading)."""

    def __init__(self, attrs=None, *, top_heading: int = 3):
        super().__init__({"rows": 12, "dir": "auto", **(attrs or {})})
        self.top_heading = top_heading

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        query = urlencode({"field": name, "top": self.top_heading})
        widget_attrs.update(
            {
                "hx-post": f"{reverse('staff:markdown-preview')}?{query}",
                "hx-trigger": "input changed delay:400ms",
                "hx-target": f"#{widget_attrs.get('id', name)}_preview",
                "hx-swap": "innerHTML",
                "hx-params": name,  # this field only, not the whole form around it
                "hx-sync": "this:replace",  # the latest text wins
            }
        )
        return context


class VerdictForm(forms.ModelForm):
    class Meta:
        model = Verdict
        fields = ("rating", "headline", "explanation", "public_note")
        widgets = {
            "headline": forms.TextInput(attrs={"dir": "auto"}),
            "explanation": MarkdownTextarea(),
            "public_note": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = SiteSettings.load().active_rating_scale
        self.fields["rating"].queryset = Rating.objects.filter(scale=scale) if scale else Rating.objects.none()
        self.fields["rating"].required = False
        self.fields["rating"].help_text = _("From the active scale; its definition is shown to the public.")
        if self.instance.kind == Verdict.Kind.FIRST:
            del self.fields["public_note"]
        if scale is not None and scale.conclusion_only:
            del self.fields["rating"]


class OutreachForm(SentOnceMixin, forms.ModelForm):
    class Meta:
        model = Outreach
        fields = ("method", "contacted", "contacted_on", "request", "response", "responded_on", "not_possible_reason")
        field_classes = {"contacted_on": GregorianDateField, "responded_on": GregorianDateField}
        widgets = {
            "contacted_on": forms.DateInput(attrs={"type": "date"}),
            "responded_on": forms.DateInput(attrs={"type": "date"}),
            "request": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "not_possible_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, claim, **kwargs):
        # `claim` is accepted like the other region forms; the outreach is about it.
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the claim dismissed?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of new verdict?"),
        choices=[(kind.value, kind.label) for kind in Verdict.Kind if kind != Verdict.Kind.FIRST],
        widget=forms.RadioSelect,
    )


class ReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, required=False, label=_("Reviewer"), widget=PlainSelect)

    def __init__(self, *args, people: selectors.PeopleToPick | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        people = people or selectors.people_to_pick()
        _people_picker(self.fields["reviewer"], permissions.reviewer_users(), _("Any reviewer"), people.reviewers)


# --- Background import ------------------------------------------------------------------------


HTTP_URL = URLValidator(schemes=["http", "https"], message=_("Enter an http or https address."), code="not_http")


class FeedForm(SentOnceMixin, forms.Form):
    """A feed to add. The view checks the address through the safe fetcher and shows a preview first."""

    url = forms.URLField(
        label=_("Feed address"),
        max_length=2000,
        assume_scheme="https",
        validators=[HTTP_URL],
        help_text=_("The RSS or Atom feed's URL."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("Leave empty to use the feed's own title.")
    )
    language = forms.CharField(
        label=_("Language"), max_length=35, required=False, help_text=_("BCP 47 code, e.g. en, fa")
    )
    poll_interval = forms.IntegerField(
        label=_("Poll every (minutes)"), min_value=5, max_value=1440, initial=30, required=True
    )
    active = forms.BooleanField(label=_("Poll it (uncheck to add it disabled)"), initial=True, required=False)


class SourceURLForm(SentOnceMixin, forms.Form):
    """Cite a page by its address; the source's details are fetched in the background."""

    url = forms.URLField(label=_("Paste a URL"), max_length=2000, assume_scheme="https", validators=[HTTP_URL])


# --- Triage of what readers send in --------------------------------------------------------


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the reader"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you told the reader, or will tell them (recorded here, not sent)."),
    )


# --- Search over the published fact-checks ------------------------------------------------------


class SearchForm(forms.Form):
    """The search box and its filters; the choices are those some public claim has."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    rating = forms.TypedChoiceField(label=_("Rating"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=PlainSelect)
    claimant = forms.TypedChoiceField(
        label=_("Claimant"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    published_from = GregorianDateField(
        label=_("Published from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = GregorianDateField(
        label=_("Published until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data, *, facets: SearchFacets):
        super().__init__(data)
        self.ratings = {rating.pk: rating for rating in facets.ratings}
        choices = {
            "rating": [
                ("", _("Any rating")),
                *((rating.pk, facets.rating_labels.get(rating.pk, rating.label)) for rating in facets.ratings),
            ],
            "topic": [("", _("Any topic")), *facets.topics],
            "claimant": [("", _("Anyone")), *facets.claimants],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def clean_rating(self):
        rating = self.cleaned_data["rating"]
        return self.ratings[rating] if rating is not None else None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and start > end:
            raise ValidationError({"published_to": _("The end date is before the start date.")})
        return cleaned

    def filters(self) -> dict:
        """The search's arguments from what is valid; a filter that is not is left out (its error shown)."""
        self.is_valid()
        return {
            "query": self.cleaned_data.get("q", ""),
            "rating": self.cleaned_data.get("rating"),
            "topic": self.cleaned_data.get("topic", ""),
            "claimant": self.cleaned_data.get("claimant"),
            "published_from": self.cleaned_data.get("published_from"),
            "published_to": self.cleaned_data.get("published_to"),
        }


class SiteSettingsForm(forms.ModelForm):
    """The newsroom's settings, on the staff Settings page (admins).

    The time zone is typed, with the zones offered as suggestions (a datalist the browser filters as you
    type) rather than a select of some 600 names; the long texts are Markdown with a preview beside them.
    """

    organisation_url = forms.URLField(label=_("Newsroom's website"), required=False, assume_scheme="https")
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("Dates and times on the public pages are shown in it. Type a city, e.g. Europe/Berlin."),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = SiteSettings
        fields = (
            "organisation_name", "organisation_url", "logo", "contact_email", "language", "time_zone", "date_calendar",
            "active_rating_scale", "methodology", "corrections_policy", "about", "funding", "contact_retention_days",
        )  # fmt: skip
        labels = {
            "organisation_name": _("Newsroom's name"),
            "contact_email": _("Contact email"),
            "active_rating_scale": _("Rating scale"),
            "language": _("Language of the public pages"),
            "corrections_policy": _("Corrections policy"),
            "funding": _("Funding and ownership"),
        }
        widgets = {
            # Each on a page of its own (top heading h2), funding under its heading on the About page.
            "methodology": MarkdownTextarea(top_heading=2),
            "corrections_policy": MarkdownTextarea(top_heading=2),
            "about": MarkdownTextarea(top_heading=2),
            "funding": MarkdownTextarea({"rows": 6}, top_heading=3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["active_rating_scale"].empty_label = _("None chosen")
        self.fields["active_rating_scale"].help_text = _("The scale new verdicts are rated on.")

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if name not in time_zone_names():
            matches = [zone for zone in time_zone_names() if zone.lower() == name.lower()]
            if len(matches) == 1:
                return matches[0]  # "europe/berlin" means Europe/Berlin
            raise ValidationError(_("Choose a time zone from the list, e.g. Europe/Berlin or Asia/Tehran."))
        return name


def time_zone_names() -> list[str]:
    """Every time zone name, as the Settings page suggests them."""
    return [name for name, _label in time_zone_choices()]


# --- Webhooks out and exports -------------------------------------------------------------------


class WebhookSubscriptionForm(forms.Form):
    """A partner's address to send events to (claims.webhooks checks the address and the events again)."""

    name = forms.CharField(label=_("Partner"), max_length=100, help_text=_("Whose address it is."))
    url = forms.URLField(
        label=_("Address"),
        max_length=2000,
        assume_scheme="https",
        validators=[HTTP_URL],
        help_text=_("An https:// address that accepts POST requests."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(WebhookEvent.values),
    )


class ExportForm(forms.Form):
    """Which claims to export, and as what; the worker builds the file."""

    format = forms.ChoiceField(
        label=_("Format"), choices=Export.Format.choices, initial=Export.Format.CSV, widget=forms.RadioSelect
    )
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *Claim.State.choices], required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[], required=False)
    since = GregorianDateField(
        label=_("Logged on or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = GregorianDateField(
        label=_("Logged on or before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            ("", _("Any topic")),
            *Topic.objects.order_by("name").values_list("slug", "name"),
        ]

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "state": data["state"],
            "topic": data["topic"],
            "since": data["since"].isoformat() if data["since"] else "",
            "until": data["until"].isoformat() if data["until"] else "",
        }


# --- Other organisations' ClaimReview (claims/claimreviews.py) ---------------------------------------------


class ClaimReviewSourceForm(forms.Form):
    """An address to read other organisations' ClaimReview from: a page with the markup, or a data feed."""

    url = forms.URLField(
        label=_("URL"),
        max_length=2000,
        assume_scheme="https",
        validators=[HTTP_URL],
        help_text=_("A fact-check page with ClaimReview markup, or a ClaimReview data feed (JSON)."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("e.g. the organisation's name"))
    active = forms.BooleanField(label=_("Read it again on the schedule"), initial=True, required=False)


class ClaimReviewFileForm(forms.Form):
    """A ClaimReview data feed file (JSON), or a saved page, read once."""

    file = forms.FileField(
        label=_("ClaimReview file"), help_text=_("A data feed (JSON) or a page (HTML), 10 MB at most.")
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
