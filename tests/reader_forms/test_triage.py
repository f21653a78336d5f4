"""Staff triage of tips and error reports: lists with state filters and pages, contacts for triaging staff only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimSource, ErrorReport, Tip
from claims.permissions import FACT_CHECKERS
from tests.factories import ErrorReportFactory, SourceFactory, TipFactory, UserFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_triaging_staff_see_the_tips_with_their_contacts(client_for):
    TipFactory(text="The minister said unemployment halved.", contact="+44 20 7946 0000")
    response = client_for("factchecker").get(reverse("staff:tips"))
    page = response.content.decode()
    assert "The minister said unemployment halved." in page
    assert "+44 20 7946 0000" in page


def test_triaging_staff_see_the_error_reports_with_their_contacts(client_for):
    ErrorReportFactory(text="The second quote is from 2021.", contact="reader@example.invalid")
    page = client_for("reviewer").get(reverse("staff:error-reports")).content.decode()
    assert "The second quote is from 2021." in page
    assert "reader@example.invalid" in page


@pytest.mark.parametrize("name", ["staff:tips", "staff:error-reports"])
def test_nobody_without_the_right_to_triage_sees_the_lists(client, name):
    TipFactory(contact="hidden@example.invalid")
    ErrorReportFactory(contact="hidden@example.invalid")
    anonymous = client.get(reverse(name))
    assert anonymous.status_code == 302
    client.force_login(UserFactory())
    refused = client.get(reverse(name))
    assert refused.status_code == 403
    assert b"hidden@example.invalid" not in refused.content


def test_the_newsroom_navigation_leads_to_both_lists(client_for):
    page = client_for("factchecker").get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("staff:tips")}"' in page
    assert f'href="{reverse("staff:error-reports")}"' in page


def test_the_list_shows_new_ones_by_default_and_filters_by_state(client_for):
    TipFactory(text="A new tip.")
    TipFactory(text="A dismissed tip.", state=Tip.State.DISMISSED)
    client = client_for("factchecker")
    new = client.get(reverse("staff:tips")).content.decode()
    assert "A new tip." in new and "A dismissed tip." not in new
    dismissed = client.get(reverse("staff:tips"), {"state": "dismissed"}).content.decode()
    assert "A dismissed tip." in dismissed and "A new tip." not in dismissed
    everything = client.get(reverse("staff:tips"), {"state": "all"}).content.decode()
    assert "A dismissed tip." in everything and "A new tip." in everything
    assert 'New <span class="count">(1)</span>' in everything


def test_the_filter_swaps_the_list_alone_for_htmx_and_keeps_its_links(client_for):
    TipFactory()
    response = client_for("factchecker").get(reverse("staff:tips"), {"state": "all"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="triage-list"' in page
    assert 'href="?state=dismissed" hx-get="?state=dismissed"' in page


def test_the_lists_come_in_pages(client_for):
    TipFactory.create_batch(30)
    client = client_for("factchecker")
    first = client.get(reverse("staff:tips")).content.decode()
    assert first.count('class="triage-item"') == 25
    assert "Page 1 of 2" in first
    second = client.get(reverse("staff:tips"), {"page": 2}).content.decode()
    assert second.count('class="triage-item"') == 5


@pytest.mark.parametrize("count", [1, 30])
def test_the_lists_run_a_fixed_number_of_queries(client_for, django_assert_num_queries, count):
    client = client_for("factchecker")
    TipFactory.create_batch(count, state=Tip.State.DISMISSED, handled_by=UserFactory())
    ErrorReportFactory.create_batch(count, state=ErrorReport.State.ANSWERED, handled_by=UserFactory(), answer="Ok")
    client.get(reverse("staff:tips"))  # the session and the settings row are read once warm
    # the user with their roles (the session is in the cache), page count, page, its tips, their closest
    # claims, other organisations' fact-checks they match, counts by state
    with django_assert_num_queries(7):
        client.get(reverse("staff:tips"), {"state": "all"})
    with django_assert_num_queries(4):
        client.get(reverse("staff:error-reports"), {"state": "all"})


# --- Tips --------------------------------------------------------------------------------------


def test_a_tip_becomes_a_claim_that_cites_where_it_was_seen(client_for, factchecker):
    tip = TipFactory(text="The mayor said the bridge cost nothing.", url="https://video.example/clip?utm_source=x")
    response = client_for("factchecker").post(reverse("staff:tip-group-accept", args=[tip.group_id]))
    tip.refresh_from_db()
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:claim", args=[claim.pk])
    assert (tip.state, tip.claim, tip.handled_by) == (Tip.State.ACCEPTED, claim, factchecker)
    assert tip.handled_at is not None
    assert claim.text == "The mayor said the bridge cost nothing."
    assert (claim.state, claim.created_by) == (Claim.State.NEW, factchecker)
    cited = ClaimSource.objects.select_related("source").get(claim=claim)
    assert cited.source.url == "https://video.example/clip"
    assert claim.history.filter(history_user=factchecker).exists()


def test_a_tip_whose_link_is_on_file_cites_that_source(client_for):
    source = SourceFactory(url="https://video.example/known")
    tip = TipFactory(url="https://video.example/known")
    client_for("factchecker").post(reverse("staff:tip-group-accept", args=[tip.group_id]))
    assert ClaimSource.objects.get().source == source


def test_a_tip_without_a_link_becomes_a_claim_with_no_source(factchecker):
    claim = services.tip_group_accept(group=TipFactory(url="").group, by=factchecker)
    assert not claim.claim_sources.exists()


def test_a_tip_handled_by_someone_else_meanwhile_is_not_handled_twice(client_for, reviewer):
    tip = TipFactory()
    services.tip_group_dismiss(group=tip.group, by=reviewer)
    response = client_for("factchecker").post(reverse("staff:tip-group-accept", args=[tip.group_id]), **HTMX)
    assert response.status_code == 422
    assert "already handled by reviewer" in response.content.decode()
    assert not Claim.objects.exists()
    tip.refresh_from_db()
    assert tip.state == Tip.State.DISMISSED


def test_a_tip_is_dismissed_in_place_with_htmx(client_for, factchecker):
    tip = TipFactory(contact="tipster@example.invalid")
    response = client_for("factchecker").post(reverse("staff:tip-group-dismiss", args=[tip.group_id]), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith(f'<li id="row-{tip.group_id}"')
    assert "Dismissed" in page
    tip.refresh_from_db()
    assert (tip.state, tip.handled_by) == (Tip.State.DISMISSED, factchecker)


def test_without_javascript_dismissing_goes_back_to_the_same_list(client_for):
    tip = TipFactory()
    dismiss = reverse("staff:tip-group-dismiss", args=[tip.group_id])
    response = client_for("factchecker").post(f"{dismiss}?state=new&page=1")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('staff:tips')}?state=new&page=1#row-{tip.group_id}"


def test_tip_buttons_keep_their_plain_form_action(client_for):
    tip = TipFactory()
    page = client_for("factchecker").get(reverse("staff:tips")).content.decode()
    dismiss = reverse("staff:tip-group-dismiss", args=[tip.group_id])
    assert f'action="{dismiss}"' in page and f'hx-post="{dismiss}"' in page
    assert f'action="{reverse("staff:tip-group-accept", args=[tip.group_id])}"' in page
    move = reverse("staff:tip-move", args=[tip.pk])
    assert f'action="{move}"' in page and f'hx-post="{move}"' in page


@pytest.mark.parametrize("name", ["staff:tip-group-accept", "staff:tip-group-dismiss"])
def test_tip_group_actions_take_only_post(client_for, name):
    assert client_for("factchecker").get(reverse(name, args=[TipFactory().group_id])).status_code == 405


@pytest.mark.parametrize("name", ["staff:tip-ungroup", "staff:tip-move"])
def test_tip_placing_takes_only_post(client_for, name):
    assert client_for("factchecker").get(reverse(name, args=[TipFactory().pk])).status_code == 405


# --- Error reports ---------------------------------------------------------------------------------


def test_an_error_report_is_answered_in_place(client_for, factchecker):
    report = ErrorReportFactory()
    url = reverse("staff:error-report-answer", args=[report.pk])
    response = client_for("factchecker").post(url, {"answer": "Thank you: the date was right."}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Thank you: the date was right." in page
    report.refresh_from_db()
    assert (report.state, report.handled_by) == ("answered", factchecker)
    assert report.answer == "Thank you: the date was right."


def test_an_empty_answer_is_refused_beside_the_report(client_for):
    report = ErrorReportFactory()
    url = reverse("staff:error-report-answer", args=[report.pk])
    response = client_for("factchecker").post(url, {"answer": "  "}, **HTMX)
    assert response.status_code == 422
    assert "Write the answer." in response.content.decode()
    report.refresh_from_db()
    assert report.state == "new"


def test_without_javascript_a_refused_answer_shows_the_list_again_with_the_error_beside_the_report(client_for):
    report = ErrorReportFactory()
    url = reverse("staff:error-report-answer", args=[report.pk]) + "?state=all"
    response = client_for("factchecker").post(url, {"answer": " "})
    page = response.content.decode()
    assert response.status_code == 422
    assert "<html" in page
    assert "Write the answer." in page


def test_without_javascript_a_report_handled_meanwhile_is_explained_on_the_list(client_for):
    report = ErrorReportFactory()
    services.error_report_dismiss(report=report, by=UserFactory(username="colleague", groups=[FACT_CHECKERS]))
    client = client_for("factchecker")
    url = reverse("staff:error-report-answer", args=[report.pk]) + "?state=all"
    response = client.post(url, {"answer": "My careful answer."}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('staff:error-reports')}?state=all#row-{report.pk}"
    assert "already handled by colleague" in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.answer) == ("dismissed", "")


def test_an_error_report_that_led_to_a_correction_links_to_the_workspace(client_for):
    claim = publish().claim
    report = ErrorReportFactory(claim=claim)
    client = client_for("factchecker")
    client.post(reverse("staff:error-report-answer", args=[report.pk]), {"answer": "You are right."})
    response = client.post(reverse("staff:error-report-corrected", args=[report.pk]), {"answer": ""}, **HTMX)
    page = response.content.decode()
    assert f'href="{reverse("staff:claim", args=[claim.pk])}#status"' in page
    report.refresh_from_db()
    assert (report.state, report.answer) == ("corrected", "You are right.")


def test_an_error_report_is_dismissed(client_for):
    report = ErrorReportFactory()
    response = client_for("reviewer").post(reverse("staff:error-report-dismiss", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:error-reports"))
    report.refresh_from_db()
    assert report.state == "dismissed"


def test_a_dismissed_error_report_cannot_be_answered(reviewer):
    report = ErrorReportFactory()
    services.error_report_dismiss(report=report, by=reviewer)
    with pytest.raises(ValidationError, match="already handled"):
        services.error_report_answer(report=report, by=reviewer, answer="Late.")


def test_the_answer_fields_of_each_report_have_their_own_ids(client_for):
    first, second = ErrorReportFactory(), ErrorReportFactory()
    page = client_for("factchecker").get(reverse("staff:error-reports")).content.decode()
    assert f'id="answer-{first.pk}"' in page and f'id="answer-{second.pk}"' in page
    assert 'id="id_answer"' not in page
