"""The public pages: what the demo's published claim shows, and every other page that lists or explains."""

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims import workflow
from claims.dates import DatePrecision
from claims.demo import CLAIM_B, DENIAL_QUOTE
from claims.models import Actor, SiteSettings, User, Verdict
from tests.factories import (
    ClaimFactory,
    ClaimSourceFactory,
    OutreachFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)
from tests.public.conftest import page_tree, texts
from tests.publishing import publish, reviewer

pytestmark = pytest.mark.django_db


def claim_url(claim) -> str:
    return reverse("claim", args=[claim.slug])


# --- The demo's published claim ---------------------------------------------------------


def test_the_demo_claim_page_shows_the_claim_its_claimant_and_the_verdict(client, seeded):
    _claim_a, claim_b = seeded
    tree = page_tree(client.get(claim_url(claim_b)))
    assert texts(tree, "//h1") == [CLAIM_B.text]
    made_by = texts(tree, "//dl[@class='claim-facts']/div[dt='Made by']/dd")
    assert made_by == ["Hossein Amir Abdollahian, Foreign Minister of Iran"]
    claimant_link = tree.xpath("//dl[@class='claim-facts']//a")[0].get("href")
    assert claimant_link == reverse("claimant", args=[claim_b.claimant_id])
    assert texts(tree, "//dl[@class='claim-facts']/div[dt='First appeared']/dd") == ["date unknown"]

    verdict_box = tree.xpath("//section[contains(@class, 'verdict-box')]")[0]
    assert texts(verdict_box, ".//span[contains(@class, 'rating')]") == ["Unproven"]
    definition = texts(verdict_box, ".//p[@class='rating-definition']")[0]
    assert definition.startswith("The evidence available does not establish whether the claim is true or false.")
    assert verdict_box.xpath(".//p[@class='rating-definition']/a/@href") == [reverse("ratings") + "#scale-default"]
    assert texts(verdict_box, ".//p[@class='verdict-headline']")[0].startswith("Sample: the article alone")
    # The explanation is the sanitised HTML, rendered as HTML.
    explanation = tree.xpath("//div[contains(@class, 'explanation')]/p")
    assert (
        explanation[0].text_content() == "Sample verdict for the demo, written from the Mehr News Agency article alone."
    )


def test_the_demo_claim_page_shows_statements_evidence_reply_and_sources(client, seeded):
    _claim_a, claim_b = seeded
    tree = page_tree(client.get(claim_url(claim_b)))
    statement = tree.xpath("//ol[@class='timeline']/li")
    assert len(statement) == 1
    assert "stance-asserts" in statement[0].get("class")
    assert texts(statement[0], ".//span[contains(@class, 'stance')]") == ["Asserts"]
    assert texts(statement[0], ".//strong") == ["Hossein Amir Abdollahian"]
    quote = statement[0].xpath(".//blockquote")[0]
    assert (quote.text_content(), quote.get("lang"), quote.get("dir")) == (DENIAL_QUOTE, "en", "auto")
    assert "A Monday; date not stated" in texts(statement[0], ".//p[@class='meta']")[0]
    assert statement[0].xpath(".//a/@href") == ["#source-1"]

    evidence = texts(tree, "//ul[@class='evidence-list']/li")[0]
    assert evidence.startswith("Context Mehr News Agency quotes the foreign minister's denial")

    reply = texts(tree, "//div[@class='outreach']")[0]
    assert "We contacted Ministry of Foreign Affairs of Iran, press office (email) on 8 January 2024." in reply
    assert "Sample, for the demo only; no request was actually sent." in reply
    assert "No answer had come when this was published." in reply

    source = tree.xpath("//ol[@class='public-sources']/li")[0]
    assert source.get("id") == "source-1"
    source_text = " ".join(source.text_content().split())
    assert "Amir Abdollahian: Iran ready to discuss drone allegations with Ukraine" in source_text
    assert "Mehr News Agency" in source_text and "no web address" in source_text
    assert "Not stated in the article" in source_text
    assert "Licence: CC BY 4.0." in source_text and "Creative Commons Attribution 4.0" in source_text


