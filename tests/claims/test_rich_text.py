"""Staff's long texts are Markdown (claims.rich_text), with a preview beside the editor rendered by the same code."""

import pytest
from django.urls import reverse
from lxml import html

from claims import starter_texts
from claims.rich_text import render_markdown
from tests.factories import ClaimFactory
from tests.publishing import submitted


def test_paragraphs_typed_with_blank_lines_stay_paragraphs_and_a_line_break_is_kept():
    assert render_markdown("One\nstill one\n\nTwo") == "<p>One<br>\nstill one</p>\n<p>Two</p>"


def test_web_addresses_become_links_that_do_not_pass_on_the_pages_standing():
    assert render_markdown("See https://example.org/report") == (
        '<p>See <a href="https://example.org/report" rel="noopener noreferrer nofollow">'
        "https://example.org/report</a></p>"
    )


def test_headings_fit_under_the_page_whatever_level_they_were_typed_at():
    assert render_markdown("## Method\n\n### Sources", top_heading=2) == "<h2>Method</h2>\n<h3>Sources</h3>"
    assert (
        render_markdown("# Method\n\n## Sources\n\n### Deeper") == "<h3>Method</h3>\n<h4>Sources</h4>\n<h4>Deeper</h4>"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "![a picture](https://example.org/tracker.png)",
        "    indented, not code",
    ],
)
def test_nothing_but_text_paragraphs_links_and_emphasis_reaches_the_page(typed):
    rendered = render_markdown(typed)
    tags = {element.tag for element in html.fragment_fromstring(rendered, create_parent="div").iter()} - {"div"}
    assert tags <= {"p", "a"}
    assert "javascript:" not in "".join(html.fragment_fromstring(rendered, create_parent="div").xpath("//a/@href"))


def test_the_starter_texts_are_markdown_with_headings():
    for text in starter_texts.BY_FIELD.values():
        assert "<h2>" in render_markdown(text, top_heading=2)


@pytest.mark.django_db
def test_the_preview_renders_the_field_posted_as_the_page_will(client, factchecker):
    client.force_login(factchecker)
    response = client.post(
        reverse("staff:markdown-preview") + "?field=explanation&top=3",
        {"explanation": "# Why\n\nBecause *so*.\n\n<b>typed</b>", "headline": "ignored"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h3>Why</h3>" in body and "<em>so</em>" in body and "&lt;b&gt;typed&lt;/b&gt;" in body
    assert "<html" not in body  # the region only


@pytest.mark.django_db
def test_the_preview_of_nothing_says_so(client, factchecker):
    client.force_login(factchecker)
    response = client.post(reverse("staff:markdown-preview") + "?field=explanation", {"explanation": "  "})
    assert "Nothing to preview yet." in response.content.decode()


@pytest.mark.django_db
def test_the_verdict_editor_shows_the_draft_rendered_beside_the_markdown(client, factchecker):
    verdict = submitted(ClaimFactory(), author=factchecker, explanation="First.\n\n**Second.**")
    verdict.state = "draft"
    verdict.save()
    client.force_login(factchecker)
    response = client.get(reverse("staff:verdict-edit", args=[verdict.claim_id]), headers={"HX-Request": "true"})
    tree = html.fromstring(response.content.decode())
    textarea = tree.xpath("//textarea[@id='id_explanation']")[0]
    assert textarea.text.strip() == "First.\n\n**Second.**"
    assert textarea.get("hx-post").startswith(reverse("staff:markdown-preview") + "?field=explanation")
    assert textarea.get("hx-target") == "#id_explanation_preview"
    preview = tree.xpath("//*[@id='id_explanation_preview']")[0]
    assert [p.text_content() for p in preview.xpath("p")] == ["First.", "Second."]
    assert preview.xpath("p/strong")
