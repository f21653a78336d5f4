"""Other organisations' ClaimReview read from the shapes found in the wild, and from hostile documents: every
item ends as a review or a reason, and a document that cannot be read at all says why (never a crash)."""

import json
from datetime import date
from pathlib import Path

import pytest

from claims.importing import claimreview
from claims.importing.claimreview import DocumentError, parse

FIXTURES = Path(__file__).parents[1] / "fixtures" / "claimreview"


def read(name: str, media_type: str = "", base_url: str = ""):
    media_type = media_type or ("text/html" if name.endswith(".html") else "application/json")
    return parse((FIXTURES / name).read_bytes(), media_type, base_url=base_url)


def test_a_page_with_one_json_ld_review_gives_every_field():
    (item,) = read("single_jsonld.html")
    review = item.review
    assert item.ok and review is not None
    assert review.review_url == "https://checkdesk.invalid/2022/10/iran-drones-russia"
    assert (review.publisher_name, review.publisher_site) == ("Check Desk", "checkdesk.invalid")
    assert review.claim_text == "Iran has supplied drones to Russia for use in the war in Ukraine."
    assert (review.claimant, review.claim_date) == ("Mykhailo Example", date(2022, 10, 17))
    assert (review.rating_text, review.rating_value, review.rating_best, review.rating_worst) == ("True", 5, 5, 1)
    assert (review.review_date, review.language) == (date(2022, 10, 20), "en")


def test_a_graph_with_references_by_id_is_resolved():
    (item,) = read("graph_yoast.html")
    review = item.review
    assert review is not None
    assert review.publisher_name == "Verificado.invalid"  # the author is {"@id": "…#organization"}
    assert (review.claimant, review.claim_date) == ("Ministra de Energía", date(2023, 1, 31))  # itemReviewed by @id
    assert (review.rating_text, review.rating_value, review.language) == ("Engañoso", 2, "es")


def test_several_reviews_on_a_page_arrays_and_blocks_each_give_one_result_and_a_broken_block_gives_a_reason():
    results = read("several_reviews.html", base_url="https://weekly.invalid/checks/2023-05")
    assert [r.review.claim_text if r.review else None for r in results] == [
        "The Eiffel Tower will be demolished next year.",
        "Drinking hot water cures the coronavirus.",
        "The city council banned bicycles from the old town.",
        None,
    ]
    assert results[1].review.review_url == "https://weekly.invalid/checks/2023-05#water"  # relative, resolved
    assert results[2].review.publisher_name == "Weekly Check"  # the author as plain text
    assert results[3].reason.startswith("A JSON-LD block could not be read")
    assert [r.position for r in results] == [1, 2, 3, 4]


def test_microdata_is_read_like_json_ld():
    (item,) = read("microdata.html")
    review = item.review
    assert review is not None
    assert review.review_url == "https://healthcheck.invalid/measles-autism"
    assert review.publisher_name == "Health Check"  # whitespace folded
    assert review.claim_text == "Vaccines against measles cause autism in children."
    assert (review.claimant, review.claim_date) == ("A viral post", date(2021, 2, 28))
    assert (review.rating_text, review.rating_value, review.rating_worst, review.rating_best) == ("False", 1, 1, 5)
    assert review.headline == "No, the measles vaccine does not cause autism"


def test_a_data_feed_gives_a_result_per_item_with_the_reason_for_each_one_skipped():
    results = read("datafeed.json")
    assert [r.ok for r in results] == [True, True, False, False, False, False]
    assert results[0].review.claimant == "A party leaflet"
    assert results[1].review.rating_text == "Mostly false"
    assert [r.reason for r in results[2:]] == [
        "No claim text (claimReviewed).",
        "claimReviewed is not text (it is a number).",
        "reviewRating is not an object (it is text).",
        "No review URL (url).",  # javascript: is no address
    ]


def test_the_older_creative_work_shape_is_read():
    (item,) = read("creativework_older.json")
    assert item.review is not None
    assert (item.review.claimant, item.review.claim_date) == ("A minister", date(2019, 6, 30))
    assert (item.review.rating_text, item.review.rating_best) == ("Pants on fire", 6)


def test_a_page_with_one_review_and_no_url_is_the_review_itself():
    page = (
        b'<script type="application/ld+json">{"@type":"ClaimReview","claimReviewed":"X is Y.",'
        b'"reviewRating":{"alternateName":"False"}}</script>'
    )
    (item,) = parse(page, "text/html", base_url="https://desk.invalid/x-is-y")
    assert item.review.review_url == "https://desk.invalid/x-is-y"
    assert item.review.publisher_name == "desk.invalid"  # nobody named: the site's host


