"""Forms readers send in: a tip, an error report. They validate; services write."""

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from claims.forms import SentOnceMixin

TEXT_MAX_LENGTH = 5000


class HoneypotForm(forms.Form):
    """A field that people do not see (a CSS class moves it off screen) and spam robots fill in.

    It is left out of `visible_fields()`; templates render it alone, in `.hp-field`.
    """

    HONEYPOT = "website"

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def caught_a_robot(self) -> bool:
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != self.HONEYPOT]

    @property
    def honeypot(self):
        return self[self.HONEYPOT]


def _contact_field():
    return forms.CharField(
        label=_("How can we reach you? (optional)"),
        required=False,
        max_length=300,
        help_text=_("An email address or phone number, if you would like an answer."),
    )


class TipForm(SentOnceMixin, HoneypotForm):
    """Sent twice (a double click, Back and resend) it makes one tip (claims.services.tip_create)."""

    text = forms.CharField(
        label=_("What was claimed, and by whom?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    url = forms.URLField(
        label=_("Where did you see or hear it? (a link, optional)"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        # Text, not type="url": the browser would refuse an address pasted without its https://.
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    contact = _contact_field()
    wants_answer = forms.BooleanField(
        label=_("Tell me when this is checked"),
        required=False,
        help_text=_(
            "We write once, to the email address above, when we publish a verdict on it — "
            "unless your contact details were deleted before then (see below)."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_answer") and "contact" in cleaned:
            try:
                validators.validate_email(cleaned["contact"])
            except ValidationError:
                self.add_error("contact", _("To be told when it is checked, give an email address."))
        return cleaned


class ErrorReportForm(HoneypotForm):
    text = forms.CharField(
        label=_("What is wrong, and how do you know?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Point us to a source if you can."),
    )
    contact = _contact_field()