def test_the_demo_claim_page_credits_author_and_reviewer_and_dates_itself(client, seeded):
    _claim_a, claim_b = seeded
    tree = page_tree(client.get(claim_url(claim_b)))
    byline = tree.xpath("//p[@class='byline']")[0]
    factchecker, reviewer = User.objects.get(username="factchecker"), User.objects.get(username="reviewer")
    assert [(a.text, a.get("href")) for a in byline.xpath(".//a")] == [
        ("Farah Checker", reverse("byline", args=[factchecker.pk])),
        ("Reza Reviewer", reverse("byline", args=[reviewer.pk])),
    ]
    published_at = claim_b.verdicts.get().published_at
    assert byline.xpath(".//time/@datetime") == [published_at.isoformat()]
    assert "Updated" not in byline.text_content()
    assert texts(tree, "//ol[@class='correction-history']/li") == [
        f"First verdict, {published_at:%-d %B %Y, %H:%M} UTC"
    ]


def test_sample_content_is_labelled_and_not_indexed(client, seeded):
    _claim_a, claim_b = seeded
    tree = page_tree(client.get(claim_url(claim_b)))
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "Sample data" in texts(tree, "//p[@class='sample-banner']")[0]
    home = page_tree(client.get(reverse("home")))
    assert texts(home, "//li[@class='verdict-item']//span[@class='sample-label']") == ["Sample data"]


def test_real_content_carries_no_sample_label_and_may_be_indexed(client):
    verdict = publish()
    tree = page_tree(client.get(claim_url(verdict.claim)))
    assert tree.xpath("//meta[@name='robots']") == []
    assert tree.xpath("//*[contains(@class, 'sample-label')]") == []


def test_the_claim_page_has_canonical_and_opengraph_tags(client, settings, seeded):
    settings.SITE_URL = "https://claims.example.org"
    _claim_a, claim_b = seeded
    tree = page_tree(client.get(claim_url(claim_b), HTTP_HOST="127.0.0.1"))
    canonical = f"https://claims.example.org/claims/{claim_b.slug}/"
    assert tree.xpath("//link[@rel='canonical']/@href") == [canonical]
    og = {meta.get("property"): meta.get("content") for meta in tree.xpath("//meta[starts-with(@property, 'og:')]")}
    assert og["og:url"] == canonical
    assert og["og:type"] == "article"
    assert og["og:title"] == f"Unproven: {CLAIM_B.text}"
    assert og["og:description"].startswith("Sample: the article alone")
    assert og["og:site_name"] == SiteSettings.load().organisation_name


def test_the_claim_page_links_to_the_error_report_form(client, seeded):
    _claim_a, claim_b = seeded
    tree = page_tree(client.get(claim_url(claim_b)))
    assert tree.xpath("//p[@class='report-error']/a/@href") == [reverse("report-error", args=[claim_b.slug])]


# --- Statements: dates, stances, second-hand and translated quotes --------------------------


def test_statements_are_in_date_order_with_assertions_and_denials_marked_apart(client):
    claim = ClaimFactory()
    later = StatementFactory(
        claim=claim, stance="denies", quote="Later denial", date=datetime.date(2022, 10, 20), date_precision="day"
    )
    earlier = StatementFactory(
        claim=claim, stance="asserts", quote="Earlier assertion", date=datetime.date(2022, 7, 1), date_precision="month"
    )
    publish(claim)
    tree = page_tree(client.get(claim_url(claim)))
    items = tree.xpath("//ol[@class='timeline']/li")
    assert [item.xpath(".//blockquote")[0].text for item in items] == [earlier.quote, later.quote]
    assert ["stance-asserts" in items[0].get("class"), "stance-denies" in items[1].get("class")] == [True, True]
    assert [texts(item, ".//span[contains(@class, 'stance')]")[0] for item in items] == ["Asserts", "Denies"]
    assert [item.xpath(".//time/@datetime")[0] for item in items] == ["2022-07", "2022-10-20"]
    assert [texts(item, ".//time")[0] for item in items] == ["July 2022", "20 October 2022"]


