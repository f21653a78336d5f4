"""Which language each page and email is in (docs/architecture.md, "Languages").

The public side speaks the newsroom's public language (a site setting), whatever the visitor's browser
asks, so one cached copy serves everyone; staff read their screens and emails in the language they
chose on My account; the login page follows the browser. The catalogues used here are made for the
test (the project's own are written by translators), so the texts prove which language was chosen.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from claims import alerts, charts, services, tips
from claims.models import SITE_LANGUAGE_CACHE_KEY, Alert, Notification, SiteSettings, Tip, User
from claims.permissions import REVIEWERS
from tests.claims.test_workflow import in_review
from tests.factories import ClaimFactory, TipFactory, UserFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
TRANSLATIONS = {
    "fa": {
        "Skip to content": "پرش به محتوا",
        "Ready for review: {claim}": "آماده برای بازبینی: {claim}",
        "We have checked: %(claim)s": "بررسی کردیم: %(claim)s",
        "Your language is saved.": "زبان شما ذخیره شد.",
    },
    "es": {
        "Skip to content": "Saltar al contenido",
        "Ready for review: {claim}": "Listo para revisión: {claim}",
        "We have checked: %(claim)s": "Lo hemos verificado: %(claim)s",
    },
}


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture
def catalogues(settings, tmp_path):
    """Small fa and es catalogues, compiled into a folder of their own and put in LOCALE_PATHS."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed (.ci/run installs it)")
    for language, entries in TRANSLATIONS.items():
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
        for msgid, msgstr in entries.items():
            lines += [f"msgid {_po_string(msgid)}", f"msgstr {_po_string(msgstr)}", ""]
        (folder / "django.po").write_text("\n".join(lines), encoding="utf-8")
        subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True)
    settings.LOCALE_PATHS = [tmp_path]  # Django forgets the translations it loaded when this changes


def set_site_language(code: str) -> None:
    site = SiteSettings.load()
    site.language = code
    site.save()


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode())[0]


# --- The public side: the site's language ------------------------------------------------------------


def test_public_pages_are_in_the_site_language_whatever_the_browser_asks(client, catalogues):
    set_site_language("fa")
    answer = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert html_tag(answer) == '<html lang="fa" dir="rtl">'
    assert "پرش به محتوا" in answer.content.decode()
    assert answer["Content-Language"] == "fa"
    assert "Accept-Language" not in answer.get("Vary", "")


def test_one_cached_copy_of_a_public_page_serves_every_browser(client, catalogues):
    set_site_language("es")
    verdict = publish()
    address = reverse("claim", args=[verdict.claim.slug])
    first = client.get(address, HTTP_ACCEPT_LANGUAGE="fa")
    second = client.get(address, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert html_tag(second) == '<html lang="es" dir="ltr">' and "Saltar al contenido" in second.content.decode()


def test_changing_the_site_language_renews_the_cached_pages(client, admin_user, django_capture_on_commit_callbacks):
    assert html_tag(client.get(reverse("home"))) == '<html lang="en" dir="ltr">'
    site = SiteSettings.load()
    site.language = "fa"
    with django_capture_on_commit_callbacks(execute=True):
        services.site_settings_update(site_settings=site, by=admin_user)
    assert html_tag(client.get(reverse("home"))) == '<html lang="fa" dir="rtl">'


def test_a_staff_member_sees_public_pages_in_the_site_language_not_their_own(client, factchecker):
    set_site_language("fa")
    factchecker.language = "es"
    factchecker.save()
    client.force_login(factchecker)
    assert html_tag(client.get(reverse("home"))) == '<html lang="fa" dir="rtl">'
    assert html_tag(client.get(reverse("staff:home"))) == '<html lang="es" dir="ltr">'


# --- The staff side: the person's language, else the browser's -------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("fa-IR,fa;q=0.9,en;q=0.5", '<html lang="fa" dir="rtl">'),
        ("es-MX", '<html lang="es" dir="ltr">'),
        ("de-DE,de;q=0.9", '<html lang="en" dir="ltr">'),  # not offered: the site's language
    ],
)
def test_the_login_page_follows_the_browser_among_the_languages_offered(client, accept, expected):
    answer = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    assert html_tag(answer) == expected
    assert "Accept-Language" in answer["Vary"]


def test_the_login_page_of_a_browser_asking_for_no_offered_language_is_in_the_site_language(client):
    set_site_language("fa")
    assert html_tag(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de")) == '<html lang="fa" dir="rtl">'


def test_staff_screens_are_in_the_language_chosen_else_the_browsers(client, factchecker):
    client.force_login(factchecker)
    assert html_tag(client.get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="fa")) == '<html lang="fa" dir="rtl">'
    factchecker.language = "es"
    factchecker.save()
    assert html_tag(client.get(reverse("staff:home"), HTTP_ACCEPT_LANGUAGE="fa")) == '<html lang="es" dir="ltr">'


