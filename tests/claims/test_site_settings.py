"""Admins set the newsroom's settings on a staff page, through the service that checks the permission."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from claims.models import RatingScale, SiteSettings

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def settings_form(**changes) -> dict:
    current = SiteSettings.load()
    data = {
        "organisation_name": current.organisation_name,
        "organisation_url": "",
        "contact_email": "",
        "time_zone": current.time_zone,
        "date_calendar": current.date_calendar,
        "language": current.language,
        "active_rating_scale": current.active_rating_scale_id or "",
        "methodology": "",
        "corrections_policy": "",
        "about": "",
        "funding": "",
        "contact_retention_days": 90,
    }
    return {**data, **changes}


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_the_time_zone_is_typed_with_suggestions_not_picked_from_a_600_option_select(client_for):
    page = client_for("admin").get(reverse("staff:settings")).content.decode()

    assert 'name="time_zone"' in page and 'list="time-zones"' in page
    assert '<select name="time_zone"' not in page
    assert '<datalist id="time-zones">' in page and '<option value="Asia/Tehran">' in page


def test_an_admin_saves_the_settings_and_the_public_pages_show_them(client_for, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scale = (
        RatingScale.objects.exclude(pk=SiteSettings.load().active_rating_scale_id).first() or RatingScale.objects.get()
    )
    data = settings_form(
        organisation_name="Factnameh Desk",
        time_zone="asia/tehran",
        active_rating_scale=scale.pk,
        about="We check what public figures say.",
        funding="Reader donations.",
        contact_email="desk@example.org",
        logo=png(),
    )
    answer = client_for("admin").post(reverse("staff:settings"), data, **HTMX)

    assert answer.status_code == 200
    assert "Settings saved" in answer.content.decode()
    saved = SiteSettings.load()
    assert (saved.organisation_name, saved.time_zone, saved.active_rating_scale) == (
        "Factnameh Desk", "Asia/Tehran", scale,
    )  # fmt: skip
    assert saved.logo.name.startswith("site/")
    assert saved.history.first().history_user == admin_user
    assert "Factnameh Desk" in client_for("anonymous").get(reverse("about")).content.decode()


def test_an_unknown_time_zone_is_refused_beside_the_field_with_what_was_typed_kept(client_for):
    answer = client_for("admin").post(
        reverse("staff:settings"), settings_form(time_zone="Mars/Olympus", organisation_name="Kept"), **HTMX
    )

    page = answer.content.decode()
    assert answer.status_code == 422
    assert "Choose a time zone from the list" in page
    assert 'value="Mars/Olympus"' in page and 'value="Kept"' in page
    assert SiteSettings.load().time_zone == "UTC"


def test_without_javascript_saving_redirects_back_with_a_message(client_for):
    client = client_for("admin")
    answer = client.post(reverse("staff:settings"), settings_form(organisation_name="Desk"))

    assert answer["Location"] == reverse("staff:settings")
    assert "Settings saved" in client.get(answer["Location"]).content.decode()


def test_only_admins_see_settings_in_the_navigation(client_for):
    assert f'href="{reverse("staff:settings")}"' in client_for("admin").get(reverse("staff:home")).content.decode()
    page = client_for("reviewer").get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("staff:settings")}"' not in page


def test_the_admin_list_of_settings_has_no_time_zone_filter(client_for):
    page = client_for("admin").get(reverse("admin:claims_sitesettings_changelist")).content.decode()

    assert "Asia/Tehran" not in page
    assert "By time zone" not in page


def test_the_long_texts_are_written_in_markdown_with_the_preview_beside_them(client_for):
    page = client_for("admin").get(reverse("staff:settings")).content.decode()

    for field in ("methodology", "corrections_policy", "about", "funding"):
        assert f"field={field}" in page  # the editor posts itself to the preview as one types
        assert f'id="id_{field}_preview"' in page
    preview = client_for("admin").post(
        reverse("staff:markdown-preview") + "?field=methodology&top=2", {"methodology": "# How we check\n\nWe *read*."}
    )
    assert "<h2>How we check</h2>" in preview.content.decode() and "<em>read</em>" in preview.content.decode()