def test_a_translated_second_hand_quote_is_marked_and_its_original_is_right_to_left(client):
    claim = ClaimFactory()
    StatementFactory(
        claim=claim,
        stance="denies",
        quote="We have not sold any drones.",
        quote_language="en",
        second_hand=True,
        translated=True,
        original_language="fa",
        original_quote="ما هیچ پهپادی نفروخته‌ایم",
    )
    publish(claim)
    tree = page_tree(client.get(claim_url(claim)))
    item = tree.xpath("//ol[@class='timeline']/li")[0]
    markers = texts(item, ".//li[@class='marker']")
    assert markers == [
        "Reported second-hand: the source's account of what was said, not a direct quote.",
        "Translated from Persian.",
    ]
    original = item.xpath(".//blockquote[@class='original']")[0]
    assert (original.text, original.get("lang"), original.get("dir")) == ("ما هیچ پهپادی نفروخته‌ایم", "fa", "auto")


def test_the_source_list_numbers_sources_with_links_archives_and_licences(client):
    claim = ClaimFactory()
    cited = SourceFactory(
        url="https://news.example/drones",
        title="Drones story",
        publisher="Example News",
        archive_url="https://archive.example/drones",
        licence="CC BY 4.0",
        attribution="Example News, CC BY",
        dated=True,
    )
    ClaimSourceFactory(claim=claim, source=cited)
    confidential = SourceFactory(
        url="https://leak.example/memo", title="The memo", confidential=True, public_description="A leaked memo"
    )
    ClaimSourceFactory(claim=claim, source=confidential)
    publish(claim)
    tree = page_tree(client.get(claim_url(claim)))
    first, second = tree.xpath("//ol[@class='public-sources']/li")
    assert (first.get("id"), second.get("id")) == ("source-1", "source-2")
    assert first.xpath(".//a/@href") == ["https://news.example/drones", "https://archive.example/drones"]
    assert "13 July 2022" in first.text_content() and "Licence: CC BY 4.0." in first.text_content()
    assert " ".join(second.text_content().split()).startswith("Confidential source: A leaked memo")
    assert second.xpath(".//a") == []


def test_times_are_shown_in_the_newsrooms_time_zone(client):
    site = SiteSettings.load()
    site.time_zone = "Asia/Tehran"
    site.save()
    verdict = publish()
    tree = page_tree(client.get(claim_url(verdict.claim)))
    local = verdict.published_at.astimezone(zoneinfo.ZoneInfo("Asia/Tehran"))
    assert f"{local:%H:%M} +0330" in texts(tree, "//p[@class='byline']//time")[0]


# --- Corrections, updates, retractions --------------------------------------------------------


def test_a_correction_updates_the_page_and_keeps_the_history_with_its_note(client):
    first = publish(headline="Wrong ministry named")
    correction = publish(first.claim, kind="correction", headline="Right ministry", public_note="We misnamed it.")
    tree = page_tree(client.get(claim_url(first.claim)))
    assert texts(tree, "//p[@class='verdict-headline']") == ["Right ministry"]
    history = texts(tree, "//ol[@class='correction-history']/li")
    assert [entry.split(",")[0] for entry in history] == ["First verdict", "Correction"]
    assert history[1].endswith("We misnamed it.")
    byline = texts(tree, "//p[@class='byline']")[0]
    assert f"Updated {correction.published_at:%-d %B %Y, %H:%M} UTC" in byline


def test_a_retracted_verdict_keeps_its_page_with_a_notice(client):
    first = publish()
    publish(first.claim, kind="retraction", public_note="The video was staged; we withdraw the check.")
    response = client.get(claim_url(first.claim))
    tree = page_tree(response)
    notice = texts(tree, "//div[@class='retraction-notice']")[0]
    assert notice.startswith("This fact-check has been retracted")
    assert "The video was staged; we withdraw the check." in notice
    assert texts(tree, "//h2[@id='verdict-title']") == ["Our verdict (retracted)"]


