"""Data people read is stored per language: the rating scales' names and definitions and the site's starter
texts come in English, Persian and Spanish, and the public side reads them in the site's public language."""

import pytest
from django.urls import reverse

from claims import services, starter_texts
from claims.models import Rating, RatingScale, RatingTranslation, SiteSettings
from tests.factories import ClaimFactory
from tests.publishing import publish, unproven

pytestmark = pytest.mark.django_db


def set_public_language(language: str, by) -> SiteSettings:
    site = SiteSettings.load()
    site.language = language
    return services.site_settings_update(site_settings=site, by=by)


def test_the_default_scales_ship_in_english_persian_and_spanish():
    default = RatingScale.objects.prefetch_related("translations").get(slug="default")
    assert default.text_in("en")[0] == "Default scale"
    assert default.text_in("fa")[0] == "مقیاس پیش‌فرض"
    assert default.text_in("es")[0] == "Escala predeterminada"
    for rating in Rating.objects.filter(scale=default).prefetch_related("translations"):
        labels = {language: rating.text_in(language)[0] for language in ("en", "fa", "es")}
        assert len(set(labels.values())) == 3, labels  # translated in both, never left in English
        assert all(rating.text_in(language)[1] for language in ("fa", "es"))
    assert unproven().text_in("fa") == ("اثبات‌نشده", "شواهد موجود نشان نمی‌دهند که ادعا درست است یا نادرست.")
    assert unproven().text_in("es-MX")[0] == "No demostrado"  # the region ignored
    assert unproven().text_in("de")[0] == "Unproven"  # no translation: as written


def test_the_ratings_page_reads_the_public_language(client, admin_user, django_capture_on_commit_callbacks):
    page = client.get(reverse("ratings")).content.decode()
    assert "Unproven" in page and "اثبات‌نشده" not in page
    with django_capture_on_commit_callbacks(execute=True):  # the public pages are renewed on commit
        set_public_language("fa", by=admin_user)
    page = client.get(reverse("ratings")).content.decode()
    assert "اثبات‌نشده" in page and "مقیاس پیش‌فرض" in page
    assert ">Unproven<" not in page


def test_a_newsroom_translates_its_own_rating_and_the_untranslated_ones_stay_as_written(client, admin_user):
    scale = RatingScale.objects.create(name="Our scale", slug="ours")
    mine = Rating.objects.create(scale=scale, label="Cierto", description="Lo que dijo es cierto.", order=1)
    other = Rating.objects.create(scale=scale, label="Falso", description="No lo es.", order=2)
    RatingTranslation.objects.create(rating=mine, language="fa", label="درست", description="آنچه گفت درست است.")
    site = SiteSettings.load()
    site.active_rating_scale = scale
    site.language = "fa"
    services.site_settings_update(site_settings=site, by=admin_user)
    page = client.get(reverse("ratings")).content.decode()
    assert "آنچه گفت درست است." in page
    assert "Falso" in page and other.label == "Falso"


def test_publishing_freezes_the_rating_in_the_public_language(client, admin_user):
    set_public_language("es", by=admin_user)
    verdict = publish(ClaimFactory(slug="es-claim"))
    rating = verdict.published_record["verdict"]["rating"]
    assert (rating["label"], rating["scale"]) == ("No demostrado", "Escala predeterminada")
    set_public_language("en", by=admin_user)  # later: the published record keeps its words
    assert "No demostrado" in client.get(reverse("claim", args=["es-claim"])).content.decode()


def test_the_search_filter_names_ratings_in_the_public_language(client, admin_user):
    publish(ClaimFactory(slug="a-claim"))
    set_public_language("fa", by=admin_user)
    page = client.get(reverse("search")).content.decode()
    assert f'<option value="{unproven().pk}">اثبات‌نشده</option>' in page


def test_starter_texts_ship_in_english_persian_and_spanish_each_marked_to_be_edited():
    for language, notice in (("en", "to be edited"), ("fa", "برای ویرایش"), ("es", "para editar")):
        texts = starter_texts.for_language(language)
        assert set(texts) == {"methodology", "corrections_policy", "about", "funding"}
        for text in texts.values():
            assert text.startswith("> **") and notice in text.split("\n")[0]
            assert "\n## " in text  # Markdown with headings, like the English
    for language in ("fa", "es"):  # translations, said to await a native speaker's review
        assert "(" in starter_texts.for_language(language)["about"].split("\n")[0]
    assert starter_texts.for_language("de") == starter_texts.for_language("en")


def test_choosing_a_public_language_brings_its_starter_texts_and_keeps_what_the_newsroom_wrote(client, admin_user):
    site = SiteSettings.load()
    assert site.methodology == starter_texts.METHODOLOGY
    site.about = "## About us\n\nOur own words."
    services.site_settings_update(site_settings=site, by=admin_user)

    set_public_language("fa", by=admin_user)
    site = SiteSettings.load()
    persian = starter_texts.for_language("fa")
    assert (site.methodology, site.funding) == (persian["methodology"], persian["funding"])
    assert site.about == "## About us\n\nOur own words."
    assert "چگونه ادعاها را برای راستی‌آزمایی انتخاب می‌کنیم" in client.get(reverse("methodology")).content.decode()

    set_public_language("es", by=admin_user)  # from one translation to another
    assert SiteSettings.load().methodology == starter_texts.for_language("es")["methodology"]


def test_a_starter_text_sent_back_by_the_browser_with_crlf_line_ends_still_follows_the_language(admin_user):
    site = SiteSettings.load()
    site.corrections_policy = starter_texts.CORRECTIONS_POLICY.replace("\n", "\r\n")
    site.language = "fa"
    services.site_settings_update(site_settings=site, by=admin_user)
    assert SiteSettings.load().corrections_policy == starter_texts.for_language("fa")["corrections_policy"]


def test_the_settings_page_sets_the_public_language(client_for):
    page = client_for("admin").get(reverse("staff:settings")).content.decode()
    assert 'name="language"' in page
    assert '<option value="fa">فارسی</option>' in page
