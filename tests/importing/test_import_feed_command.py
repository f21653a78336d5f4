"""manage.py import_feed URL_OR_PATH: one feed, now, through the worker's code; exit 0 when read, 1 when not."""

import pytest
from django.core.management import CommandError, call_command

from claims.models import Feed, ImportRun, Source
from tests.importing.conftest import rss

pytestmark = pytest.mark.django_db

ITEMS = [{"guid": f"c{n}", "link": f"https://wire.example/cmd/{n}", "title": f"Item {n}"} for n in range(2)]


def run_command(target: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_feed", target, stdout=out)
    return out.getvalue().strip()


def test_a_feed_file_is_imported_and_summarised_in_one_line(tmp_path, enqueued):
    path = tmp_path / "wire.xml"
    path.write_text(rss(ITEMS))

    first = run_command(str(path))
    second = run_command(str(path))

    assert first == "wire.xml: succeeded — 2 item(s) read, 2 new, 0 already on file, 0 left out."
    assert second == "wire.xml: succeeded — 2 item(s) read, 0 new, 2 already on file, 0 left out."
    assert Source.objects.filter(url__startswith="https://wire.example/cmd/").count() == 2
    feed = Feed.objects.get()
    assert feed.url == path.resolve().as_uri() and not feed.active  # the worker does not poll a file


def test_a_url_goes_through_the_fetcher_and_a_304_is_success(local_site, enqueued):
    url = local_site.add("/feed.xml", rss(ITEMS), content_type="application/rss+xml", etag='"1"')

    assert "2 new" in run_command(url)
    assert run_command(url).startswith("127.0.0.1: not modified — 0 item(s) read")
    assert local_site.requests_for("/feed.xml")[1]["If-None-Match"] == '"1"'
    assert ImportRun.objects.filter(status="not_modified").count() == 1


def test_a_feed_that_cannot_be_fetched_exits_1_with_the_reason(local_site):
    url = local_site.add("/gone.xml", "gone", status=404, content_type="text/plain")
    with pytest.raises(CommandError, match="could not be imported: The server answered HTTP 404"):
        run_command(url)


def test_a_file_that_is_not_a_feed_exits_1(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body>hello</body></html>")
    with pytest.raises(CommandError, match="not an RSS or Atom feed"):
        run_command(str(path))


def test_a_path_that_does_not_exist_exits_1(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run_command(str(tmp_path / "missing.xml"))


def test_a_refused_url_exits_1(settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(CommandError, match="Refused"):
        run_command("http://127.0.0.1:9/feed.xml")