def test_the_corrections_log_lists_every_correction_newest_first_with_its_note(client):
    corrected = publish(ClaimFactory(text="Corrected claim")).claim
    publish(corrected, kind="correction", public_note="First fix.")
    updated = publish(ClaimFactory(text="Updated claim")).claim
    publish(updated, kind="update", public_note="New figures.")
    publish(ClaimFactory(text="Never corrected"))
    tree = page_tree(client.get(reverse("corrections")))
    items = tree.xpath("//li[@class='verdict-item']")
    assert [texts(item, ".//h3")[0] for item in items] == ["Updated claim", "Corrected claim"]
    assert [texts(item, ".//p[@class='correction-note']")[0] for item in items] == ["New figures.", "First fix."]
    assert [texts(item, ".//span[@class='badge']")[0] for item in items] == ["Update", "Correction"]


# --- Listings: home, topics, claimants, bylines --------------------------------------------


def test_home_lists_the_latest_published_verdicts_with_their_rating_badges(client, seeded):
    claim_a, _claim_b = seeded
    tree = page_tree(client.get(reverse("home")))
    assert texts(tree, "//li[@class='verdict-item']//h3") == [CLAIM_B.text]
    assert texts(tree, "//li[@class='verdict-item']//span[contains(@class, 'rating')]") == ["Unproven"]
    assert "rating-grey" in tree.xpath("//li[@class='verdict-item']//span[contains(@class, 'rating')]/@class")[0]
    assert claim_a.text not in tree.text_content()


def test_topic_claimant_and_byline_pages_list_what_the_records_say(client, seeded):
    claim_a, claim_b = seeded
    record = claim_b.verdicts.get().published_record
    for url, heading in (
        (reverse("topic", args=["iran"]), "Iran"),
        (reverse("claimant", args=[claim_b.claimant_id]), "Hossein Amir Abdollahian"),
        (reverse("byline", args=[record["verdict"]["author"]["id"]]), "Farah Checker"),
        (reverse("byline", args=[record["verdict"]["reviewer"]["id"]]), "Reza Reviewer"),
    ):
        tree = page_tree(client.get(url))
        assert texts(tree, "//h1") == [heading], url
        assert texts(tree, "//li[@class='verdict-item']//h3") == [CLAIM_B.text], url
    # Claim A is not public: its claimant has no page, and nobody's byline lists it.
    assert client.get(reverse("claimant", args=[claim_a.claimant_id])).status_code == 404
    assert client.get(reverse("byline", args=[User.objects.get(username="admin").pk])).status_code == 404
    assert client.get(reverse("topic", args=["no-such-topic"])).status_code == 404


def test_a_topic_page_follows_the_record_not_later_edits(client, factchecker):
    topic, later_topic = TopicFactory(name="Energy"), TopicFactory(name="Later")
    claim = ClaimFactory()
    claim.topics.add(topic)
    publish(claim)
    claim.topics.set([later_topic])  # edited after publication: public only with the next correction
    assert client.get(reverse("topic", args=[later_topic.slug])).status_code == 404
    tree = page_tree(client.get(reverse("topic", args=[topic.slug])))
    assert texts(tree, "//h1") == ["Energy"]


def test_listings_are_paginated(client):
    for number in range(23):
        publish(ClaimFactory(text=f"Claim {number:02}"))
    first = page_tree(client.get(reverse("home")))
    assert len(first.xpath("//li[@class='verdict-item']")) == 20
    assert first.xpath("//a[@rel='next']/@href") == ["?page=2"]
    second = page_tree(client.get(reverse("home"), {"page": 2}))
    assert texts(second, "//li[@class='verdict-item']//h3") == ["Claim 02", "Claim 01", "Claim 00"]


def test_a_claimant_of_each_kind_is_named_with_their_title(client):
    government = ClaimFactory(claimant=Actor.objects.create(name="Ministry of Truth", kind="government"))
    publish(government)
    tree = page_tree(client.get(reverse("claimant", args=[government.claimant_id])))
    assert texts(tree, "//h1") == ["Ministry of Truth"]


