"""What the matcher finds alike, shown before a claim is logged and on a claim's workspace (reads only)."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.factories import ArticleFactory, ArticleMatchFactory, ClaimFactory

pytestmark = pytest.mark.django_db

DRONE_CLAIM = "Iran has supplied drones to Russia for use in the war in Ukraine."
TYPED = "Iran supplied Russia with drones for the war in Ukraine"
FILLER = [
    "The mayor raised taxes on small shops.",
    "A new study found microplastics in tap water.",
    "The central bank sold the national airline.",
    "The health ministry closed every public library.",
]
ARTICLE = (
    "Minister denies drone sales\n"
    "By Demo desk\n"
    "TEHRAN — The foreign minister said on Monday that his country had not supplied drones to Russia "
    "for the war in Ukraine.\n"
    "The ministry later published a transcript of the meeting and photographs of the guests."
)
ARTICLE_SENTENCE = ARTICLE.splitlines()[2]


@pytest.fixture
def drone_claim(factchecker):
    for text in FILLER:
        ClaimFactory(text=text)
    return ClaimFactory(text=DRONE_CLAIM)


def new_claim_data(text, **extra):
    return {"text": text, "language": "en", "date_text": "", "date_note": "", **extra}


# --- While a claim is logged ----------------------------------------------------------------------------


def test_the_claim_text_asks_for_lookalikes_as_it_is_typed(client_for):
    page = client_for("factchecker").get(reverse("staff:claim-new")).content.decode()
    assert f'hx-get="{reverse("staff:claim-new-similar")}"' in page
    assert 'hx-trigger="keyup changed delay:500ms"' in page


def test_typing_lists_the_claims_on_file_it_looks_like_with_the_score(client_for, drone_claim):
    response = client_for("factchecker").get(
        reverse("staff:claim-new-similar"), {"text": TYPED}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Looks like a claim on file" in page
    assert f'href="{reverse("staff:claim", args=[drone_claim.pk])}"' in page
    assert "similarity 0." in page
    assert FILLER[0] not in page


def test_a_text_too_short_or_unlike_anything_lists_nothing(client_for, drone_claim):
    client = client_for("factchecker")
    for text in ("Iran", "Penguins have learned to fly over the Antarctic ice."):
        response = client.get(reverse("staff:claim-new-similar"), {"text": text}, headers={"HX-Request": "true"})
        assert response.content.decode().strip() == ""


def test_without_javascript_the_lookalikes_come_with_the_form_and_the_text(client_for, drone_claim):
    page = client_for("factchecker").get(reverse("staff:claim-new-similar"), {"text": TYPED}).content.decode()
    assert "<html" in page
    assert f"{TYPED}</textarea>" in page
    assert drone_claim.text in page


def test_logging_a_lookalike_warns_once_and_saves_it_anyway_when_asked(client_for, drone_claim):
    client = client_for("factchecker")
    form_page = client.get(reverse("staff:claim-new")).content.decode()
    token = form_page.split('name="submission_token" value="', 1)[1].split('"', 1)[0]
    data = new_claim_data(TYPED, submission_token=token)

    warned = client.post(reverse("staff:claim-new"), data)

    page = warned.content.decode()
    assert warned.status_code == 422
    assert "This looks like a claim already on file" in page
    assert drone_claim.text in page
    assert f"{TYPED}</textarea>" in page  # the input is kept
    assert 'name="anyway" value="1"' in page
    assert Claim.objects.count() == len(FILLER) + 1

    saved = client.post(reverse("staff:claim-new"), {**data, "anyway": "1"})

    new = Claim.objects.get(text=TYPED)
    assert saved["Location"] == reverse("staff:claim", args=[new.pk])


def test_a_claim_like_nothing_on_file_is_logged_at_once(client_for, drone_claim):
    response = client_for("factchecker").post(
        reverse("staff:claim-new"), new_claim_data("Penguins have learned to fly over the Antarctic ice.")
    )
    assert response.status_code == 302


# --- On a claim's workspace --------------------------------------------------------------------------------


def test_the_workspace_loads_possibly_related_after_the_page(client_for, drone_claim):
    page = client_for("factchecker").get(reverse("staff:claim", args=[drone_claim.pk])).content.decode()
    related_url = reverse("staff:claim-related", args=[drone_claim.pk])
    assert f'hx-get="{related_url}" hx-trigger="load, claim-saved from:body"' in page
    assert f'href="{related_url}#related"' in page  # and without JavaScript, a link to it


def test_possibly_related_lists_claims_and_recent_articles_with_their_sentence(client_for, drone_claim):
    twin = ClaimFactory(text="Tehran sent drones to Moscow to be used in the war against Ukraine.")
    article = ArticleFactory(title="Minister denies drone sales", text=ARTICLE)
    start = ARTICLE.index(ARTICLE_SENTENCE)
    suggestion = ArticleMatchFactory(
        source=article,
        claim=drone_claim,
        state="dismissed",
        sentence=ARTICLE_SENTENCE,
        sentence_start=start,
        sentence_end=start + len(ARTICLE_SENTENCE),
    )
    ArticleFactory(title="Weather report", text="Rain is expected in the north on Tuesday.\nSun in the south.")

    response = client_for("factchecker").get(
        reverse("staff:claim-related", args=[drone_claim.pk]), headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    claims_part, articles_part = page.split("Recent imported articles", 1)
    assert f'href="{reverse("staff:claim", args=[twin.pk])}"' in claims_part
    assert f'href="{reverse("staff:claim", args=[drone_claim.pk])}"' not in claims_part  # not itself
    assert f'href="{reverse("staff:incoming-article", args=[article.pk])}#match-{suggestion.pk}"' in articles_part
    assert f'<blockquote class="match-sentence" dir="auto">{ARTICLE_SENTENCE}</blockquote>' in articles_part
    assert "Dismissed" in articles_part  # what Incoming decided on the pair
    assert "Weather report" not in articles_part


def test_possibly_related_follows_the_claim_when_it_is_edited(
    client_for, factchecker, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(text="The price of petrol rose by 40 percent in January.")
    ArticleFactory(title="Minister denies drone sales", text=ARTICLE)
    client = client_for("factchecker")
    url = reverse("staff:claim-related", args=[claim.pk])
    assert "Minister denies drone sales" not in client.get(url, headers={"HX-Request": "true"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:claim-edit", args=[claim.pk]),
            new_claim_data(DRONE_CLAIM, claimant_query=""),
            headers={"HX-Request": "true"},
        )

    assert response["HX-Trigger"] == "claim-saved"  # the workspace reloads the region on it
    assert "Minister denies drone sales" in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_without_javascript_possibly_related_is_part_of_the_workspace_page(client_for, drone_claim):
    twin = ClaimFactory(text="Tehran sent drones to Moscow to be used in the war against Ukraine.")
    page = client_for("factchecker").get(reverse("staff:claim-related", args=[drone_claim.pk])).content.decode()
    assert 'id="statements"' in page
    assert twin.text in page.split('id="related"', 1)[1]


def test_a_removed_claim_has_no_possibly_related(client_for, drone_claim, factchecker):
    services.record_remove(record=drone_claim, by=factchecker)
    response = client_for("factchecker").get(reverse("staff:claim-related", args=[drone_claim.pk]))
    assert response.status_code == 404
