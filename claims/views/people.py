"""People: admins invite staff, change their roles, deactivate and reactivate them; invitees join.

Every change goes through claims.people, which checks the permission again.
The page is one region (`people`): each form on it posts with htmx and gets the
region back, with what happened said at its top; without JavaScript the same
forms post and are redirected back to the page (post/redirect/get).
Deactivating someone who still holds claims has its own page, which asks who
takes them over.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import people, selectors
from claims.decorators import staff_view
from claims.models import User
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region

PEOPLE_TEMPLATE = "claims/staff/people.html"
TOO_MANY_REQUESTS = 429


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=people.ROLE_CHOICES, initial=people.FACT_CHECKERS)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=people.ROLE_CHOICES)


class DeactivateForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=gettext_lazy("Who takes over their claims"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Choose someone"),
        error_messages={"required": gettext_lazy("Choose who takes over their claims.")},
    )

    def __init__(self, *args, person: User, holds_claims: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if holds_claims:
            self.fields["successor"].queryset = selectors.successors_for(person)
        else:
            del self.fields["successor"]


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("What you sign in with. Letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.exclude(pk=self.user.pk).filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(pk=self.user.pk, username=cleaned.get("username", ""), email=self.user.email)
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- The People page ------------------------------------------------------------------------------


def _people_page(request: HtmxHttpRequest, *, invite_form: InviteForm | None = None, status: int = 200):
    persons = list(selectors.people_for_list())
    for person in persons:
        person.role_group = people.role_of(person)
        person.account_status = people.status_of(person)
    context = {
        "people": persons,
        "invite_form": invite_form or InviteForm(),
        "role_choices": people.ROLE_CHOICES,
        "changes": selectors.recent_staff_changes(),
        "links_shown": people.invitation_links_shown(),
    }
    return render(request, page_or_region(request, PEOPLE_TEMPLATE, "people"), context, status=status)


def _done(request: HtmxHttpRequest, *, problem: str = ""):
    """After a change: htmx gets the region back (the outcome at its top), a plain post goes back to the page."""
    if problem:
        messages.error(request, problem)
    if request.htmx:
        return _people_page(request, status=FORM_INVALID if problem else 200)
    return redirect("staff:people")


def _invitation_sent(request: HtmxHttpRequest, person: User, link: str) -> None:
    if people.invitation_links_shown():
        # No mail leaves this machine: the admin passes the link on. Shown this once, never stored.
        messages.info(
            request,
            _("Invitation for %(email)s ready. No email is sent from this installation: give them this link, "
              "which works once — %(link)s") % {"email": person.email, "link": link},
        )  # fmt: skip
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})


@staff_view(Action.MANAGE_PEOPLE)
@require_safe
def people_list(request: HtmxHttpRequest):
    return _people_page(request)


@staff_view(Action.MANAGE_PEOPLE)
@require_POST
def person_invite(request: HtmxHttpRequest):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            person, link = people.person_invite(by=request.user, **form.cleaned_data)
        except people.InvitationsRateLimited as error:
            form.add_error(None, error)
            # htmx swaps 422 only: the form comes back with the reason either way.
            return _people_page(request, invite_form=form, status=FORM_INVALID if request.htmx else TOO_MANY_REQUESTS)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _invitation_sent(request, person, link)
            return _done(request)
    return _people_page(request, invite_form=form, status=FORM_INVALID)


def _person(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("invitation"), pk=pk)


@staff_view(Action.MANAGE_PEOPLE)
@require_POST
def person_role(request: HtmxHttpRequest, pk):
    person = _person(pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _done(request, problem=_("Choose a role: fact-checker, reviewer or admin."))
    try:
        people.person_change_role(user=person, role=form.cleaned_data["role"], by=request.user)
    except ValidationError as error:
        return _done(request, problem=" ".join(error.messages))
    messages.success(
        request,
        _("%(username)s is now %(role)s.")
        % {"username": person.get_username(), "role": str(people.ROLE_LABELS[form.cleaned_data["role"]]).lower()},
    )
    return _done(request)


@staff_view(Action.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_deactivate(request: HtmxHttpRequest, pk):
    """Asks who takes over the person's open claims (when they hold any), then deactivates them."""
    person = _person(pk)
    held = list(selectors.claims_held_by(person))
    form = DeactivateForm(request.POST if request.method == "POST" else None, person=person, holds_claims=bool(held))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                people.person_deactivate(user=person, successor=form.cleaned_data.get("successor"), by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(username)s is deactivated.") % {"username": person.get_username()})
                return redirect("staff:people")
        status = FORM_INVALID
    context = {"person": person, "held": held, "form": form}
    return render(request, "claims/staff/person_deactivate.html", context, status=status)


@staff_view(Action.MANAGE_PEOPLE)
@require_POST
def person_reactivate(request: HtmxHttpRequest, pk):
    person = _person(pk)
    try:
        people.person_reactivate(user=person, by=request.user)
    except ValidationError as error:
        return _done(request, problem=" ".join(error.messages))
    messages.success(request, _("%(username)s can sign in again.") % {"username": person.get_username()})
    return _done(request)


@staff_view(Action.MANAGE_PEOPLE)
@require_POST
def invitation_resend(request: HtmxHttpRequest, pk):
    person = _person(pk)
    try:
        link = people.invitation_resend(user=person, by=request.user)
    except ValidationError as error:
        return _done(request, problem=" ".join(error.messages))
    _invitation_sent(request, person, link)
    return _done(request)


@staff_view(Action.MANAGE_PEOPLE)
@require_POST
def invitation_revoke(request: HtmxHttpRequest, pk):
    person = _person(pk)
    try:
        people.invitation_revoke(user=person, by=request.user)
    except ValidationError as error:
        return _done(request, problem=" ".join(error.messages))
    messages.success(request, _("The invitation for %(email)s is revoked.") % {"email": person.email})
    return _done(request)


# --- Joining: the invitee's side ----------------------------------------------------------------------

LINK_PROBLEMS = {
    people.LinkProblem.EXPIRED: gettext_lazy("This invitation link has expired."),
    people.LinkProblem.USED: gettext_lazy("This invitation has already been used to set a password."),
    people.LinkProblem.INVALID: gettext_lazy(
        "This invitation link is not valid: it may have been replaced by a newer one, or withdrawn."
    ),
}


@require_http_methods(["GET", "POST"])
def invitation_accept(request, uidb64, token):
    """Anyone holding the link: choose a username and a password, then land in the newsroom, signed in."""
    person, problem = people.invitation_for_link(uidb64, token)
    if problem is not None:
        return render(request, "registration/invitation_invalid.html", {"problem": LINK_PROBLEMS[problem]})
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, user=person, initial={"username": person.username}
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = people.invitation_accept(
                user=person,
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(username)s. You are signed in.") % {"username": person.username})
            return redirect("staff:home")
    status = FORM_INVALID if form.errors else 200
    return render(request, "registration/invitation_accept.html", {"form": form, "person": person}, status=status)