# --- The newsroom's own pages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "field", "heading"),
    [
        ("methodology", "methodology", "h2"),  # under the page's own <h1>
        ("corrections-policy", "corrections_policy", "h2"),
        ("about", "about", "h2"),
        ("about", "funding", "h3"),  # under the page's "Funding" <h2>
    ],
)
def test_site_texts_are_markdown_shown_as_sanitised_html_under_the_pages_headings(client, url_name, field, heading):
    site = SiteSettings.load()
    setattr(site, field, "# Our *principles*\n\nWe check claims.\n\nSecond <b>paragraph</b>\nnext line\n\n- one\n- two")
    site.save()
    body = client.get(reverse(url_name)).content.decode()
    assert f"<{heading}>Our <em>principles</em></{heading}>" in body
    assert "<p>We check claims.</p>" in body
    assert "<p>Second &lt;b&gt;paragraph&lt;/b&gt;<br>\nnext line</p>" in body  # typed HTML is text
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in body


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("methodology", "Transparency of sources"),
        ("corrections-policy", "An open and honest corrections policy"),
        ("about", "Non-partisanship and fairness"),
        ("about", "Transparency of funding"),
    ],
)
def test_a_new_site_starts_with_texts_on_the_ifcn_principles_marked_to_be_edited(client, url_name, heading):
    tree = page_tree(client.get(reverse(url_name)))
    assert heading in texts(tree, "//main//*[self::h2 or self::h3]")
    assert "Starter text, to be edited." in texts(tree, "//main//blockquote//strong")


def test_the_ratings_page_defines_every_rating_of_the_active_scale(client):
    tree = page_tree(client.get(reverse("ratings")))
    scale = tree.xpath("//section[@id='scale-default']")[0]
    assert texts(scale, ".//dt") == [
        "True",
        "Mostly true",
        "Half true",
        "Mostly false",
        "False",
        "Misleading",
        "Unproven",
    ]
    assert texts(scale, ".//dd")[0] == "The claim is accurate and nothing significant is missing."