def test_a_rating_given_only_as_numbers_is_written_as_them():
    doc = {"@type": "ClaimReview", "url": "https://d.invalid/1", "claimReviewed": "A.",
           "reviewRating": {"ratingValue": "2", "bestRating": 5}}  # fmt: skip
    (item,) = parse(json.dumps(doc).encode(), "application/json")
    assert item.review.rating_text == "2 of 5"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("claimReviewed", {"text": "A"}, "claimReviewed is not text (it is an object)."),
        ("claimReviewed", True, "claimReviewed is not text (it is true/false)."),
        ("reviewRating", [1, 2], "reviewRating is not an object (it is a number)."),
        ("reviewRating", None, "No rating (reviewRating)."),
        ("itemReviewed", "a claim", "itemReviewed is not an object (it is text)."),
        ("url", 12, "No review URL (url)."),
        ("url", "ftp://d.invalid/1", "No review URL (url)."),
    ],
)
def test_a_field_of_the_wrong_type_is_a_reason_not_a_crash(field, value, reason):
    doc = {"@type": "ClaimReview", "url": "https://d.invalid/1", "claimReviewed": "A.",
           "reviewRating": {"alternateName": "False"}, field: value}  # fmt: skip
    (item,) = parse(json.dumps(doc).encode(), "application/ld+json")
    assert (item.review, item.reason) == (None, reason)


def test_numbers_and_dates_of_the_wrong_shape_are_left_out():
    rating = {"alternateName": "False", "ratingValue": "NaN", "bestRating": {"x": 1}, "worstRating": 1e300}
    doc = {"@type": "ClaimReview", "url": "https://d.invalid/1", "claimReviewed": "A.", "datePublished": "last week",
           "reviewRating": rating, "itemReviewed": {"datePublished": "2023-02-30", "author": 5}}  # fmt: skip
    (item,) = parse(json.dumps(doc).encode(), "application/json")
    review = item.review
    assert (review.rating_value, review.rating_best, review.rating_worst) == (None, None, None)
    assert (review.review_date, review.claim_date, review.claimant) == (None, None, "")


# --- Hostile documents ---


def test_a_document_over_the_size_limit_is_refused_whole(monkeypatch):
    monkeypatch.setattr(claimreview, "MAX_BYTES", 1000)
    with pytest.raises(DocumentError, match="larger than"):
        parse(b"[" + b" " * 2000 + b"]", "application/json")


def test_json_nested_deeper_than_python_can_parse_is_a_reason():
    with pytest.raises(DocumentError, match="nested more than"):
        parse(b"[" * 200_000 + b"]" * 200_000, "application/json")


def test_json_nested_past_the_limit_is_a_reason():
    deep: dict = {"@type": "ClaimReview"}
    for _ in range(claimreview.MAX_DEPTH + 5):
        deep = {"x": deep}
    with pytest.raises(DocumentError, match="nested more than"):
        parse(json.dumps(deep).encode(), "application/json")


def test_deep_microdata_is_a_reason_for_that_item():
    nested = '<div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Thing">' * 60 + "</div>" * 60
    page = f'<div itemscope itemtype="https://schema.org/ClaimReview">{nested}</div>'.encode()
    (item,) = parse(page, "text/html")
    assert "nested more than" in item.reason


def test_reviews_past_the_item_limit_are_counted_as_skipped(monkeypatch):
    monkeypatch.setattr(claimreview, "MAX_ITEMS", 3)
    doc = [{"@type": "ClaimReview", "url": f"https://d.invalid/{n}", "claimReviewed": f"Claim {n}.",
            "reviewRating": {"alternateName": "False"}} for n in range(5)]  # fmt: skip
    results = parse(json.dumps(doc).encode(), "application/json")
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert results[4].reason == "More than 3 reviews in one document: not read."


def test_many_reviews_are_read_quickly():
    reviews = [{"@type": "ClaimReview", "url": f"https://d.invalid/{n}", "claimReviewed": f"Claim number {n}.",
                "reviewRating": {"alternateName": "False"}} for n in range(5000)]  # fmt: skip
    doc = {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [r]} for r in reviews]}
    results = parse(json.dumps(doc).encode(), "application/json")
    assert len(results) == 5000 and all(r.ok for r in results)


@pytest.mark.parametrize(
    ("body", "media_type", "message"),
    [
        (b"", "text/plain", "Neither JSON nor HTML"),
        (b"%PDF-1.4", "application/pdf", "Neither JSON nor HTML"),
        (b"{not json", "application/json", "Not valid JSON"),
        (b'{"@type": "WebPage"}', "application/json", "No ClaimReview found"),
        (b"<html><body>No markup</body></html>", "text/html", "No ClaimReview found"),
        (b"\xff\xfe\x00<", "text/html", "No ClaimReview found"),
        ("[1, 2, 3]".encode("utf-16"), "application/json", "No ClaimReview found"),
    ],
)
def test_a_document_that_cannot_be_read_says_why(body, media_type, message):
    with pytest.raises(DocumentError, match=message):
        parse(body, media_type)


def test_script_breaking_text_in_a_review_stays_text():
    doc = {"@type": "ClaimReview", "url": "https://d.invalid/1", "claimReviewed": "<script>alert(1)</script>",
           "reviewRating": {"alternateName": "<b>False</b>"},
           "author": {"name": "<img src=x onerror=alert(1)>"}}  # fmt: skip
    (item,) = parse(json.dumps(doc).encode(), "application/json")
    assert item.review.claim_text == "<script>alert(1)</script>"  # stored as text; templates escape it
