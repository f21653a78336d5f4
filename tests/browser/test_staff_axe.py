"""axe-core on the newsroom's pages, signed in as a fact-checker, a reviewer and an admin, with demo data and
what the demo lacks (a correction in review, an error report, an imported article with a match, an import run,
a pending repeat, unread notifications): no serious or critical accessibility problem on any of them."""

import re
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from claims import alerts, jobs, workflow
from claims.demo import CLAIM_A, CLAIM_B, DEMO_FEED_NAME
from claims.management.commands.seed_demo import DEMO_PASSWORD
from claims.models import Claim, Feed, ImportRun, Source, User, Verdict
from tests.browser.conftest import submit_login
from tests.factories import ArticleMatchFactory, ClaimFactory, ErrorReportFactory, ImportRunFactory
from tests.publishing import publish, recorded_repeat, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def newsroom(settings, monkeypatch):
    """The demo (its users sign in with the demo password), and one of each thing the staff pages list."""
    monkeypatch.setattr(jobs, "enqueue_tip_matching", lambda tip_id: None)
    monkeypatch.setattr(jobs, "enqueue_matching", lambda source_id: None)
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    reviewer = User.objects.get(username="reviewer")
    corrected = publish(ClaimFactory(text="The ministry bought 300 buses last year."), headline="It bought 120")
    submitted(
        corrected.claim,
        author=User.objects.get(username="factchecker"),
        kind=Verdict.Kind.CORRECTION,
        headline="It bought 120 buses",
        explanation="The ministry's report lists 120 buses.",
        public_note="We had the wrong figure.",
    )
    drafting = ClaimFactory(text="The city spent a million euros on its new logo.")
    draft = workflow.verdict_draft(claim=drafting, by=User.objects.get(username="factchecker"))
    claim_b = Claim.objects.get(slug=CLAIM_B.slug)
    ErrorReportFactory(claim=claim_b, text="The minister's name is misspelt in the second paragraph.")
    match = ArticleMatchFactory(claim=claim_b)
    recorded_repeat(claim_b)
    feed = Feed.objects.get(name=DEMO_FEED_NAME)
    ImportRunFactory(feed=feed, status=ImportRun.Status.SUCCEEDED, items_seen=3, items_new=1, items_duplicate=2)
    alerts.alerts_catch_up()
    return {
        "claim in review": Claim.objects.get(slug=CLAIM_A.slug),
        "published claim": claim_b,
        "correction": corrected.claim,
        "draft": draft.claim,
        "article": match.source,
        "feed": feed,
        "source": Source.objects.get(title__startswith="Amir Abdollahian"),
        "reviewer": reviewer,
    }


def staff_pages(data, role: str) -> dict[str, str]:
    """The staff pages axe-core checks as `role`: every screen the role reaches from the navigation."""
    in_review, published, correction = data["claim in review"], data["published claim"], data["correction"]
    pages = {
        "dashboard": reverse("staff:home"),
        "claim list, filtered": reverse("staff:home") + "?q=drones&state=in_review",
        "workspace": reverse("staff:claim", args=[in_review.pk]),
        "workspace, published claim": reverse("staff:claim", args=[published.pk]),
        "workspace, statement form open": reverse("staff:region-add", args=[published.pk, "statements"]),
        "workspace, source form open": reverse("staff:region-add", args=[published.pk, "sources"]),
        "workspace, verdict editor": reverse("staff:verdict-edit", args=[data["draft"].pk]),
        "review screen": reverse("staff:claim-review", args=[in_review.pk]),
        "review screen, correction": reverse("staff:claim-review", args=[correction.pk]),
        "history": reverse("staff:claim-history", args=[published.pk]),
        "source": reverse("staff:source", args=[data["source"].pk]),
        "incoming": reverse("staff:incoming"),
        "incoming article": reverse("staff:incoming-article", args=[data["article"].pk]),
        "tips": reverse("staff:tips"),
        "error reports": reverse("staff:error-reports"),
        "feeds": reverse("staff:feeds"),
        "feed and its import runs": reverse("staff:feed", args=[data["feed"].pk]),
        "notifications": reverse("staff:alerts"),
        "my account": reverse("staff:account"),
        "new claim": reverse("staff:claim-new"),
        "merge": reverse("staff:claim-merge", args=[in_review.pk]),
        "repeats": reverse("staff:repeats"),
        "fact-checks elsewhere": reverse("staff:claimreviews"),
        "exports": reverse("staff:exports"),
        "a claim's repeats": reverse("staff:claim-repeats", args=[published.pk]),
    }
    if role == "admin":
        pages |= {
            "people": reverse("staff:people"),
            "settings": reverse("staff:settings"),
            "add a feed": reverse("staff:feed-add"),
            "webhooks": reverse("staff:webhooks"),
        }
    return pages


def blocking_violations(axe, page) -> tuple[list, str]:
    results = axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    return blocking, results.generate_report() if blocking else ""


@pytest.mark.parametrize("role", ["factchecker", "reviewer", "admin"])
def test_axe_finds_no_serious_or_critical_problem_on_the_staff_pages(browser, live_server, newsroom, role):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    axe = Axe()
    try:
        submit_login(page, role, DEMO_PASSWORD)
        expect(page).to_have_url(re.compile(r"/staff/$"))
        problems = {}
        for name, url in staff_pages(newsroom, role).items():
            response = page.goto(url)
            assert response.status == 200, f"{name}: {response.status}"
            page.wait_for_load_state("networkidle")  # the nav's counts and the lazy regions have been swapped in
            blocking, report = blocking_violations(axe, page)
            if blocking:
                problems[name] = report
        assert not problems, "\n\n".join(f"{name} ({role}):\n{report}" for name, report in problems.items())
        csp = [text for text in errors if "content security policy" in text.lower()]
        assert csp == []
    finally:
        context.close()