def test_the_footer_links_the_newsrooms_pages(client):
    tree = page_tree(client.get(reverse("home")))
    footer_links = tree.xpath("//footer//a/@href")
    for name in ("methodology", "corrections-policy", "corrections", "about", "ratings", "tip", "feed"):
        assert reverse(name) in footer_links, name
    assert reverse("claimreview-export") in footer_links


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_newsroom(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    response = client.get(reverse("robots-txt"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert {"Disallow: /staff/", "Disallow: /admin/", "Disallow: /search/", "Disallow: /tips/"} <= set(lines)
    assert "Sitemap: https://claims.example.org/sitemap.xml" in lines


def test_statement_dates_known_to_the_month_or_year_are_shown_as_far_as_known(client):
    claim = ClaimFactory(date=datetime.date(2022, 1, 1), date_precision=DatePrecision.YEAR)
    StatementFactory(claim=claim, date=None, date_precision="unknown", date_note="July, year not stated")
    publish(claim)
    tree = page_tree(client.get(claim_url(claim)))
    assert tree.xpath("//dl[@class='claim-facts']//time/@datetime") == ["2022"]
    assert "July, year not stated" in texts(tree, "//ol[@class='timeline']/li")[0]


def test_a_record_frozen_by_an_earlier_version_still_renders(client):
    """Records published before version 2 have no claimant id, topic index, source roles or scale slug."""
    verdict = publish(ClaimFactory(text="An older record"))
    record = verdict.published_record
    del record["claim"]["claimant"]["id"], record["claim"]["topic_names"], record["verdict"]["rating"]["scale_slug"]
    for source in record["sources"]:
        del source["role"]
    for dated in [record["claim"], *record["statements"], *record["sources"]]:
        if not dated.get("confidential"):
            dated["display"] = "as shown when published (version 1 to 4)"  # not shown: the ISO date is
            del dated["calendar"]
    record["version"] = 1
    Verdict.objects.filter(pk=verdict.pk).update(published_record=record)
    tree = page_tree(client.get(claim_url(verdict.claim)))
    assert texts(tree, "//h1") == ["An older record"]
    assert "as shown when published" not in tree.text_content()
    assert tree.xpath("//dl[@class='claim-facts']//a") == []  # no claimant page to link to
    assert tree.xpath("//p[@class='rating-definition']/a/@href") == [reverse("ratings")]


def test_an_empty_corrections_log_says_so(client):
    publish()
    tree = page_tree(client.get(reverse("corrections")))
    assert texts(tree, "//li[@class='empty']") == ["No corrections, updates or retractions have been published."]


def test_the_newsroom_links_a_published_claim_to_its_public_page(client_for):
    claim = publish().claim
    workspace = client_for("factchecker").get(reverse("staff:claim", args=[claim.pk])).content.decode()
    assert f'href="{reverse("claim", args=[claim.slug])}"' in workspace
    unpublished = ClaimFactory()
    workspace = client_for("factchecker").get(reverse("staff:claim", args=[unpublished.pk])).content.decode()
    assert reverse("claim", args=[unpublished.slug]) not in workspace


def test_a_corrected_claim_says_at_the_top_what_changed_when_and_links_to_the_history(client):
    first = publish(headline="Wrong ministry named")
    publish(first.claim, kind="update", public_note="Added the ministry's answer.")
    correction = publish(first.claim, kind="correction", public_note="We misnamed the ministry.")
    tree = page_tree(client.get(claim_url(first.claim)))
    (notice,) = tree.xpath("//div[@class='correction-notice']")
    assert notice.getparent().index(notice) < notice.getparent().index(tree.xpath("//header[@class='claim-header']")[0])
    assert " ".join(notice.text_content().split()) == (
        f"Correction, {correction.published_at:%-d %B %Y} We misnamed the ministry. All corrections and updates"
    )
    assert notice.xpath(".//a/@href") == ["#history"] and tree.xpath("//section[@id='history']")


def test_a_claim_never_corrected_has_no_correction_notice(client):
    tree = page_tree(client.get(claim_url(publish().claim)))
    assert tree.xpath("//div[@class='correction-notice']") == []


@pytest.mark.parametrize(
    "typed", ["Asked when the drones were delivered.", "We asked when the drones were delivered.", "When?"]
)
def test_the_right_of_reply_shows_our_request_as_typed_under_a_label_that_reads_with_anything(client, typed):
    claim = ClaimFactory()
    OutreachFactory(claim=claim, request=typed)
    tree = page_tree(client.get(claim_url(publish(claim).claim)))
    reply = tree.xpath("//div[@class='outreach']")[0]
    assert texts(reply, ".//p[@class='meta'][1]") == ["Our request"]
    assert texts(reply, ".//blockquote") == [typed]
    assert "We asked:" not in reply.text_content()


def test_the_demo_counter_claim_appears_on_the_claim_in_review_once_published(client, seeded):
    claim_a, claim_b = seeded
    assert page_tree(client.get(claim_url(claim_b))).xpath("//section[@aria-labelledby='related-title']") == []
    workflow.verdict_publish(verdict=workflow.open_verdict(claim_a), by=reviewer())
    cache.clear()  # publishing renews the public pages on commit
    tree = page_tree(client.get(claim_url(claim_a)))
    (related,) = tree.xpath("//li[@class='related-claim']")
    assert texts(related, ".//p[@class='eyebrow']") == ["Counter-claim"]
    (link,) = related.xpath(".//a")
    assert (link.get("href"), link.text_content()) == (claim_url(claim_b), CLAIM_B.text)
    assert "Unproven" in related.text_content()


def test_recently_published_lists_a_corrected_claim_once_at_its_latest_verdict(client_for):
    first = publish(ClaimFactory(text="Corrected claim."))
    publish(first.claim, kind="correction", public_note="Fixed.")
    tree = page_tree(client_for("reviewer").get(reverse("staff:home")))
    recent = texts(tree, "//section[h2='Recently published']//li")
    assert recent == ["Corrected claim. Unproven"]
