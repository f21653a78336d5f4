"""Each claim page's share card (`og:image`): the claim, the rating and the newsroom's name, drawn on the
server once per record version, right-to-left text laid out by raqm or left out where raqm is missing."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from claims.models import SiteSettings
from claims.publishing import share_card
from claims.publishing.share_card import CardText, render
from tests.factories import ClaimFactory
from tests.public.conftest import page_tree
from tests.publishing import publish

PERSIAN_CLAIM = "ایران به روسیه پهپاد فروخته است"


def og_image(client, slug: str) -> str:
    (address,) = page_tree(client.get(reverse("claim", args=[slug]))).xpath("//meta[@property='og:image']/@content")
    return address


def fetched(client, address: str):
    response = client.get(urlsplit(address).path, follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))


@pytest.mark.django_db
def test_a_claim_page_shares_its_card_drawn_once_and_kept_as_a_file(client, settings, monkeypatch):
    settings.SITE_URL = "https://factcheck.example"
    verdict = publish(ClaimFactory(text="Drones were sold.", slug="drones"))
    address = og_image(client, "drones")
    assert address == f"https://factcheck.example/claims/drones/card-{verdict.pk}.png"

    card = fetched(client, address)
    assert card.size == share_card.SIZE
    (stored,) = (settings.MEDIA_ROOT / share_card.FOLDER).iterdir()
    assert stored.name.startswith(f"{verdict.pk}-")

    def not_again(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(share_card, "render", not_again)
    assert fetched(client, address).size == share_card.SIZE


@pytest.mark.django_db
def test_a_correction_gets_a_new_card_and_the_old_address_shows_the_current_one(
    client, settings, django_capture_on_commit_callbacks
):
    first = publish(ClaimFactory(text="Drones were sold.", slug="drones"))
    old_address = og_image(client, "drones")
    fetched(client, old_address)
    with django_capture_on_commit_callbacks(execute=True):  # publishing renews the public pages on commit
        correction = publish(first.claim, kind="correction", public_note="Rating changed.")
    new_address = og_image(client, "drones")
    assert new_address.endswith(f"/card-{correction.pk}.png") and new_address != old_address
    response = client.get(urlsplit(old_address).path)
    assert response.status_code == 302 and response["Location"].endswith(f"/card-{correction.pk}.png")
    fetched(client, new_address)
    assert len(list((settings.MEDIA_ROOT / share_card.FOLDER).iterdir())) == 2


@pytest.mark.django_db
def test_a_card_is_drawn_again_when_the_newsroom_is_renamed(client, settings):
    publish(ClaimFactory(slug="drones"))
    fetched(client, og_image(client, "drones"))
    SiteSettings.objects.update(organisation_name="Another newsroom")
    cache.clear()  # saving the settings through the admin or a service renews the public pages
    fetched(client, og_image(client, "drones"))
    assert len(list((settings.MEDIA_ROOT / share_card.FOLDER).iterdir())) == 2


@pytest.mark.django_db
def test_a_claim_that_is_not_public_has_no_card(client):
    claim = ClaimFactory(slug="draft")
    assert client.get(reverse("claim-share-card", args=[claim.slug, 1])).status_code == 404


# --- Drawing: both layouts ------------------------------------------------------------------------


def text(claim: str, rating: str = "False") -> CardText:
    return CardText(claim=claim, rating=rating, colour="red", newsroom="Sample Newsroom")


def ink_columns(png: bytes, rows: tuple[int, int]) -> tuple[int, int]:
    """The leftmost and rightmost columns with dark ink between the rows `rows` (where the claim is drawn)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    band = image.crop((0, rows[0], image.width, rows[1])).point(lambda value: 255 if value < 128 else 0)
    left, _, right, _ = band.getbbox()
    return left, right


@pytest.mark.skipif(not share_card.complex_layout_available(), reason="Pillow without raqm (libfribidi0)")
def test_with_complex_layout_a_right_to_left_claim_is_drawn_from_the_right_margin():
    png = render(text(PERSIAN_CLAIM), complex_layout=True)
    assert png != render(text(""), complex_layout=True)
    left, right = ink_columns(png, (140, 210))
    assert right > share_card.SIZE[0] - share_card.MARGIN - 10  # starts at the right margin
    assert left > share_card.MARGIN + 10  # a short line ends before the left one
    # Left-to-right text starts at the left margin.
    left, _ = ink_columns(render(text("Drones were sold."), complex_layout=True), (140, 210))
    assert left < share_card.MARGIN + 10


def test_without_complex_layout_a_right_to_left_claim_is_left_out_rather_than_garbled():
    fallback = render(text(PERSIAN_CLAIM), complex_layout=False)
    assert fallback == render(text(""), complex_layout=False)
    # A left-to-right claim is still drawn, as are a right-to-left claim's rating and newsroom when they can be.
    assert render(text("Drones were sold."), complex_layout=False) != fallback
    assert render(text(PERSIAN_CLAIM, rating="نادرست"), complex_layout=False) == render(
        text("", rating=""), complex_layout=False
    )


def test_a_long_claim_is_cut_to_four_lines_ending_with_an_ellipsis_above_the_rating():
    long = "The minister said " + "that drones were sold again " * 30
    png = render(text(long, rating=""), complex_layout=share_card.complex_layout_available())
    image = Image.open(io.BytesIO(png)).convert("L").point(lambda value: 255 if value < 128 else 0)
    _, _, _, bottom = image.crop((0, 120, share_card.SIZE[0], share_card.SIZE[1])).getbbox()
    assert 120 + bottom < share_card.SIZE[1] - share_card.MARGIN - 76  # where the rating goes
    font = share_card._font("Bold", 54, False)
    lines = share_card._lines(long, font, share_card.SIZE[0] - 2 * share_card.MARGIN, None)
    assert len(lines) == share_card.MAX_CLAIM_LINES and lines[-1].endswith(" …")
