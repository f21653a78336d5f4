"""The migration that makes staff's long texts Markdown: verdicts' explanations (sanitised HTML until then)
and the site's texts (plain text), with the starter texts for a site whose texts were blank."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from claims import starter_texts
from claims.models import SiteSettings, Verdict
from claims.rich_text import render_markdown
from claims.sanitise import sanitise_html
from tests.factories import ClaimFactory
from tests.publishing import publish, submitted

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "claims.migrations." + next(Path(__file__).parents[2].glob("claims/migrations/*_markdown.py")).stem
)

OLD_EXPLANATION = (
    '<p>The ministry\'s figures * do not <strong>add up</strong>: see <a href="https://example.org/a_(b)">the '
    "report</a> and <q>their answer</q>.</p><p>1. Not a list<br># not a heading</p>"
    "<ul><li>one</li><li>two <em>emphasised</em></li></ul><blockquote><p>A quote [sic]</p></blockquote><h3>More</h3>"
)


def compact(html: str) -> str:
    return html.replace("\n", "")


def test_an_explanation_in_html_becomes_markdown_that_reads_the_same():
    markdown = MIGRATION.html_to_markdown(OLD_EXPLANATION)
    assert "**add up**" in markdown and "- one\n- two *emphasised*" in markdown and "> A quote \\[sic\\]" in markdown
    # Rendered again, it is the HTML it was (a <q> becomes typographic quotes: Markdown has no <q>).
    expected = sanitise_html(OLD_EXPLANATION).replace("<q>", "“").replace("</q>", "”")
    assert compact(render_markdown(markdown)) == compact(expected)


def test_drafts_become_markdown_and_published_records_keep_their_html(reviewer):
    draft = submitted(ClaimFactory())
    published = publish()
    Verdict.objects.filter(pk__in=[draft.pk, published.pk]).update(explanation=OLD_EXPLANATION)
    record_before = Verdict.objects.get(pk=published.pk).published_record

    MIGRATION.to_markdown(apps, None)

    for verdict in Verdict.objects.filter(pk__in=[draft.pk, published.pk]):
        assert verdict.explanation == MIGRATION.html_to_markdown(OLD_EXPLANATION)
        latest = verdict.history.latest()
        assert (latest.history_change_reason, latest.history_user, latest.explanation) == (
            "Converted to Markdown",
            None,
            verdict.explanation,
        )
    assert Verdict.objects.get(pk=published.pk).published_record == record_before


def test_site_texts_stay_as_typed_html_typed_in_them_is_converted_and_blank_ones_get_the_starter_texts():
    SiteSettings.objects.filter(pk=1).update(
        methodology="We check claims.\nEvery one.\n\nSecond paragraph.",
        about="<p>We are <strong>independent</strong>.</p>",
        corrections_policy="",
        funding="   ",
    )

    MIGRATION.to_markdown(apps, None)

    site = SiteSettings.objects.get(pk=1)
    assert site.methodology == "We check claims.\nEvery one.\n\nSecond paragraph."  # plain text is Markdown
    assert site.about == "We are **independent**."
    assert (site.corrections_policy, site.funding) == (starter_texts.CORRECTIONS_POLICY, starter_texts.FUNDING)
    assert site.history.latest().history_change_reason == "Converted to Markdown"


def test_texts_already_markdown_are_left_alone():
    MIGRATION.to_markdown(apps, None)
    site_history = SiteSettings.objects.get(pk=1).history.count()
    MIGRATION.to_markdown(apps, None)
    assert SiteSettings.objects.get(pk=1).history.count() == site_history
