"""`seed_demo` sends in sample tips, so that `make run` shows the triage grouping two that ask the same thing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from claims import tips
from claims.demo import DEMO_TIPS
from claims.models import Tip, TipGroup

pytestmark = pytest.mark.django_db


def test_the_demo_tips_are_grouped_once_the_worker_has_matched_them(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # again: nothing added
    assert Tip.objects.count() == len(DEMO_TIPS)
    assert callbacks  # the tips are sent to the worker once the command commits
    for tip in Tip.objects.order_by("pk"):  # matched as the worker does, in the order they were sent
        tips.tip_match(tip=tip)
    sizes = sorted(TipGroup.objects.annotate(n=Count("tips")).values_list("n", flat=True), reverse=True)
    assert sizes == [2, 1, 1]
    grouped = Tip.objects.filter(group__in=TipGroup.objects.annotate(n=Count("tips")).filter(n=2))
    assert {tip.text for tip in grouped} == {DEMO_TIPS[1]["text"], DEMO_TIPS[2]["text"]}
    # The two about the drones show the demo claims among the closest claims on file.
    assert all(tip.claim_matches.exists() for tip in grouped)
