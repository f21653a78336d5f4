"""The Django admin covers every model, with filters, search and history where it is kept."""

import datetime

import pytest
from django.apps import apps
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.admin import admin_site
from claims.models import Claim, Contribution, Notification, Source
from claims.permissions import FACT_CHECKERS
from tests.factories import ClaimFactory, SourceFactory, StatementFactory, UserFactory
from tests.importing.conftest import enqueued  # noqa: F401 - the broker stand-in (a fixture)
from tests.publishing import publish

MODELS = [
    model
    for model in apps.get_app_config("claims").get_models()
    if model._meta.managed and not model.__name__.startswith("Historical")
]


def filterable(model) -> bool:
    """Has a field worth a list filter: choices, a flag, a relation or a date."""
    return any(
        field.choices or field.get_internal_type() in ("BooleanField", "ForeignKey", "DateField", "DateTimeField")
        for field in model._meta.get_fields()
        if field.concrete and not field.primary_key
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_is_in_the_admin_with_filters_and_search(model):
    assert model in admin_site._registry, f"Register {model.__name__} in claims/admin.py"
    model_admin = admin_site._registry[model]
    if filterable(model):
        assert model_admin.list_filter, f"{model.__name__}'s admin needs list_filter"
    assert model_admin.search_fields, f"{model.__name__}'s admin needs search_fields"


@pytest.mark.parametrize(
    "model", [model for model in MODELS if hasattr(model, "history")], ids=lambda model: model.__name__
)
def test_models_with_history_show_it_in_the_admin(model):
    assert isinstance(admin_site._registry[model], SimpleHistoryAdmin)


# --- Sources: added and edited through the same service as the staff screens ------------------

SOURCE_FORM = {
    "url": "",
    "title": "",
    "publisher": "",
    "author": "",
    "date_text": "",
    "date_note": "",
    "language": "",
    "text": "",
    "licence": "",
    "attribution": "",
    "archive_url": "",
    "public_description": "",
}


@pytest.fixture
def admin_client_(client_for):
    return client_for("admin")


@pytest.mark.django_db
def test_a_source_added_with_only_its_address_is_titled_by_it_and_fetched(
    admin_client_,
    admin_user,
    enqueued,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:claims_source_add"), {**SOURCE_FORM, "url": "https://news.example/story?utm_source=x"}
        )
    assert response.status_code == 302, response.content.decode()
    source = Source.objects.get()
    assert (source.url, source.title, source.fetch_status) == ("https://news.example/story",) * 2 + ("pending",)
    assert (source.origin, source.created_by) == ("manual", admin_user)
    assert enqueued.fetches == [source.pk]
    assert source.history.first().history_change_reason == "Created"


@pytest.mark.django_db
def test_the_admin_source_form_edits_every_field_staff_may_set(admin_client_, admin_user):
    source = SourceFactory(title="Old title", publisher="Old publisher")
    url = reverse("admin:claims_source_change", args=[source.pk])
    page = admin_client_.get(url).content.decode()
    for field in (*SOURCE_FORM, "confidential"):
        assert f'name="{field}"' in page, field
    changes = {
        "url": "http://www.mehrnews.com/news/1234?utm_medium=feed",
        "title": "Amir-Abdollahian: we have not sold drones",
        "publisher": "Mehr News Agency",
        "author": "Staff writer",
        "date_text": "2022-07",
        "date_note": "Day not stated",
        "language": "fa",
        "text": "The article's text.",
        "licence": "CC BY 4.0",
        "attribution": "Mehr News Agency",
        "archive_url": "web.archive.org/web/2022/https://www.mehrnews.com/news/1234",
        "confidential": "on",
        "public_description": "An Iranian news agency's report",
    }
    response = admin_client_.post(url, {**SOURCE_FORM, **changes})
    assert response.status_code == 302, response.content.decode()
    source.refresh_from_db()
    assert source.url == "http://www.mehrnews.com/news/1234"  # canonical, as the staff screens store it
    assert (source.title, source.publisher, source.author) == (changes["title"], "Mehr News Agency", "Staff writer")
    assert (source.date, source.date_precision, source.date_note) == (
        datetime.date(2022, 7, 1),
        "month",
        "Day not stated",
    )
    assert (source.language, source.text, source.licence, source.attribution) == (
        "fa", "The article's text.", "CC BY 4.0", "Mehr News Agency"
    )  # fmt: skip
    assert source.archive_url == "https://web.archive.org/web/2022/https://www.mehrnews.com/news/1234"
    assert (source.confidential, source.public_description) == (True, "An Iranian news agency's report")
    latest = source.history.first()
    assert (latest.history_user, latest.history_change_reason) == (admin_user, "Edited")
    assert admin_client_.get(url).content.decode().count('value="2022-07"') == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give a title, or an address to fetch it from."),
        ({"title": "A report", "confidential": "on"}, "A confidential source needs a public description."),
        ({"title": "A report", "date_text": "0978"}, "years before 979 are not accepted"),
        ({"title": "A report", "date_text": "July 2022"}, "Write the date as 2022-07-18, 2022-07 or 2022"),
        ({"url": "ftp://files.example/report"}, "Only http and https addresses can be stored."),
        ({"url": "https://news.example/taken"}, "A source with this address is already on file: “Source"),
    ],
)
@pytest.mark.django_db
def test_bad_source_input_in_the_admin_is_shown_back_not_a_server_error(admin_client_, data, message):
    SourceFactory(url="https://news.example/taken")
    response = admin_client_.post(reverse("admin:claims_source_add"), {**SOURCE_FORM, "publisher": "Kept", **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Kept"' in page
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_adding_the_address_of_a_removed_source_in_the_admin_restores_it_with_its_title(admin_client_, admin_user):
    removed = SourceFactory(url="https://news.example/story", title="The story", removed_at=timezone.now())
    response = admin_client_.post(reverse("admin:claims_source_add"), {**SOURCE_FORM, "url": removed.url})
    assert response.status_code == 302, response.content.decode()
    removed.refresh_from_db()
    assert (removed.removed_at, removed.title) == (None, "The story")
    assert Source.all_objects.count() == 1


# --- Workflow fields are read-only; changes go through the services ------------------------------


def _change_form_data(client, url, **changes) -> dict:
    """What the admin's change form would send back unchanged (inline rows untouched), with `changes`."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "topics"}
    for inline in context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return {**data, **changes}


@pytest.mark.django_db
def test_the_admin_claim_form_cannot_publish_a_claim_or_hand_it_to_a_non_fact_checker(admin_client_, admin_user):
    claim = ClaimFactory()
    outsider = UserFactory(username="outsider")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = _change_form_data(
        admin_client_,
        url,
        text="Reworded in the admin.",
        slug="reworded",  # not published yet: its address may still change
        state="published",
        assignee=outsider.pk,
        reviewer=outsider.pk,
        created_by=outsider.pk,
        is_sample="on",
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.text, claim.slug) == ("Reworded in the admin.", "reworded")
    assert (claim.state, claim.assignee, claim.reviewer, claim.is_sample) == ("new", None, None, False)
    assert claim.created_by != outsider
    assert not claim.events.exists()
    latest = claim.history.first()
    assert (latest.history_user, latest.history_change_reason) == (admin_user, "Edited")
    page = admin_client_.get(url).content.decode()
    for field in ("state", "assignee", "reviewer", "created_by", "is_sample"):
        assert f'name="{field}"' not in page, field
    assert reverse("staff:claim", args=[claim.pk]) in page  # where the workflow happens


def _claim_action(client, action: str, claims, **fields):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [claim.pk for claim in claims], "index": 0, **fields}
    return client.post(reverse("admin:claims_claim_changelist"), data, follow=True)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_an_admin_action_refuses_to_assign_a_claim_to_someone_not_a_fact_checker(admin_client_):
    claim = ClaimFactory()
    outsider = UserFactory(username="outsider")
    response = _claim_action(admin_client_, "assign_selected", [claim], person=outsider.pk)
    assert any("outsider is not a fact-checker." in message for message in _messages(response))
    assert Claim.objects.get(pk=claim.pk).assignee is None
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_an_admin_action_assigns_claims_through_the_workflow_on_record_and_mailed(admin_client_, admin_user):
    claim, checker = ClaimFactory(), UserFactory(username="farah", groups=[FACT_CHECKERS], email="f@example.invalid")
    response = _claim_action(admin_client_, "assign_selected", [claim], person=checker.pk)
    assert "Assigned 1." in _messages(response)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.assignee == checker
    assert claim.history.first().history_change_reason == "Assigned to farah"
    assert Notification.objects.get().to == "f@example.invalid"


@pytest.mark.django_db
def test_an_admin_action_dismisses_only_with_a_reason_and_never_a_published_claim(admin_client_, admin_user):
    open_claim, published_claim = ClaimFactory(), publish().claim
    response = _claim_action(admin_client_, "dismiss_selected", [open_claim], reason="")
    assert any("Say why the claim is dismissed." in message for message in _messages(response))
    assert Claim.objects.get(pk=open_claim.pk).state == "new"

    response = _claim_action(admin_client_, "dismiss_selected", [open_claim, published_claim], reason="Out of scope.")
    assert "Dismissed 1." in _messages(response)
    assert any("the workflow does not allow this now" in message for message in _messages(response))
    assert Claim.objects.get(pk=open_claim.pk).state == "dismissed"
    assert Claim.objects.get(pk=published_claim.pk).state == "published"
    assert open_claim.events.get().comment == "Out of scope."


@pytest.mark.django_db
def test_editing_a_statement_in_the_admin_goes_through_the_service_on_record_and_as_a_contribution(
    admin_client_, admin_user
):
    statement = StatementFactory()
    url = reverse("admin:claims_statement_change", args=[statement.pk])
    response = admin_client_.post(url, _change_form_data(admin_client_, url, quote="Said otherwise."))
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = statement.history.first()
    assert (latest.quote, latest.history_user) == ("Said otherwise.", admin_user)
    assert latest.history_change_reason == "Edited"
    contribution = Contribution.objects.get(claim=statement.claim)
    assert (contribution.by, contribution.fields) == (admin_user, ["quote"])


@pytest.mark.django_db
def test_a_published_claim_cannot_be_given_a_new_address_even_by_the_service(admin_user):
    claim = publish().claim
    with pytest.raises(ValidationError):
        services.claim_update(claim=claim, by=admin_user, slug="somewhere-else")
    assert Claim.objects.get(pk=claim.pk).slug == claim.slug