def test_a_staff_member_chooses_their_language_on_my_account(client, factchecker, catalogues):
    client.force_login(factchecker)
    page = client.get(reverse("staff:account")).content.decode()
    assert '<option value="fa">فارسی</option>' in page  # each language named in itself

    answer = client.post(reverse("staff:account-language"), {"language": "fa"}, follow=True)
    assert User.objects.get(pk=factchecker.pk).language == "fa"
    assert html_tag(answer) == '<html lang="fa" dir="rtl">'
    assert "زبان شما ذخیره شد." in answer.content.decode()  # the message is in the new language already

    client.post(reverse("staff:account-language"), {"language": ""})
    assert User.objects.get(pk=factchecker.pk).language == ""  # back to the browser's


def test_a_language_not_offered_is_refused_beside_the_field(client, factchecker):
    client.force_login(factchecker)
    answer = client.post(reverse("staff:account-language"), {"language": "de"})
    assert answer.status_code == 422
    assert User.objects.get(pk=factchecker.pk).language == ""


# --- Emails: staff in their own language, readers in the site's -------------------------------------------


def test_staff_are_told_in_their_own_language(factchecker, catalogues):
    persian = UserFactory(username="reviewer-fa", groups=[REVIEWERS], language="fa")
    spanish = UserFactory(username="reviewer-es", groups=[REVIEWERS], language="es")
    claim = ClaimFactory(text="Drones were sold.")
    in_review(claim, factchecker)
    alerts.alerts_catch_up()

    assert Alert.objects.get(recipient=persian).text == "آماده برای بازبینی: Drones were sold."
    assert Alert.objects.get(recipient=spanish).text == "Listo para revisión: Drones were sold."
    assert Notification.objects.get(to=persian.email).subject == "آماده برای بازبینی: Drones were sold."
    assert Notification.objects.get(to=spanish.email).subject == "Listo para revisión: Drones were sold."


def test_a_tip_sender_is_answered_in_the_site_language(factchecker, catalogues):
    set_site_language("es")
    claim = ClaimFactory(created_by=factchecker, text="Iran sent drones.")
    tip = TipFactory(contact="reader@example.invalid", wants_answer=True)
    services.tip_group_accept(group=tip.group, by=factchecker, claim=claim)
    publish(claim)
    assert tips.tell_senders(claim.pk) == 1
    assert Notification.objects.get(to="reader@example.invalid").subject == "Lo hemos verificado: Iran sent drones."
    assert Tip.objects.get(pk=tip.pk).told_at is not None


# --- Right to left ------------------------------------------------------------------------------------------


def test_the_dashboard_charts_mirror_for_a_right_to_left_language():
    data = [("new", "New", [3]), ("published", "Published", [6])]
    ltr, rtl = charts.rows(data, [("claims", "Claims")]), charts.rows(data, [("claims", "Claims")], rtl=True)
    assert ltr.label_x < charts.LABEL_WIDTH and rtl.label_x > charts.WIDTH - charts.LABEL_WIDTH
    for left, right in zip(ltr.rows, rtl.rows, strict=True):
        (bar,), (mirrored,) = left.segments, right.segments
        assert mirrored.width == bar.width and mirrored.x + mirrored.width == charts.WIDTH - bar.x
        assert right.total_x == charts.WIDTH - left.total_x
    weeks = charts.columns([("1 Jan", 1), ("8 Jan", 2)], rtl=True)
    assert weeks.columns[0].x > weeks.columns[1].x  # the first week on the right


def test_the_dashboard_of_a_persian_speaker_draws_the_charts_mirrored(client, factchecker):
    factchecker.language = "fa"
    factchecker.save()
    ClaimFactory()
    client.force_login(factchecker)
    page = client.get(reverse("staff:home")).content.decode()
    label = re.search(r'<text class="chart-label chart-end" x="(\d+)"', page)
    assert label and int(label[1]) > charts.WIDTH - charts.LABEL_WIDTH


PHYSICAL = re.compile(
    r"(?<![-\w])(?:(?:margin|padding|border)-(?:left|right)|left|right)\s*:|text-align\s*:\s*(?:left|right)"
    r"|float\s*:\s*(?:left|right)|clear\s*:\s*(?:left|right)"
)


def test_the_style_sheets_use_logical_properties_so_nothing_is_mirrored_by_hand():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((ROOT / "static" / "css").glob("*.css"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PHYSICAL.search(line) or 'dir="rtl"' in line or "[dir=rtl]" in line
    ]
    assert found == []


def test_a_name_inside_a_translated_sentence_keeps_its_own_direction(client):
    """A Latin name in a Persian sentence (or the reverse) is isolated, and still escaped."""
    site = SiteSettings.load()
    site.organisation_name = "Factnameh <Desk>"
    site.language = "fa"
    site.save()
    page = client.get(reverse("about")).content.decode()
    assert "<bdi>Factnameh &lt;Desk&gt;</bdi>" in page


def test_a_request_in_persian_leaves_the_threads_language_as_it_was(client, django_user_model):
    """A page in the site's or a person's language must not leave the next code in the same thread
    (a task, a command, the next test) speaking it."""
    site = SiteSettings.load()
    SiteSettings.objects.filter(pk=site.pk).update(language="fa")
    cache.delete(SITE_LANGUAGE_CACHE_KEY)
    before = translation.get_language()
    response = client.get("/")
    assert response.headers["Content-Language"] == "fa"
    assert translation.get_language() == before
