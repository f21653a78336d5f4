"""Tips matched against the claims on file and grouped with the open tips that ask the same thing (in the
worker, claims/tips.py); groups decided as one; a tip taken out of its group or moved stays where it was put."""

import pytest
from django.urls import reverse

from claims import services, tips
from claims.models import Claim, ClaimSource, Tip, TipGroup, TipMatch
from tests.factories import ClaimFactory, TipFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DRONES = "Is it true that Iran has sent drones to Russia for the war in Ukraine?"
DRONES_AGAIN = "My feed is full of posts saying Iran sent drones to Russia for the war in Ukraine. Is it true?"
LOGO = "A video says the city council spent a million euros on its new logo. Is that right?"


def arrived(text: str, **fields) -> Tip:
    """A tip sent in through the public form's service and matched as the worker would."""
    tip = services.tip_create(text=text, **fields)
    return tips.tip_match(tip=tip)


def test_a_tip_that_asks_the_same_thing_joins_the_group_of_the_first(enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = arrived(DRONES)
        unrelated = arrived(LOGO)
        again = arrived(DRONES_AGAIN)
    assert again.group_id == first.group_id
    assert unrelated.group_id != first.group_id
    assert again.matched_at is not None
    assert TipGroup.objects.count() == 2  # the group the second tip came with was left empty and deleted
    assert enqueued["matching"] == [first.pk, unrelated.pk, again.pk]  # each sent to the worker on commit


def test_matching_a_tip_again_changes_nothing():
    first = arrived(DRONES)
    again = arrived(DRONES_AGAIN)
    matched_at = again.matched_at
    tips.tip_match(tip=Tip.objects.get(pk=again.pk))
    tips.tip_match(tip=Tip.objects.get(pk=first.pk))
    tips.tips_catch_up()
    assert Tip.objects.get(pk=again.pk).matched_at == matched_at
    assert set(Tip.objects.values_list("group_id", flat=True)) == {first.group_id}


def test_the_list_counts_the_requests_and_shows_the_most_requested_first(client_for):
    arrived(DRONES)
    arrived(DRONES_AGAIN)
    arrived(LOGO)  # newer, but asked once
    page = client_for("factchecker").get(reverse("staff:tips")).content.decode()
    assert "Asked by 2 readers" in page and "Asked by 1 reader" in page
    assert page.index("Asked by 2 readers") < page.index("Asked by 1 reader")
    assert page.index(DRONES) < page.index(LOGO) and DRONES_AGAIN in page
    assert 'New <span class="count">(2)</span>' in page  # two items


def test_a_tip_taken_out_of_its_group_becomes_an_item_and_is_never_regrouped(client_for, factchecker):
    first = arrived(DRONES)
    again = arrived(DRONES_AGAIN)
    response = client_for("factchecker").post(reverse("staff:tip-ungroup", args=[again.pk]), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="triage-list"')  # two rows changed: the list comes back
    assert "Asked by 2 readers" not in page
    assert f"Placed here by {factchecker.get_username()}" in page
    again.refresh_from_db()
    assert again.group_id != first.group_id and again.placed_by == factchecker
    # Even matched afresh (as if it had never been), the matcher leaves it where the fact-checker put it.
    Tip.objects.filter(pk=again.pk).update(matched_at=None)
    tips.tip_match(tip=Tip.objects.get(pk=again.pk))
    assert Tip.objects.get(pk=again.pk).group_id == again.group_id


def test_a_tip_alone_cannot_be_taken_out_of_a_group(factchecker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not grouped"):
        services.tip_ungroup(tip=TipFactory(), by=factchecker)


def test_a_tip_is_moved_into_another_item_without_javascript(client_for, factchecker):
    first = arrived(DRONES)
    other = TipFactory(text="Did Tehran give Moscow attack drones?")
    old_group = other.group_id
    response = client_for("factchecker").post(
        f"{reverse('staff:tip-move', args=[other.pk])}?state=new", {"into": first.group_id}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('staff:tips')}?state=new#row-{first.group_id}"
    other.refresh_from_db()
    assert (other.group_id, other.placed_by) == (first.group_id, factchecker)
    assert not TipGroup.objects.filter(pk=old_group).exists()


def test_moving_into_an_item_that_is_not_there_says_so_beside_the_tip(client_for):
    tip = TipFactory()
    decided = TipFactory(state=Tip.State.DISMISSED)
    client = client_for("factchecker")
    for into, message in (("999999", "There is no such item"), (str(decided.group_id), "already handled")):
        response = client.post(reverse("staff:tip-move", args=[tip.pk]), {"into": into}, **HTMX)
        assert response.status_code == 422
        assert message in response.content.decode()
        assert Tip.objects.get(pk=tip.pk).group_id == tip.group_id


def test_accepting_a_group_makes_one_claim_and_decides_every_tip(client_for, factchecker):
    first = arrived(DRONES, url="https://video.example/one")
    again = arrived(DRONES_AGAIN, url="https://video.example/two")
    response = client_for("factchecker").post(reverse("staff:tip-group-accept", args=[first.group_id]))
    claim = Claim.objects.get()
    assert response["Location"] == reverse("staff:claim", args=[claim.pk])
    assert claim.text == DRONES  # in the words of the first tip
    assert set(ClaimSource.objects.filter(claim=claim).values_list("source__url", flat=True)) == {
        "https://video.example/one",
        "https://video.example/two",
    }
    for tip in (first, again):
        tip.refresh_from_db()
        assert (tip.state, tip.claim, tip.handled_by) == (Tip.State.ACCEPTED, claim, factchecker)
    assert TipGroup.objects.get(pk=first.group_id).state == TipGroup.State.ACCEPTED


def test_dismissing_a_group_dismisses_every_tip(client_for):
    first = arrived(DRONES)
    arrived(DRONES_AGAIN)
    response = client_for("factchecker").post(reverse("staff:tip-group-dismiss", args=[first.group_id]), **HTMX)
    assert response.status_code == 200
    assert "Asked by 2 readers" in response.content.decode()
    assert set(Tip.objects.values_list("state", flat=True)) == {Tip.State.DISMISSED}


def test_a_tip_shows_the_closest_claims_with_the_sentence_that_matched(client_for):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    ClaimFactory(text="The city council doubled the parking fees in the old town.")
    text = (
        "I was watching the news last night with my family, as we always do on a Sunday evening. "
        "Between two adverts a guest said that Iran has given Russia drones for its war in Ukraine. "
        "Everyone at the table argued about it until midnight and nobody could say who was right. "
        "My brother says it was all over the papers, but my mother had never heard of it at all. "
        "So we agreed to ask you, since you check these things for a living and we trust you to."
    )
    tip = arrived(text)
    match = TipMatch.objects.get(tip=tip)
    assert match.claim == claim
    assert (
        match.sentence == "Between two adverts a guest said that Iran has given Russia drones for its war in Ukraine."
    )
    page = client_for("factchecker").get(reverse("staff:tips")).content.decode()
    assert "Closest claims on file" in page
    assert f'href="{reverse("staff:claim", args=[claim.pk])}"' in page
    assert f'<q class="matched-sentence" dir="auto">{match.sentence}</q>' in page


def test_a_group_linked_to_a_claim_on_file_makes_no_new_claim(client_for):
    claim = ClaimFactory(text="Iran has supplied drones to Russia for use in the war in Ukraine.")
    tip = arrived(DRONES)
    response = client_for("factchecker").post(
        reverse("staff:tip-group-accept", args=[tip.group_id]), {"claim": claim.pk}
    )
    assert response["Location"] == reverse("staff:claim", args=[claim.pk])
    assert Claim.objects.count() == 1
    assert Tip.objects.get(pk=tip.pk).claim == claim


def test_the_sweep_matches_the_tips_the_worker_never_got():
    import datetime

    from django.utils import timezone

    first = services.tip_create(text=DRONES)
    again = services.tip_create(text=DRONES_AGAIN)
    Tip.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert tips.tips_catch_up() == 2
    assert Tip.objects.get(pk=again.pk).group_id == Tip.objects.get(pk=first.pk).group_id


def test_tips_are_not_linked_to_a_dismissed_claim(factchecker):
    from django.core.exceptions import ValidationError

    claim = ClaimFactory(state=Claim.State.DISMISSED)
    tip = TipFactory()
    with pytest.raises(ValidationError, match="dismissed"):
        services.tip_group_accept(group=tip.group, by=factchecker, claim=claim)
    assert Tip.objects.get(pk=tip.pk).state == Tip.State.NEW
