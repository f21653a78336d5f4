"""Fetched pages are data: stored apart from MEDIA_ROOT under names nobody can guess, and read by
staff only, as inert text or a download in a CSP sandbox; their text is shown through our own page."""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches, reverse

from claims.fetched_files import unguessable_name
from claims.importing import pipeline
from claims.models import FetchStatus
from tests.factories import ClaimSourceFactory, SourceFactory
from tests.importing.conftest import ARTICLE_PARAGRAPHS, article_page

pytestmark = pytest.mark.django_db

HOSTILE = "<script src='/static/js/htmx.min.js'></script><div hx-post='/staff/' hx-trigger='load'></div>"


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.fixture
def fetched_source(local_site, settings, tmp_path):
    """A source cited by a claim, fetched through the pipeline from a page that carries script."""
    settings.MEDIA_ROOT = tmp_path / "media"
    url = local_site.add("/story", article_page("Minister denies sales", ARTICLE_PARAGRAPHS) + HOSTILE)
    cited = ClaimSourceFactory(source__url=url, source__title=url, source__fetch_status=FetchStatus.PENDING)
    return pipeline.fetch_source(cited.source_id)


def test_a_fetched_page_is_stored_outside_media_root_under_a_name_nobody_can_guess(fetched_source, settings):
    name = fetched_source.snapshot.name
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{40}\.html", name)
    assert (settings.FETCHED_FILES_ROOT / name).read_bytes().startswith(b"<!DOCTYPE html>")
    assert files_under(settings.MEDIA_ROOT) == []
    with pytest.raises(ValueError, match="no URL"):
        fetched_source.snapshot.url  # noqa: B018 - a template asking for it fails instead of linking the file


def test_two_fetches_of_one_page_get_two_unrelated_names():
    assert len({unguessable_name(".html") for _ in range(50)}) == 50


def test_anonymous_visitors_get_404_for_the_snapshot_and_for_its_old_address(fetched_source, client):
    old_address = f"/media/snapshots/{fetched_source.fetched_at:%Y/%m}/source-{fetched_source.pk}.html"

    assert client.get(old_address).status_code == 404
    response = client.get(reverse("staff:source-snapshot", args=[fetched_source.pk]))
    assert response.status_code == 404
    assert "Location" not in response


def test_a_fact_checker_reads_the_snapshot_as_inert_text(fetched_source, client_for, settings):
    response = client_for("factchecker").get(reverse("staff:source-snapshot", args=[fetched_source.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    policy = [directive.strip() for directive in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert "allow-scripts" not in response["Content-Security-Policy"]
    assert "allow-same-origin" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Disposition"].endswith('.html.txt"')
    body = b"".join(response.streaming_content)
    assert body == (settings.FETCHED_FILES_ROOT / fetched_source.snapshot.name).read_bytes()
    assert b"htmx.min.js" in body  # the page as it was sent: nothing taken out, nothing run


def test_a_snapshot_that_is_not_text_is_only_downloaded(client_for):
    source = SourceFactory()
    source.snapshot.save(unguessable_name(".pdf"), ContentFile(b"%PDF-1.4 ..."))

    response = client_for("reviewer").get(reverse("staff:source-snapshot", args=[source.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="source-{source.pk}-snapshot.pdf"'
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_source_without_a_snapshot_or_whose_file_is_gone_answers_404(client_for, settings):
    missing = SourceFactory(snapshot="ab/" + "ab" * 20 + ".html")
    client = client_for("factchecker")

    assert client.get(reverse("staff:source-snapshot", args=[SourceFactory().pk])).status_code == 404
    assert client.get(reverse("staff:source-snapshot", args=[missing.pk])).status_code == 404


def test_the_source_page_shows_the_extracted_text_through_our_template(fetched_source, client_for):
    fetched_source.text += "\n\n<script>alert(1)</script>"
    fetched_source.save(update_fields=["text"])

    response = client_for("reviewer").get(reverse("staff:source", args=[fetched_source.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "had not sold weapons" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content
    assert reverse("staff:source-snapshot", args=[fetched_source.pk]) in content
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_workspace_links_a_fetched_source_to_its_page(fetched_source, client_for):
    claim_id = fetched_source.claim_sources.get().claim_id

    response = client_for("factchecker").get(reverse("staff:claim", args=[claim_id]))

    assert reverse("staff:source", args=[fetched_source.pk]) in response.content.decode()


def test_the_admin_links_the_snapshot_to_the_staff_view(fetched_source, client_for):
    response = client_for("admin").get(reverse("admin:claims_source_change", args=[fetched_source.pk]))

    assert response.status_code == 200
    assert reverse("staff:source-snapshot", args=[fetched_source.pk]) in response.content.decode()
    assert 'type="file"' not in response.content.decode()  # staff cannot upload a "snapshot" either


@pytest.fixture
def development_urls(settings, tmp_path):
    """The URLconf as the development server (DEBUG on) builds it, serving MEDIA_ROOT at /media/."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    urls = importlib.import_module(settings.ROOT_URLCONF)
    importlib.reload(urls)
    clear_url_caches()
    yield settings.MEDIA_ROOT
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


def test_the_development_server_sends_media_files_inert(development_urls, client):
    (development_urls / "site").mkdir(parents=True)
    (development_urls / "site" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    response = client.get("/media/site/logo.png")

    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["X-Content-Type-Options"] == "nosniff"
